package org.natgrad.curvature;

import org.natgrad.statistics.CurvatureStatistics;
import java.util.function.UnaryOperator;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;

/**
 * Solves with a PSD matrix M = S S^T (d x d) that is known only through its samples S (d x K,
 * applied as operators) and their K x K Gram matrix Γ = S^T S = V diag(λ) V^T: the data-space
 * (dual) form of math.md §4.2, used when K &lt; d. With damping ρ &gt; 0 it is the Woodbury
 * identity (M + ρI)^{-1} g = (g − S V diag(1/(λ+ρ)) V^T S^T g)/ρ; with ρ = 0 the Moore–Penrose
 * solution M^+ g = S V diag(1/λ²) V^T S^T g (λ above the relative cut-off). Costs one S^T and one
 * S application plus O(K²) per solve, after one K³ eigendecomposition.
 */
final class GramSolver {
    private final UnaryOperator<double[]> s;
    private final UnaryOperator<double[]> st;
    private final Matrix v;
    private final double[] lambda;

    GramSolver(Matrix gram, UnaryOperator<double[]> s, UnaryOperator<double[]> st, String what) {
        SymmetricEigen e = SymmetricEigen.decompose(gram).orElseThrow(() ->
                new ArithmeticException("eigendecomposition of the Gram matrix of " + what + " (" + gram.shape()
                        + ") failed"));
        this.v = e.vectors();
        this.lambda = e.values().clone();
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = Math.max(lambda[i], 0);
        }
        this.s = s;
        this.st = st;
    }

    /** (M + ρI)^{-1} g (ρ &gt; 0) or M^+ g (ρ = 0). */
    double[] solve(double[] g, double rho) {
        double[] w = MatOps.gemv(1, v, true, st.apply(g), 0, null);
        double c = Spectrum.cut(lambda);
        for (int i = 0; i < w.length; i++) {
            w[i] *= rho > 0 ? -1 / (rho * (lambda[i] + rho)) : (lambda[i] > c ? 1 / (lambda[i] * lambda[i]) : 0);
        }
        double[] x = s.apply(MatOps.gemv(1, v, false, w, 0, null));
        if (rho > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] += g[i] / rho;
            }
        }
        return x;
    }

    /**
     * S_k^T (M + ρI)^{-1} S_k for other samples S_k given by G_k = S_k^T S_k and C = S_k^T S
     * (K_k x K): (G_k − C V diag(1/(λ+ρ)) V^T C^T)/ρ, or C V diag(1/λ²) V^T C^T for ρ = 0.
     */
    Matrix kernel(Matrix gk, Matrix cross, double rho) {
        Matrix cv = MatOps.multiply(cross, v);
        double c = Spectrum.cut(lambda);
        Matrix scaled = cv.copy();
        double[] f = new double[lambda.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = rho > 0 ? -1 / (rho * (lambda[i] + rho)) : (lambda[i] > c ? 1 / (lambda[i] * lambda[i]) : 0);
        }
        CurvatureStatistics.scaleColumns(scaled, f);
        Matrix out = MatOps.gemm(1, scaled, false, cv, true, 0, null);
        if (rho > 0) {
            MatOps.axpy(1 / rho, gk, out);
        }
        return MatOps.symmetrizeInPlace(out);
    }

    long bytes() {
        return 8L * (v.size() + lambda.length);
    }
}
