package org.natgrad.linalg;

/**
 * Inverses that never return NaN silently: the Moore-Penrose pseudo-inverse of any matrix (any
 * shape, symmetric indefinite included: not a PSD solver) and the strict damped inverse
 * (A + cI)^-1 of a symmetric positive semi-definite one, which factors A + cI by the
 * {@link PsdSolver} family's Cholesky solver but, unlike {@link PsdSolver}, refuses a matrix that is
 * indefinite beyond the damping or singular at c = 0 instead of counting round-off eigenvalues as 0.
 * For repeated solves with a PSD matrix use {@link PsdSolver}.
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
     * (A + damping I)^-1 for symmetric positive semi-definite A and damping &gt; 0: Cholesky first,
     * and the eigendecomposition when Cholesky fails (e.g. A slightly indefinite from round-off).
     * With damping = 0, A itself must be positive definite to working precision: a singular or
     * numerically singular A (smallest eigenvalue at most n·ε times the largest) throws an
     * {@link ArithmeticException} that says so and points to {@link #pseudoInverse}, instead of
     * returning an inverse of round-off.
     */
    public static Matrix dampedInverse(Matrix a, double damping) {
        requireFinite("dampedInverse", a);
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("dampedInverse: damping must be finite and >= 0, got " + damping);
        }
        Cholesky chol = new CholeskySolver(a).factorAt(damping); // the PSD family's dpotrf of A + damping I
        if (chol != null && (damping > 0 || !nearlySingular(chol))) {
            return chol.inverse();
        }
        SymmetricEigen eig = SymmetricEigen.decompose(a)
                .orElseThrow(() -> new ArithmeticException("dampedInverse: eigendecomposition did not converge"));
        if (damping == 0) {
            double[] v = eig.values();
            double max = 0;
            double min = Double.POSITIVE_INFINITY;
            for (double x : v) {
                max = Math.max(max, Math.abs(x));
                min = Math.min(min, x);
            }
            if (!(min > v.length * Math.ulp(1.0) * max)) {
                throw new ArithmeticException("dampedInverse: the " + a.shape() + " matrix is singular to working "
                        + "precision (smallest eigenvalue " + min + ", largest " + max + ") and the damping is 0; "
                        + "use a damping > 0 or Inverses.pseudoInverse");
            }
        }
        return eig.dampedInverse(damping);
    }

    /**
     * True when the factor's diagonal says A may be singular to working precision: (min L_ii / max
     * L_ii)² bounds λ_min/λ_max from above only loosely, so this is a cheap screen before the
     * eigendecomposition decides.
     */
    private static boolean nearlySingular(Cholesky c) {
        Matrix l = c.lower();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < l.rows(); i++) {
            double d = Math.abs(l.get(i, i));
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        double ratio = min / max;
        return !(ratio * ratio > 1e3 * l.rows() * Math.ulp(1.0));
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
