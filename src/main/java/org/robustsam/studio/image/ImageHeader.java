package org.robustsam.studio.image;

/** What can be learned about an image without decoding its pixels. */
public record ImageHeader(int width, int height, String format) {
    public long pixels() {
        return (long) width * height;
    }
}
