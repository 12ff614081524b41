package org.robustsam.studio.degrade;

import org.robustsam.studio.image.RgbImage;

/**
 * One of the 15 Robust-Seg degradations (RobustSAM, CVPR 2024; reference {@code data/augment.py}).
 *
 * <p>Severity runs 1..5: level {@value #REFERENCE_SEVERITY} uses the reference parameters, lower
 * levels are milder and higher ones stronger. Parameters are drawn from a per-level range with the
 * same random draw at every level, so for a fixed seed a higher level is stronger (strictly so for
 * the parameter; the visible change can saturate, and colour jitter's hue turn wraps around). The
 * result depends only on (image, severity, seed): the same arguments give the same pixels on every
 * platform and thread count. The input image is never modified. Implementations are stateless and
 * thread-safe.
 */
public interface Degradation {
    int MIN_SEVERITY = 1;
    int MAX_SEVERITY = 5;
    /** The level that reproduces the reference parameters of {@code augment.py}. */
    int REFERENCE_SEVERITY = 3;

    /** Registry id, as in the reference's {@code degraded_dict} (lower case): {@code gauss_noise}. */
    String id();

    /** Human-readable name for labels and tables: "Gaussian noise". */
    String name();

    /**
     * A degraded copy of {@code image}, same size.
     *
     * @param severity 1..5; 3 = reference parameters
     * @param seed any value; equal seeds give equal pixels
     * @throws IllegalArgumentException for a severity outside 1..5
     */
    RgbImage apply(RgbImage image, int severity, long seed);

    /** Returns {@code severity} if it is in 1..5, else throws with the value received. */
    static int checkSeverity(int severity) {
        if (severity < MIN_SEVERITY || severity > MAX_SEVERITY) {
            throw new IllegalArgumentException("severity must be " + MIN_SEVERITY + ".." + MAX_SEVERITY + ", got " + severity);
        }
        return severity;
    }
}
