package org.natgrad.curvature;

import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.ParamVector;

/**
 * The diagonal of the Fisher: per layer diag F_ll = vec((D_l ∘ D_l)(X̄_l ∘ X̄_l)^T). Solving divides by
 * the diagonal plus ρ; with ρ = 0 entries at or below the relative cut-off are dropped (pseudo-inverse).
 */
public final class DiagonalFisher extends AbstractCurvature {
    private final double[] diagonal;

    DiagonalFisher(CurvatureStatistics samples, ParamVector template) {
        super(CurvatureChoice.DIAGONAL, samples, template);
        this.diagonal = new double[samples.parameterCount()];
        for (int l = 0; l < samples.layers(); l++) {
            Matrix d2 = samples.errors()[l].copy().mapInPlace(v -> v * v);
            Matrix x2 = samples.inputs()[l].copy().mapInPlace(v -> v * v);
            Matrix b = MatOps.gemm(1, d2, false, x2, true, 0, null);
            System.arraycopy(b.data(), 0, diagonal, samples.offset(l), b.size());
        }
    }

    /** The diagonal (a copy). */
    @Override
    public double[] diagonal() {
        return diagonal.clone();
    }

    @Override
    public double[] multiply(double[] v) {
        check(v);
        double[] out = new double[v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = diagonal[i] * v[i];
        }
        return out;
    }

    @Override
    public double[] solve(double[] g, double damping) {
        checkSolve(g, damping);
        double cut = PsdSolver.cutoff(diagonal);
        double[] out = new double[g.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = damping > 0 ? g[i] / (diagonal[i] + damping) : (diagonal[i] > cut ? g[i] / diagonal[i] : 0);
        }
        return out;
    }

    @Override
    public Matrix toDense() {
        requireDenseSize("DiagonalFisher.toDense", size());
        return Matrix.diagonal(diagonal);
    }

    @Override
    public double trace() {
        return accumulate(0, diagonal);
    }

    @Override
    public long bytes() {
        return 8L * diagonal.length;
    }
}
