package org.natgrad.linalg;

/**
 * Inverses that never return NaN silently: the Moore-Penrose pseudo-inverse of any matrix and the
 * damped inverse (A + cI)^-1 of a symmetric positive semi-definite one.
 */
public final class Inverses {

    /** Default relative tolerance for pseudo-inverses: singular values below this times the largest are dropped. */
    public static final double DEFAULT_REL_TOL = 1e-10;

    private Inverses() {
    }

    /**
     * Moore-Penrose pseudo-inverse through the SVD, dropping singular values at or below
     * relTol * s_max. Symmetric input goes through the eigendecomposition (faster, same result).
     *
     * @throws ArithmeticException if a contains NaN/Inf (naming the first offending element)
     */
    public static Matrix pseudoInverse(Matrix a, double relTol) {
        requireFinite("pseudoInverse", a);
        if (a.isSquare() && isSymmetric(a, 1e-12)) {
            return SymmetricEigen.decompose(a)
                    .orElseThrow(() -> new ArithmeticException("pseudoInverse: eigendecomposition did not converge"))
                    .pseudoInverse(relTol);
        }
        return Svd.decompose(a)
                .orElseThrow(() -> new ArithmeticException("pseudoInverse: SVD did not converge"))
                .pseudoInverse(relTol);
    }

    /**
     * (A + damping I)^-1 for symmetric positive semi-definite A and damping > 0: Cholesky first,
     * and the eigendecomposition when Cholesky fails (e.g. A slightly indefinite from round-off).
     */
    public static Matrix dampedInverse(Matrix a, double damping) {
        requireFinite("dampedInverse", a);
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("dampedInverse: damping must be finite and >= 0, got " + damping);
        }
        Matrix shifted = MatOps.addDiagonalInPlace(a.copy(), damping);
        var chol = Cholesky.decompose(shifted);
        if (chol.isPresent()) {
            return chol.get().inverse();
        }
        SymmetricEigen eig = SymmetricEigen.decompose(a)
                .orElseThrow(() -> new ArithmeticException("dampedInverse: eigendecomposition did not converge"));
        return eig.dampedInverse(damping);
    }

    /** Throws an ArithmeticException naming the first non-finite element. */
    public static void requireFinite(String op, Matrix a) {
        int k = a.firstNonFinite();
        if (k >= 0) {
            int r = a.rows();
            throw new ArithmeticException(op + ": matrix " + a.shape() + " has non-finite value " + a.data()[k]
                    + " at (" + (k % r) + ", " + (k / r) + ")");
        }
    }

    /** True if |a_ij - a_ji| <= tol * max|a| for all i, j. */
    public static boolean isSymmetric(Matrix a, double tol) {
        if (!a.isSquare()) {
            return false;
        }
        double cut = tol * Math.max(a.maxAbs(), Double.MIN_NORMAL);
        int n = a.rows();
        double[] d = a.data();
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                if (Math.abs(d[i + j * n] - d[j + i * n]) > cut) {
                    return false;
                }
            }
        }
        return true;
    }
}
