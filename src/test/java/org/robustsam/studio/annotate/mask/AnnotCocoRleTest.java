package org.robustsam.studio.annotate.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** COCO RLE against cases worked out by hand from pycocotools' rules (column-major, zeros first, delta + 5-bit string). */
class AnnotCocoRleTest {
    /** Builds a mask from rows of '#' (set) and '.' (clear). */
    static BinaryMask mask(String... rows) {
        BinaryMask m = new BinaryMask(rows[0].length(), rows.length);
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[y].length(); x++) {
                m.set(x, y, rows[y].charAt(x) == '#');
            }
        }
        return m;
    }

    @Test
    void readsColumnByColumnStartingWithZeros() {
        // Columns top to bottom: col0 = 0,0; col1 = 1,1; col2 = 1,0 -> 0 0 1 1 1 0 -> runs 2,3,1.
        CocoRle rle = CocoRle.encode(mask(".##", ".#."));
        assertArrayEquals(new int[] {2, 3, 1}, rle.counts());
        assertEquals(2, rle.height());
        assertEquals(3, rle.width());
        assertEquals("231", rle.toCompressedString());
        assertEquals(3, rle.area());
        assertEquals(new PixelBox(1, 0, 2, 2), rle.bbox());
    }

    @Test
    void aSetFirstPixelGivesALeadingZeroRun() {
        assertArrayEquals(new int[] {0, 4}, CocoRle.encode(mask("##", "##")).counts());
        assertEquals("04", CocoRle.encode(mask("##", "##")).toCompressedString());
        assertArrayEquals(new int[] {4}, CocoRle.encode(mask("..", "..")).counts());
        assertEquals("4", CocoRle.encode(mask("..", "..")).toCompressedString());
        assertNull(CocoRle.encode(mask("..", "..")).bbox());
    }

    @Test
    void compressedStringUsesDeltasSignAndContinuationBits() {
        // 10x10: columns 0-3 full (40), column 4 rows 0-4 clear (5), rows 5-9 + column 5 rows 0-4 set (10), rest clear (45).
        BinaryMask m = new BinaryMask(10, 10);
        for (int x = 0; x < 4; x++) {
            for (int y = 0; y < 10; y++) {
                m.set(x, y, true);
            }
        }
        for (int y = 5; y < 10; y++) {
            m.set(4, y, true);
        }
        for (int y = 0; y < 5; y++) {
            m.set(5, y, true);
        }
        CocoRle rle = CocoRle.encode(m);
        assertArrayEquals(new int[] {0, 40, 5, 10, 45}, rle.counts());
        // 0 -> "0"; 40 -> groups 8 (+0x20 more) and 1 -> "X1"; 5 -> "5";
        // 10 - 40 = -30 -> groups 2 (+0x20) and 31 (sign bit 0x10 set, stop) -> "RO"; 45 - 5 = 40 -> "X1".
        assertEquals("0X15ROX1", rle.toCompressedString());
        CocoRle back = CocoRle.fromCompressedString(10, 10, "0X15ROX1");
        assertEquals(rle, back);
        assertEquals(m, back.decode());
        assertEquals(50, back.area());
        assertEquals(new PixelBox(0, 0, 6, 10), back.bbox());
    }

    @Test
    void randomMasksRoundTripThroughCountsAndStrings() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int w = 1 + rnd.nextInt(40);
            int h = 1 + rnd.nextInt(40);
            double p = rnd.nextDouble();
            BinaryMask m = new BinaryMask(w, h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    m.set(x, y, rnd.nextDouble() < p);
                }
            }
            CocoRle rle = CocoRle.encode(m);
            assertEquals(m, rle.decode());
            assertEquals(m.area(), rle.area());
            assertEquals(m.bbox(), rle.bbox());
            assertEquals(rle, CocoRle.fromCompressedString(h, w, rle.toCompressedString()));
            assertEquals(rle, CocoRle.of(h, w, rle.counts()));
        }
    }

    @Test
    void largeRunsSurviveTheStringForm() {
        // A 3000x4000 mask with one long run exercises multi-group numbers and big deltas.
        int[] counts = {5_000_000, 7_000_000};
        CocoRle rle = CocoRle.of(3000, 4000, counts);
        assertEquals(rle, CocoRle.fromCompressedString(3000, 4000, rle.toCompressedString()));
    }

    @Test
    void countsThatOverflowOrUnderfillTheMaskAreRefused() {
        MaskFormatException over = assertThrows(MaskFormatException.class, () -> CocoRle.of(2, 2, new int[] {1, 2, 3}));
        assertTrue(over.getMessage().contains("overflow the 2x2 mask") && over.getMessage().contains("6 of 4"), over.getMessage());
        MaskFormatException under = assertThrows(MaskFormatException.class, () -> CocoRle.of(2, 2, new int[] {1, 2}));
        assertEquals("RLE counts cover 3 pixels but the 2x2 mask has 4", under.getMessage());
        MaskFormatException negative = assertThrows(MaskFormatException.class, () -> CocoRle.of(2, 2, new int[] {3, -1, 2}));
        assertEquals("RLE count 1 is negative (-1)", negative.getMessage());
        MaskFormatException size = assertThrows(MaskFormatException.class, () -> CocoRle.of(-2, 2, new int[] {}));
        assertTrue(size.getMessage().contains("negative"), size.getMessage());
        // "04" is 4 pixels: too many for a 1x1 mask.
        assertThrows(MaskFormatException.class, () -> CocoRle.fromCompressedString(1, 1, "04"));
    }

    @Test
    void brokenStringsAreRefusedWithThePosition() {
        MaskFormatException cut = assertThrows(MaskFormatException.class, () -> CocoRle.fromCompressedString(10, 10, "0X"));
        assertTrue(cut.getMessage().contains("ends in the middle of a number"), cut.getMessage());
        MaskFormatException bad = assertThrows(MaskFormatException.class, () -> CocoRle.fromCompressedString(10, 10, "0 1"));
        assertTrue(bad.getMessage().contains("invalid character ' ' at position 1"), bad.getMessage());
        // Deltas that make a count negative: 10, 40, 5, then -45 relative to 40 gives -5.
        MaskFormatException neg = assertThrows(MaskFormatException.class,
                () -> CocoRle.fromCompressedString(10, 10, "0X15" + encodeOne(-45)));
        assertTrue(neg.getMessage().contains("not a valid pixel count"), neg.getMessage());
    }

    /** The string form of one value as the encoder writes it (first three counts are not deltas). */
    private static String encodeOne(long x) {
        StringBuilder s = new StringBuilder();
        boolean more = true;
        while (more) {
            int c = (int) (x & 0x1f);
            x >>= 5;
            more = (c & 0x10) != 0 ? x != -1 : x != 0;
            s.append((char) ((more ? c | 0x20 : c) + 48));
        }
        return s.toString();
    }
}
