package org.natgrad.deeplinear;

import java.util.Arrays;
import org.natgrad.curvature.KroneckerGeneralizedInverse;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * Generalized inverses F^g of the (always singular) population Fisher, i.e. matrices with
 * F F^g F = F (math.md §1, §2.5). All are dense P x P in natgrad's flat parameter order.
 */
public final class GeneralizedInverse {

    /**
     * Relative tolerance used to decide that a matrix is invertible in {@link #eq23}: the smallest
     * singular value must exceed this times the largest.
     */
    public static final double INVERTIBLE_REL_TOL = 1e-12;

    private GeneralizedInverse() {
    }

    /**
     * The paper's generalized inverse (Eq. 23) for a network whose widths are all equal and whose
     * weights are invertible (Σ and Σ̃ are positive definite by construction of the model):
     *
     * <pre>(F^g)_ij = (1/L²) ⟨x_{j-1} x_{i-1}^T⟩^{-1} ⊗ ⟨e_j e_i^T⟩^{-1}
     *           = (1/L²) (B_j Σ B_i^T)^{-1} ⊗ (A_j^T Σ̃^{-1} A_i)^{-1}.</pre>
     *
     * Equivalently (F^g)_ij = L^{-2} Ψ_i K^{-1} Ψ_j^T with Ψ_i = Φ_i^{-1}: a reflexive g-inverse
     * that differs from the Moore-Penrose F^+ (checks B2, B3).
     *
     * @throws IllegalArgumentException if the widths differ (naming them) or some W_i is singular
     */
    public static Matrix eq23(DeepLinearModel m) {
        if (!m.isSquare()) {
            throw new IllegalArgumentException("GeneralizedInverse.eq23: Eq. 23 needs equal widths (square, invertible "
                    + "blocks), got widths " + Arrays.toString(m.widths())
                    + "; use PopulationFisher with a pseudo-inverse or Projections.tangentProjector instead");
        }
        int l = m.depth();
        for (int i = 1; i <= l; i++) {
            Lin.inverse(m.weightRef(i), INVERTIBLE_REL_TOL, "GeneralizedInverse.eq23: W_" + i);
        }
        return KroneckerGeneralizedInverse.eq23(l, m.width(0),
                (i, j) -> Lin.inverse(Lin.mul(m.bRef(j + 1), m.sigmaRef(), m.bRef(i + 1).transpose()), // ⟨x_{j-1} x_{i-1}^T⟩
                        INVERTIBLE_REL_TOL, "GeneralizedInverse.eq23: B_" + (j + 1) + " Σ B_" + (i + 1) + "^T"),
                (i, j) -> Lin.inverse(Lin.mul(m.aRef(j + 1).transpose(), m.outputPrecisionRef(), m.aRef(i + 1)), // ⟨e_j e_i^T⟩
                        INVERTIBLE_REL_TOL, "GeneralizedInverse.eq23: A_" + (j + 1) + "^T Σ̃^-1 A_" + (i + 1)));
    }

    /**
     * The Moore-Penrose pseudo-inverse F^+ of a symmetric matrix, eigenvalues at or below
     * relTol times the largest treated as zero.
     */
    public static Matrix moorePenrose(Matrix f, double relTol) {
        return Lin.symmetricPseudoInverse(f, relTol, "GeneralizedInverse.moorePenrose: F");
    }

    /**
     * The Rao-Mitra form F^g = F^+ + Z − F^+ F Z F F^+ (math.md §1): a generalized inverse of F for
     * every Z (P x P); every generalized inverse has this form.
     *
     * @param f         a symmetric P x P matrix
     * @param fPlus     its Moore-Penrose pseudo-inverse
     * @param z         an arbitrary P x P matrix
     */
    public static Matrix raoMitra(Matrix f, Matrix fPlus, Matrix z) {
        int p = f.rows();
        for (Matrix x : new Matrix[] {f, fPlus, z}) {
            if (x.rows() != p || x.cols() != p) {
                throw new IllegalArgumentException("GeneralizedInverse.raoMitra: F is " + f.shape() + ", F^+ is "
                        + fPlus.shape() + ", Z is " + z.shape() + "; all must be P x P");
            }
        }
        Inverses.requireFinite("raoMitra: Z", z);
        Matrix pf = Lin.mul(fPlus, f);   // F^+ F
        Matrix fp = Lin.mul(f, fPlus);   // F F^+
        Matrix out = Lin.add(fPlus, z);
        return MatOps.axpy(-1, Lin.mul(pf, z, fp), out);
    }
}
