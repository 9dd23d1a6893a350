package org.natgrad.spark;

import java.io.Serializable;
import org.natgrad.linalg.Matrix;

/**
 * The layout of one pass's partial sums in a single {@code double[]}, the only thing a partition
 * sends back and {@code treeAggregate} adds (element by element):
 * <pre>
 *   [0]              Σ_m ℓ_m, the loss summed over the partition's examples
 *   [1]              m, the number of its examples
 *   [2, 2+P)         Σ_m ∇ℓ_m, the gradient sum (flat ParamVector order)     when gradient
 *   per layer l      Σ_m x̄_m x̄_m^T (d_l x d_l), then Σ_k δ_k δ_k^T · m_p (n_l x n_l),
 *                    each as its packed upper triangle (column by column, i ≤ j)  when factors
 * </pre>
 * Symmetric factors travel as packed triangles, d(d+1)/2 values instead of d², so a pass moves
 * 8 · {@link #length()} bytes per partition (plus the array header).
 */
record PackedSums(NetworkShape shape, boolean gradient, boolean factors) implements Serializable {

    static final int LOSS = 0;
    static final int COUNT = 1;
    static final int GRADIENT = 2;

    /** Offset of layer l's Λ sum (its Λ̃ sum follows it). */
    int factorOffset(int l) {
        int o = GRADIENT + (gradient ? shape.parameters() : 0);
        for (int i = 0; i < l; i++) {
            o += triangle(shape.augmentedInputs(i)) + triangle(shape.outputs(i));
        }
        return o;
    }

    /** Values per partition. */
    int length() {
        return factors ? factorOffset(shape.depth()) : GRADIENT + (gradient ? shape.parameters() : 0);
    }

    /** n(n+1)/2. */
    static int triangle(int n) {
        return Math.toIntExact((long) n * (n + 1) / 2);
    }

    /** Adds c · (the upper triangle of symmetric {@code a}) into {@code out} from {@code offset}. */
    static void addPacked(double c, Matrix a, double[] out, int offset) {
        int n = a.rows();
        double[] d = a.data();
        int o = offset;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i <= j; i++) {
                out[o++] += c * d[j * n + i];
            }
        }
    }

    /** The symmetric n x n matrix c · (packed triangle at {@code offset}). */
    static Matrix unpack(double c, double[] in, int offset, int n) {
        Matrix a = new Matrix(n, n);
        double[] d = a.data();
        int o = offset;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i <= j; i++) {
                double v = c * in[o++];
                d[j * n + i] = v;
                d[i * n + j] = v;
            }
        }
        return a;
    }

    /** a += b, element by element (the reduction's one operation); returns a. */
    static double[] add(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("natgrad-spark: partial sums of lengths " + a.length + " and " + b.length);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }
}
