package org.robustsam.studio.assess;

/**
 * Edge sharpness by direction and scale, from how fast luma differences grow with distance: for a
 * direction d, {@code R = 4 E[(Y(p+d) - Y(p))^2] / E[(Y(p+2d) - Y(p))^2]}. A step edge gives 2,
 * an edge spread over many pixels 1, white noise (or pixels scattered at random) 4. Measured on
 * four levels of a halving pyramid: a blur w pixels wide pulls R towards 1 at the levels finer
 * than w and leaves coarser ones near 2 (natural photos look alike at every scale), so how many
 * levels are soft says how wide the blur is. The noise measured elsewhere is subtracted from both
 * energies first ({@code sigma / 2^level} at a level), so a noisy photo does not look sharp.
 * Four directions (0, 45, 90, 135 degrees): motion blur lowers R along its direction only.
 *
 * <p>Also the radial signature of zoom blur: copies of the image enlarged about its centre smear
 * edges along the rays from the centre, so away from the centre luma changes less along the ray
 * than across it. {@code radialLoss = ln(E[g_tangential^2] / E[g_radial^2])}, weighted by the
 * distance from the centre; about 0 for any photo whose edges have no reason to line up with rays.
 */
final class SharpnessMeter {
    static final int LEVELS = 4;
    /** Directions in degrees, counter-clockwise on screen. */
    static final int[] ANGLES = {0, 45, 90, 135};

    /**
     * @param ratios [level][direction] R, direction order of {@link #ANGLES}
     * @param radialLoss zoom-blur signature (see the class comment) at levels 1, 2 and 3: a zoom
     *     that moves edges further shows at coarser levels too
     */
    record Sharpness(double[][] ratios, double[] radialLoss) {
        double mean(int level) {
            double s = 0;
            for (double r : ratios[level]) {
                s += r;
            }
            return s / ratios[level].length;
        }

        double min(int level) {
            double m = Double.MAX_VALUE;
            for (double r : ratios[level]) {
                m = Math.min(m, r);
            }
            return m;
        }

        /** The direction blurred most (lowest ratio) at the finest level, in degrees. */
        int smoothestAngle() {
            int best = 0;
            for (int k = 1; k < ANGLES.length; k++) {
                if (ratios[0][k] < ratios[0][best]) {
                    best = k;
                }
            }
            return ANGLES[best];
        }
    }

    private SharpnessMeter() {}

    static Sharpness measure(WorkingPlanes p, double noiseSigma) {
        Pyramid pyr = Pyramid.of(p.y, p.width, p.height, LEVELS);
        double[][] ratios = new double[LEVELS][];
        for (int level = 0; level < LEVELS; level++) {
            int l = Math.min(level, pyr.levels() - 1);
            ratios[level] = ratios(pyr.planes[l], pyr.widths[l], pyr.heights[l], noiseSigma / (1 << l));
        }
        double[] radial = new double[3];
        for (int k = 0; k < radial.length; k++) {
            int l = Math.min(k + 1, pyr.levels() - 1);
            radial[k] = radialLoss(pyr.planes[l], pyr.widths[l], pyr.heights[l]);
        }
        return new Sharpness(ratios, radial);
    }

    static double[] ratios(float[] y, int w, int h, double noiseSigma) {
        double[] e1 = new double[4];
        double[] e2 = new double[4];
        long count = 0;
        for (int yy = 2; yy < h - 2; yy++) {
            int row = yy * w;
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
            for (int xx = 2; xx < w - 2; xx++) {
                int i = row + xx;
                float c = y[i];
                float d = y[i + 1] - c;
                a0 += d * d;
                d = y[i + 2] - c;
                b0 += d * d;
                d = y[i + 1 - w] - c;
                a1 += d * d;
                d = y[i + 2 - 2 * w] - c;
                b1 += d * d;
                d = y[i - w] - c;
                a2 += d * d;
                d = y[i - 2 * w] - c;
                b2 += d * d;
                d = y[i - 1 - w] - c;
                a3 += d * d;
                d = y[i - 2 - 2 * w] - c;
                b3 += d * d;
            }
            e1[0] += a0;
            e1[1] += a1;
            e1[2] += a2;
            e1[3] += a3;
            e2[0] += b0;
            e2[1] += b1;
            e2[2] += b2;
            e2[3] += b3;
            count += Math.max(0, w - 4);
        }
        double[] r = new double[4];
        double noise = 2 * noiseSigma * noiseSigma;
        for (int k = 0; k < 4; k++) {
            double m1 = Math.max(0, e1[k] / Math.max(1, count) - noise);
            double m2 = Math.max(0, e2[k] / Math.max(1, count) - noise);
            r[k] = m2 <= 1e-6 ? 2.0 : Math.min(4.0, 4 * m1 / m2);
        }
        return r;
    }

    static double radialLoss(float[] y, int w, int h) {
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double maxR = Math.hypot(cx, cy);
        double radial = 0;
        double tangential = 0;
        for (int yy = 1; yy < h - 1; yy++) {
            int row = yy * w;
            double dy0 = yy - cy;
            for (int xx = 1; xx < w - 1; xx++) {
                double dx0 = xx - cx;
                double r = Math.sqrt(dx0 * dx0 + dy0 * dy0);
                if (r < 1) {
                    continue;
                }
                int i = row + xx;
                double gx = 0.5 * (y[i + 1] - y[i - 1]);
                double gy = 0.5 * (y[i + w] - y[i - w]);
                double ux = dx0 / r;
                double uy = dy0 / r;
                double gr = gx * ux + gy * uy;
                double gt = gy * ux - gx * uy;
                double weight = r / maxR;
                radial += weight * gr * gr;
                tangential += weight * gt * gt;
            }
        }
        return radial <= 0 || tangential <= 0 ? 0 : Math.log(tangential / radial);
    }
}
