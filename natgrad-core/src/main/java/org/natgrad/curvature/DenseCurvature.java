package org.natgrad.curvature;

import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.GramSolver;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.ParamVector;

/**
 * The exact Fisher F = S S^T as a curvature. Solves go through the data-space (dual) form of
 * math.md §4.2 when the sample count K is below P (one K x K eigendecomposition; for the NTK
 * samples this is (F + ρI)^{-1} J^T e/N = J^T (Θ + ρI)^{-1} e/N), and through the P x P
 * eigendecomposition otherwise.
 */
public final class DenseCurvature extends AbstractCurvature {
    private GramSolver dual;
    private PsdSolver primal;

    DenseCurvature(CurvatureStatistics samples, ParamVector template) {
        super(CurvatureChoice.EXACT, samples, template);
    }

    /** True when solves use the K x K data-space form. */
    public boolean usesDualForm() {
        return samples.count() < size();
    }

    public CurvatureStatistics samples() {
        return samples;
    }

    @Override
    public double[] multiply(double[] v) {
        return samples.apply(samples.applyT(check(v)));
    }

    @Override
    public double[] solve(double[] g, double damping) {
        checkSolve(g, damping);
        if (usesDualForm()) {
            return dual().solve(damping, g);
        }
        if (primal == null) {
            primal = PsdSolver.eigen(toDense(), "the exact Fisher");
        }
        return primal.solve(damping, g.clone());
    }

    private GramSolver dual() {
        if (dual == null) {
            dual = PsdSolver.dataSpace(size(), samples.gram(), samples::apply, samples::applyT, "the exact Fisher");
        }
        return dual;
    }

    @Override
    public Matrix kernel(CurvatureStatistics k, double damping) {
        requireDamping(damping);
        if (!usesDualForm()) {
            return kernelBySolves(k, damping);
        }
        Matrix gk = k.gram();
        Matrix cross = CurvatureStatistics.cross(k, 0, samples);
        for (int l = 1; l < k.layers(); l++) {
            MatOps.axpy(1, CurvatureStatistics.cross(k, l, samples), cross);
        }
        return dual().kernel(gk, cross, damping);
    }

    @Override
    public Matrix toDense() {
        return samples.fisher();
    }

    @Override
    public long bytes() {
        return sampleBytes(samples) + solverBytes(dual, primal);
    }
}
