package org.robustsam.studio.inference;

/**
 * Masks for one prompt: C candidates (3 with multimask, else 1) at the original image size, as
 * 0/1 bytes row-major, with the model's predicted IoU for each and the low-res logits
 * {@code [1, 256, 256]} that can be fed back as the next prompt's mask input.
 */
public record MaskPrediction(int width, int height, byte[][] masks, float[] iouScores, FloatTensor[] lowResLogits) {
    public MaskPrediction {
        if (masks.length != iouScores.length || masks.length != lowResLogits.length) {
            throw new IllegalArgumentException("need one score and one logit map per mask");
        }
        for (byte[] m : masks) {
            if (m.length != width * height) {
                throw new IllegalArgumentException("mask has " + m.length + " pixels, expected " + width * height);
            }
        }
    }

    public int count() {
        return masks.length;
    }

    /** Index of the candidate with the highest predicted IoU. */
    public int best() {
        int b = 0;
        for (int i = 1; i < iouScores.length; i++) {
            if (iouScores[i] > iouScores[b]) {
                b = i;
            }
        }
        return b;
    }

    public long area(int candidate) {
        long a = 0;
        for (byte v : masks[candidate]) {
            a += v;
        }
        return a;
    }
}
