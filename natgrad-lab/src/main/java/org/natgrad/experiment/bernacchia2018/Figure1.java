package org.natgrad.experiment.bernacchia2018;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.natgrad.plot.FigureGrid;
import org.natgrad.plot.LinePlot;
import org.natgrad.plot.Series;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;

/**
 * The combined figure laid out like the paper's Figure 1: one column per panel; top row test
 * error against training examples (×10³), bottom row against training wall-clock seconds. SGD
 * black, NGD red, the minimum achievable error dashed grey, and in panel A the predicted NGD
 * curve (population closed forms) dashed orange. Panels A–C plot log10 test error, panel D the
 * test error itself (the paper's linear axis).
 */
public final class Figure1 {
    static final Color SGD = Color.BLACK;
    static final Color NGD = new Color(200, 0, 0);
    static final Color MIN = new Color(120, 120, 120);
    static final Color PREDICTED = new Color(230, 150, 0);

    private Figure1() {
    }

    /** The figure as a grid of plots (2 rows x one column per panel). */
    public static FigureGrid grid(List<PanelOutcome> panels) {
        FigureGrid g = new FigureGrid(2, panels.size(), 420, 340);
        for (int c = 0; c < panels.size(); c++) {
            PanelOutcome po = panels.get(c);
            g.set(0, c, plot(po, false));
            g.set(1, c, plot(po, true));
        }
        return g;
    }

    /** Writes {@code base.png} and {@code base.svg}. */
    public static void save(Path base, List<PanelOutcome> panels) throws IOException {
        grid(panels).save(base);
    }

    static LinePlot plot(PanelOutcome po, boolean seconds) {
        boolean log = po.panel().isLinear();
        LinePlot p = new LinePlot(po.panel() + ": " + po.panel().description())
                .xTitle(seconds ? "training wall-clock (s)" : "training examples (x10^3)")
                .yTitle(log ? "log10 test error" : "test error");
        double xMax = 0;
        for (Curve c : List.of(po.sgdCurve(), po.ngd())) {
            xMax = Math.max(xMax, x(c.last(), seconds));
        }
        p.add(Series.solid(String.format(java.util.Locale.ROOT, "SGD (α=%s)", po.sgd().bestAlpha()),
                xs(po.sgdCurve(), seconds), ys(po.sgdCurve(), log), SGD));
        p.add(Series.solid("NGD", xs(po.ngd(), seconds), ys(po.ngd(), log), NGD));
        if (po.predicted() != null && !seconds) {
            p.add(Series.dashed("NGD predicted", xs(po.predicted(), false), ys(po.predicted(), log), PREDICTED));
        }
        if (po.data().minAchievable() != null) {
            double y = log ? Math.log10(po.data().minAchievable()) : po.data().minAchievable();
            p.add(Series.dashed("minimum achievable", new double[] {0, xMax}, new double[] {y, y}, MIN));
        }
        return p;
    }

    private static double x(CurvePoint pt, boolean seconds) {
        return seconds ? pt.seconds() : pt.examples() / 1000.0;
    }

    private static double[] xs(Curve c, boolean seconds) {
        return c.points().stream().mapToDouble(pt -> x(pt, seconds)).toArray();
    }

    private static double[] ys(Curve c, boolean log) {
        return c.points().stream().mapToDouble(pt -> log ? Math.log10(pt.testError()) : pt.testError()).toArray();
    }
}
