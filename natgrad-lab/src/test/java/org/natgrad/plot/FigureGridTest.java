package org.natgrad.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class FigureGridTest {

    private static LinePlot plot(String title, boolean logY) {
        double[] x = new double[50];
        double[] a = new double[50];
        double[] b = new double[50];
        for (int k = 0; k < 50; k++) {
            x[k] = k * 100;
            a[k] = Math.exp(-k / 10.0) + 1e-3;
            b[k] = 2 * Math.exp(-k / 20.0) + 1e-3;
        }
        return new LinePlot(title).xTitle("examples").yTitle("loss").logY(logY)
                .add(Series.solid("sgd", x, a, Color.BLACK))
                .add(Series.dashed("ngd", x, b, Color.RED));
    }

    @Test
    void gridIsOnePngAndOneSvgOfTheRightSize(@TempDir Path dir) throws Exception {
        assertTrue(GraphicsEnvironment.isHeadless(), "tests run headless (surefire sets java.awt.headless)");
        FigureGrid g = new FigureGrid(2, 3, 300, 200);
        g.set(0, 0, plot("A", true)).set(0, 1, plot("B", false)).set(0, 2, plot("C", true)).set(1, 0, plot("D", true));
        g.save(dir.resolve("fig"));

        BufferedImage img = ImageIO.read(dir.resolve("fig.png").toFile());
        assertNotNull(img, "PNG decodes");
        assertEquals(900, img.getWidth());
        assertEquals(400, img.getHeight());
        // composition: the filled cells carry drawing, the empty cells (1,1) and (1,2) are white
        assertTrue(nonWhite(img, 0, 0, 300, 200) > 1000, "cell (0,0) drawn");
        assertTrue(nonWhite(img, 600, 0, 300, 200) > 1000, "cell (0,2) drawn");
        assertTrue(nonWhite(img, 0, 200, 300, 200) > 1000, "cell (1,0) drawn");
        assertEquals(0, nonWhite(img, 300, 200, 600, 200), "empty cells stay white");
        // the black 'sgd' line appears in the first cell
        assertTrue(count(img, 0, 0, 300, 200, Color.BLACK.getRGB()) > 20);

        Document svg = parseXml(dir.resolve("fig.svg"));
        Element root = svg.getDocumentElement();
        assertEquals("svg", root.getLocalName() != null ? root.getLocalName() : root.getTagName());
        assertTrue(root.getAttribute("viewBox").replaceAll("\\s+", " ").endsWith("900 400")
                || root.getAttribute("width").startsWith("900"), "svg size: " + root.getAttribute("viewBox")
                + " / " + root.getAttribute("width"));
        assertTrue(svg.getElementsByTagName("path").getLength() + svg.getElementsByTagName("polyline").getLength() > 10);

        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("fig.png", "fig.svg"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left");
        }
    }

    @Test
    void undrawablePointsBecomeGapsAndAreCounted(@TempDir Path dir) throws Exception {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {1, 0.5, Double.NaN, -1, 0.1, Double.POSITIVE_INFINITY};
        LinePlot log = new LinePlot("log").logY(true).add("s", x, y, false);
        assertEquals(3, log.hiddenPoints(), "NaN, y <= 0 on a log axis, infinity");
        LinePlot lin = new LinePlot("lin").add("s", x, y, false);
        assertEquals(2, lin.hiddenPoints(), "NaN and infinity");
        FigureGrid g = new FigureGrid(1, 2, 240, 180).set(0, 0, log).set(0, 1, lin);
        g.savePng(dir.resolve("gaps.png"));
        BufferedImage img = ImageIO.read(dir.resolve("gaps.png").toFile());
        assertEquals(480, img.getWidth());
        // a series with nothing drawable is left out rather than failing
        LinePlot empty = new LinePlot("empty").logY(true).add("s", new double[] {1, 2}, new double[] {0, -1}, false);
        new FigureGrid(1, 1, 200, 150).set(0, 0, empty).savePng(dir.resolve("empty.png"));
        assertTrue(Files.size(dir.resolve("empty.png")) > 0);
    }

    @Test
    void aHugeLogRangeIsDrawnAsLog10ValuesAndStaysSmall(@TempDir Path dir) throws Exception {
        double[] x = {0, 1, 2};
        double[] y = {1.2, 1e150, 1e290};
        LinePlot p = new LinePlot("diverged").yTitle("loss").logY(true).add("s", x, y, false);
        assertEquals("log10 of loss", p.chart(300, 200).getStyler().isYAxisLogarithmic() ? "log axis"
                : p.chart(300, 200).getYAxisTitle());
        new FigureGrid(1, 1, 300, 200).set(0, 0, p).save(dir.resolve("d"));
        assertTrue(Files.size(dir.resolve("d.svg")) < 1_000_000, "SVG size " + Files.size(dir.resolve("d.svg")));
        LinePlot ok = new LinePlot("ok").logY(true).add("s", x, new double[] {1, 1e-3, 1e-6}, false);
        assertTrue(ok.chart(300, 200).getStyler().isYAxisLogarithmic());
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new FigureGrid(0, 1, 100, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> new FigureGrid(1, 1, 100, 100).set(1, 0, new LinePlot()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Series("s", new double[2], new double[3], Color.RED, false));
        assertTrue(e.getMessage().contains("2 x values but 3 y values"), e.getMessage());
        LinePlot p = new LinePlot("p").add("s", new double[1], new double[1], false);
        assertThrows(IllegalArgumentException.class, () -> p.add("s", new double[1], new double[1], false));
        assertFalse(p.isLogY());
    }

    /** Parses XML without fetching the external DTD the SVG names (no network in tests). */
    static Document parseXml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    private static int nonWhite(BufferedImage img, int x0, int y0, int w, int h) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    n++;
                }
            }
        }
        return n;
    }

    private static int count(BufferedImage img, int x0, int y0, int w, int h, int rgb) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }
}
