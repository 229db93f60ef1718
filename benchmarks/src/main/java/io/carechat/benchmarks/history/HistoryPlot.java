package io.carechat.benchmarks.history;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the history-size plot with {@code java.awt} (headless) into a PNG: for each call a group
 * of bars, one per history size, the bar's height the p99 and a tick across it at the p50, on a
 * logarithmic latency axis. Stateless and thread-safe.
 */
final class HistoryPlot {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 220;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};

    private HistoryPlot() {}

    /**
     * Draws the plot.
     *
     * @param sizes the measured sizes, ascending
     * @param title the title line
     * @param file where to write the PNG
     * @throws IOException if the file cannot be written
     */
    static void write(List<HistorySize> sizes, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, sizes, title);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void draw(Graphics2D g, List<HistorySize> sizes, String title) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double lowest = sizes.stream().flatMap(s -> s.latencies().values().stream()).mapToDouble(Latency::p50Millis)
                .min().orElse(0.1);
        double highest = sizes.stream().flatMap(s -> s.latencies().values().stream()).mapToDouble(Latency::p99Millis)
                .max().orElse(100);
        double min = Math.pow(10, Math.floor(Math.log10(Math.max(0.01, lowest))));
        double max = Math.pow(10, Math.ceil(Math.log10(Math.max(highest, min * 10))));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (double decade = min; decade <= max * 1.001; decade *= 10) {
            int py = y(decade, min, max);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, py, WIDTH - RIGHT, py);
            g.setColor(Color.DARK_GRAY);
            String label = decade < 1 ? String.format(Locale.ROOT, "%.2f", decade)
                    : String.format(Locale.ROOT, "%,.0f", decade);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + 5);
        }
        HistoryQuery[] queries = HistoryQuery.values();
        int groupWidth = (WIDTH - RIGHT - LEFT) / queries.length;
        int barWidth = Math.min(60, (groupWidth - 40) / sizes.size());
        for (int q = 0; q < queries.length; q++) {
            int groupLeft = LEFT + q * groupWidth + (groupWidth - barWidth * sizes.size()) / 2;
            for (int s = 0; s < sizes.size(); s++) {
                Latency latency = sizes.get(s).latencies().get(queries[q]);
                int left = groupLeft + s * barWidth;
                int top = y(latency.p99Millis(), min, max);
                g.setColor(COLORS[s % COLORS.length]);
                g.fillRect(left + 4, top, barWidth - 8, HEIGHT - BOTTOM - top);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(2.5f));
                int p50 = y(latency.p50Millis(), min, max);
                g.drawLine(left + 4, p50, left + barWidth - 4, p50);
            }
            g.setColor(Color.BLACK);
            String label = queries[q].label();
            g.drawString(label, LEFT + q * groupWidth + (groupWidth - fm.stringWidth(label)) / 2, HEIGHT - BOTTOM + 20);
        }
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP);
        for (int s = 0; s < sizes.size(); s++) {
            int ly = TOP + 20 + s * 26;
            g.setColor(COLORS[s % COLORS.length]);
            g.fillRect(WIDTH - RIGHT + 20, ly - 8, 26, 14);
            g.setColor(Color.BLACK);
            g.drawString("p99 at " + HistoryReport.count(sizes.get(s)) + " messages", WIDTH - RIGHT + 54, ly + 5);
        }
        int ly = TOP + 20 + sizes.size() * 26;
        g.setStroke(new BasicStroke(2.5f));
        g.drawLine(WIDTH - RIGHT + 20, ly, WIDTH - RIGHT + 46, ly);
        g.drawString("p50", WIDTH - RIGHT + 54, ly + 5);
        g.rotate(-Math.PI / 2);
        g.drawString("latency per call (ms, log scale)", -(TOP + (HEIGHT - TOP - BOTTOM) / 2 + 100), 22);
        g.rotate(Math.PI / 2);
    }

    private static int y(double millis, double min, double max) {
        double v = Math.min(max, Math.max(min, millis));
        double t = (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
        return (int) Math.round(HEIGHT - BOTTOM - t * (HEIGHT - BOTTOM - TOP));
    }
}
