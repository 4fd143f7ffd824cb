package org.memshare.cli;

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
 * A horizontal bar chart of the top features by mutual information, as a PNG drawn with Java2D
 * (headless, no extra dependency): one bar per feature, highest first, each labelled with its name on
 * the left and its value at its end, on a scale from 0 to the largest value.
 */
final class RankingPlot {
    /** Width of the image in pixels. */
    static final int WIDTH = 900;
    /** Height of one bar's row in pixels. */
    static final int ROW_HEIGHT = 28;
    /** Height of the title above the bars. */
    static final int TITLE_HEIGHT = 56;
    /** Height of the axis below the bars. */
    static final int AXIS_HEIGHT = 44;
    /** The bars' colour, for readers of the image (tests count bars by it). */
    static final Color BAR = new Color(0x2f, 0x6d, 0xb5);

    private static final int LABEL_WIDTH = 240;
    private static final int RIGHT_MARGIN = 90;
    private static final int BAR_GAP = 6;

    private RankingPlot() {
    }

    /** @return the image's height for {@code bars} bars */
    static int height(int bars) {
        return TITLE_HEIGHT + bars * ROW_HEIGHT + AXIS_HEIGHT;
    }

    /**
     * Draws the ranking and writes it as a PNG.
     *
     * @param file the PNG to write (replaced)
     * @param title what was ranked against, for the title
     * @param ranked the features to draw, highest first
     * @throws IOException when the file cannot be written
     */
    static void write(Path file, String title, List<FeatureRanking.Score> ranked) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = draw(title, ranked);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK: path=" + file);
        }
    }

    static BufferedImage draw(String title, List<FeatureRanking.Score> ranked) {
        int height = height(ranked.size());
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(fit(g, "Top " + ranked.size() + " features by mutual information with " + title, WIDTH - 24), 12, 30);
            double max = ranked.stream().mapToDouble(FeatureRanking.Score::mi).filter(Double::isFinite).max().orElse(0);
            double scale = max > 0 ? (WIDTH - LABEL_WIDTH - RIGHT_MARGIN) / max : 0;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            FontMetrics metrics = g.getFontMetrics();
            for (int k = 0; k < ranked.size(); k++) {
                FeatureRanking.Score score = ranked.get(k);
                int top = TITLE_HEIGHT + k * ROW_HEIGHT;
                int baseline = top + (ROW_HEIGHT + metrics.getAscent() - metrics.getDescent()) / 2;
                String label = fit(g, score.name(), LABEL_WIDTH - 16);
                g.setColor(Color.BLACK);
                g.drawString(label, LABEL_WIDTH - 8 - metrics.stringWidth(label), baseline);
                int length = Double.isFinite(score.mi()) ? Math.max(1, (int) Math.round(score.mi() * scale)) : 0;
                g.setColor(BAR);
                g.fillRect(LABEL_WIDTH, top + BAR_GAP / 2, length, ROW_HEIGHT - BAR_GAP);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.4f", score.mi()), LABEL_WIDTH + length + 6, baseline);
            }
            int axis = TITLE_HEIGHT + ranked.size() * ROW_HEIGHT + 4;
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawLine(LABEL_WIDTH, axis, WIDTH - RIGHT_MARGIN, axis);
            g.drawLine(LABEL_WIDTH - 1, TITLE_HEIGHT, LABEL_WIDTH - 1, axis);
            g.drawString("0", LABEL_WIDTH - 3, axis + 18);
            String end = String.format(Locale.ROOT, "%.4f nats", max);
            g.drawString(end, WIDTH - RIGHT_MARGIN - metrics.stringWidth(end) / 2, axis + 18);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** @return {@code text}, cut with an ellipsis to fit {@code width} pixels */
    private static String fit(Graphics2D g, String text, int width) {
        FontMetrics metrics = g.getFontMetrics();
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && metrics.stringWidth(cut + "…") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }
}
