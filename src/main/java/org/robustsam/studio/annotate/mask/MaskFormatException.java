package org.robustsam.studio.annotate.mask;

/** Mask or polygon data that cannot describe a mask (bad RLE counts, too few polygon points). */
public final class MaskFormatException extends IllegalArgumentException {
    public MaskFormatException(String message) {
        super(message);
    }
}
