package org.robustsam.studio.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.robustsam.studio.annotate.format.ImportBatch;
import org.robustsam.studio.annotate.format.ImportException;
import org.robustsam.studio.annotate.format.ImportedObject;
import org.robustsam.studio.annotate.format.LabelMeImporter;
import org.robustsam.studio.annotate.project.AnnotatedObject;

/** Ground truth for one photo from what the app has: the project's objects, or a LabelMe json beside the photo. */
public final class GroundTruthSources {
    private GroundTruthSources() {}

    /** The project's objects of a photo, in their order (empty masks left out). */
    public static List<GroundTruthObject> fromProject(List<AnnotatedObject> objects) {
        List<GroundTruthObject> out = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            AnnotatedObject o = objects.get(i);
            if (o.mask().area() > 0) {
                out.add(new GroundTruthObject(i + 1, o.label(), o.mask()));
            }
        }
        return out;
    }

    /**
     * The objects of {@code <stem>.json} beside the photo (labelme's layout), without ignore
     * regions; empty when there is no such file.
     *
     * @throws ImportException when the file is there but cannot be read (the message says why)
     */
    public static List<GroundTruthObject> besidePhoto(Path photo) throws ImportException {
        String name = photo.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path json = photo.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
        if (!Files.isRegularFile(json)) {
            return List.of();
        }
        ImportBatch batch = LabelMeImporter.read(json, photo.toAbsolutePath().getParent());
        List<GroundTruthObject> out = new ArrayList<>();
        int index = 0;
        for (ImportedObject o : batch.images().get(0).objects()) {
            index++;
            if (!o.label().equals(EvalDataset.IGNORE_LABEL)) {
                out.add(new GroundTruthObject(index, o.label(), o.mask()));
            }
        }
        return out;
    }

    /** Project objects when there are any, else the LabelMe json beside the photo (empty if unreadable too). */
    public static List<GroundTruthObject> forPhoto(List<AnnotatedObject> projectObjects, Path photo) {
        if (projectObjects != null && !projectObjects.isEmpty()) {
            return fromProject(projectObjects);
        }
        if (photo == null) {
            return List.of();
        }
        try {
            return besidePhoto(photo);
        } catch (ImportException e) {
            return List.of();
        }
    }
}
