package org.natgrad.linalg;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A dense real matrix stored column-major in a plain {@code double[]}: element (i, j) lives at
 * {@code data[i + j * rows]}. This is the layout BLAS and LAPACK expect, so native calls reach
 * it without reordering, and {@link #vec()} is the column-major vec of math.md §1.
 *
 * <p>In natgrad, examples are <b>columns</b>: a batch of M inputs of width n is an n x M matrix.
 * The class is a plain data holder; operations live in {@link MatOps} and the factorization
 * classes. The array is exposed (see {@link #data()}) so hot loops can avoid copies.
 */
public final class Matrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    /** A zero matrix of the given shape. */
    public Matrix(int rows, int cols) {
        this(rows, cols, new double[checkedSize(rows, cols)]);
    }

    /**
     * Wraps column-major data without copying.
     *
     * @throws IllegalArgumentException if {@code data.length != rows * cols}
     */
    public Matrix(int rows, int cols, double[] data) {
        if (data.length != checkedSize(rows, cols)) {
            throw new IllegalArgumentException("Matrix: data length " + data.length
                    + " does not match shape " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    private static int checkedSize(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("Matrix: negative shape " + rows + "x" + cols);
        }
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Matrix: shape " + rows + "x" + cols + " is too large");
        }
        return (int) n;
    }

    /** A zero matrix. */
    public static Matrix zeros(int rows, int cols) {
        return new Matrix(rows, cols);
    }

    /** The n x n identity. */
    public static Matrix identity(int n) {
        Matrix m = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i + i * n] = 1.0;
        }
        return m;
    }

    /** A matrix filled with one value. */
    public static Matrix filled(int rows, int cols, double value) {
        Matrix m = new Matrix(rows, cols);
        Arrays.fill(m.data, value);
        return m;
    }

    /** A diagonal matrix with the given diagonal. */
    public static Matrix diagonal(double[] diag) {
        Matrix m = new Matrix(diag.length, diag.length);
        for (int i = 0; i < diag.length; i++) {
            m.data[i + i * diag.length] = diag[i];
        }
        return m;
    }

    /** Builds a matrix from row arrays (convenient in tests): {@code rows[i][j]} is element (i, j). */
    public static Matrix ofRows(double[]... rowArrays) {
        int r = rowArrays.length;
        int c = r == 0 ? 0 : rowArrays[0].length;
        Matrix m = new Matrix(r, c);
        for (int i = 0; i < r; i++) {
            if (rowArrays[i].length != c) {
                throw new IllegalArgumentException("Matrix.ofRows: row " + i + " has " + rowArrays[i].length
                        + " entries, expected " + c);
            }
            for (int j = 0; j < c; j++) {
                m.data[i + j * r] = rowArrays[i][j];
            }
        }
        return m;
    }

    /** Builds a matrix from row-major data (e.g. as read from a NumPy C-order array). */
    public static Matrix fromRowMajor(int rows, int cols, double[] rowMajor) {
        if (rowMajor.length != checkedSize(rows, cols)) {
            throw new IllegalArgumentException("Matrix.fromRowMajor: data length " + rowMajor.length
                    + " does not match shape " + rows + "x" + cols);
        }
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.data[i + j * rows] = rowMajor[i * cols + j];
            }
        }
        return m;
    }

    /** A column vector (n x 1) that wraps a copy of the values. */
    public static Matrix column(double... values) {
        return new Matrix(values.length, 1, values.clone());
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Number of elements, rows * cols. */
    public int size() {
        return data.length;
    }

    /** The backing column-major array (not a copy). */
    public double[] data() {
        return data;
    }

    public double get(int i, int j) {
        return data[index(i, j)];
    }

    public void set(int i, int j, double value) {
        data[index(i, j)] = value;
    }

    /** Adds {@code value} to element (i, j). */
    public void add(int i, int j, double value) {
        data[index(i, j)] += value;
    }

    private int index(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("(" + i + ", " + j + ") outside " + shape());
        }
        return i + j * rows;
    }

    /** "rows x cols", for messages. */
    public String shape() {
        return rows + "x" + cols;
    }

    public boolean isSquare() {
        return rows == cols;
    }

    /** A deep copy. */
    public Matrix copy() {
        return new Matrix(rows, cols, data.clone());
    }

    /** Copies the values of {@code other} (same shape) into this matrix. */
    public Matrix setTo(Matrix other) {
        MatOps.requireSameShape("setTo", this, other);
        System.arraycopy(other.data, 0, data, 0, data.length);
        return this;
    }

    /** Sets every element to {@code value}. */
    public Matrix fill(double value) {
        Arrays.fill(data, value);
        return this;
    }

    /** A new matrix holding the transpose. */
    public Matrix transpose() {
        Matrix t = new Matrix(cols, rows);
        for (int j = 0; j < cols; j++) {
            int off = j * rows;
            for (int i = 0; i < rows; i++) {
                t.data[j + i * cols] = data[off + i];
            }
        }
        return t;
    }

    /** Column j as a new array. */
    public double[] column(int j) {
        if (j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("column " + j + " outside " + shape());
        }
        return Arrays.copyOfRange(data, j * rows, (j + 1) * rows);
    }

    /** Row i as a new array. */
    public double[] row(int i) {
        double[] r = new double[cols];
        for (int j = 0; j < cols; j++) {
            r[j] = get(i, j);
        }
        return r;
    }

    /** Columns [from, to) as a new matrix (a contiguous copy). */
    public Matrix columns(int from, int to) {
        if (from < 0 || to > cols || from > to) {
            throw new IndexOutOfBoundsException("columns [" + from + ", " + to + ") outside " + shape());
        }
        return new Matrix(rows, to - from, Arrays.copyOfRange(data, from * rows, to * rows));
    }

    /** Rows [from, to) as a new matrix. */
    public Matrix rowsRange(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") outside " + shape());
        }
        Matrix m = new Matrix(to - from, cols);
        for (int j = 0; j < cols; j++) {
            System.arraycopy(data, from + j * rows, m.data, j * m.rows, to - from);
        }
        return m;
    }

    /** The selected columns, in the given order, as a new matrix. */
    public Matrix selectColumns(int[] indices) {
        Matrix m = new Matrix(rows, indices.length);
        for (int k = 0; k < indices.length; k++) {
            int j = indices[k];
            if (j < 0 || j >= cols) {
                throw new IndexOutOfBoundsException("column " + j + " outside " + shape());
            }
            System.arraycopy(data, j * rows, m.data, k * rows, rows);
        }
        return m;
    }

    /** The column-major vec of this matrix, as a (rows*cols) x 1 copy. */
    public Matrix vec() {
        return new Matrix(data.length, 1, data.clone());
    }

    /** The inverse of {@link #vec()}: reshapes a vector of length rows*cols, column-major. */
    public static Matrix unvec(double[] v, int rows, int cols) {
        return new Matrix(rows, cols, v.clone());
    }

    /** Applies {@code f} to every element in place. */
    public Matrix mapInPlace(DoubleUnaryOperator f) {
        for (int k = 0; k < data.length; k++) {
            data[k] = f.applyAsDouble(data[k]);
        }
        return this;
    }

    /** Frobenius norm (scaled, so no overflow for finite entries; NaN if any entry is NaN, else infinite if any is). */
    public double frobeniusNorm() {
        double scale = 0, ssq = 1;
        boolean infinite = false;
        for (double v : data) {
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            if (Double.isInfinite(v)) {
                infinite = true;
            } else if (v != 0) {
                double a = Math.abs(v);
                if (scale < a) {
                    ssq = 1 + ssq * (scale / a) * (scale / a);
                    scale = a;
                } else {
                    ssq += (a / scale) * (a / scale);
                }
            }
        }
        return infinite ? Double.POSITIVE_INFINITY : scale * Math.sqrt(ssq);
    }

    /** Largest absolute element. */
    public double maxAbs() {
        double m = 0;
        for (double v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Sum of the diagonal. */
    public double trace() {
        int n = Math.min(rows, cols);
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += data[i + i * rows];
        }
        return t;
    }

    /** True if every element is finite (no NaN, no infinity). */
    public boolean isFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Index (column-major) of the first non-finite element, or -1. */
    public int firstNonFinite() {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                return k;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Matrix ").append(shape()).append('\n');
        int rmax = Math.min(rows, 8);
        int cmax = Math.min(cols, 8);
        for (int i = 0; i < rmax; i++) {
            for (int j = 0; j < cmax; j++) {
                sb.append(String.format("%12.5g", get(i, j)));
            }
            sb.append(cols > cmax ? " ...\n" : "\n");
        }
        if (rows > rmax) {
            sb.append("   ...\n");
        }
        return sb.toString();
    }
}
