package org.natgrad.deeplinear;

import org.natgrad.linalg.Cholesky;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Svd;

/**
 * The projections that govern the natural-gradient dynamics of the end-to-end map W
 * (math.md §2.5–2.6). Layer indices are 1-based.
 *
 * <ul>
 *   <li>P^a_i = A_i (A_i^T Σ̃^{-1} A_i)^+ A_i^T Σ̃^{-1} (n_L x n_L): the Σ̃^{-1}-orthogonal projector onto range(A_i);</li>
 *   <li>P^b_i = Σ B_i^T (B_i Σ B_i^T)^+ B_i (n_0 x n_0): (P^b_i)^T is the Σ-orthogonal projector onto range(B_i^T);</li>
 *   <li>Eq. 19: with pseudo-inverses, Eq. 10 moves W at the rate (1/L) Σ_i P^a_i (W* − W) P^b_i;</li>
 *   <li>P^K_T = Φ (Φ^T K Φ)^+ Φ^T K: the K-orthogonal projector onto the tangent space T = range(Φ);
 *       every generalized inverse gives d vec(W)/dt = −P^K_T vec(W − W*) (check B8).</li>
 * </ul>
 *
 * Pseudo-inverses use {@link NaturalGradientUpdate#PINV_REL_TOL} (relative to the largest eigenvalue).
 * The paper's supplementary definitions (its Eq. 45) were not available; these are the derived
 * ones of math.md §2.6, which reproduce every statement of the main text.
 */
public final class Projections {

    /**
     * Relative tolerance on the singular values of K^{1/2} Φ when {@link #tangentProjector} decides
     * the dimension of T.
     */
    public static final double TANGENT_REL_TOL = 1e-10;

    private Projections() {
    }

    /** P^a_i = A_i (A_i^T Σ̃^{-1} A_i)^+ A_i^T Σ̃^{-1}, n_L x n_L. */
    public static Matrix pa(DeepLinearModel m, int i) {
        m.checkLayer(i);
        Matrix a = m.aRef(i);
        Matrix lt = Lin.symmetricPseudoInverse(m.lambdaTilde(i), NaturalGradientUpdate.PINV_REL_TOL, "P^a_" + i + ": Λ̃_" + i);
        return Lin.mul(Lin.mul(a, lt), Lin.tmul(a, m.outputPrecisionRef()));
    }

    /** P^b_i = Σ B_i^T (B_i Σ B_i^T)^+ B_i, n_0 x n_0. */
    public static Matrix pb(DeepLinearModel m, int i) {
        m.checkLayer(i);
        Matrix b = m.bRef(i);
        Matrix lx = Lin.symmetricPseudoInverse(m.lambda(i), NaturalGradientUpdate.PINV_REL_TOL, "P^b_" + i + ": Λ_" + i);
        return Lin.mul(Lin.mul(m.sigmaRef(), b.transpose()), Lin.mul(lx, b));
    }

    /**
     * dW/dt in the form of Eq. 19: (1/L) Σ_i P^a_i (W* − W) P^b_i, n_L x n_0. It equals the
     * chain-rule rate Σ_i A_i ΔW_i B_i of Eq. 10 with pseudo-inverses (check B9), and equals
     * −W + (1/L) Σ_i P^a_i W* P^b_i because P^a_i W = W = W P^b_i.
     */
    public static Matrix eq19Rate(DeepLinearModel m) {
        Matrix d = Lin.sub(m.target(), m.totalRef());
        Matrix s = new Matrix(d.rows(), d.cols());
        for (int i = 1; i <= m.depth(); i++) {
            MatOps.axpy(1.0 / m.depth(), Lin.mul(pa(m, i), d, pb(m, i)), s);
        }
        return s;
    }

    /** The chain-rule rate Σ_i A_i ΔW_i B_i (Eq. 17) of the Eq. 10 update. */
    public static Matrix eq10Rate(DeepLinearModel m, boolean pseudoInverse) {
        return m.totalDerivative(NaturalGradientUpdate.eq10(m, pseudoInverse));
    }

    /**
     * The K-orthogonal projector onto range(Φ_i), the directions reachable through layer i alone:
     * (P^b_i)^T ⊗ P^a_i, (n_0 n_L) x (n_0 n_L), since vec(P^a D P^b) = ((P^b)^T ⊗ P^a) vec(D).
     */
    public static Matrix layerProjector(DeepLinearModel m, int i) {
        return MatOps.kron(pb(m, i).transpose(), pa(m, i));
    }

    /**
     * P^K_T = Φ (Φ^T K Φ)^+ Φ^T K, (n_0 n_L) x (n_0 n_L). Computed stably as R^{-T} U_r U_r^T R^T with
     * K = R R^T (R = chol(Σ) ⊗ chol(Σ̃^{-1})) and U_r the left singular vectors of R^T Φ whose
     * singular values exceed {@link #TANGENT_REL_TOL} times the largest.
     */
    public static Matrix tangentProjector(DeepLinearModel m) {
        Matrix ls = Cholesky.decompose(m.sigmaRef()).orElseThrow(() ->
                new ArithmeticException("tangentProjector: Σ is not positive definite")).lower();
        Matrix lp = Cholesky.decompose(m.outputPrecisionRef()).orElseThrow(() ->
                new ArithmeticException("tangentProjector: Σ̃^-1 is not positive definite")).lower();
        Matrix r = MatOps.kron(ls, lp);
        Matrix psi = Lin.tmul(r, PopulationFisher.phi(m));
        Svd svd = Svd.decompose(psi).orElseThrow(() -> new ArithmeticException("tangentProjector: SVD did not converge"));
        int rank = svd.rank(TANGENT_REL_TOL);
        Matrix ur = svd.u().columns(0, rank);
        Matrix proj = Lin.mult(ur, ur);
        Matrix rInvT = Lin.inverse(r, 1e-14, "tangentProjector: chol(Σ) ⊗ chol(Σ̃^-1)").transpose();
        return Lin.mul(rInvT, proj, r.transpose());
    }

    /** dim T = rank Φ = rank F, as decided by {@link #tangentProjector}'s tolerance. */
    public static int tangentDimension(DeepLinearModel m) {
        Matrix psi = PopulationFisher.phi(m);
        Matrix ls = Cholesky.decompose(m.sigmaRef()).orElseThrow().lower();
        Matrix lp = Cholesky.decompose(m.outputPrecisionRef()).orElseThrow().lower();
        return Svd.decompose(Lin.tmul(MatOps.kron(ls, lp), psi)).orElseThrow().rank(TANGENT_REL_TOL);
    }

    /**
     * The exact natural-gradient rate of W for any generalized inverse:
     * unvec(−P^K_T vec(W − W*)), n_L x n_0.
     */
    public static Matrix exactNaturalRate(DeepLinearModel m) {
        Matrix d = m.deviation();
        double[] r = MatOps.gemv(-1, tangentProjector(m), false, d.data(), 0, null);
        return new Matrix(d.rows(), d.cols(), r);
    }

    /**
     * dL/dt = ⟨∂L/∂W, dW/dt⟩ = tr(Σ̃^{-1} (W − W*) Σ (dW/dt)^T) for a rate of the end-to-end map.
     */
    public static double lossRate(DeepLinearModel m, Matrix totalRate) {
        Matrix g = Lin.mul(m.outputPrecisionRef(), m.deviation(), m.sigmaRef());
        return MatOps.dot(g, totalRate);
    }

    /** The per-layer K-norms ||P^K_{Φ_i} vec(W − W*)||²_K, i = 1..L (element i-1 is layer i). */
    public static double[] layerProjectedNorms(DeepLinearModel m) {
        double[] out = new double[m.depth()];
        Matrix d = m.deviation();
        for (int i = 1; i <= m.depth(); i++) {
            Matrix pd = Lin.mul(pa(m, i), d, pb(m, i));
            out[i - 1] = MatOps.dot(pd, Lin.mul(m.outputPrecisionRef(), pd, m.sigmaRef()));
        }
        return out;
    }
}
