package org.robustsam.studio.assess;

/**
 * Fog and haze by the dark-channel prior (He, Sun and Tang 2009): in a clear photo almost every
 * patch has some pixel dark in some channel (shadows, colourful or dark objects); fog lays a
 * bright veil over everything and lifts that minimum. The darkest channel is taken over 8 x 8
 * blocks of the working planes, then over 3 x 3 blocks (patches of about 24 px), and averaged.
 */
final class HazeMeter {
    static final int BLOCK = 8;

    /** @param darkChannel mean patch minimum of min(R, G, B), 0..255 */
    record Haze(double darkChannel) {}

    private HazeMeter() {}

    static Haze measure(WorkingPlanes p) {
        int bw = Math.max(1, p.width / BLOCK);
        int bh = Math.max(1, p.height / BLOCK);
        float[] blockMin = new float[bw * bh];
        java.util.Arrays.fill(blockMin, 255f);
        int w = p.width;
        for (int yy = 0; yy < Math.min(p.height, bh * BLOCK); yy++) {
            int brow = (yy / BLOCK) * bw;
            int row = yy * w;
            for (int xx = 0; xx < Math.min(w, bw * BLOCK); xx++) {
                float d = p.darkest[row + xx];
                int b = brow + xx / BLOCK;
                if (d < blockMin[b]) {
                    blockMin[b] = d;
                }
            }
        }
        double sum = 0;
        for (int by = 0; by < bh; by++) {
            for (int bx = 0; bx < bw; bx++) {
                float m = 255f;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = by + dy;
                    if (yy < 0 || yy >= bh) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = bx + dx;
                        if (xx >= 0 && xx < bw) {
                            m = Math.min(m, blockMin[yy * bw + xx]);
                        }
                    }
                }
                sum += m;
            }
        }
        return new Haze(sum / (bw * bh));
    }
}
