package org.robustsam.studio.annotate.project;

/**
 * Told after each change to a project, on the thread that made it. Views repaint from it, the
 * autosaver schedules a write. Plain Java: a JavaFX view hops to the FX thread itself if needed.
 */
@FunctionalInterface
public interface ProjectListener {
    void projectChanged(ProjectChange change);
}
