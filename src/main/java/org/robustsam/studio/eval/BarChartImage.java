package org.robustsam.studio.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart drawn with Java2D (no JavaFX, so reports are written by the command line
 * too): one group per category (table row), one bar per series (model), values in [0, 1].
 */
public final class BarChartImage {
    /** Distinct, colour-blind-friendly series colours (first two: SAM blue, RobustSAM orange). */
    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000)};

    private BarChartImage() {}

    /**
     * @param values {@code [series][category]}; NaN draws no bar
     * @param separateLast draw a divider before the last category (the average row)
     */
    public static BufferedImage render(String title, String axisLabel, List<String> categories, List<String> series,
                                       double[][] values, boolean separateLast) {
        int bar = series.size() <= 2 ? 16 : 11;
        int groupGap = 14;
        // Groups spread over at least 480 px, so a short table still fills the chart.
        int groupWidth = Math.max(series.size() * bar + groupGap, 480 / Math.max(1, categories.size()));
        groupGap = groupWidth - series.size() * bar;
        int left = 96;
        int right = 24;
        int top = 70;
        int bottom = 140;
        int plotW = Math.max(categories.size() * groupWidth, 480);
        int plotH = 300;
        int width = left + plotW + right;
        int height = top + plotH + bottom;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);

            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, left, 24);

            // Legend under the title.
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            int lx = left;
            for (int s = 0; s < series.size(); s++) {
                g.setColor(color(s));
                g.fillRect(lx, 38, 12, 12);
                g.setColor(Color.DARK_GRAY);
                g.drawString(series.get(s), lx + 16, 48);
                lx += 16 + fm.stringWidth(series.get(s)) + 18;
            }

            // Axis, grid every 0.2.
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            fm = g.getFontMetrics();
            for (int i = 0; i <= 5; i++) {
                double v = i * 0.2;
                int y = top + plotH - (int) Math.round(v * plotH);
                g.setColor(i == 0 ? Color.GRAY : new Color(0xE0E0E0));
                g.drawLine(left, y, left + plotW, y);
                g.setColor(Color.DARK_GRAY);
                String t = String.format(Locale.ROOT, "%.1f", v);
                g.drawString(t, left - 8 - fm.stringWidth(t), y + fm.getAscent() / 2 - 1);
            }
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(axisLabel, -(top + plotH / 2 + fm.stringWidth(axisLabel) / 2), 16);
            g.setTransform(saved);

            boolean labels = categories.size() * series.size() <= 24;
            int offset = (plotW - categories.size() * groupWidth) / 2;
            for (int c = 0; c < categories.size(); c++) {
                int gx = left + offset + c * groupWidth + groupGap / 2;
                if (separateLast && c == categories.size() - 1 && c > 0) {
                    g.setColor(Color.GRAY);
                    g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
                    g.drawLine(gx - groupGap / 2, top, gx - groupGap / 2, top + plotH);
                    g.setStroke(new BasicStroke(1));
                }
                for (int s = 0; s < series.size(); s++) {
                    double v = values[s][c];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    double clamped = Math.max(0, Math.min(1, v));
                    int h = (int) Math.round(clamped * plotH);
                    int x = gx + s * bar;
                    g.setColor(color(s));
                    g.fillRect(x, top + plotH - h, bar - 2, h);
                    if (labels) {
                        g.setColor(Color.DARK_GRAY);
                        String t = String.format(Locale.ROOT, "%.2f", v);
                        AffineTransform at = g.getTransform();
                        g.rotate(-Math.PI / 2, x + bar / 2.0 + 4, top + plotH - h - 4);
                        g.drawString(t, x + bar / 2 + 4, top + plotH - h - 4);
                        g.setTransform(at);
                    }
                }
                // Category name, rotated, ending under the group's centre.
                g.setColor(Color.BLACK);
                String name = categories.get(c);
                int cx = gx + series.size() * bar / 2;
                AffineTransform at = g.getTransform();
                g.rotate(-Math.PI / 4, cx, top + plotH + 10);
                g.drawString(name, cx - fm.stringWidth(name), top + plotH + 10 + fm.getAscent() / 2);
                g.setTransform(at);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    static Color color(int series) {
        return PALETTE[series % PALETTE.length];
    }
}
