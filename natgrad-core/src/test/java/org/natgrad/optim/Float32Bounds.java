package org.natgrad.optim;

import java.util.List;
import org.natgrad.curvature.Curvature;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Precision;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Layer;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;

/**
 * Tolerances for a float32 step against its float64 twin, derived from float32 rounding (never
 * fitted to the implementation's output). u = 2^-24.
 *
 * <ul>
 *   <li><b>One product.</b> fl(AB) with inner dimension k errs by at most γ_k |A||B| (γ_k = ku/(1−ku),
 *       Higham, Accuracy and Stability, Thm. 3.5); modelling the roundings as independent and mean
 *       zero, by at most λ√k·u |A||B| with probability ≥ 1 − 2 exp(−λ²/2)·(per entry) (Higham and
 *       Mary 2019, Thm. 3.1); λ = 5 (≥ 1 − 7.5·10⁻⁶ per entry). In the Frobenius norm that is a
 *       relative error of λ√k·u·κ with κ = ‖|A||B|‖/‖AB‖, the product's componentwise condition
 *       number, evaluated here on the double-precision pass.</li>
 *   <li><b>The pass</b> ({@link #pass}): τ = c·(λu·(Σ_p k_p κ_p²)^{1/2} + 2(L+1)u) over the L
 *       forward products W̄_l x̄_{l−1} (k = d_l), the L − 1 backward products W_l^T δ_l (k = n_l) and
 *       the L gradient products δ_l x̄_{l−1}^T (k = M), whose rounding errors are independent and so
 *       add in quadrature, plus a rounding of the input, of each layer's weights and of each
 *       activation (which add linearly); c = 4 bounds the amplification from one layer to the next
 *       (layer Jacobians of norm ≲ 2 for these O(1)-weight networks).</li>
 *   <li><b>Loss and gradient.</b> The output error r = f − y is formed in double from the float32
 *       output f, so its relative error is τ‖f‖/‖r‖: the Gaussian loss ‖r‖²/2M errs by
 *       2τ‖f‖/‖r‖ relative ({@link #loss}), the gradient by τ(1 + ‖f‖/‖r‖) ({@link #gradient}).</li>
 *   <li><b>A solve.</b> Solving with a matrix whose statistics carry relative error ε_A and a right
 *       side with error ε_b errs by κ_S(ε_b + ε_A) (first order), κ_S the condition number of the
 *       damped solve operator ({@link #solveCondition}, from its dense form in double). The
 *       statistics are second moments of float32 inputs and errors: ε_A ≤ 4τ (2τ per factor of a
 *       product of two); factor work in float32 (Cholesky and triangular solves of an n x n factor)
 *       adds backward errors of 2(n+1)u per factor, 4(n+1)u for the two ({@link #solve}).</li>
 * </ul>
 */
final class Float32Bounds {
    static final double U = Precision.SINGLE.unitRoundoff();
    static final double LAMBDA = 5;
    static final double C = 4;

    private Float32Bounds() {
    }

    /** τ of the float32 pass of {@code net} on {@code batch}, from its double-precision pass (Gaussian-style output error f − y). */
    static double pass(Network net, Likelihood likelihood, Batch batch) {
        Trace t = net.forward(batch.inputs());
        Backprop bp = net.backward(t, likelihood.outputError(t.output(), batch.targets()), false);
        List<Layer> layers = net.layers();
        double s = 0;
        for (int l = 0; l < layers.size(); l++) {
            Matrix wb = augmented(layers.get(l));
            Matrix xb = t.inputWithBias(l);
            s += xb.rows() * square(condition(wb, false, xb, false));
            Matrix delta = bp.error(l);
            if (l > 0) {
                s += delta.rows() * square(condition(layers.get(l).weights(), true, delta, false));
            }
            s += delta.cols() * square(condition(delta, false, xb, true));
        }
        return C * (LAMBDA * U * Math.sqrt(s) + 2 * (layers.size() + 1) * U);
    }

    /** ‖f‖/‖f − y‖ of the double-precision pass. */
    static double outputRatio(Network net, Likelihood likelihood, Batch batch) {
        Matrix f = net.forward(batch.inputs()).output();
        return f.frobeniusNorm() / likelihood.outputError(f, batch.targets()).frobeniusNorm();
    }

    /** Relative tolerance of the float32 loss: 2τ‖f‖/‖r‖ + 2u (the loss's own rounding is double). */
    static double loss(Network net, Likelihood likelihood, Batch batch) {
        return 2 * pass(net, likelihood, batch) * outputRatio(net, likelihood, batch) + 2 * U;
    }

    /** Relative tolerance of the float32 gradient: τ(1 + ‖f‖/‖r‖). */
    static double gradient(Network net, Likelihood likelihood, Batch batch) {
        return pass(net, likelihood, batch) * (1 + outputRatio(net, likelihood, batch));
    }

    /**
     * Relative tolerance of a solve κ_S(ε_b + 4τ + 4(n+1)u), with ε_b the right side's relative error
     * and n the largest factor size (n + 1 when the factor work is double: harmless over-estimate).
     */
    static double solve(double kappa, double rightSide, double tau, int n) {
        return kappa * (rightSide + 4 * tau + 4 * (n + 1) * U);
    }

    /**
     * κ_S = max|μ|/min|μ| over the eigenvalues μ of the solve operator v ↦ c.solve(v, damping),
     * formed column by column in double precision (symmetric for every representation: (G + λI)^{-1},
     * Kronecker products of inverses of damped factors, or the block tri-diagonal approximate inverse,
     * which need not be definite).
     */
    static double solveCondition(Curvature c, double damping) {
        int p = c.size();
        Matrix s = new Matrix(p, p);
        double[] e = new double[p];
        for (int j = 0; j < p; j++) {
            e[j] = 1;
            System.arraycopy(c.solve(e, damping), 0, s.data(), j * p, p);
            e[j] = 0;
        }
        double[] v = SymmetricEigen.decompose(MatOps.symmetrizeInPlace(s)).orElseThrow().values();
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
            min = Math.min(min, Math.abs(x));
        }
        return max / min;
    }

    private static double square(double x) {
        return x * x;
    }

    /** ‖|op(A)||op(B)|‖_F / ‖op(A) op(B)‖_F. */
    static double condition(Matrix a, boolean ta, Matrix b, boolean tb) {
        double num = MatOps.gemm(1, abs(a), ta, abs(b), tb, 0, null).frobeniusNorm();
        double den = MatOps.gemm(1, a, ta, b, tb, 0, null).frobeniusNorm();
        return den > 0 ? num / den : 1;
    }

    private static Matrix abs(Matrix a) {
        Matrix r = a.copy();
        double[] d = r.data();
        for (int k = 0; k < d.length; k++) {
            d[k] = Math.abs(d[k]);
        }
        return r;
    }

    /** [W, b] (or W without a bias). */
    private static Matrix augmented(Layer layer) {
        Matrix w = layer.weights();
        if (!layer.hasBias()) {
            return w;
        }
        Matrix r = new Matrix(w.rows(), w.cols() + 1);
        System.arraycopy(w.data(), 0, r.data(), 0, w.size());
        System.arraycopy(layer.bias().data(), 0, r.data(), w.size(), w.rows());
        return r;
    }
}
