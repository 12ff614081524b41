package org.robustsam.studio.annotate.mask;

import java.util.Arrays;

/**
 * Run-length encoded mask in COCO's convention, so files interoperate with pycocotools:
 * pixels are read column by column (Fortran order: down the first column, then the second, ...),
 * runs alternate 0,1,0,1,... and always start with a run of zeros (of length 0 when the first
 * pixel is set). {@code height} comes first, as in COCO's {@code "size": [h, w]}.
 *
 * <p>Immutable; the counts array is never handed out.
 */
public final class CocoRle {
    private final int height;
    private final int width;
    private final int[] counts;

    private CocoRle(int height, int width, int[] counts) {
        this.height = height;
        this.width = width;
        this.counts = counts;
    }

    /** Validated RLE: counts must be non-negative and cover exactly height x width pixels. */
    public static CocoRle of(int height, int width, int[] counts) {
        if (height < 0 || width < 0) {
            throw new MaskFormatException("RLE size must not be negative, got [h=" + height + ", w=" + width + "]");
        }
        long total = (long) height * width;
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new MaskFormatException("RLE count " + i + " is negative (" + counts[i] + ")");
            }
            sum += counts[i];
            if (sum > total) {
                throw new MaskFormatException("RLE counts overflow the " + height + "x" + width + " mask: the first "
                        + (i + 1) + " run(s) already cover " + sum + " of " + total + " pixels");
            }
        }
        if (sum != total) {
            throw new MaskFormatException("RLE counts cover " + sum + " pixels but the " + height + "x" + width
                    + " mask has " + total);
        }
        return new CocoRle(height, width, counts.clone());
    }

    public static CocoRle encode(BinaryMask mask) {
        int h = mask.height();
        int w = mask.width();
        int[] runs = new int[16];
        int n = 0;
        boolean current = false; // COCO starts with a run of zeros
        int run = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                boolean v = mask.get(x, y);
                if (v != current) {
                    if (n == runs.length) {
                        runs = Arrays.copyOf(runs, n * 2);
                    }
                    runs[n++] = run;
                    current = v;
                    run = 0;
                }
                run++;
            }
        }
        if (n == runs.length) {
            runs = Arrays.copyOf(runs, n + 1);
        }
        runs[n++] = run;
        if (h * w == 0) {
            n = 0; // pycocotools writes no counts for an empty-size mask
        }
        return new CocoRle(h, w, Arrays.copyOf(runs, n));
    }

    public BinaryMask decode() {
        BinaryMask mask = new BinaryMask(width, height);
        long pos = 0;
        for (int i = 0; i < counts.length; i++) {
            if (i % 2 == 1) {
                for (long p = pos; p < pos + counts[i]; p++) {
                    mask.set((int) (p / height), (int) (p % height), true);
                }
            }
            pos += counts[i];
        }
        return mask;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int[] counts() {
        return counts.clone();
    }

    /** Number of set pixels: the sum of the odd (ones) runs. */
    public long area() {
        long a = 0;
        for (int i = 1; i < counts.length; i += 2) {
            a += counts[i];
        }
        return a;
    }

    /** Tight pixel box, or null for an empty mask. */
    public PixelBox bbox() {
        return decode().bbox();
    }

    /**
     * The compact string pycocotools writes in {@code "counts"}: each count (from the fourth on,
     * as the difference to the count two before) is cut into 5-bit groups, least significant
     * first; bit 0x20 says another group follows, bit 0x10 of the last group carries the sign,
     * and each group is written as the character {@code '0' + group}.
     */
    public String toCompressedString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                // Stop once the rest is pure sign extension of the group just written.
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    /** Parses the pycocotools string form; rejects characters outside '0'..'o' and cut-off numbers. */
    public static CocoRle fromCompressedString(int height, int width, String s) {
        int[] out = new int[Math.max(4, s.length())];
        int m = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new MaskFormatException("RLE counts string ends in the middle of a number (at character " + p + ")");
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new MaskFormatException("RLE counts string has an invalid character '" + s.charAt(p)
                            + "' at position " + p + " (allowed: '0' to 'o')");
                }
                if (k >= 12) {
                    throw new MaskFormatException("RLE counts string has a number too long to be a pixel count (at character " + p + ")");
                }
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (m > 2) {
                x += out[m - 2];
            }
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw new MaskFormatException("RLE count " + m + " decodes to " + x + ", not a valid pixel count");
            }
            out[m++] = (int) x;
        }
        return of(height, width, Arrays.copyOf(out, m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CocoRle r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "CocoRle[h=" + height + ", w=" + width + ", " + counts.length + " runs, area " + area() + "]";
    }
}
