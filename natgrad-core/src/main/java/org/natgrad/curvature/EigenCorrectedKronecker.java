package org.natgrad.curvature;

import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.ParamVector;

/**
 * EK-FAC (George et al. 2018): each diagonal block F_ll ≈ (Q_A ⊗ Q_B) diag(vec s) (Q_A ⊗ Q_B)^T,
 * where Q_A and Q_B are the eigenbases of the K-FAC factors Λ_l and Λ̃_l, and the n_l x d_l
 * rescaling s is fitted from the per-sample gradients: s = Σ_k (Q_B^T δ_k)^{∘2} ((Q_A^T x̄_k)^{∘2})^T,
 * the exact diagonal of F_ll in that basis (so tr G = tr F on every block). Solving with ρ divides
 * by s + ρ in the basis; ρ = 0 divides by s where s is above the relative cut-off and drops the rest.
 */
public final class EigenCorrectedKronecker extends AbstractCurvature {
    private final Matrix[] qa;
    private final Matrix[] qb;
    private final Matrix[] scaling;

    EigenCorrectedKronecker(CurvatureStatistics samples, ParamVector template) {
        super(CurvatureChoice.EKFAC, samples, template);
        int layers = samples.layers();
        qa = new Matrix[layers];
        qb = new Matrix[layers];
        scaling = new Matrix[layers];
        for (int l = 0; l < layers; l++) {
            Matrix x = samples.inputs()[l];
            Matrix d = samples.errors()[l];
            qa[l] = PsdSolver.eigen(MatOps.syrk(1.0 / x.cols(), x, false, 0, null), "EK-FAC factor Lambda of layer "
                    + (l + 1)).vectors();
            qb[l] = PsdSolver.eigen(MatOps.syrk(1, d, false, 0, null), "EK-FAC factor LambdaTilde of layer "
                    + (l + 1)).vectors();
            Matrix a = MatOps.gemm(1, qa[l], true, x, false, 0, null);
            Matrix b = MatOps.gemm(1, qb[l], true, d, false, 0, null);
            a.mapInPlace(v -> v * v);
            b.mapInPlace(v -> v * v);
            scaling[l] = MatOps.gemm(1, b, false, a, true, 0, null);
        }
    }

    /** The fitted n_l x d_l rescaling of layer l (a copy). */
    public Matrix scaling(int l) {
        return scaling[l].copy();
    }

    private Matrix inBasis(int l, Matrix v) {
        return MatOps.multiply(MatOps.gemm(1, qb[l], true, v, false, 0, null), qa[l]);
    }

    private Matrix fromBasis(int l, Matrix c) {
        return MatOps.gemm(1, MatOps.multiply(qb[l], c), false, qa[l], true, 0, null);
    }

    @Override
    public double[] multiply(double[] v) {
        return byLayer(check(v), (l, block) -> {
            Matrix c = inBasis(l, block);
            MatOps.hadamard(c, scaling[l], c);
            return fromBasis(l, c);
        });
    }

    @Override
    public double[] solve(double[] g, double damping) {
        return byLayer(checkSolve(g, damping), (l, block) -> {
            Matrix c = inBasis(l, block);
            double cut = PsdSolver.cutoff(scaling[l].data());
            double[] cd = c.data();
            double[] sd = scaling[l].data();
            for (int i = 0; i < cd.length; i++) {
                cd[i] = damping > 0 ? cd[i] / (sd[i] + damping) : (sd[i] > cut ? cd[i] / sd[i] : 0);
            }
            return fromBasis(l, c);
        });
    }

    @Override
    public Matrix toDense() {
        return blockDiagonalDense("EigenCorrectedKronecker.toDense", l -> {
            Matrix q = MatOps.kron(qa[l], qb[l]);
            Matrix qs = q.copy();
            MatOps.scaleColumnsInPlace(qs, scaling[l].data());
            return MatOps.gemm(1, qs, false, q, true, 0, null);
        });
    }

    @Override
    public double trace() {
        double t = 0;
        for (Matrix s : scaling) {
            t = accumulate(t, s.data());
        }
        return t;
    }

    @Override
    public long bytes() {
        long b = sampleBytes(samples);
        for (int l = 0; l < samples.layers(); l++) {
            b += 8L * (qa[l].size() + qb[l].size() + scaling[l].size());
        }
        return b;
    }
}
