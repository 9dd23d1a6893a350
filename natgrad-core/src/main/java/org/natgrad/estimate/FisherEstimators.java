package org.natgrad.estimate;

import java.util.List;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.random.Rng;

/**
 * The two unbiased Fisher estimators of math.md §3.2, from N targets drawn from the model:
 * <ul>
 *   <li>Î1 = (1/N) Σ_i s_i s_i^T, the mean outer product of the scores s_i = J^T ε_i;</li>
 *   <li>Î2 = −(1/N) Σ_i ∂²ℓ_i = (1/N) Σ_i [J^T 𝓘(h) J − Σ_γ ε_iγ ∇²h_γ], the mean negative
 *       Hessian of the log-likelihood;</li>
 * </ul>
 * with ε_i = t(y_i) − η(h). Two settings (§3.3): a fixed input x ({@link #sample}) and inputs
 * drawn uniformly from a set together with the targets ({@link #sampleJoint}). Both return P x P
 * matrices (small networks: the inputs' {@link OutputDerivatives} must carry Hessians).
 */
public final class FisherEstimators {
    private FisherEstimators() {
    }

    /** Î1 and Î2 from the same N samples, both P x P. */
    public record Estimates(Matrix first, Matrix second, int samples) {
    }

    /** I(θ|x) = J^T 𝓘(h) J, P x P. */
    public static Matrix fisher(OutputDerivatives x, ExponentialFamily family) {
        Matrix b = family.fisherFactor(x.output());
        Matrix bj = MatOps.gemm(1, b, true, x.jacobian(), false, 0, null);
        return MatOps.syrk(1, bj, true, 0, null);
    }

    /** Î1, Î2 from N model samples at one fixed input. */
    public static Estimates sample(OutputDerivatives x, ExponentialFamily family, int n, Rng rng) {
        return sampleJoint(List.of(x), family, n, rng);
    }

    /**
     * Î1, Î2 from N pairs (x_i, y_i): x_i uniform over {@code inputs}, y_i ~ p(y | x_i). Unbiased
     * for I(θ) = mean over the inputs of I(θ|x).
     */
    public static Estimates sampleJoint(List<OutputDerivatives> inputs, ExponentialFamily family, int n, Rng rng) {
        requireSamples("FisherEstimators", n);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("FisherEstimators: no inputs");
        }
        int p = inputs.get(0).parameters();
        int d = inputs.get(0).outputs();
        Matrix first = new Matrix(p, p);
        Matrix second = new Matrix(p, p);
        double[] eps = new double[d];
        for (int i = 0; i < n; i++) {
            OutputDerivatives x = inputs.size() == 1 ? inputs.get(0) : inputs.get(rng.nextInt(inputs.size()));
            if (!x.hasHessians()) {
                throw new IllegalArgumentException("FisherEstimators: Î2 needs the output Hessians (OutputDerivatives.secondOrder)");
            }
            double[] h = x.output();
            family.sampleCentred(h, rng, eps);
            double[] s = MatOps.gemv(1, x.jacobian(), true, eps, 0, null);
            Matrix sc = new Matrix(p, 1, s);
            MatOps.syrk(1.0 / n, sc, false, 1, first);
            MatOps.axpy(1.0 / n, fisher(x, family), second);
            for (int g = 0; g < d; g++) {
                if (eps[g] != 0) {
                    MatOps.axpy(-eps[g] / n, x.hessian(g), second);
                }
            }
        }
        return new Estimates(first, second, n);
    }

    /** The smallest eigenvalue of a symmetric matrix (negative: Î2 is indefinite). */
    public static double smallestEigenvalue(Matrix symmetric) {
        SymmetricEigen e = SymmetricEigen.decompose(symmetric).orElseThrow(() ->
                new IllegalStateException("FisherEstimators: eigendecomposition failed for a " + symmetric.shape() + " matrix"));
        double m = Double.POSITIVE_INFINITY;
        for (double v : e.values()) {
            m = Math.min(m, v);
        }
        return m;
    }

    static void requireSamples(String who, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(who + ": the number of samples N must be >= 1, got " + n);
        }
    }
}
