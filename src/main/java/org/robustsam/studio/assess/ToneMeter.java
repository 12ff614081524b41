package org.robustsam.studio.assess;

/**
 * Exposure and tone from the full-resolution histograms: mean luma, the highlight level (99.5th
 * percentile of the brightest channel), clipped pixels at both ends, colour saturation, and the
 * marks a global 8-bit tone curve leaves in a histogram: empty bins where a gain above one spread
 * the levels apart ("gaps") and doubled bins where a gain below one merged them ("peaks")
 * (Stamm and Liu's contrast-enhancement evidence).
 */
final class ToneMeter {
    /**
     * @param meanLuma mean Rec. 601 luma of the working planes, 0..255
     * @param highlight 99.5th percentile of max(R, G, B), 0..255
     * @param shadow 0.5th percentile of max(R, G, B), 0..255
     * @param clippedHigh fraction of pixels with a channel at 255
     * @param clippedLow fraction of pixels black in every channel (max channel at most 1)
     * @param gaps fraction of empty bins inside each channel's occupied range (mean of R, G, B)
     * @param peaks fraction of bins standing well above both neighbours (mean of R, G, B)
     * @param lumaStd standard deviation of luma (global contrast)
     * @param saturation mean chroma magnitude sqrt(u^2 + v^2)
     */
    record Tone(double meanLuma, double highlight, double shadow, double clippedHigh, double clippedLow, double gaps,
                double peaks, double lumaStd, double saturation) {}

    private ToneMeter() {}

    static Tone measure(WorkingPlanes p) {
        double sum = 0;
        double sq = 0;
        double chroma = 0;
        int n = p.y.length;
        for (int i = 0; i < n; i++) {
            float l = p.y[i];
            sum += l;
            sq += l * l;
            chroma += Math.sqrt(p.u[i] * p.u[i] + p.v[i] * p.v[i]);
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sq / n - mean * mean));
        int[] hmax = p.maxHistogram;
        double total = p.pixelCount;
        double gaps = 0;
        double peaks = 0;
        for (int[] h : p.channelHistograms) {
            gaps += gaps(h, total);
            peaks += peaks(h, total);
        }
        return new Tone(mean, percentile(hmax, total, 0.995), percentile(hmax, total, 0.005), hmax[255] / total,
                (hmax[0] + hmax[1]) / total, gaps / 3, peaks / 3, std, chroma / n);
    }

    static int percentile(int[] h, double total, double q) {
        double target = q * total;
        double acc = 0;
        for (int b = 0; b < 256; b++) {
            acc += h[b];
            if (acc >= target) {
                return b;
            }
        }
        return 255;
    }

    /** Bins between the 0.5th and 99.5th percentile (clipped ends excluded); null when too narrow to judge. */
    private static int[] range(int[] h, double total) {
        int lo = Math.max(1, percentile(h, total, 0.005));
        int hi = Math.min(254, percentile(h, total, 0.995));
        return hi - lo < 24 ? null : new int[] {lo, hi};
    }

    static double gaps(int[] h, double total) {
        int[] r = range(h, total);
        if (r == null) {
            return 0;
        }
        int empty = 0;
        for (int b = r[0]; b <= r[1]; b++) {
            if (h[b] == 0) {
                empty++;
            }
        }
        return (double) empty / (r[1] - r[0] + 1);
    }

    static double peaks(int[] h, double total) {
        int[] r = range(h, total);
        if (r == null) {
            return 0;
        }
        double minCount = total / 4000.0; // bins too sparse to tell a spike from chance are skipped
        int spikes = 0;
        int bins = 0;
        for (int b = r[0] + 1; b < r[1]; b++) {
            double side = (h[b - 1] + h[b + 1]) / 2.0;
            if (h[b] < minCount) {
                continue;
            }
            bins++;
            if (h[b] > 1.6 * side + 3 * Math.sqrt(side + 1)) {
                spikes++;
            }
        }
        return bins == 0 ? 0 : (double) spikes / bins;
    }
}
