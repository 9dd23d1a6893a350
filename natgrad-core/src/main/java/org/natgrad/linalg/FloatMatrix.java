package org.natgrad.linalg;

/**
 * A dense matrix in IEEE single precision (float32), column-major like {@link Matrix}: element
 * (i, j) at {@code data[i + j * rows]}. It exists for one job: carrying the curvature factors of
 * the online natural gradient through native single-precision BLAS/LAPACK ({@link FloatOps},
 * {@link FloatCholesky}), which run about twice as fast as their double-precision twins. Values
 * enter and leave as {@link Matrix} ({@link #of}, {@link #toMatrix}); nothing else in natgrad works
 * in float32.
 */
public final class FloatMatrix {
    private final int rows;
    private final int cols;
    private final float[] data;

    /** A zero rows x cols matrix. */
    public FloatMatrix(int rows, int cols) {
        this(rows, cols, new float[checkedSize(rows, cols)]);
    }

    /**
     * Wraps column-major data without copying.
     *
     * @throws IllegalArgumentException if {@code data.length != rows * cols}
     */
    public FloatMatrix(int rows, int cols, float[] data) {
        if (data.length != checkedSize(rows, cols)) {
            throw new IllegalArgumentException("FloatMatrix: data length " + data.length + " does not match shape "
                    + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    private static int checkedSize(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("FloatMatrix: negative shape " + rows + "x" + cols);
        }
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("FloatMatrix: shape " + rows + "x" + cols + " is too large");
        }
        return (int) n;
    }

    /** {@code m} rounded to the nearest float, element by element (a new matrix). */
    public static FloatMatrix of(Matrix m) {
        double[] src = m.data();
        float[] dst = new float[src.length];
        for (int k = 0; k < src.length; k++) {
            dst[k] = (float) src[k];
        }
        return new FloatMatrix(m.rows(), m.cols(), dst);
    }

    /** c · {@code m} rounded to the nearest float, element by element (a new matrix; one pass). */
    public static FloatMatrix of(Matrix m, double c) {
        double[] src = m.data();
        float[] dst = new float[src.length];
        for (int k = 0; k < src.length; k++) {
            dst[k] = (float) (c * src[k]);
        }
        return new FloatMatrix(m.rows(), m.cols(), dst);
    }

    /**
     * As {@link #of(Matrix, double)}, or null when some rounded element is not finite (NaN/Inf in
     * {@code m}, or a value beyond float32's range, about ±3.4·10³⁸), so that a caller can fall
     * back to double precision. The check rides along the conversion (no second pass).
     */
    public static FloatMatrix ofFinite(Matrix m, double c) {
        double[] src = m.data();
        float[] dst = new float[src.length];
        float probe = 0f; // stays 0 unless some element is NaN or infinite (x * 0 is NaN then)
        for (int k = 0; k < src.length; k++) {
            float f = (float) (c * src[k]);
            dst[k] = f;
            probe += f * 0f;
        }
        return probe == 0f ? new FloatMatrix(m.rows(), m.cols(), dst) : null;
    }

    /**
     * This matrix in double precision, or null when some element is not finite (one pass, as
     * {@link #ofFinite}).
     */
    public Matrix toMatrixIfFinite() {
        double[] dst = new double[data.length];
        float probe = 0f;
        for (int k = 0; k < data.length; k++) {
            float f = data[k];
            dst[k] = f;
            probe += f * 0f;
        }
        return probe == 0f ? new Matrix(rows, cols, dst) : null;
    }

    /** This matrix in double precision (exact: every float is a double; a new matrix). */
    public Matrix toMatrix() {
        double[] dst = new double[data.length];
        for (int k = 0; k < data.length; k++) {
            dst[k] = data[k];
        }
        return new Matrix(rows, cols, dst);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The backing array (column-major, not a copy). */
    public float[] data() {
        return data;
    }

    /** "rows x cols", for messages. */
    public String shape() {
        return rows + "x" + cols;
    }

    public boolean isSquare() {
        return rows == cols;
    }

    /** A copy. */
    public FloatMatrix copy() {
        return new FloatMatrix(rows, cols, data.clone());
    }

    /** True if every element is finite (no NaN, no infinity; a float overflow shows here as infinity). */
    public boolean isFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
