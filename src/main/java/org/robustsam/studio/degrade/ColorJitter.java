package org.robustsam.studio.degrade;

import java.util.ArrayList;
import java.util.List;
import org.robustsam.studio.image.RgbImage;

/**
 * Random global colour change after torchvision/albumentations {@code ColorJitter}: brightness
 * (gain f_b), contrast (blend with the mean grey, f_c), saturation (blend with the pixel's grey,
 * f_s) and a hue rotation, applied in a random order, each rounding to 8 bits as the reference's
 * lookup tables do. Factors are {@code 1 + U(-x, x)}; the hue turns by {@code U(-x, x)} of a full
 * circle. Reference ({@code augment.py color_jitter}): brightness 0.7, contrast 0.3, saturation 0.7,
 * hue 0.7 (a hue range beyond +-0.5 wraps, so any hue is possible).
 */
public final class ColorJitter extends BaseDegradation {
    /** Spread x per severity 1..5 for brightness, contrast, saturation, hue; level 3 is the reference. */
    static final double[] BRIGHTNESS = {0.2, 0.45, 0.7, 0.8, 0.9};
    static final double[] CONTRAST = {0.1, 0.2, 0.3, 0.45, 0.6};
    static final double[] SATURATION = {0.2, 0.45, 0.7, 0.85, 1.0};
    static final double[] HUE = {0.05, 0.2, 0.7, 0.7, 0.7};

    /** The four operations, in the order the reference lists them. */
    public enum Step { BRIGHTNESS, CONTRAST, SATURATION, HUE }

    /** Drawn factors, the hue turn (fraction of 360 degrees) and the order applied. */
    public record Params(double brightness, double contrast, double saturation, double hueTurn, List<Step> order) {}

    public ColorJitter() {
        super("color_jitter", "Colour jitter");
    }

    public Params params(int severity, long seed) {
        Degradation.checkSeverity(severity);
        return params(severity, seeds(seed));
    }

    private static Params params(int severity, Seeds seeds) {
        Rng rng = seeds.params();
        int i = severity - 1;
        double b = Math.max(0, 1 + (2 * rng.nextDouble() - 1) * BRIGHTNESS[i]);
        double c = Math.max(0, 1 + (2 * rng.nextDouble() - 1) * CONTRAST[i]);
        double s = Math.max(0, 1 + (2 * rng.nextDouble() - 1) * SATURATION[i]);
        double h = (2 * rng.nextDouble() - 1) * HUE[i];
        List<Step> order = new ArrayList<>(List.of(Step.values()));
        for (int k = order.size() - 1; k > 0; k--) { // Fisher-Yates
            int j = rng.nextInt(k + 1);
            Step t = order.get(k);
            order.set(k, order.get(j));
            order.set(j, t);
        }
        return new Params(b, c, s, h, List.copyOf(order));
    }

    @Override
    RgbImage degrade(RgbImage image, int severity, Seeds seeds) {
        Params p = params(severity, seeds);
        RgbImage img = image;
        for (Step step : p.order()) {
            img = switch (step) {
                case BRIGHTNESS -> Pixels.mapChannels(img, Pixels.lut(v -> Pixels.toByte(v * p.brightness())));
                case CONTRAST -> contrast(img, p.contrast());
                case SATURATION -> saturation(img, p.saturation());
                case HUE -> hue(img, p.hueTurn());
            };
        }
        return img;
    }

    private static RgbImage contrast(RgbImage img, double f) {
        int w = img.width();
        int h = img.height();
        int[] px = img.pixels();
        double[] rowSum = new double[h];
        Parallel.rows(h, w, (from, to) -> {
            for (int y = from; y < to; y++) {
                double s = 0;
                for (int i = y * w, end = i + w; i < end; i++) {
                    s += Pixels.toByte(Pixels.luma(px[i]));
                }
                rowSum[y] = s;
            }
        });
        double sum = 0;
        for (double s : rowSum) {
            sum += s; // in row order: independent of the thread split
        }
        double mean = sum / px.length;
        return Pixels.mapChannels(img, Pixels.lut(v -> Pixels.toByte(v * f + mean * (1 - f))));
    }

    private static RgbImage saturation(RgbImage img, double f) {
        int w = img.width();
        int[] px = img.pixels();
        int[] out = new int[px.length];
        float ff = (float) f;
        Parallel.rows(img.height(), w, (from, to) -> {
            for (int i = from * w, end = to * w; i < end; i++) {
                int p = px[i];
                float grey = Pixels.toByte(Pixels.luma(p)) * (1f - ff);
                out[i] = Pixels.pack(Pixels.toByte(Pixels.red(p) * ff + grey), Pixels.toByte(Pixels.green(p) * ff + grey),
                        Pixels.toByte(Pixels.blue(p) * ff + grey));
            }
        });
        return new RgbImage(w, img.height(), out);
    }

    private static RgbImage hue(RgbImage img, double turn) {
        float degrees = (float) (turn * 360.0);
        int w = img.width();
        int[] px = img.pixels();
        int[] out = new int[px.length];
        Parallel.rows(img.height(), w, (from, to) -> {
            float[] hsv = new float[3];
            float[] rgb = new float[3];
            for (int i = from * w, end = to * w; i < end; i++) {
                int p = px[i];
                ColorSpace.rgbToHsv(Pixels.red(p) / 255f, Pixels.green(p) / 255f, Pixels.blue(p) / 255f, hsv);
                if (hsv[1] <= 0f) {
                    out[i] = p; // grey has no hue to turn
                    continue;
                }
                ColorSpace.hsvToRgb(hsv[0] + degrees, hsv[1], hsv[2], rgb);
                out[i] = Pixels.pack(Pixels.toByte(rgb[0] * 255f), Pixels.toByte(rgb[1] * 255f), Pixels.toByte(rgb[2] * 255f));
            }
        });
        return new RgbImage(w, img.height(), out);
    }
}
