package org.natgrad.bayes;

import java.util.Arrays;
import org.natgrad.likelihood.Categorical;
import org.natgrad.random.Rng;

/**
 * A target distribution p*_V over the 2^k configurations of k visible units, indexed as in
 * the package conventions (bit j = state of the j-th visible unit). Probabilities are
 * non-negative and sum to 1 (validated to 1e-9, then renormalized); zero entries are allowed.
 */
public final class VisibleTarget {
    private final int units;
    private final double[] p;
    private final double[] cumulative;

    /** @param probabilities length 2^units, entries ≥ 0 and finite, sum 1 ± 1e-9 */
    public VisibleTarget(int units, double[] probabilities) {
        if (units < 1 || units > 30) {
            throw new IllegalArgumentException("VisibleTarget: number of visible units must be in [1, 30], got " + units);
        }
        if (probabilities.length != (1 << units)) {
            throw new IllegalArgumentException("VisibleTarget: " + units + " visible units need " + (1 << units)
                    + " probabilities, got " + probabilities.length);
        }
        double s = 0;
        for (int v = 0; v < probabilities.length; v++) {
            double q = probabilities[v];
            if (!(q >= 0) || Double.isInfinite(q)) {
                throw new IllegalArgumentException("VisibleTarget: probability of configuration " + v + " is " + q);
            }
            s += q;
        }
        if (Math.abs(s - 1) > 1e-9) {
            throw new IllegalArgumentException("VisibleTarget: probabilities sum to " + s + ", not 1");
        }
        this.units = units;
        this.p = new double[probabilities.length];
        this.cumulative = new double[probabilities.length];
        double c = 0;
        for (int v = 0; v < p.length; v++) {
            p[v] = probabilities[v] / s;
            c += p[v];
            cumulative[v] = c;
        }
    }

    /**
     * A random target: p*(v) ∝ exp(spread · z_v) with z_v i.i.d. standard normal, so every
     * configuration has positive probability (spread 0 gives the uniform distribution).
     */
    public static VisibleTarget random(int units, double spread, Rng rng) {
        double[] z = new double[1 << units];
        for (int v = 0; v < z.length; v++) {
            z[v] = spread * rng.nextGaussian();
        }
        return new VisibleTarget(units, Categorical.softmax(z));
    }

    /**
     * Bars and stripes on a rows x cols grid: uniform over the images in which every row is
     * constant (stripes) or every column is constant (bars), 2^rows + 2^cols − 2 distinct
     * images. Pixel (i, c) is visible unit i·cols + c (row-major), "on" = bit 1.
     */
    public static VisibleTarget barsAndStripes(int rows, int cols) {
        int k = rows * cols;
        double[] q = new double[1 << k];
        markConstantLines(q, rows, cols, true);  // stripes: rows constant
        markConstantLines(q, rows, cols, false); // bars: columns constant
        double s = Arrays.stream(q).sum();
        for (int v = 0; v < q.length; v++) {
            q[v] /= s;
        }
        return new VisibleTarget(k, q);
    }

    /**
     * Sets q[v] = 1 for every rows x cols image v whose lines (rows when byRows, else columns) are
     * each all on or all off: 2^lines images, pixel (i, c) being bit i·cols + c.
     */
    private static void markConstantLines(double[] q, int rows, int cols, boolean byRows) {
        int lines = byRows ? rows : cols;
        int across = byRows ? cols : rows;
        for (int m = 0; m < (1 << lines); m++) {
            int v = 0;
            for (int i = 0; i < lines; i++) {
                if (((m >>> i) & 1) == 1) {
                    for (int j = 0; j < across; j++) {
                        v |= 1 << (byRows ? i * cols + j : j * cols + i);
                    }
                }
            }
            q[v] = 1;
        }
    }

    /** Number of visible units k. */
    public int units() {
        return units;
    }

    /** p*(v). */
    public double probability(int v) {
        return p[v];
    }

    /** All probabilities (a copy), length 2^k. */
    public double[] probabilities() {
        return p.clone();
    }

    /** Number of configurations with positive probability. */
    public int support() {
        int c = 0;
        for (double q : p) {
            if (q > 0) {
                c++;
            }
        }
        return c;
    }

    /** Draws a configuration v ~ p*. */
    public int sample(Rng rng) {
        double u = rng.nextDouble();
        int lo = 0;
        int hi = p.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        while (p[lo] == 0 && lo > 0) { // u landed exactly on a boundary before zero entries
            lo--;
        }
        return lo;
    }
}
