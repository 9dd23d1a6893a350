package org.natgrad.data;

import org.natgrad.linalg.Matrix;

/** Class labels and their one-hot encoding (one example per column). */
public final class Labels {
    private Labels() {
    }

    /**
     * The one-hot matrix (classes x N) of labels in 0..classes-1: column m has a 1 in row
     * labels[m].
     *
     * @throws IllegalArgumentException naming the first label out of range
     */
    public static Matrix oneHot(int[] labels, int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("Labels.oneHot: classes must be positive, got " + classes);
        }
        Matrix m = new Matrix(classes, labels.length);
        double[] d = m.data();
        for (int k = 0; k < labels.length; k++) {
            int c = labels[k];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("Labels.oneHot: label " + c + " of example " + k
                        + " is outside 0.." + (classes - 1));
            }
            d[c + k * classes] = 1;
        }
        return m;
    }

    /** For each column, the row index of its largest value (first one on ties). */
    public static int[] argmax(Matrix scores) {
        int r = scores.rows();
        if (r == 0) {
            throw new IllegalArgumentException("Labels.argmax: matrix has no rows (" + scores.shape() + ")");
        }
        int[] out = new int[scores.cols()];
        double[] d = scores.data();
        for (int j = 0; j < out.length; j++) {
            int best = 0;
            double bv = d[j * r];
            for (int i = 1; i < r; i++) {
                if (d[i + j * r] > bv) {
                    bv = d[i + j * r];
                    best = i;
                }
            }
            out[j] = best;
        }
        return out;
    }
}
