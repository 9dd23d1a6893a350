package org.natgrad.linalg;

import java.util.function.Supplier;

/**
 * The CHOLESKY {@link PsdSolver} in single precision ({@link FactorPrecision#SINGLE}): A = S S^T by
 * ssyrk (or A given), then spotrf of A + shift I for each new shift, solves by spotrs / strsm, or
 * (when the same shift serves again, or B has at least n columns or rows) by sgemm with the spotri
 * inverse. B and the results cross over as double matrices. When A + shift I is not positive
 * definite in float32, or B or the result does not fit in float32 (NaN/Inf after rounding), the
 * solve is done by a double-precision {@link CholeskySolver} of the factor computed in double (its
 * eigendecomposition fallback included). Pseudo-inverses (shift 0) and {@link #multiply} are always
 * computed in double.
 */
final class SingleCholeskySolver extends CachedInverseSolver {
    private final FloatMatrix a;
    private final Supplier<Matrix> doubleFactor;
    private CholeskySolver fallback;
    private double factorShift = Double.NaN;
    private FloatCholesky factor;
    private int uses;
    private double inverseShift = Double.NaN;
    private FloatMatrix inverse;

    /** @param a the factor in float32 (n x n); @param doubleFactor the same factor in double, on demand */
    SingleCholeskySolver(FloatMatrix a, Supplier<Matrix> doubleFactor) {
        super(a.rows());
        this.a = a;
        this.doubleFactor = doubleFactor;
    }

    @Override
    public InverseStrategy strategy() {
        return InverseStrategy.CHOLESKY;
    }

    @Override
    public FactorPrecision precision() {
        return FactorPrecision.SINGLE;
    }

    @Override
    public long bytes() {
        long b = 4L * a.data().length * (factor == null ? 1 : 2) + (inverse == null ? 0 : 4L * inverse.data().length);
        return b + cachedBytes() + (fallback == null ? 0 : fallback.bytes());
    }

    private CholeskySolver fallback() {
        if (fallback == null) {
            fallback = new CholeskySolver(doubleFactor.get());
        }
        return fallback;
    }

    /** The float32 Cholesky factor of A + shift I, or null when it is not positive definite in float32. */
    private FloatCholesky factorFor(double shift) {
        if (!sameShift(shift, factorShift)) {
            factor = FloatCholesky.decompose(a, (float) shift).orElse(null);
            factorShift = shift;
            uses = 0;
        }
        uses++;
        return factor;
    }

    private FloatMatrix floatInverse(double shift, FloatCholesky f) {
        if (inverse == null || !sameShift(shift, inverseShift)) {
            inverse = f.inverse();
            inverseShift = shift;
        }
        return inverse;
    }

    @Override
    Matrix compute(double shift) {
        if (shift == 0) {
            return fallback().compute(0);
        }
        FloatCholesky f = factorFor(shift);
        return f == null ? fallback().compute(shift) : floatInverse(shift, f).toMatrix();
    }

    @Override
    public Matrix solve(double shift, Matrix b) {
        if (!damped(shift) || b.rows() != n) {
            return super.solve(shift, b);
        }
        FloatCholesky f = factorFor(shift);
        FloatMatrix fb = f == null ? null : FloatMatrix.ofFinite(b, 1);
        if (fb == null) {
            return fallback().solve(shift, b);
        }
        boolean useInverse = uses > 1 || b.cols() >= n || sameShift(shift, inverseShift);
        Matrix x = (useInverse ? FloatOps.multiply(floatInverse(shift, f), false, fb, false) : f.solve(fb))
                .toMatrixIfFinite();
        return x != null ? x : fallback().solve(shift, b);
    }

    @Override
    public Matrix solveRight(double shift, Matrix b) {
        if (!damped(shift) || b.cols() != n) {
            return super.solveRight(shift, b);
        }
        FloatCholesky f = factorFor(shift);
        FloatMatrix fb = f == null ? null : FloatMatrix.ofFinite(b, 1);
        if (fb == null) {
            return fallback().solveRight(shift, b);
        }
        boolean useInverse = uses > 1 || b.rows() >= n || sameShift(shift, inverseShift);
        Matrix x = (useInverse ? FloatOps.multiply(fb, false, floatInverse(shift, f), false) : f.solveRight(fb))
                .toMatrixIfFinite();
        return x != null ? x : fallback().solveRight(shift, b);
    }

    @Override
    public Matrix multiply(Matrix b) {
        return fallback().multiply(b);
    }
}
