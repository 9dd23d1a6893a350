package org.natgrad.deeplinear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.natgrad.linalg.Cholesky;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * The per-layer natural-gradient updates of a deep linear network with exact population
 * statistics (math.md Eqs. 10, 16, 20). Every method returns the step to <b>add</b> to W_i (a
 * descent direction), as a list whose element i-1 is layer i (shape n_i x n_{i-1}).
 *
 * <p>Eq. 10: ΔW_i = (1/L) Λ̃_i^{-1} ⟨e_i x_{i-1}^T⟩ Λ_i^{-1} with Λ̃_i = A_i^T Σ̃^{-1} A_i,
 * Λ_i = B_i Σ B_i^T and ⟨e_i x_{i-1}^T⟩ = −∂L/∂W_i. For a square invertible network this is
 * −(F^g ∇L)_i with the F^g of Eq. 23 (check B4).
 */
public final class NaturalGradientUpdate {

    /**
     * Relative tolerance of the pseudo-inverses of Λ_i and Λ̃_i: eigenvalues at or below this times
     * the largest eigenvalue of the same matrix are treated as zero.
     */
    public static final double PINV_REL_TOL = 1e-10;

    /**
     * Relative tolerance for "invertible" when pseudo-inverses are not allowed: the smallest
     * eigenvalue of Λ_i, Λ̃_i must exceed this times the largest.
     */
    public static final double INVERTIBLE_REL_TOL = 1e-12;

    private NaturalGradientUpdate() {
    }

    /**
     * Eq. 10 with exact population statistics.
     *
     * @param pseudoInverse if true, Λ_i^{-1} and Λ̃_i^{-1} are Moore-Penrose pseudo-inverses (relative
     *                      tolerance {@link #PINV_REL_TOL}), as the paper prescribes for non-square
     *                      nets; if false they must be invertible
     * @throws IllegalArgumentException if pseudoInverse is false and some Λ_i or Λ̃_i is singular
     *                                  (the message names the layer)
     */
    public static List<Matrix> eq10(DeepLinearModel m, boolean pseudoInverse) {
        int l = m.depth();
        List<Matrix> out = new ArrayList<>();
        for (int i = 1; i <= l; i++) {
            Matrix lt = inv(m.lambdaTilde(i), pseudoInverse, "Eq. 10: Λ̃_" + i + " = A_" + i + "^T Σ̃^-1 A_" + i);
            Matrix lx = inv(m.lambda(i), pseudoInverse, "Eq. 10: Λ_" + i + " = B_" + i + " Σ B_" + i + "^T");
            out.add(MatOps.scaleInPlace(1.0 / l, Lin.mul(lt, m.errorInputCorrelation(i), lx)));
        }
        return out;
    }

    /** {@link #eq10} in the flat parameter order. */
    public static double[] eq10Flat(DeepLinearModel m, boolean pseudoInverse) {
        return m.flatten(eq10(m, pseudoInverse));
    }

    /**
     * Eq. 16, square invertible case: ΔW_i = (1/L) A_i^{-1} ⟨(y − x_L) x^T⟩ Σ^{-1} B_i^{-1}. An
     * independent route to Eq. 10 for tests (the output covariance Σ̃ has cancelled).
     *
     * @throws IllegalArgumentException if the widths differ or some A_i, B_i is singular
     */
    public static List<Matrix> eq16(DeepLinearModel m) {
        if (!m.isSquare()) {
            throw new IllegalArgumentException("Eq. 16 needs equal widths, got " + Arrays.toString(m.widths()));
        }
        int l = m.depth();
        Matrix cs = Lin.sub(m.target(), m.totalRef()); // C Σ^{-1} = W* − W
        List<Matrix> out = new ArrayList<>();
        for (int i = 1; i <= l; i++) {
            Matrix ai = Lin.inverse(m.aRef(i), GeneralizedInverse.INVERTIBLE_REL_TOL, "Eq. 16: A_" + i);
            Matrix bi = Lin.inverse(m.bRef(i), GeneralizedInverse.INVERTIBLE_REL_TOL, "Eq. 16: B_" + i);
            out.add(MatOps.scaleInPlace(1.0 / l, Lin.mul(ai, cs, bi)));
        }
        return out;
    }

    /**
     * The damped direction of the discrete algorithm in the official code's sign,
     * D_i = (Λ̃_i + √λ I)^{-1} G_i (Λ_i + √λ I)^{-1}, with G_i = ∂L/∂W_i (math.md §2.7). For
     * λ = 0 the inverses are plain (pseudoInverse false) or pseudo-inverses.
     *
     * @param lambda the damping λ ≥ 0; √λ is added to both factors
     */
    public static List<Matrix> dampedDirection(DeepLinearModel m, double lambda, boolean pseudoInverse) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("damping λ must be finite and >= 0, got " + lambda);
        }
        if (lambda == 0) {
            List<Matrix> u = eq10(m, pseudoInverse);
            u.replaceAll(x -> MatOps.scaleInPlace(-m.depth(), x));
            return u;
        }
        double s = Math.sqrt(lambda);
        List<Matrix> out = new ArrayList<>();
        for (int i = 1; i <= m.depth(); i++) {
            Matrix lt = psdDampedInverse(m.lambdaTilde(i), s, "Λ̃_" + i);
            Matrix lx = psdDampedInverse(m.lambda(i), s, "Λ_" + i);
            out.add(Lin.mul(lt, m.gradient(i), lx));
        }
        return out;
    }

    /**
     * The damped update of Eq. 20: ΔW_i = (α/L) (Λ̃_i + √λ I)^{-1} ⟨e_i x_{i-1}^T⟩ (Λ_i + √λ I)^{-1}
     * = −(α/L) D_i. With λ = 0 it is α times {@link #eq10}. As λ → ∞, λ ΔW_i → −(α/L) ∂L/∂W_i
     * (check B13).
     */
    public static List<Matrix> eq20(DeepLinearModel m, double alpha, double lambda, boolean pseudoInverse) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Eq. 20: step size α must be finite and > 0, got " + alpha);
        }
        List<Matrix> d = dampedDirection(m, lambda, pseudoInverse);
        double c = -alpha / m.depth();
        d.replaceAll(x -> MatOps.scaleInPlace(c, x));
        return d;
    }

    /** W_i + ΔW_i for every layer (element i-1 is layer i). */
    public static List<Matrix> applied(DeepLinearModel m, List<Matrix> step) {
        m.requireLayerShapes("applied", step);
        List<Matrix> w = new ArrayList<>();
        for (int i = 1; i <= m.depth(); i++) {
            w.add(MatOps.axpy(1, step.get(i - 1), m.weight(i)));
        }
        return w;
    }

    /**
     * (A + s I)^{-1} for a positive semi-definite A (Λ_i or Λ̃_i, PSD by construction): Cholesky, and
     * when that fails (round-off below zero in a rank-deficient factor with a tiny s) the
     * eigendecomposition with eigenvalues clipped at 0.
     */
    static Matrix psdDampedInverse(Matrix a, double s, String what) {
        Matrix shifted = MatOps.addDiagonalInPlace(a.copy(), s);
        var chol = Cholesky.decompose(shifted);
        if (chol.isPresent()) {
            return MatOps.symmetrizeInPlace(chol.get().inverse());
        }
        return Lin.eigen(a, what).apply(v -> 1.0 / (Math.max(v, 0) + s));
    }

    private static Matrix inv(Matrix a, boolean pseudo, String what) {
        return pseudo ? Lin.symmetricPseudoInverse(a, PINV_REL_TOL, what) : Lin.spdInverse(a, INVERTIBLE_REL_TOL,
                what + " (use pseudoInverse = true for non-square or rank-deficient networks)");
    }
}
