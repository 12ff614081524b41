package org.robustsam.studio.annotate.project;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.robustsam.studio.annotate.mask.CocoRle;

/**
 * The annotation project: labels, images with their status and objects. It is the single source of
 * truth; views read it and listen to it, and change it through {@code annotate.edit} commands so
 * every change can be undone. The primitive operations below are what those commands call; each
 * fires exactly one {@link ProjectChange}.
 *
 * <p>Threading: edit from one thread (the UI thread). Reads and {@link #snapshot()} are
 * synchronised, so the autosaver and exporters may call them from any thread. Listeners run on
 * the editing thread after the lock is released.
 */
public final class Project {
    private final Path folder;
    private final List<Label> labels = new ArrayList<>();
    private final Map<String, ImageRecord> images = new LinkedHashMap<>();
    private final List<ProjectListener> listeners = new CopyOnWriteArrayList<>();
    /** Every object id on any image: keeps the "id in use" check O(1), which a large import needs. */
    private final Set<Long> objectIds = new HashSet<>();
    private long nextObjectId = 1;

    private Project(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** An empty project for {@code folder} (nothing is written until it is saved). */
    public static Project create(Path folder) {
        return new Project(folder);
    }

    /** A project holding a snapshot's content; checks it the way edits are checked. */
    public static Project fromSnapshot(Path folder, ProjectSnapshot snapshot) {
        Project p = new Project(folder);
        Set<Long> ids = new HashSet<>();
        for (Label l : snapshot.labels()) {
            if (p.findLabel(l.name()) >= 0) {
                throw new IllegalArgumentException("label '" + l.name() + "' is listed twice");
            }
            p.labels.add(l);
        }
        long maxId = 0;
        for (ImageRecord img : snapshot.images()) {
            String path = ProjectPaths.normalizeRelative(img.path());
            if (p.images.containsKey(path)) {
                throw new IllegalArgumentException("image " + path + " is listed twice");
            }
            for (AnnotatedObject o : img.objects()) {
                p.checkObject(img, o);
                if (!ids.add(o.id())) {
                    throw new IllegalArgumentException("object id " + o.id() + " is used twice (again on image " + path + ")");
                }
                maxId = Math.max(maxId, o.id());
            }
            p.images.put(path, new ImageRecord(path, img.width(), img.height(), img.status(), img.objects()));
        }
        p.objectIds.addAll(ids);
        // Never hand out an id that is already taken, even if the file's counter is behind.
        p.nextObjectId = Math.max(snapshot.nextObjectId(), maxId + 1);
        return p;
    }

    public Path folder() {
        return folder;
    }

    public void addListener(ProjectListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    public void removeListener(ProjectListener l) {
        listeners.remove(l);
    }

    public synchronized ProjectSnapshot snapshot() {
        return new ProjectSnapshot(labels, new ArrayList<>(images.values()), nextObjectId);
    }

    public synchronized List<Label> labels() {
        return List.copyOf(labels);
    }

    public synchronized Optional<Label> label(String name) {
        int i = findLabel(name);
        return i < 0 ? Optional.empty() : Optional.of(labels.get(i));
    }

    public synchronized List<ImageRecord> images() {
        return List.copyOf(images.values());
    }

    public synchronized Optional<ImageRecord> image(String path) {
        return Optional.ofNullable(images.get(path));
    }

    public synchronized Optional<AnnotatedObject> object(String imagePath, long id) {
        ImageRecord img = images.get(imagePath);
        if (img == null) {
            return Optional.empty();
        }
        int i = img.indexOf(id);
        return i < 0 ? Optional.empty() : Optional.of(img.objects().get(i));
    }

    /** A fresh object id; ids are never reused, even after a delete. */
    public synchronized long allocateObjectId() {
        return nextObjectId++;
    }

    // ---- primitive edits: commands call these ----

    /** Adds an image (path relative to the folder) with no objects. */
    public void addImage(String path, int width, int height) {
        ImageRecord added;
        synchronized (this) {
            String p = ProjectPaths.normalizeRelative(path);
            if (images.containsKey(p)) {
                throw new IllegalArgumentException("image " + p + " is already in the project");
            }
            added = ImageRecord.empty(p, width, height);
            images.put(p, added);
        }
        fire(new ProjectChange.ImageAdded(added));
    }

    /** Removes an image that has no objects (the undo of adding it); one with objects is refused. */
    public ImageRecord removeImage(String path) {
        ImageRecord removed;
        synchronized (this) {
            String p = ProjectPaths.normalizeRelative(path);
            ImageRecord img = requireImage(p);
            if (!img.objects().isEmpty()) {
                throw new IllegalStateException("image " + p + " still has " + img.objects().size() + " objects");
            }
            removed = images.remove(p);
        }
        fire(new ProjectChange.ImageRemoved(removed));
        return removed;
    }

    /** Puts {@code object} at {@code index} in the image's drawing order (index = size appends). */
    public void insertObject(String imagePath, int index, AnnotatedObject object) {
        synchronized (this) {
            ImageRecord img = requireImage(imagePath);
            checkObject(img, object);
            if (objectIds.contains(object.id())) {
                throw new IllegalArgumentException("object id " + object.id() + " is already in the project");
            }
            if (index < 0 || index > img.objects().size()) {
                throw new IndexOutOfBoundsException("object index " + index + " outside 0.." + img.objects().size());
            }
            List<AnnotatedObject> objs = new ArrayList<>(img.objects());
            objs.add(index, object);
            images.put(imagePath, img.withObjects(objs));
            objectIds.add(object.id());
            nextObjectId = Math.max(nextObjectId, object.id() + 1);
        }
        fire(new ProjectChange.ObjectAdded(imagePath, index, object));
    }

    public AnnotatedObject removeObject(String imagePath, long id) {
        AnnotatedObject removed;
        int index;
        synchronized (this) {
            ImageRecord img = requireImage(imagePath);
            index = requireIndex(img, id);
            List<AnnotatedObject> objs = new ArrayList<>(img.objects());
            removed = objs.remove(index);
            images.put(imagePath, img.withObjects(objs));
            objectIds.remove(id);
        }
        fire(new ProjectChange.ObjectRemoved(imagePath, index, removed));
        return removed;
    }

    /** Replaces the object with the same id; returns the old value. */
    public AnnotatedObject replaceObject(String imagePath, AnnotatedObject object) {
        AnnotatedObject before;
        synchronized (this) {
            ImageRecord img = requireImage(imagePath);
            checkObject(img, object);
            int index = requireIndex(img, object.id());
            List<AnnotatedObject> objs = new ArrayList<>(img.objects());
            before = objs.set(index, object);
            images.put(imagePath, img.withObjects(objs));
        }
        fire(new ProjectChange.ObjectReplaced(imagePath, before, object));
        return before;
    }

    public void insertLabel(int index, Label label) {
        synchronized (this) {
            if (findLabel(label.name()) >= 0) {
                throw new IllegalArgumentException("label '" + label.name() + "' already exists");
            }
            if (index < 0 || index > labels.size()) {
                throw new IndexOutOfBoundsException("label index " + index + " outside 0.." + labels.size());
            }
            labels.add(index, label);
        }
        fire(new ProjectChange.LabelAdded(index, label));
    }

    /** Removes an unused label (undo of an add); a label still on objects is refused. */
    public Label removeLabel(String name) {
        Label removed;
        int index;
        synchronized (this) {
            index = requireLabel(name);
            for (ImageRecord img : images.values()) {
                for (AnnotatedObject o : img.objects()) {
                    if (o.label().equals(name)) {
                        throw new IllegalStateException("label '" + name + "' is still used by object " + o.id() + " on " + img.path());
                    }
                }
            }
            removed = labels.remove(index);
        }
        fire(new ProjectChange.LabelRemoved(index, removed));
        return removed;
    }

    /** Renames and/or recolours a label; objects carrying the old name get the new one. Returns the old label. */
    public Label replaceLabel(String name, Label after) {
        Label before;
        synchronized (this) {
            int index = requireLabel(name);
            if (!after.name().equals(name) && findLabel(after.name()) >= 0) {
                throw new IllegalArgumentException("label '" + after.name() + "' already exists");
            }
            before = labels.set(index, after);
            if (!after.name().equals(name)) {
                for (Map.Entry<String, ImageRecord> e : images.entrySet()) {
                    List<AnnotatedObject> objs = new ArrayList<>(e.getValue().objects());
                    objs.replaceAll(o -> o.label().equals(name) ? o.withLabel(after.name()) : o);
                    e.setValue(e.getValue().withObjects(objs));
                }
            }
        }
        fire(new ProjectChange.LabelChanged(before, after));
        return before;
    }

    public ImageStatus setStatus(String imagePath, ImageStatus status) {
        ImageStatus before;
        synchronized (this) {
            ImageRecord img = requireImage(imagePath);
            before = img.status();
            images.put(imagePath, img.withStatus(Objects.requireNonNull(status)));
        }
        fire(new ProjectChange.ImageStatusChanged(imagePath, before, status));
        return before;
    }

    // ---- checks ----

    private void checkObject(ImageRecord img, AnnotatedObject o) {
        if (findLabel(o.label()) < 0) {
            throw new IllegalArgumentException("object " + o.id() + " on " + img.path() + " has label '" + o.label()
                    + "', which is not in the project's labels");
        }
        CocoRle m = o.mask();
        if (m.width() != img.width() || m.height() != img.height()) {
            throw new IllegalArgumentException("object " + o.id() + " mask is " + m.width() + "x" + m.height()
                    + " but image " + img.path() + " is " + img.width() + "x" + img.height());
        }
    }

    private ImageRecord requireImage(String path) {
        ImageRecord img = images.get(path);
        if (img == null) {
            throw new IllegalArgumentException("image " + path + " is not in the project");
        }
        return img;
    }

    private static int requireIndex(ImageRecord img, long id) {
        int i = img.indexOf(id);
        if (i < 0) {
            throw new IllegalArgumentException("object " + id + " is not on image " + img.path());
        }
        return i;
    }

    private int findLabel(String name) {
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private int requireLabel(String name) {
        int i = findLabel(name);
        if (i < 0) {
            throw new IllegalArgumentException("label '" + name + "' is not in the project");
        }
        return i;
    }

    private void fire(ProjectChange change) {
        for (ProjectListener l : listeners) {
            l.projectChanged(change);
        }
    }
}
