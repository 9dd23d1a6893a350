package org.natgrad.deeplinear;

import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Svd;
import org.natgrad.linalg.SymmetricEigen;

/**
 * Small linear-algebra conveniences used across this package (package-private): short product
 * names, inverses that fail with a message naming the matrix, and spectral checks.
 */
final class Lin {

    private Lin() {
    }

    /** a b. */
    static Matrix mul(Matrix a, Matrix b) {
        return MatOps.multiply(a, b);
    }

    /** a b c. */
    static Matrix mul(Matrix a, Matrix b, Matrix c) {
        return MatOps.multiply(MatOps.multiply(a, b), c);
    }

    /** a^T b. */
    static Matrix tmul(Matrix a, Matrix b) {
        return MatOps.multiplyTransA(a, b);
    }

    /** a b^T. */
    static Matrix mult(Matrix a, Matrix b) {
        return MatOps.multiplyTransB(a, b);
    }

    static Matrix sub(Matrix a, Matrix b) {
        return MatOps.subtract(a, b, null);
    }

    static Matrix add(Matrix a, Matrix b) {
        return MatOps.add(a, b, null);
    }

    static Matrix scale(double s, Matrix a) {
        return MatOps.scale(s, a, null);
    }

    /**
     * The inverse of a square matrix that must be well conditioned: through the SVD, refusing when
     * s_min <= relTol * s_max.
     *
     * @param what names the matrix in the error message (e.g. "A_2 = W_3 W_2")
     * @throws IllegalArgumentException if a is not square or is numerically singular
     */
    static Matrix inverse(Matrix a, double relTol, String what) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException(what + " must be square to be inverted, got " + a.shape());
        }
        Inverses.requireFinite(what, a);
        Svd svd = Svd.decompose(a).orElseThrow(() -> new ArithmeticException(what + ": SVD did not converge"));
        int rank = svd.rank(relTol);
        if (rank < a.rows()) {
            double[] s = svd.singularValues();
            throw new IllegalArgumentException(what + " (" + a.shape() + ") is not invertible: numerical rank " + rank
                    + " < " + a.rows() + " (singular values " + s[0] + " .. " + s[s.length - 1]
                    + ", relative tolerance " + relTol + ")");
        }
        return svd.pseudoInverse(0.0);
    }

    /**
     * The inverse of a symmetric positive-definite matrix, refusing when its smallest eigenvalue is
     * at or below relTol times its largest.
     */
    static Matrix spdInverse(Matrix a, double relTol, String what) {
        SymmetricEigen e = eigen(a, what);
        double[] v = e.values();
        double max = e.spectralRadius();
        if (!(v[0] > relTol * max)) {
            throw new IllegalArgumentException(what + " (" + a.shape() + ") is singular or not positive definite: "
                    + "eigenvalues " + v[0] + " .. " + v[v.length - 1] + " (rank " + e.rank(relTol) + " of " + a.rows()
                    + " at relative tolerance " + relTol + ")");
        }
        return e.apply(x -> 1.0 / x);
    }

    /** Moore-Penrose pseudo-inverse of a symmetric matrix, eigenvalues <= relTol * max|λ| dropped. */
    static Matrix symmetricPseudoInverse(Matrix a, double relTol, String what) {
        return eigen(a, what).pseudoInverse(relTol);
    }

    static SymmetricEigen eigen(Matrix a, String what) {
        if (!a.isSquare()) {
            throw new IllegalArgumentException(what + " must be square, got " + a.shape());
        }
        Inverses.requireFinite(what, a);
        Matrix s = MatOps.symmetrizeInPlace(a.copy());
        return SymmetricEigen.decompose(s)
                .orElseThrow(() -> new ArithmeticException(what + ": eigendecomposition did not converge"));
    }

    /**
     * Checks that a is an n x n symmetric positive-definite matrix (symmetric to 1e-10 relative,
     * smallest eigenvalue positive).
     */
    static void requireSpd(String what, Matrix a, int n) {
        if (a.rows() != n || a.cols() != n) {
            throw new IllegalArgumentException(what + " must be " + n + "x" + n + ", got " + a.shape());
        }
        Inverses.requireFinite(what, a);
        if (!Inverses.isSymmetric(a, 1e-10)) {
            throw new IllegalArgumentException(what + " (" + a.shape() + ") is not symmetric");
        }
        double[] v = eigen(a, what).values();
        if (!(v[0] > 0)) {
            throw new IllegalArgumentException(what + " (" + a.shape() + ") is not positive definite: smallest eigenvalue "
                    + v[0]);
        }
    }

    /** Relative Frobenius difference ||a - b|| / ||b||. */
    static double relErr(Matrix a, Matrix b) {
        return MatOps.relativeError(a, b);
    }
}
