package org.robustsam.studio.hardening;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * PNG files written byte by byte, for the colour types and bit depths no Java encoder writes on
 * request: 16-bit RGB and RGBA, palettes of 1 to 8 bits (with transparency), grey of 1 to 16 bits
 * with or without alpha. Scanlines use filter 0; samples are packed big-endian as the PNG spec says.
 */
final class PngBytes {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private PngBytes() {
        bytes.writeBytes(SIGNATURE);
    }

    /**
     * A whole image. {@code samples[y][x][c]} holds channel c of pixel (x, y) at {@code bitDepth} bits.
     * Colour types: 0 grey, 2 RGB, 3 palette (one index channel), 4 grey + alpha, 6 RGBA.
     */
    static byte[] image(int colorType, int bitDepth, int[][][] samples, byte[] plte, byte[] trns) {
        int h = samples.length;
        int w = samples[0].length;
        PngBytes png = new PngBytes();
        png.chunk("IHDR", ihdr(w, h, bitDepth, colorType));
        if (plte != null) {
            png.chunk("PLTE", plte);
        }
        if (trns != null) {
            png.chunk("tRNS", trns);
        }
        png.chunk("IDAT", deflate(scanlines(samples, bitDepth)));
        png.chunk("IEND", new byte[0]);
        return png.bytes.toByteArray();
    }

    /** Only a header: a PNG that claims {@code width x height} but holds no pixel data. */
    static byte[] headerOnly(int width, int height) {
        PngBytes png = new PngBytes();
        png.chunk("IHDR", ihdr(width, height, 8, 2));
        png.chunk("IEND", new byte[0]);
        return png.bytes.toByteArray();
    }

    /** A plausible header plus a tiny IDAT: the body is far too short for the size the header gives. */
    static byte[] hugeHeaderTinyBody(int width, int height) {
        PngBytes png = new PngBytes();
        png.chunk("IHDR", ihdr(width, height, 8, 2));
        png.chunk("IDAT", deflate(new byte[64]));
        png.chunk("IEND", new byte[0]);
        return png.bytes.toByteArray();
    }

    /** A real (decodable) 8-bit grey PNG of {@code w x h} black pixels, compressed row by row. */
    static byte[] grayZeros(int w, int h) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] row = new byte[w + 1]; // filter byte 0, then w zero samples
        try (DeflaterOutputStream z = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
            for (int y = 0; y < h; y++) {
                z.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PngBytes png = new PngBytes();
        png.chunk("IHDR", ihdr(w, h, 8, 0));
        png.chunk("IDAT", compressed.toByteArray());
        png.chunk("IEND", new byte[0]);
        return png.bytes.toByteArray();
    }

    static byte[] ihdr(int w, int h, int bitDepth, int colorType) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        try {
            d.writeInt(w);
            d.writeInt(h);
            d.writeByte(bitDepth);
            d.writeByte(colorType);
            d.writeByte(0); // deflate
            d.writeByte(0); // adaptive filtering
            d.writeByte(0); // not interlaced
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static byte[] scanlines(int[][][] samples, int bitDepth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[][] row : samples) {
            out.write(0); // filter: none
            int acc = 0;
            int bits = 0;
            for (int[] px : row) {
                for (int s : px) {
                    if (bitDepth == 16) {
                        out.write(s >> 8);
                        out.write(s);
                    } else if (bitDepth == 8) {
                        out.write(s);
                    } else {
                        acc = (acc << bitDepth) | s;
                        bits += bitDepth;
                        if (bits == 8) {
                            out.write(acc);
                            acc = 0;
                            bits = 0;
                        }
                    }
                }
            }
            if (bits > 0) {
                out.write(acc << (8 - bits)); // pad the last byte of the row
            }
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(b, new Deflater(Deflater.BEST_SPEED))) {
            z.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private void chunk(String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeInt(data.length);
            out.write(t);
            out.write(data);
            CRC32 crc = new CRC32();
            crc.update(t);
            crc.update(data);
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
