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
final class SingleCholeskySolver extends AbstractPsdSolver {
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
        super(a.rows(), InverseStrategy.CHOLESKY);
        this.a = a;
        this.doubleFactor = doubleFactor;
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
        return !damped(shift) || b.rows() != n ? super.solve(shift, b) : floatSolve(shift, b, false);
    }

    @Override
    public Matrix solveRight(double shift, Matrix b) {
        return !damped(shift) || b.cols() != n ? super.solveRight(shift, b) : floatSolve(shift, b, true);
    }

    /** (A + shift I)^{-1} B, or B (A + shift I)^{-1} when {@code right}, in float32 where it fits. */
    private Matrix floatSolve(double shift, Matrix b, boolean right) {
        FloatCholesky f = factorFor(shift);
        FloatMatrix fb = f == null ? null : FloatMatrix.ofFinite(b, 1);
        Matrix x = null;
        if (fb != null) {
            boolean useInverse = uses > 1 || (right ? b.rows() : b.cols()) >= n || sameShift(shift, inverseShift);
            FloatMatrix fx;
            if (useInverse) {
                FloatMatrix inv = floatInverse(shift, f);
                fx = right ? FloatOps.multiply(fb, false, inv, false) : FloatOps.multiply(inv, false, fb, false);
            } else {
                fx = right ? f.solveRight(fb) : f.solve(fb);
            }
            x = fx.toMatrixIfFinite();
        }
        if (x != null) {
            return x;
        }
        return right ? fallback().solveRight(shift, b) : fallback().solve(shift, b);
    }

    @Override
    public Matrix multiply(Matrix b) {
        return fallback().multiply(b);
    }
}
