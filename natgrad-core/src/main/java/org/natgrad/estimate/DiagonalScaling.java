package org.natgrad.estimate;

import org.natgrad.linalg.Matrix;

/**
 * In-place products with a diagonal matrix, for the estimators of this package: diag(f) M
 * (row i of M times f_i) and M diag(f) (column c times f_c). M is r x c; f has length r or c.
 */
final class DiagonalScaling {

    private DiagonalScaling() {
    }

    /** M ← diag(f) M, f of length rows; returns M. */
    static Matrix scaleRows(Matrix m, double[] f) {
        double[] d = m.data();
        int r = m.rows();
        for (int c = 0; c < m.cols(); c++) {
            for (int i = 0; i < r; i++) {
                d[i + c * r] *= f[i];
            }
        }
        return m;
    }

    /** M ← M diag(f), f of length cols; returns M. */
    static Matrix scaleCols(Matrix m, double[] f) {
        double[] d = m.data();
        int r = m.rows();
        for (int c = 0; c < m.cols(); c++) {
            double fc = f[c];
            for (int i = 0; i < r; i++) {
                d[i + c * r] *= fc;
            }
        }
        return m;
    }
}
