package org.natgrad.matrixfree;

import java.util.function.UnaryOperator;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * A symmetric linear operator A on R^P given only by its products v ↦ A v (flat vectors of
 * length P, for curvature in {@link org.natgrad.nn.ParamVector}'s flat order). Implementations
 * must not modify {@code v} and return a new array.
 */
public interface LinearOperator {

    /** P, the length of the vectors it acts on. */
    int size();

    /** A v (length P, a new array); v is not modified. */
    double[] multiply(double[] v);

    /**
     * The operator of size P whose product is {@code product} (called with vectors of length P only:
     * the length is checked here, naming {@code name}).
     */
    static LinearOperator of(String name, int size, UnaryOperator<double[]> product) {
        return new LinearOperator() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public double[] multiply(double[] v) {
                requireLength(name, v, size);
                return product.apply(v);
            }
        };
    }

    /** A dense symmetric matrix (P x P, kept, not copied) as an operator: for tests and small references. */
    static LinearOperator of(Matrix a) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException("LinearOperator.of: matrix must be square, got " + a.shape());
        }
        return of("dense operator", a.rows(), v -> MatOps.gemv(1, a, false, v, 0, null));
    }

    /**
     * The Fisher F = S S^T held by curvature statistics in sample form, F v = S (S^T v): O(K Σ_l d_l n_l)
     * per product, for any kind (exact, Monte Carlo, empirical) and any size.
     */
    static LinearOperator of(CurvatureStatistics statistics) {
        return of("statistics operator", statistics.parameterCount(), v -> statistics.apply(statistics.applyT(v)));
    }

    /** Throws a clear error when {@code v} does not have {@code n} entries. */
    static void requireLength(String who, double[] v, int n) {
        if (v.length != n) {
            throw new IllegalArgumentException(who + ": vector has " + v.length + " entries, expected P = " + n);
        }
    }
}
