package org.natgrad.plot;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart: a title, axis titles, optional log-scale y axis, and {@link Series}. Mutable
 * builder; {@link #chart(int, int)} makes a fresh XChart chart each time.
 *
 * <p>Points that cannot be drawn are shown as gaps, not dropped silently from the data: a
 * non-finite x or y, and on a log-scale y axis a y ≤ 0. {@link #hiddenPoints()} counts them.
 *
 * <p>A log-scale axis spanning more than {@link #MAX_LOG_DECADES} decades (a diverged run) is
 * drawn instead as log10(y) on a linear axis, the y title saying so: XChart draws a grid line
 * per minor tick, which would make a huge, slow figure.
 */
public final class LinePlot {
    /** Colours that stay distinguishable in print (Okabe-Ito palette). */
    public static final List<Color> PALETTE = List.of(new Color(0, 114, 178), new Color(213, 94, 0),
            new Color(0, 158, 115), new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233),
            new Color(240, 228, 66), Color.BLACK);

    /** Widest log-scale y range drawn as a log axis, in decades. */
    public static final double MAX_LOG_DECADES = 24;

    private String title = "";
    private String xTitle = "";
    private String yTitle = "";
    private boolean logY;
    private final List<Series> series = new ArrayList<>();

    public LinePlot() {
    }

    public LinePlot(String title) {
        this.title = title;
    }

    public LinePlot title(String t) {
        this.title = t;
        return this;
    }

    public LinePlot xTitle(String t) {
        this.xTitle = t;
        return this;
    }

    public LinePlot yTitle(String t) {
        this.yTitle = t;
        return this;
    }

    /** Log-scale y axis (base 10). */
    public LinePlot logY(boolean on) {
        this.logY = on;
        return this;
    }

    public boolean isLogY() {
        return logY;
    }

    /** Adds a series. Names must be distinct within a plot. */
    public LinePlot add(Series s) {
        if (series.stream().anyMatch(o -> o.name().equals(s.name()))) {
            throw new IllegalArgumentException("plot '" + title + "' already has a series named '" + s.name() + "'");
        }
        series.add(s);
        return this;
    }

    /** Adds a series with the next palette colour. */
    public LinePlot add(String name, double[] x, double[] y, boolean dashed) {
        return add(new Series(name, x, y, PALETTE.get(series.size() % PALETTE.size()), dashed));
    }

    public List<Series> series() {
        return List.copyOf(series);
    }

    /** Number of points drawn as gaps (non-finite, or y ≤ 0 on a log axis). */
    public int hiddenPoints() {
        int n = 0;
        for (Series s : series) {
            double[] x = s.x();
            double[] y = s.y();
            for (int k = 0; k < x.length; k++) {
                if (!drawable(x[k], y[k])) {
                    n++;
                }
            }
        }
        return n;
    }

    private boolean drawable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    /** Decades spanned by the drawable y values (0 if fewer than two). */
    private double decades() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Series s : series) {
            double[] x = s.x();
            double[] y = s.y();
            for (int k = 0; k < x.length; k++) {
                if (drawable(x[k], y[k])) {
                    lo = Math.min(lo, y[k]);
                    hi = Math.max(hi, y[k]);
                }
            }
        }
        return hi > 0 && lo < hi ? Math.log10(hi / lo) : 0;
    }

    /** A new XChart chart of the given pixel size with this plot's content. */
    public XYChart chart(int width, int height) {
        boolean log10Values = logY && decades() > MAX_LOG_DECADES;
        boolean logAxis = logY && !log10Values;
        String yt = log10Values ? "log10 of " + (yTitle.isEmpty() ? "y" : yTitle) : yTitle;
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yt).build();
        Styler st = c.getStyler();
        c.getStyler().setYAxisLogarithmic(logAxis);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        c.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        c.getStyler().setLegendVisible(series.size() > 1);
        for (Series s : series) {
            double[] x = s.x();
            double[] y = s.y();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int k = 0; k < x.length; k++) {
                if (drawable(x[k], y[k])) {
                    xs.add(x[k]);
                    ys.add(log10Values ? Math.log10(y[k]) : y[k]);
                } else if (!xs.isEmpty() && !Double.isNaN(ys.get(ys.size() - 1))) {
                    // a gap: XChart breaks the line at a NaN y
                    xs.add(xs.get(xs.size() - 1));
                    ys.add(Double.NaN);
                }
            }
            while (!ys.isEmpty() && Double.isNaN(ys.get(ys.size() - 1))) {
                xs.remove(xs.size() - 1);
                ys.remove(ys.size() - 1);
            }
            if (xs.isEmpty()) {
                continue; // nothing drawable: XChart cannot scale an empty series
            }
            XYSeries xy = c.addSeries(s.name(), xs, ys);
            xy.setLineColor(s.color());
            xy.setMarker(SeriesMarkers.NONE);
            xy.setLineStyle(s.dashed() ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        }
        return c;
    }

    /** Saves this plot alone as {@code base.png} and {@code base.svg} (width x height pixels). */
    public void save(Path base, int width, int height) throws IOException {
        FigureGrid g = new FigureGrid(1, 1, width, height);
        g.set(0, 0, this);
        g.save(base);
    }
}
