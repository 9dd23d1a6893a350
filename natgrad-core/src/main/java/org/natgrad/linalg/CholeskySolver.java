package org.natgrad.linalg;

/**
 * The CHOLESKY {@link PsdSolver} of A (n x n, kept): dpotrf of A + shift I for each new shift, then
 * triangular solves (dpotrs) or the dpotri inverse; when A + shift I is not numerically positive
 * definite, the eigendecomposition of A with round-off negative eigenvalues counted as 0 (as EIGEN
 * does). Shift 0 (the pseudo-inverse) goes through the eigendecomposition
 * ({@link Inverses#pseudoInverse}).
 */
final class CholeskySolver extends AbstractPsdSolver {
    private final Matrix a;
    private double factorShift = Double.NaN;
    private Cholesky factor;
    private int uses;

    /** @param a the factor A (n x n, kept) */
    CholeskySolver(Matrix a) {
        super(a.rows(), InverseStrategy.CHOLESKY);
        requireFiniteFactor(a);
        this.a = a;
    }

    @Override
    public long bytes() {
        return 8L * a.size() * (factor == null ? 1 : 2) + cachedBytes();
    }

    @Override
    Matrix compute(double shift) {
        if (shift == 0) {
            return Inverses.pseudoInverse(a, REL_TOL);
        }
        Cholesky f = factorAt(shift);
        if (f != null) {
            return f.inverse(); // dpotri from the factor
        }
        // A + shift I not numerically positive definite (a tiny shift on a rank-deficient A whose
        // round-off eigenvalues are slightly negative): as EIGEN, such eigenvalues count as 0.
        SymmetricEigen eig = eigen(a);
        return spectral(eig.vectors(), eig.values(), x -> 1 / (Math.max(x, 0) + shift));
    }

    /**
     * With dpotrs and the Cholesky factor of A + shift I when that is cheaper than forming the
     * inverse: the first time a shift is used and B has fewer than n columns (dpotri costs
     * ~2n³/3, and dpotrs runs below gemm speed, so the inverse pays off for k &ge; n right-hand
     * sides). When the same shift is used again (a damping kept over several steps), the inverse
     * is formed once from the factor and later solves are gemms. Falls back to the explicit
     * inverse (whose eigendecomposition fallback handles a numerically indefinite A + shift I)
     * when the factorization fails.
     */
    @Override
    public Matrix solve(double shift, Matrix b) {
        if (!damped(shift) || b.rows() != n || hasInverse(shift)) {
            return super.solve(shift, b);
        }
        Cholesky f = factorFor(shift);
        return f == null || uses > 1 || b.cols() >= n ? super.solve(shift, b) : f.solve(b);
    }

    @Override
    public Matrix solveRight(double shift, Matrix b) {
        if (!damped(shift) || b.cols() != n || hasInverse(shift)) {
            return super.solveRight(shift, b);
        }
        Cholesky f = factorFor(shift);
        return f == null || uses > 1 || b.rows() >= n ? super.solveRight(shift, b)
                : f.solve(b.transpose()).transpose();
    }

    @Override
    public Matrix multiply(Matrix b) {
        requireRows(b);
        return MatOps.multiply(a, b);
    }

    /** The factor of A + shift I (null when not positive definite), counting its uses. */
    private Cholesky factorFor(double shift) {
        Cholesky f = factorAt(shift);
        uses++;
        return f;
    }

    /** The Cholesky factor of A + shift I, or null when that is not numerically positive definite (kept). */
    Cholesky factorAt(double shift) {
        if (!sameShift(shift, factorShift)) {
            factor = Cholesky.decompose(MatOps.addDiagonalInPlace(a.copy(), shift)).orElse(null);
            factorShift = shift;
            uses = 0;
        }
        return factor;
    }
}
