package org.robustsam.studio.degrade;

import java.nio.charset.StandardCharsets;

/**
 * The one random source of the degradations: SplitMix64 (Steele, Lea, Flood 2014), written out here
 * so that a seed gives the same numbers on every JVM, platform and Java version. Only integer
 * arithmetic and {@link StrictMath} are used, never {@code Math.log}/{@code Math.exp} (which may
 * differ in the last bit between CPUs).
 *
 * <p>Work split over threads takes one stream per image row ({@link #forRow}), so results do not
 * depend on how many threads ran or in which order.
 */
final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** The stream for per-image parameter draws of one degradation. */
    static Rng forImage(long seed, long salt) {
        return new Rng(mix(seed ^ mix(salt)));
    }

    /** An independent stream for row {@code row} of purpose {@code stream} (noise plane, layer, ...). */
    static Rng forRow(long seed, long salt, int stream, int row) {
        return new Rng(mix(mix(seed ^ mix(salt)) + mix(((long) stream << 32) ^ (row & 0xFFFFFFFFL)) * GOLDEN));
    }

    /** A stable 64-bit hash of a text (FNV-1a over UTF-8, then mixed), for salts and per-file seeds. */
    static long hash(String text) {
        long h = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return mix(h);
    }

    /** SplitMix64's finaliser: a bijective avalanche of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1), 53 bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in (0, 1): never 0, so it can go through a logarithm or an inverse CDF. */
    double nextOpenDouble() {
        return ((nextLong() >>> 12) + 0.5) * 0x1.0p-52;
    }

    /** Uniform in [0, 1), 24 bits, for per-pixel work where float precision suffices. */
    float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /**
     * Uniform integer in [0, bound): multiply-shift on 32 random bits (Lemire). The bias is below
     * bound / 2^32, far under anything visible in an image, and it needs no rejection loop.
     */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Standard normal via the inverse CDF (one uniform per sample, so streams stay aligned). */
    double nextGaussian() {
        return inverseNormalCdf(nextOpenDouble());
    }

    /**
     * Beta(1, b) by inversion: 1 - U^(1/b). Used for imgaug-style flake gating, where b may be 0
     * (density uniformity 1) and the distribution collapses to 1.
     */
    double nextBetaOneB(double b) {
        if (b <= 1e-9) {
            return 1.0;
        }
        return 1.0 - StrictMath.pow(nextOpenDouble(), 1.0 / b);
    }

    // Acklam's rational approximation of the normal quantile (relative error < 1.2e-9): a
    // polynomial ratio in the centre (pure arithmetic, so bit-identical everywhere) and a
    // log/sqrt form in the 2 x 2.4% tails.
    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    private static final double P_LOW = 0.02425;

    static double inverseNormalCdf(double p) {
        if (p < P_LOW) {
            return tail(StrictMath.sqrt(-2 * StrictMath.log(p)));
        }
        if (p > 1 - P_LOW) {
            return -tail(StrictMath.sqrt(-2 * StrictMath.log(1 - p)));
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
                / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }

    private static double tail(double q) {
        return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    }
}
