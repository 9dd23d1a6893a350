package org.natgrad.estimate;

import java.util.List;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * Element-wise closed-form (co)variances of the two estimators (math.md §3.3–3.5), for networks
 * small enough to hold P x P matrices and the output Hessians. At a fixed input x, per sample:
 * <ul>
 *   <li>N Var(Î1)_ab = E[s_a² s_b²] − I_ab² = κ4(j_a,j_b,j_a,j_b) + I_aa I_bb + I_ab²;</li>
 *   <li>N Var(Î2)_ab = H_ab^T 𝓘(h) H_ab with H_ab = (∂²h_γ/∂θ_a∂θ_b)_γ;</li>
 *   <li>N Cov(Î1_ab, Î2_ab) = −κ3(j_a, j_b, H_ab) (same samples).</li>
 * </ul>
 * With inputs sampled too, each gets the same extra term Var_x(I_ab(θ|x)) before dividing by N.
 */
public final class ClosedFormVariance {
    private ClosedFormVariance() {
    }

    /**
     * Var(Î1)_ab, Var(Î2)_ab and Cov(Î1_ab, Î2_ab) for N samples, all P x P, and the bounds of
     * §3.5 on the two variances.
     */
    public record Elementwise(Matrix var1, Matrix var2, Matrix cov12, Matrix bound1, Matrix bound2, int samples) {
        /** Σ_ab Var(Î1)_ab. */
        public double totalVar1() {
            return sum(var1);
        }

        /** Σ_ab Var(Î2)_ab. */
        public double totalVar2() {
            return sum(var2);
        }
    }

    /** The fixed-input variances with N samples (x must carry its Hessians). */
    public static Elementwise fixedInput(OutputDerivatives x, ExponentialFamily family, int n) {
        FisherEstimators.requireSamples("ClosedFormVariance", n);
        PerSample s = perSample(x, family);
        return new Elementwise(scale(s.v1, n), scale(s.v2, n), scale(s.c12, n), scale(s.b1, n), scale(s.b2, n), n);
    }

    /**
     * Joint sampling of (x, y) with x uniform over {@code inputs}: (1/N)(mean_x[per-sample
     * variance at x] + Var_x(I(θ|x))). The bounds are averaged over x (without the Var_x term).
     */
    public static Elementwise joint(List<OutputDerivatives> inputs, ExponentialFamily family, int n) {
        FisherEstimators.requireSamples("ClosedFormVariance", n);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("ClosedFormVariance: no inputs");
        }
        int p = inputs.get(0).parameters();
        Matrix v1 = new Matrix(p, p);
        Matrix v2 = new Matrix(p, p);
        Matrix c12 = new Matrix(p, p);
        Matrix b1 = new Matrix(p, p);
        Matrix b2 = new Matrix(p, p);
        Matrix mean = new Matrix(p, p);
        Matrix meanSq = new Matrix(p, p);
        double w = 1.0 / inputs.size();
        for (OutputDerivatives x : inputs) {
            PerSample s = perSample(x, family);
            MatOps.axpy(w, s.v1, v1);
            MatOps.axpy(w, s.v2, v2);
            MatOps.axpy(w, s.c12, c12);
            MatOps.axpy(w, s.b1, b1);
            MatOps.axpy(w, s.b2, b2);
            MatOps.axpy(w, s.fisher, mean);
            MatOps.axpy(w, MatOps.hadamard(s.fisher, s.fisher, null), meanSq);
        }
        Matrix varX = MatOps.subtract(meanSq, MatOps.hadamard(mean, mean, null), null);
        MatOps.axpy(1, varX, v1);
        MatOps.axpy(1, varX, v2);
        MatOps.axpy(1, varX, c12);
        return new Elementwise(scale(v1, n), scale(v2, n), scale(c12, n), scale(b1, n), scale(b2, n), n);
    }

    private record PerSample(Matrix fisher, Matrix v1, Matrix v2, Matrix c12, Matrix b1, Matrix b2) {
    }

    private static PerSample perSample(OutputDerivatives x, ExponentialFamily family) {
        if (!x.hasHessians()) {
            throw new IllegalArgumentException("ClosedFormVariance: needs the output Hessians (OutputDerivatives.secondOrder)");
        }
        double[] h = x.output();
        Matrix j = x.jacobian();
        int d = j.rows();
        int p = j.cols();
        Matrix fisher = FisherEstimators.fisher(x, family);
        // Var(Î1): M4 − I∘I
        Matrix v1 = family.fourthMoments(h, j);
        double[] vd = v1.data();
        double[] fd = fisher.data();
        for (int k = 0; k < vd.length; k++) {
            vd[k] -= fd[k] * fd[k];
        }
        // Var(Î2): Σ_k (Σ_γ B_γk H^γ)², with B B^T = 𝓘
        Matrix b = family.fisherFactor(h);
        Matrix v2 = new Matrix(p, p);
        Matrix comb = new Matrix(p, p);
        for (int k = 0; k < b.cols(); k++) {
            comb.fill(0);
            boolean any = false;
            for (int g = 0; g < d; g++) {
                double c = b.get(g, k);
                if (c != 0) {
                    MatOps.axpy(c, x.hessian(g), comb);
                    any = true;
                }
            }
            if (any) {
                double[] cd = comb.data();
                double[] v2d = v2.data();
                for (int q = 0; q < cd.length; q++) {
                    v2d[q] += cd[q] * cd[q];
                }
            }
        }
        // Cov: −Σ_γ (J^T κ3[:,:,γ] J)_ab H^γ_ab
        Matrix c12 = new Matrix(p, p);
        for (int g = 0; g < d; g++) {
            Matrix k3 = family.kappa3Slice(h, g);
            if (k3.maxAbs() == 0) {
                continue;
            }
            Matrix kj = MatOps.gemm(1, k3, false, j, false, 0, null);
            Matrix jkj = MatOps.gemm(1, j, true, kj, false, 0, null);
            double[] cd = c12.data();
            double[] kd = jkj.data();
            double[] hd = x.hessian(g).data();
            for (int q = 0; q < cd.length; q++) {
                cd[q] -= kd[q] * hd[q];
            }
        }
        // bounds: ‖j_a‖²‖j_b‖² m4 and λ_max(𝓘) ‖H_ab‖²
        double m4 = family.m4Bound(h);
        double lmax = family.maxFisherEigenvalue(h);
        double[] norms = new double[p];
        for (int a = 0; a < p; a++) {
            double s = 0;
            for (int g = 0; g < d; g++) {
                s += j.get(g, a) * j.get(g, a);
            }
            norms[a] = s;
        }
        Matrix b1 = new Matrix(p, p);
        Matrix b2 = new Matrix(p, p);
        for (int c = 0; c < p; c++) {
            for (int r = 0; r < p; r++) {
                b1.set(r, c, m4 * norms[r] * norms[c]);
            }
        }
        for (int g = 0; g < d; g++) {
            double[] hd = x.hessian(g).data();
            double[] bd = b2.data();
            for (int q = 0; q < hd.length; q++) {
                bd[q] += lmax * hd[q] * hd[q];
            }
        }
        return new PerSample(fisher, v1, v2, c12, b1, b2);
    }

    private static Matrix scale(Matrix m, int n) {
        return MatOps.scale(1.0 / n, m, null);
    }

    private static double sum(Matrix m) {
        double s = 0;
        for (double v : m.data()) {
            s += v;
        }
        return s;
    }
}
