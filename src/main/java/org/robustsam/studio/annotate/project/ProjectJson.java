package org.robustsam.studio.annotate.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.robustsam.studio.annotate.mask.CocoRle;
import org.robustsam.studio.image.ImageLoader;
import org.robustsam.studio.inference.BuildInfo;

/**
 * The project file's JSON schema and its mapping to the model. The schema is spelled out as
 * records here (not by annotating the model) so a change to the file format is a visible change
 * to this class and a bump of {@link #SCHEMA_VERSION}.
 *
 * <pre>
 * { "schemaVersion": 1, "savedBy": "RobustSAM Studio 0.1.0", "nextObjectId": 3,
 *   "labels": [ {"name": "person", "color": "#800000"} ],
 *   "images": [ {"path": "a.jpg", "width": 500, "height": 375, "status": "done",
 *                "objects": [ {"id": 1, "label": "person",
 *                              "mask": {"size": [375, 500], "counts": "&lt;COCO compressed RLE&gt;"},
 *                              "prompts": {"points": [{"x": 10, "y": 20, "positive": true}], "box": [0, 0, 50, 60]},
 *                              "modelId": "robustsam_vit_b", "score": 0.93} ] } ] }
 * </pre>
 * Every field is required except {@code savedBy}, {@code prompts}, {@code modelId} and
 * {@code score}; unknown fields are refused (a newer writer must raise the version instead).
 */
final class ProjectJson {
    /** Bump when the file format changes; readers refuse versions above theirs. */
    static final int SCHEMA_VERSION = 1;

    /**
     * Strict on purpose: a second document after the first (two saves glued together) or 2.5 where a
     * whole number belongs is refused rather than silently cut to what fits.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** No image above the loader's ceiling can be opened, so a project claiming one is damaged. */
    static final long MAX_IMAGE_PIXELS = ImageLoader.DEFAULT_MAX_PIXELS;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FileJson(Integer schemaVersion, String savedBy, Long nextObjectId, List<LabelJson> labels, List<ImageJson> images) {}

    record LabelJson(String name, String color) {}

    record ImageJson(String path, Integer width, Integer height, String status, List<ObjectJson> objects) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ObjectJson(Long id, String label, RleJson mask, PromptsJson prompts, String modelId, Double score) {}

    record RleJson(int[] size, String counts) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PromptsJson(List<PointJson> points, double[] box) {}

    record PointJson(double x, double y, boolean positive) {}

    private ProjectJson() {}

    static byte[] write(ProjectSnapshot s) {
        List<LabelJson> labels = new ArrayList<>();
        for (Label l : s.labels()) {
            labels.add(new LabelJson(l.name(), l.color()));
        }
        List<ImageJson> images = new ArrayList<>();
        for (ImageRecord img : s.images()) {
            List<ObjectJson> objs = new ArrayList<>();
            for (AnnotatedObject o : img.objects()) {
                RleJson mask = new RleJson(new int[] {o.mask().height(), o.mask().width()}, o.mask().toCompressedString());
                objs.add(new ObjectJson(o.id(), o.label(), mask, toJson(o.prompts()), o.modelId(), o.score()));
            }
            images.add(new ImageJson(img.path(), img.width(), img.height(), img.status().fileValue(), objs));
        }
        FileJson file = new FileJson(SCHEMA_VERSION, "RobustSAM Studio " + BuildInfo.version(), s.nextObjectId(), labels, images);
        try {
            return JSON.writeValueAsBytes(file);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise project", e); // only plain records: a bug if it happens
        }
    }

    /** Parses and checks a project file's bytes; every problem is reported against {@code file}. */
    static ProjectSnapshot read(byte[] bytes, Path file) throws ProjectFileException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw located(file, "not valid JSON (" + JsonProblems.clean(e.getOriginalMessage()) + ")", e);
        } catch (IOException e) {
            throw new ProjectFileException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ProjectFileException(file, "file is empty, not a project");
        }
        checkVersion(root, file);
        FileJson json;
        try {
            json = JSON.readValue(bytes, FileJson.class);
        } catch (JsonProcessingException e) {
            throw located(file, describe(e), e);
        } catch (IOException e) {
            throw new ProjectFileException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            return toSnapshot(json);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProjectFileException(file, e.getMessage(), e);
        }
    }

    private static void checkVersion(JsonNode root, Path file) throws ProjectFileException {
        if (!root.isObject() || !root.has("schemaVersion")) {
            throw new ProjectFileException(file, "not a RobustSAM Studio project file (no \"schemaVersion\")");
        }
        JsonNode v = root.get("schemaVersion");
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ProjectFileException(file, "\"schemaVersion\" must be a whole number such as " + SCHEMA_VERSION
                    + ", found " + v);
        }
        int version = v.asInt();
        if (version > SCHEMA_VERSION) {
            throw new ProjectFileException(file, "written by a newer RobustSAM Studio (project schema version " + version
                    + "; this version reads up to " + SCHEMA_VERSION + "). Update the app to open it; the file was not changed.");
        }
        if (version < 1) {
            throw new ProjectFileException(file, "invalid project schema version " + version);
        }
    }

    private static ProjectSnapshot toSnapshot(FileJson f) {
        require(f.nextObjectId(), "nextObjectId");
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < require(f.labels(), "labels").size(); i++) {
            LabelJson l = require(f.labels().get(i), "labels[" + i + "]");
            try {
                labels.add(new Label(l.name(), l.color()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("labels[" + i + "]: " + e.getMessage());
            }
        }
        List<ImageRecord> images = new ArrayList<>();
        for (int i = 0; i < require(f.images(), "images").size(); i++) {
            ImageJson img = require(f.images().get(i), "images[" + i + "]");
            String where = "images[" + i + "]";
            String path = ProjectPaths.normalizeRelative(require(img.path(), where + ".path"));
            where += " (" + path + ")";
            int w = require(img.width(), where + ".width");
            int h = require(img.height(), where + ".height");
            if (w <= 0 || h <= 0) {
                throw new IllegalArgumentException(where + ": size must be positive, got " + w + "x" + h);
            }
            if ((long) w * h > MAX_IMAGE_PIXELS) {
                throw new IllegalArgumentException(where + ": size " + w + "x" + h + " is larger than any image this app opens ("
                        + MAX_IMAGE_PIXELS / 1_000_000 + " megapixels)");
            }
            ImageStatus status = ImageStatus.fromFileValue(require(img.status(), where + ".status"));
            List<AnnotatedObject> objects = new ArrayList<>();
            for (int k = 0; k < require(img.objects(), where + ".objects").size(); k++) {
                objects.add(toObject(require(img.objects().get(k), where + ".objects[" + k + "]"), where + ".objects[" + k + "]"));
            }
            images.add(new ImageRecord(path, w, h, status, objects));
        }
        return new ProjectSnapshot(labels, images, f.nextObjectId());
    }

    private static AnnotatedObject toObject(ObjectJson o, String where) {
        long id = require(o.id(), where + ".id");
        where += " (id " + id + ")";
        RleJson m = require(o.mask(), where + ".mask");
        int[] size = require(m.size(), where + ".mask.size");
        if (size.length != 2) {
            throw new IllegalArgumentException(where + ".mask.size must be [height, width], got " + size.length + " numbers");
        }
        CocoRle rle;
        try {
            rle = CocoRle.fromCompressedString(size[0], size[1], require(m.counts(), where + ".mask.counts"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".mask: " + e.getMessage());
        }
        try {
            return new AnnotatedObject(id, require(o.label(), where + ".label"), rle, fromJson(o.prompts()), o.modelId(), o.score());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static PromptsJson toJson(Prompts p) {
        if (p == null) {
            return null;
        }
        List<PointJson> points = p.points().stream().map(q -> new PointJson(q.x(), q.y(), q.positive())).toList();
        double[] box = p.box() == null ? null : new double[] {p.box().x0(), p.box().y0(), p.box().x1(), p.box().y1()};
        return new PromptsJson(points, box);
    }

    private static Prompts fromJson(PromptsJson p) {
        if (p == null) {
            return null;
        }
        List<Prompts.Point> points = p.points() == null ? List.of()
                : p.points().stream().map(q -> new Prompts.Point(q.x(), q.y(), q.positive())).toList();
        Prompts.Box box = null;
        if (p.box() != null) {
            if (p.box().length != 4) {
                throw new IllegalArgumentException("prompt box must be [x0, y0, x1, y1], got " + p.box().length + " numbers");
            }
            box = new Prompts.Box(p.box()[0], p.box()[1], p.box()[2], p.box()[3]);
        }
        return new Prompts(points, box);
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + what);
        }
        return value;
    }

    private static String describe(JsonProcessingException e) {
        String at = e instanceof JsonMappingException m ? jsonPath(m) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field \"" + u.getPropertyName() + "\"" + (at.isEmpty() ? "" : " at " + at);
        }
        return "unexpected value" + (at.isEmpty() ? "" : " at " + at) + " (" + JsonProblems.describe(e) + ")";
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                s.append(s.length() > 0 ? "." : "").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.toString();
    }

    private static ProjectFileException located(Path file, String problem, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            return new ProjectFileException(file, loc.getLineNr(), loc.getColumnNr(), problem, e);
        }
        return new ProjectFileException(file, problem, e);
    }
}
