package org.robustsam.studio.annotate.project;

import java.nio.file.Path;
import java.time.Duration;
import org.robustsam.studio.annotate.edit.AddObjectCommand;
import org.robustsam.studio.annotate.edit.SetImageStatusCommand;
import org.robustsam.studio.annotate.edit.UndoStack;

/**
 * The "app" that {@link AnnotAutosaveCrashTest} kills: opens a project with autosave and edits it
 * through the undo stack forever, printing "EDIT <object id>" after each edit is applied. Arguments:
 * project folder, autosave delay in milliseconds, pause between edits in milliseconds.
 */
public final class AutosaveCrashChild {
    private AutosaveCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        Duration delay = Duration.ofMillis(Long.parseLong(args[1]));
        long pause = Long.parseLong(args[2]);
        Project project = Project.create(folder);
        project.insertLabel(0, new Label("thing", "#800000"));
        project.addImage("photo.png", 64, 48);
        project.addImage("other.png", 64, 48);
        Autosaver saver = Autosaver.start(project, new ProjectFile(folder), delay, null);
        UndoStack stack = new UndoStack(project);
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        for (int i = 0; ; i++) {
            long id = project.allocateObjectId();
            int x = i % 60;
            int y = (i / 60) % 44;
            stack.execute(new AddObjectCommand("photo.png", AnnotatedObject.manual(id, "thing",
                    ProjectFixtures.rect(64, 48, x, y, x + 4, y + 4))));
            if (i % 7 == 0) {
                stack.execute(new SetImageStatusCommand("other.png", i % 2 == 0 ? ImageStatus.DONE : ImageStatus.TODO));
            }
            System.out.println("EDIT " + id);
            System.out.flush();
            Thread.sleep(pause);
        }
        // Never returns: the test ends it with SIGKILL, which is the point. (saver is deliberately never closed.)
    }
}
