package org.robustsam.studio.eval;

/** The measures reported per model in the table, in column order. */
public enum EvalMetric {
    IOU("IoU", "iou"),
    DICE("Dice", "dice"),
    PIXEL_ACCURACY("Acc", "accuracy"),
    BOUNDARY_F("BF", "boundary_f");

    private final String title;
    private final String id;

    EvalMetric(String title, String id) {
        this.title = title;
        this.id = id;
    }

    /** Column heading: "IoU", "Dice", "Acc", "BF". */
    public String title() {
        return title;
    }

    /** File-name form: "iou", "boundary_f". */
    public String id() {
        return id;
    }

    public double of(EvalCase c) {
        return switch (this) {
            case IOU -> c.iou();
            case DICE -> c.dice();
            case PIXEL_ACCURACY -> c.pixelAccuracy();
            case BOUNDARY_F -> c.boundaryF();
        };
    }
}
