package org.natgrad.linalg;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Stateless matrix operations in the style of EJML's {@code CommonOps_DDRM}. Operations that
 * produce a matrix take an optional {@code out}: pass {@code null} to allocate, or a matrix of
 * the right shape to reuse it (no allocation). Only {@code out} (or the argument documented as
 * "in place") is modified. Shape mismatches throw {@link IllegalArgumentException} naming the
 * operation and both shapes. Heavy products go to the {@link Backend}'s BLAS.
 */
public final class MatOps {

    private MatOps() {
    }

    // ----------------------------------------------------------------------------- shape checks

    static void requireSameShape(String op, Matrix a, Matrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": shape mismatch " + a.shape() + " vs " + b.shape());
        }
    }

    private static Matrix outOrNew(String op, Matrix out, int rows, int cols) {
        if (out == null) {
            return new Matrix(rows, cols);
        }
        if (out.rows() != rows || out.cols() != cols) {
            throw new IllegalArgumentException(op + ": output is " + out.shape() + ", expected " + rows + "x" + cols);
        }
        return out;
    }

    // ----------------------------------------------------------------------------- level 3

    /**
     * out = alpha * op(a) * op(b) + beta * out, where op transposes when the flag is set.
     * With {@code out == null} a new matrix is allocated (and beta is irrelevant).
     */
    public static Matrix gemm(double alpha, Matrix a, boolean transA, Matrix b, boolean transB, double beta, Matrix out) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException("gemm: inner dimensions differ: op(A) is " + m + "x" + k
                    + " (A " + a.shape() + (transA ? ", transposed" : "") + "), op(B) is " + kb + "x" + n
                    + " (B " + b.shape() + (transB ? ", transposed" : "") + ")");
        }
        if (out == null) {
            beta = 0;
        }
        Matrix c = outOrNew("gemm", out, m, n);
        if (c.data() == a.data() || c.data() == b.data()) {
            throw new IllegalArgumentException("gemm: output must not alias an input (output " + c.shape()
                    + ", A " + a.shape() + ", B " + b.shape() + ")");
        }
        Backend.blasFor((long) m * n * k).dgemm(transA, transB, m, n, k, alpha,
                a.data(), a.rows(), b.data(), b.rows(), beta, c.data(), Math.max(1, m));
        return c;
    }

    /** a * b, a new matrix. */
    public static Matrix multiply(Matrix a, Matrix b) {
        return gemm(1, a, false, b, false, 0, null);
    }

    /** a^T * b, a new matrix. */
    public static Matrix multiplyTransA(Matrix a, Matrix b) {
        return gemm(1, a, true, b, false, 0, null);
    }

    /** a * b^T, a new matrix. */
    public static Matrix multiplyTransB(Matrix a, Matrix b) {
        return gemm(1, a, false, b, true, 0, null);
    }

    /**
     * Symmetric rank-k update: out = alpha * a * a^T + beta * out (trans = false, out is
     * a.rows x a.rows) or out = alpha * a^T * a + beta * out (trans = true, out a.cols x a.cols).
     * Both triangles of out are written. With beta != 0, out must be symmetric on entry: only its
     * lower triangle is read (the upper one is overwritten by the mirror of the result's lower one).
     */
    public static Matrix syrk(double alpha, Matrix a, boolean trans, double beta, Matrix out) {
        int n = trans ? a.cols() : a.rows();
        int k = trans ? a.rows() : a.cols();
        if (out == null) {
            beta = 0;
        }
        Matrix c = outOrNew("syrk", out, n, n);
        if (c.data() == a.data()) {
            throw new IllegalArgumentException("syrk: output must not alias the input (" + a.shape() + ")");
        }
        Backend.blasFor((long) n * n * k / 2).dsyrk(trans, n, k, alpha, a.data(), a.rows(), beta, c.data(), Math.max(1, n));
        return c;
    }

    // ----------------------------------------------------------------------------- level 2

    /** The column-major data of {@code parts}, one after the other, in a new array of their total size. */
    public static double[] concatenate(Iterable<Matrix> parts) {
        int n = 0;
        for (Matrix m : parts) {
            n += m.size();
        }
        double[] out = new double[n];
        int o = 0;
        for (Matrix m : parts) {
            System.arraycopy(m.data(), 0, out, o, m.size());
            o += m.size();
        }
        return out;
    }

    /** y = alpha * op(a) * x + beta * y for vectors given as arrays; returns y (allocated if null). */
    public static double[] gemv(double alpha, Matrix a, boolean transA, double[] x, double beta, double[] y) {
        int xlen = transA ? a.rows() : a.cols();
        int ylen = transA ? a.cols() : a.rows();
        if (x.length != xlen) {
            throw new IllegalArgumentException("gemv: matrix " + a.shape() + (transA ? " (transposed)" : "")
                    + " times vector of length " + x.length);
        }
        if (y == null) {
            y = new double[ylen];
            beta = 0;
        } else if (y.length != ylen) {
            throw new IllegalArgumentException("gemv: output length " + y.length + ", expected " + ylen
                    + " for matrix " + a.shape() + (transA ? " (transposed)" : ""));
        } else if (y == x || y == a.data()) {
            throw new IllegalArgumentException("gemv: output must not alias an input");
        }
        // Java loops at every size: the JavaCPP call copies the heap arrays in and out, and a
        // memory-bound gemv loses to plain Java at every size measured (GemmThroughputBenchmark:
        // 1000x1000 in 0.48 ms vs 0.80 ms native on heap arrays; docs/benchmarks.md)
        JavaBlas.INSTANCE.dgemv(transA, a.rows(), a.cols(), alpha, a.data(), a.rows(), x, beta, y);
        return y;
    }

    // ----------------------------------------------------------------------------- level 1

    /** y += alpha * x, in place on y; returns y. */
    public static Matrix axpy(double alpha, Matrix x, Matrix y) {
        requireSameShape("axpy", x, y);
        double[] xd = x.data();
        double[] yd = y.data();
        for (int i = 0; i < xd.length; i++) {
            yd[i] += alpha * xd[i];
        }
        return y;
    }

    /** a *= alpha, in place; returns a. */
    public static Matrix scaleInPlace(double alpha, Matrix a) {
        double[] d = a.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= alpha;
        }
        return a;
    }

    /** a diag(f): column j of a (r x c) times f[j], in place (f has c entries); returns a. */
    public static Matrix scaleColumnsInPlace(Matrix a, double[] f) {
        return scaleInPlace(null, a, f);
    }

    /** diag(f) a: row i of a (r x c) times f[i], in place (f has r entries); returns a. */
    public static Matrix scaleRowsInPlace(Matrix a, double[] f) {
        return scaleInPlace(f, a, null);
    }

    /**
     * diag(rows) a diag(cols) in place, entry (i, j) multiplied by rows[i] and then by cols[j]
     * (a null factor stands for ones); returns a.
     */
    public static Matrix scaleInPlace(double[] rows, Matrix a, double[] cols) {
        int r = a.rows();
        double[] d = a.data();
        for (int j = 0, o = 0; j < a.cols(); j++, o += r) {
            for (int i = 0; i < r; i++) {
                if (rows != null) {
                    d[o + i] *= rows[i];
                }
                if (cols != null) {
                    d[o + i] *= cols[j];
                }
            }
        }
        return a;
    }

    /** out = alpha * a. */
    public static Matrix scale(double alpha, Matrix a, Matrix out) {
        return map("scale", a, v -> alpha * v, out);
    }

    /** out = a + b. */
    public static Matrix add(Matrix a, Matrix b, Matrix out) {
        return zip("add", a, b, out, Double::sum);
    }

    /** out = a - b. */
    public static Matrix subtract(Matrix a, Matrix b, Matrix out) {
        return zip("subtract", a, b, out, (x, y) -> x - y);
    }

    /** out = a ∘ b (element-wise product). */
    public static Matrix hadamard(Matrix a, Matrix b, Matrix out) {
        return zip("hadamard", a, b, out, (x, y) -> x * y);
    }

    /** out[k] = f(a[k], b[k]). */
    public static Matrix zip(String op, Matrix a, Matrix b, Matrix out, DoubleBinaryOperator f) {
        requireSameShape(op, a, b);
        Matrix c = outOrNew(op, out, a.rows(), a.cols());
        double[] ad = a.data();
        double[] bd = b.data();
        double[] cd = c.data();
        for (int i = 0; i < ad.length; i++) {
            cd[i] = f.applyAsDouble(ad[i], bd[i]);
        }
        return c;
    }

    /** out[k] = f(a[k]). */
    public static Matrix map(Matrix a, DoubleUnaryOperator f, Matrix out) {
        return map("map", a, f, out);
    }

    /** out[k] = f(a[k]); {@code op} names the operation in the error when out has the wrong shape. */
    private static Matrix map(String op, Matrix a, DoubleUnaryOperator f, Matrix out) {
        Matrix c = outOrNew(op, out, a.rows(), a.cols());
        double[] ad = a.data();
        double[] cd = c.data();
        for (int i = 0; i < ad.length; i++) {
            cd[i] = f.applyAsDouble(ad[i]);
        }
        return c;
    }

    /** Frobenius inner product tr(a^T b) = sum_k a[k] b[k]. */
    public static double dot(Matrix a, Matrix b) {
        requireSameShape("dot", a, b);
        double[] ad = a.data();
        double[] bd = b.data();
        double s = 0;
        for (int i = 0; i < ad.length; i++) {
            s += ad[i] * bd[i];
        }
        return s;
    }

    /** a += c * I, in place (a square); returns a. */
    public static Matrix addDiagonalInPlace(Matrix a, double c) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException("addDiagonal: matrix must be square, got " + a.shape());
        }
        int n = a.rows();
        double[] d = a.data();
        for (int i = 0; i < n; i++) {
            d[i + i * n] += c;
        }
        return a;
    }

    /** Replaces a (square) by (a + a^T)/2 in place; returns a. */
    public static Matrix symmetrizeInPlace(Matrix a) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException("symmetrize: matrix must be square, got " + a.shape());
        }
        int n = a.rows();
        double[] d = a.data();
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                double v = 0.5 * (d[i + j * n] + d[j + i * n]);
                d[i + j * n] = v;
                d[j + i * n] = v;
            }
        }
        return a;
    }

    /** Sum over columns: an (a.rows x 1) column holding the row sums. */
    public static Matrix rowSums(Matrix a) {
        Matrix s = new Matrix(a.rows(), 1);
        double[] ad = a.data();
        double[] sd = s.data();
        int r = a.rows();
        for (int j = 0; j < a.cols(); j++) {
            int off = j * r;
            for (int i = 0; i < r; i++) {
                sd[i] += ad[off + i];
            }
        }
        return s;
    }

    // ----------------------------------------------------------------------------- Kronecker

    /** The Kronecker product a ⊗ b, of shape (a.rows*b.rows) x (a.cols*b.cols). */
    public static Matrix kron(Matrix a, Matrix b) {
        int ar = a.rows();
        int ac = a.cols();
        int br = b.rows();
        int bc = b.cols();
        Matrix k = new Matrix(ar * br, ac * bc);
        for (int ja = 0; ja < ac; ja++) {
            for (int ia = 0; ia < ar; ia++) {
                double s = a.get(ia, ja); // no zero skip: NaN/Inf in b must propagate
                for (int jb = 0; jb < bc; jb++) {
                    for (int ib = 0; ib < br; ib++) {
                        k.set(ia * br + ib, ja * bc + jb, s * b.get(ib, jb));
                    }
                }
            }
        }
        return k;
    }

    /** Column-major vec, as a column vector copy (see {@link Matrix#vec()}). */
    public static Matrix vec(Matrix a) {
        return a.vec();
    }

    /** Relative difference ||a - b||_F / max(||b||_F, tiny). */
    public static double relativeError(Matrix a, Matrix b) {
        requireSameShape("relativeError", a, b);
        double denom = Math.max(b.frobeniusNorm(), Double.MIN_NORMAL);
        return subtract(a, b, null).frobeniusNorm() / denom;
    }
}
