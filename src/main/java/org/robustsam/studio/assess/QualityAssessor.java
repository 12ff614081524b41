package org.robustsam.studio.assess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.robustsam.studio.image.RgbImage;

/**
 * The degradation advisor's estimator: which Robust-Seg degradation families a photo shows and how
 * strongly, from classical single-image measurements (no reference photo, no model):
 * <ul>
 *   <li>noise: Immerkær's residual in the flattest blocks, luma and colour ({@link NoiseMeter});</li>
 *   <li>blur: how fast differences grow with distance, by direction and scale, pixel scatter, and
 *       the radial signature of zoom blur ({@link SharpnessMeter});</li>
 *   <li>compression: the 8 x 8 block grid ({@link BlockinessMeter});</li>
 *   <li>light and contrast: histogram statistics and tone-curve marks ({@link ToneMeter});</li>
 *   <li>weather: the dark-channel prior for fog and rain's veil ({@link HazeMeter}) and bright
 *       colourless blobs for snow ({@link ParticleMeter}).</li>
 * </ul>
 * Measured at SAM's input scale (longest side at most 1024, by block averaging), in one pass per
 * meter over primitive arrays; about 45-50 ms for a 1024 x 1024 photo, single-threaded (see
 * {@code studio bench --assess}). Stateless and thread-safe.
 */
public final class QualityAssessor {
    /** A family counts as present from this score on; below it on every family the photo is clean. */
    public static final double PRESENT = 0.3;

    public QualityReport assess(RgbImage image) {
        Meters m = Meters.measure(image);
        Map<DegradationFamily, Double> scores = FamilyScores.of(m);
        double quality = 1;
        DegradationFamily dominant = null;
        double best = 0;
        for (Map.Entry<DegradationFamily, Double> e : scores.entrySet()) {
            quality *= 1 - e.getValue();
            if (e.getValue() > best) {
                best = e.getValue();
                dominant = e.getKey();
            }
        }
        return new QualityReport(scores, quality, best >= PRESENT ? dominant : null, measurements(m));
    }

    private static List<Measurement> measurements(Meters m) {
        List<Measurement> out = new ArrayList<>();
        out.add(new Measurement("noise_luma", "Luma noise (flat areas)", m.noise().luma(), "grey levels"));
        out.add(new Measurement("noise_chroma", "Colour noise (flat areas)", m.noise().chroma(), "grey levels"));
        out.add(new Measurement("sharpness", "Edge sharpness (1 blurred .. 2 sharp)", m.sharpness().mean(0), "ratio"));
        out.add(new Measurement("sharpness_coarse", "Edge sharpness at 1/4 scale", m.sharpness().mean(2), "ratio"));
        out.add(new Measurement("blur_direction", "Most blurred direction", m.sharpness().smoothestAngle(), "degrees"));
        out.add(new Measurement("scatter", "Pixel scatter (frosted glass)", FamilyScores.scatter(m), ""));
        out.add(new Measurement("zoom", "Radial smear (zoom blur)", FamilyScores.zoom(m), ""));
        out.add(new Measurement("blockiness", "8 x 8 blockiness (1 = none)",
                Math.sqrt(m.blockiness().horizontal() * m.blockiness().vertical()), "ratio"));
        out.add(new Measurement("mean_luma", "Mean brightness", m.tone().meanLuma(), "grey levels"));
        out.add(new Measurement("highlight", "Highlights (99.5th percentile)", m.tone().highlight(), "grey levels"));
        out.add(new Measurement("shadow", "Shadows (0.5th percentile)", m.tone().shadow(), "grey levels"));
        out.add(new Measurement("clipped_high", "Clipped to white", 100 * m.tone().clippedHigh(), "%"));
        out.add(new Measurement("clipped_low", "Clipped to black", 100 * m.tone().clippedLow(), "%"));
        out.add(new Measurement("histogram_gaps", "Tone-curve gaps in the histogram", 100 * m.tone().gaps(), "%"));
        out.add(new Measurement("histogram_peaks", "Tone-curve peaks in the histogram", 100 * m.tone().peaks(), "%"));
        out.add(new Measurement("dark_channel", "Dark channel (haze veil)", m.haze().darkChannel(), "grey levels"));
        out.add(new Measurement("flakes", "Bright colourless blobs", m.flakes(), "per 1000 px"));
        return out;
    }
}
