package org.natgrad.matrixfree;

import java.util.function.DoubleUnaryOperator;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.random.Rng;

/**
 * The spectral density of a symmetric operator A (size P), φ(λ) = (1/P) Σ_i δ(λ − λ_i), estimated by
 * stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017; Ghorbani, Krishnan & Xiao 2019): for each
 * probe v, m Lanczos steps from v/‖v‖ give the Gauss quadrature v^T f(A) v / v^T v ≈ Σ_j τ_j² f(θ_j)
 * (θ_j the Ritz values, τ_j the first entries of T's eigenvectors), exact for polynomials f of
 * degree ≤ 2m − 1. Averaging over n_v probes gives {@link #nodes()} and {@link #weights()}, which sum
 * to 1: (1/P) tr f(A) ≈ Σ w_j f(θ_j), unbiased over Rademacher probes up to the quadrature error.
 *
 * @param nodes     Ritz values θ of all probes, concatenated
 * @param weights   τ² / n_v per node (they sum to 1)
 * @param dimension P
 */
public record SpectralDensity(double[] nodes, double[] weights, int dimension) {

    /** {@code probes} Rademacher probes (entries ±1) drawn with {@code seed}, {@code steps} Lanczos steps each. */
    public static SpectralDensity estimate(LinearOperator a, int probes, int steps, long seed) {
        if (probes < 1) {
            throw new IllegalArgumentException("SpectralDensity: probes must be >= 1, got " + probes);
        }
        return estimate(a, TraceEstimator.rademacher(a.size(), probes, new Rng(seed)), steps);
    }

    /** From the given probe vectors (the columns of {@code probes}, P x n_v, each non-zero). */
    public static SpectralDensity estimate(LinearOperator a, Matrix probes, int steps) {
        if (probes.rows() != a.size() || probes.cols() < 1) {
            throw new IllegalArgumentException("SpectralDensity: probes are " + probes.shape() + ", expected "
                    + a.size() + " x n_v with n_v >= 1");
        }
        int nv = probes.cols();
        double[][] nodes = new double[nv][];
        double[][] weights = new double[nv][];
        int total = 0;
        for (int v = 0; v < nv; v++) {
            Lanczos.Tridiagonal t = Lanczos.run(a, probes.column(v), steps);
            SymmetricEigen e = t.eigen();
            int m = t.steps();
            nodes[v] = e.values().clone();
            weights[v] = new double[m];
            for (int j = 0; j < m; j++) {
                double tau = e.vectors().get(0, j);
                weights[v][j] = tau * tau / nv;
            }
            total += m;
        }
        double[] n = new double[total];
        double[] w = new double[total];
        int o = 0;
        for (int v = 0; v < nv; v++) {
            System.arraycopy(nodes[v], 0, n, o, nodes[v].length);
            System.arraycopy(weights[v], 0, w, o, weights[v].length);
            o += nodes[v].length;
        }
        return new SpectralDensity(n, w, a.size());
    }

    /** Σ_j w_j f(θ_j) ≈ (1/P) tr f(A). */
    public double integrate(DoubleUnaryOperator f) {
        double s = 0;
        for (int j = 0; j < nodes.length; j++) {
            s += weights[j] * f.applyAsDouble(nodes[j]);
        }
        return s;
    }

    /** P Σ_j w_j f(θ_j) ≈ tr f(A) (e.g. f = identity: the trace; f = log(λ + ρ): log det(A + ρI)). */
    public double trace(DoubleUnaryOperator f) {
        return dimension * integrate(f);
    }

    /**
     * The density smoothed by a Gaussian kernel of width {@code sigma} > 0, Σ_j w_j N(λ; θ_j, σ²), at
     * each grid point (it integrates to 1 over the real line).
     */
    public double[] smoothed(double[] grid, double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("SpectralDensity.smoothed: sigma must be > 0, got " + sigma);
        }
        double[] out = new double[grid.length];
        double c = 1 / (sigma * Math.sqrt(2 * Math.PI));
        for (int g = 0; g < grid.length; g++) {
            double s = 0;
            for (int j = 0; j < nodes.length; j++) {
                double z = (grid[g] - nodes[j]) / sigma;
                s += weights[j] * Math.exp(-0.5 * z * z);
            }
            out[g] = c * s;
        }
        return out;
    }
}
