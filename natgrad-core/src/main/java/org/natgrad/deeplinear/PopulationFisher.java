package org.natgrad.deeplinear;

import java.util.List;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * The exact population Fisher information of a deep linear network (math.md §2.5) and its
 * compact factorization. Parameter order is natgrad's flat order: layer 1 first, each vec(W_i)
 * column-major; P = Σ_i n_i n_{i-1}. Layer indices are 1-based.
 *
 * <ul>
 *   <li>Φ_i = B_i^T ⊗ A_i, (n_0 n_L) x (n_{i-1} n_i): the Jacobian of vec(W) with respect to vec(W_i);</li>
 *   <li>Φ = [Φ_1, ..., Φ_L], (n_0 n_L) x P;</li>
 *   <li>K = Σ ⊗ Σ̃^{-1}, (n_0 n_L) x (n_0 n_L): the Fisher of the end-to-end map W;</li>
 *   <li>F = Φ^T K Φ (P x P), whose (i, j) block is F_ij = (B_i Σ B_j^T) ⊗ (A_i^T Σ̃^{-1} A_j) (Eq. 22);</li>
 *   <li>∇L = Φ^T g_W with g_W = K vec(W − W*).</li>
 * </ul>
 *
 * Everything is dense: meant for small networks (tests, diagnostics, reference curves).
 */
public final class PopulationFisher {

    private PopulationFisher() {
    }

    /** Φ_i = B_i^T ⊗ A_i, (n_0 n_L) x (n_{i-1} n_i). */
    public static Matrix phi(DeepLinearModel m, int i) {
        m.checkLayer(i);
        return MatOps.kron(m.bRef(i).transpose(), m.aRef(i));
    }

    /** Φ = [Φ_1, ..., Φ_L], (n_0 n_L) x P. */
    public static Matrix phi(DeepLinearModel m) {
        int rows = m.width(0) * m.width(m.depth());
        Matrix out = new Matrix(rows, m.parameterCount());
        int col = 0;
        for (int i = 1; i <= m.depth(); i++) {
            Matrix p = phi(m, i);
            System.arraycopy(p.data(), 0, out.data(), col * rows, p.size());
            col += p.cols();
        }
        return out;
    }

    /** K = Σ ⊗ Σ̃^{-1}, (n_0 n_L) x (n_0 n_L). */
    public static Matrix k(DeepLinearModel m) {
        return MatOps.kron(m.sigmaRef(), m.outputPrecisionRef());
    }

    /** The dense F = Φ^T K Φ, P x P. */
    public static Matrix dense(DeepLinearModel m) {
        Matrix phi = phi(m);
        return MatOps.symmetrizeInPlace(Lin.tmul(phi, Lin.mul(k(m), phi)));
    }

    /** F_ij = (B_i Σ B_j^T) ⊗ (A_i^T Σ̃^{-1} A_j) (Eq. 22), (n_{i-1} n_i) x (n_{j-1} n_j). */
    public static Matrix block(DeepLinearModel m, int i, int j) {
        m.checkLayer(i);
        m.checkLayer(j);
        Matrix left = Lin.mul(m.bRef(i), m.sigmaRef(), m.bRef(j).transpose());
        Matrix right = Lin.mul(m.aRef(i).transpose(), m.outputPrecisionRef(), m.aRef(j));
        return MatOps.kron(left, right);
    }

    /** The P x P Fisher assembled block by block from Eq. 22. */
    public static Matrix fromBlocks(DeepLinearModel m) {
        int p = m.parameterCount();
        Matrix f = new Matrix(p, p);
        for (int i = 1; i <= m.depth(); i++) {
            for (int j = 1; j <= m.depth(); j++) {
                setBlock(f, m.offset(i), m.offset(j), block(m, i, j));
            }
        }
        return f;
    }

    /** The (i, j) block of a P x P matrix in this parameter order (a copy). */
    public static Matrix blockOf(DeepLinearModel m, Matrix full, int i, int j) {
        requireSquareP(m, full, "blockOf");
        int ri = m.offset(i);
        int cj = m.offset(j);
        int ni = m.weightRef(i).size();
        int nj = m.weightRef(j).size();
        Matrix out = new Matrix(ni, nj);
        for (int c = 0; c < nj; c++) {
            for (int r = 0; r < ni; r++) {
                out.set(r, c, full.get(ri + r, cj + c));
            }
        }
        return out;
    }

    static void setBlock(Matrix full, int row0, int col0, Matrix blk) {
        for (int c = 0; c < blk.cols(); c++) {
            for (int r = 0; r < blk.rows(); r++) {
                full.set(row0 + r, col0 + c, blk.get(r, c));
            }
        }
    }

    static void requireSquareP(DeepLinearModel m, Matrix full, String op) {
        int p = m.parameterCount();
        if (full.rows() != p || full.cols() != p) {
            throw new IllegalArgumentException(op + ": matrix is " + full.shape() + ", expected P x P = " + p + "x" + p);
        }
    }

    /** g_W = K vec(W − W*), the gradient with respect to vec(W), as an (n_0 n_L) x 1 column. */
    public static Matrix totalGradient(DeepLinearModel m) {
        Matrix d = m.deviation();
        return Lin.mul(m.outputPrecisionRef(), d, m.sigmaRef()).vec();
    }

    /** ∇L = Φ^T g_W as a flat P vector (equals flatten of the per-layer Eq. 13 gradients). */
    public static double[] gradientFlat(DeepLinearModel m) {
        return Lin.tmul(phi(m), totalGradient(m)).data();
    }

    /**
     * Applies a P x P matrix to the flat gradient and returns −M ∇L per layer (element i-1 is
     * layer i): for M = F^g this is the natural-gradient step −F^g ∇L.
     */
    public static List<Matrix> negativePreconditioned(DeepLinearModel m, Matrix precond) {
        requireSquareP(m, precond, "negativePreconditioned");
        double[] g = gradientFlat(m);
        double[] step = MatOps.gemv(-1, precond, false, g, 0, null);
        return m.unflatten(step);
    }
}
