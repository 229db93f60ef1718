package io.carechat.benchmarks.e2e;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws receiver p99 latency against offered rate, one line per system, both axes logarithmic, with
 * the latency objective as a dashed line, into a PNG with {@code java.awt} (headless). Stateless
 * and thread-safe.
 */
final class P99Plot {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 620;
    private static final int LEFT = 90;
    private static final int RIGHT = 260;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd)};

    private P99Plot() {}

    /**
     * Draws the plot.
     *
     * @param runs the systems; those without steps are left out
     * @param limit the latency objective
     * @param title the title line
     * @param file where to write the PNG
     */
    static void write(List<SystemRun> runs, Duration limit, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, runs, limit, title);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void draw(Graphics2D g, List<SystemRun> runs, Duration limit, String title) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Axis x = new Axis(minRate(runs), maxRate(runs), LEFT, WIDTH - RIGHT);
        Axis y = new Axis(0.1, maxP99Millis(runs, limit), HEIGHT - BOTTOM, TOP);

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        grid(g, x, y);
        Stroke solid = g.getStroke();
        g.setColor(new Color(0x555555));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
        int limitY = y.pixel(limit.toMillis());
        g.drawLine(LEFT, limitY, WIDTH - RIGHT, limitY);
        g.drawString("p99 objective " + limit.toMillis() + " ms", LEFT + 6, limitY - 6);
        g.setStroke(solid);

        int series = 0;
        for (SystemRun run : runs) {
            if (!run.ran()) {
                continue;
            }
            Color color = COLORS[series % COLORS.length];
            series(g, run, x, y, limit, color);
            legend(g, run.kind().label, color, series);
            series++;
        }
        g.setColor(Color.BLACK);
        g.drawString("offered rate (messages per second, log scale)", LEFT + (WIDTH - RIGHT - LEFT) / 2 - 140,
                HEIGHT - 20);
        g.rotate(-Math.PI / 2);
        g.drawString("receiver p99 latency (ms, log scale)", -(TOP + (HEIGHT - TOP - BOTTOM) / 2 + 110), 22);
        g.rotate(Math.PI / 2);
    }

    private static void grid(Graphics2D g, Axis x, Axis y) {
        FontMetrics fm = g.getFontMetrics();
        for (double v : ticks(x.min, x.max, new double[] {1, 2, 5})) {
            int px = x.pixel(v);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, TOP, px, HEIGHT - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,.0f", v);
            g.drawString(label, px - fm.stringWidth(label) / 2, HEIGHT - BOTTOM + 18);
        }
        for (double v : ticks(y.min, y.max, new double[] {1, 10, 100})) {
            int py = y.pixel(v);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, py, WIDTH - RIGHT, py);
            g.setColor(Color.DARK_GRAY);
            String label = v < 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + 5);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP);
    }

    private static void series(Graphics2D g, SystemRun run, Axis x, Axis y, Duration limit, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2.5f));
        int lastX = -1;
        int lastY = -1;
        for (StepResult s : run.steps()) {
            int px = x.pixel(s.offeredPerSecond());
            int py = y.pixel(Math.max(y.min, s.p99Micros() / 1000.0));
            if (lastX >= 0) {
                g.drawLine(lastX, lastY, px, py);
            }
            lastX = px;
            lastY = py;
        }
        g.setStroke(new BasicStroke(2f));
        for (StepResult s : run.steps()) {
            int px = x.pixel(s.offeredPerSecond());
            int py = y.pixel(Math.max(y.min, s.p99Micros() / 1000.0));
            if (s.held(limit)) {
                g.setColor(color);
                g.fillOval(px - 6, py - 6, 12, 12);
            } else {
                g.setColor(Color.WHITE);
                g.fillOval(px - 6, py - 6, 12, 12);
                g.setColor(color);
                g.drawOval(px - 6, py - 6, 12, 12);
            }
        }
    }

    private static void legend(Graphics2D g, String label, Color color, int index) {
        int lx = WIDTH - RIGHT + 20;
        int ly = TOP + 20 + index * 26;
        g.setColor(color);
        g.setStroke(new BasicStroke(2.5f));
        g.drawLine(lx, ly, lx + 26, ly);
        g.fillOval(lx + 8, ly - 5, 10, 10);
        g.setColor(Color.BLACK);
        g.drawString(label, lx + 34, ly + 5);
    }

    static List<Double> ticks(double min, double max, double[] mantissas) {
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (double decade = Math.pow(10, Math.floor(Math.log10(min))); decade <= max; decade *= 10) {
            for (double m : mantissas) {
                double v = decade * m;
                if (v >= min * 0.999 && v <= max * 1.001) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static double minRate(List<SystemRun> runs) {
        double min = runs.stream().flatMap(r -> r.steps().stream()).mapToDouble(StepResult::offeredPerSecond).min()
                .orElse(100);
        return Math.pow(10, Math.floor(Math.log10(min) * 4) / 4);
    }

    private static double maxRate(List<SystemRun> runs) {
        double max = runs.stream().flatMap(r -> r.steps().stream()).mapToDouble(StepResult::offeredPerSecond).max()
                .orElse(10_000);
        return Math.max(minRate(runs) * 10, Math.pow(10, Math.ceil(Math.log10(max) * 4) / 4));
    }

    private static double maxP99Millis(List<SystemRun> runs, Duration limit) {
        double max = runs.stream().flatMap(r -> r.steps().stream()).mapToDouble(s -> s.p99Micros() / 1000.0).max()
                .orElse(100);
        return Math.pow(10, Math.ceil(Math.log10(Math.max(max, limit.toMillis() * 2.0))));
    }

    /** A logarithmic axis from values to pixels. */
    private record Axis(double min, double max, int fromPixel, int toPixel) {
        int pixel(double value) {
            double v = Math.min(max, Math.max(min, value));
            double t = (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
            return (int) Math.round(fromPixel + t * (toPixel - fromPixel));
        }
    }
}
