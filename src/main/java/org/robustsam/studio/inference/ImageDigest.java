package org.robustsam.studio.inference;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.robustsam.studio.image.RgbImage;

/**
 * SHA-256 of an image's pixels and size. Keys caches by content, not by path: a renamed file hits
 * the cache, and a degraded working view (which has no file) gets its own entry.
 */
public final class ImageDigest {
    private ImageDigest() {}

    public static String of(RgbImage image) {
        MessageDigest sha = sha256();
        ByteBuffer buf = ByteBuffer.allocate(8 + 4 * 4096);
        buf.putInt(image.width()).putInt(image.height());
        int[] px = image.pixels();
        for (int p : px) {
            if (!buf.hasRemaining()) {
                sha.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putInt(p & 0xFFFFFF);
        }
        sha.update(buf.array(), 0, buf.position());
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
