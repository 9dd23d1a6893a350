package org.natgrad.estimate;

import org.natgrad.linalg.Matrix;

/**
 * How close a preconditioned kernel Θ_G (NC x NC, symmetric) is to α I (math.md §4.3):
 *
 * @param alpha              α = tr Θ_G / NC, the step-size scale (η* = 1/α)
 * @param diagonalSpread     relative spread of the diagonal: std(diag Θ_G) / mean(diag Θ_G)
 * @param offDiagonalNorm    Frobenius norm of the off-diagonal part
 * @param relativeDeviation  ‖Θ_G − α I‖_F / ‖α I‖_F = ‖Θ_G − αI‖_F / (α √NC)
 * @param minDiagonal        the smallest diagonal entry
 * @param maxDiagonal        the largest diagonal entry
 */
public record Isotropy(double alpha, double diagonalSpread, double offDiagonalNorm, double relativeDeviation,
                       double minDiagonal, double maxDiagonal) {

    /** The figures of Θ_G. */
    public static Isotropy of(Matrix thetaG) {
        if (!thetaG.isSquare() || thetaG.rows() == 0) {
            throw new IllegalArgumentException("Isotropy: need a non-empty square kernel, got " + thetaG.shape());
        }
        int bad = thetaG.firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException("Isotropy: kernel entry (" + bad % thetaG.rows() + ", " + bad / thetaG.rows()
                    + ") is " + thetaG.data()[bad]);
        }
        int n = thetaG.rows();
        double tr = thetaG.trace();
        double alpha = tr / n;
        double mean = alpha;
        double var = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double off = 0;
        double dev = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double v = thetaG.get(i, j);
                if (i == j) {
                    var += (v - mean) * (v - mean);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    dev += (v - alpha) * (v - alpha);
                } else {
                    off += v * v;
                    dev += v * v;
                }
            }
        }
        double spread = Math.sqrt(var / n) / Math.abs(mean);
        return new Isotropy(alpha, spread, Math.sqrt(off), Math.sqrt(dev) / (Math.abs(alpha) * Math.sqrt(n)), min, max);
    }
}
