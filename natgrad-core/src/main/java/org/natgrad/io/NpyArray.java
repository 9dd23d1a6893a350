package org.natgrad.io;

import java.util.Arrays;
import org.natgrad.linalg.Matrix;

/**
 * An n-dimensional array as held in a NumPy {@code .npy} file, converted to float64: its
 * {@code shape} (empty for a scalar) and its values {@code data} in C (row-major) order, so the
 * last index varies fastest. {@code data.length} is the product of the shape.
 *
 * <p>Arrays are not copied on construction; treat them as owned by the record.
 */
public record NpyArray(int[] shape, double[] data) {

    /**
     * @throws IllegalArgumentException if a dimension is negative or the data length is not the
     *                                  product of the shape
     */
    public NpyArray {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("NpyArray: negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("NpyArray: shape " + Arrays.toString(shape) + " holds " + n
                    + " values but data has " + data.length);
        }
    }

    /** A 2-D array with the matrix's shape (rows, cols), values copied into C order. */
    public static NpyArray of(Matrix m) {
        int r = m.rows();
        int c = m.cols();
        double[] src = m.data();
        double[] out = new double[src.length];
        for (int j = 0; j < c; j++) {
            int off = j * r;
            for (int i = 0; i < r; i++) {
                out[i * c + j] = src[off + i];
            }
        }
        return new NpyArray(new int[] {r, c}, out);
    }

    /** A 1-D array of length v.length (copies v). */
    public static NpyArray of(double[] v) {
        return new NpyArray(new int[] {v.length}, v.clone());
    }

    /** Number of dimensions (0 for a scalar). */
    public int ndim() {
        return shape.length;
    }

    /** Number of values. */
    public int size() {
        return data.length;
    }

    /**
     * This array as a matrix: a 2-D (r, c) array gives an r x c matrix with the same (i, j)
     * elements; a 1-D array of length n gives an n x 1 column.
     *
     * @throws IllegalArgumentException for other ranks
     */
    public Matrix toMatrix() {
        if (shape.length == 1) {
            return new Matrix(shape[0], 1, data.clone());
        }
        if (shape.length != 2) {
            throw new IllegalArgumentException("NpyArray.toMatrix: need a 1-D or 2-D array, got shape "
                    + shapeString());
        }
        return Matrix.fromRowMajor(shape[0], shape[1], data);
    }

    /** The shape as NumPy prints it, e.g. "(3, 4)", "(5,)" or "()". */
    public String shapeString() {
        return shapeString(shape);
    }

    static String shapeString(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            if (k > 0) {
                sb.append(", ");
            }
            sb.append(shape[k]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /** Index (C order) of the first NaN or infinite value, or -1. */
    public int firstNonFinite() {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                return k;
            }
        }
        return -1;
    }

    /** The multi-index (C order) of flat index k, e.g. [row, col] for a 2-D array. */
    public int[] unravel(int k) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) {
                return idx;
            }
            idx[d] = k % shape[d];
            k /= shape[d];
        }
        return idx;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(a.shape, shape) && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray" + shapeString();
    }
}
