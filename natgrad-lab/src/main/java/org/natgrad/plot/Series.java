package org.natgrad.plot;

import java.awt.Color;
import java.util.Objects;

/**
 * One line of a {@link LinePlot}: points (x[k], y[k]), a colour and a solid or dashed stroke.
 * Arrays are copied. Points with a non-finite coordinate are drawn as gaps.
 */
public record Series(String name, double[] x, double[] y, Color color, boolean dashed) {
    public Series {
        Objects.requireNonNull(name, "series name");
        Objects.requireNonNull(color, "series colour");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
        x = x.clone();
        y = y.clone();
    }

    /** A solid line. */
    public static Series solid(String name, double[] x, double[] y, Color color) {
        return new Series(name, x, y, color, false);
    }

    /** A dashed line. */
    public static Series dashed(String name, double[] x, double[] y, Color color) {
        return new Series(name, x, y, color, true);
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }
}
