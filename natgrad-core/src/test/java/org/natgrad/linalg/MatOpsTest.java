package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.natgrad.random.Rng;

/** Element-wise operations, Kronecker/vec identities and shape-mismatch messages. */
class MatOpsTest {

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    @Test
    void elementwiseOperationsMatchLoops() {
        Rng rng = new Rng(21);
        Matrix a = Naive.gaussian(4, 3, rng);
        Matrix b = Naive.gaussian(4, 3, rng);
        Matrix y = b.copy();
        assertSame(y, MatOps.axpy(-2.5, a, y));
        Naive.assertClose(Naive.combine(-2.5, a, 1, b), y, 1e-15, "axpy");
        Naive.assertClose(Naive.combine(3, a, 0, a), MatOps.scale(3, a, null), 0, "scale");
        Matrix s = a.copy();
        assertSame(s, MatOps.scaleInPlace(-0.5, s));
        Naive.assertClose(Naive.combine(-0.5, a, 0, a), s, 0, "scaleInPlace");
        Naive.assertClose(Naive.combine(1, a, 1, b), MatOps.add(a, b, null), 0, "add");
        Naive.assertClose(Naive.combine(1, a, -1, b), MatOps.subtract(a, b, null), 0, "subtract");
        Matrix h = MatOps.hadamard(a, b, null);
        Matrix m = MatOps.map(a, Math::exp, null);
        double dot = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(a.get(i, j) * b.get(i, j), h.get(i, j), 0);
                assertEquals(Math.exp(a.get(i, j)), m.get(i, j), 0);
                dot += a.get(i, j) * b.get(i, j);
            }
        }
        assertEquals(dot, MatOps.dot(a, b), 1e-14);
        Matrix rs = MatOps.rowSums(a);
        for (int i = 0; i < 4; i++) {
            assertEquals(a.get(i, 0) + a.get(i, 1) + a.get(i, 2), rs.get(i, 0), 1e-15);
        }
        // out reuse: writes into out, leaves inputs alone
        Matrix out = new Matrix(4, 3);
        Matrix aCopy = a.copy();
        assertSame(out, MatOps.hadamard(a, b, out));
        assertEquals(aCopy, a);
        assertSame(out, MatOps.map(a, v -> 2 * v, out));
        Naive.assertClose(Naive.combine(2, a, 0, a), out, 0, "map into out");
        Matrix sq = Naive.symmetric(3, rng);
        Matrix nonSym = Naive.gaussian(3, 3, rng);
        MatOps.symmetrizeInPlace(nonSym);
        assertEquals(nonSym, Naive.transpose(nonSym));
        Matrix d = MatOps.addDiagonalInPlace(sq.copy(), 2);
        Naive.assertClose(Naive.combine(1, sq, 2, Naive.identity(3)), d, 0, "addDiagonal");
        assertEquals(Math.sqrt(MatOps.dot(a, a)), a.frobeniusNorm(), 1e-14);
        assertEquals(0, MatOps.relativeError(a, a), 0);
        // by hand: a = [3 0; 0 4] (|a| = 5), b = [3 1; -2 4]: a - b = [0 -1; 2 0], |a - b| = sqrt 5,
        // relative to b (|b| = sqrt 30): sqrt(5 / 30) = 1/sqrt 6; not symmetric in its arguments
        Matrix ha = Matrix.ofRows(new double[] {3, 0}, new double[] {0, 4});
        Matrix hb = Matrix.ofRows(new double[] {3, 1}, new double[] {-2, 4});
        assertEquals(1 / Math.sqrt(6), MatOps.relativeError(ha, hb), 1e-15);
        assertEquals(Math.sqrt(5) / 5, MatOps.relativeError(hb, ha), 1e-15);
        // a zero reference divides by the smallest normal number instead of 0: 0 / 0 gives 0, not NaN
        assertEquals(0, MatOps.relativeError(new Matrix(2, 2), new Matrix(2, 2)), 0);
    }

    @Test
    void frobeniusNormDoesNotOverflow() {
        Matrix big = Matrix.filled(2, 2, 1e300);
        assertEquals(2e300, big.frobeniusNorm(), 1e286);
        assertEquals(5e-300, Matrix.column(3e-300, 4e-300).frobeniusNorm(), 1e-314);
        assertEquals(Double.POSITIVE_INFINITY, Matrix.column(1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)
                .frobeniusNorm(), 0);
        assertTrue(Double.isNaN(Matrix.column(Double.POSITIVE_INFINITY, Double.NaN).frobeniusNorm()));
        assertTrue(Double.isNaN(Matrix.column(Double.NaN, 1).frobeniusNorm()));
        assertEquals(0, new Matrix(2, 0).frobeniusNorm(), 0);
    }

    @Test
    void vecOfProductIsKroneckerTimesVec() {
        Rng rng = new Rng(22);
        Matrix a = Naive.gaussian(3, 4, rng);
        Matrix x = Naive.gaussian(4, 2, rng);
        Matrix b = Naive.gaussian(2, 5, rng);
        Matrix lhs = Naive.multiply(a, x, b).vec();
        Matrix k = MatOps.kron(Naive.transpose(b), a);
        assertEquals(5 * 3, k.rows());
        assertEquals(2 * 4, k.cols());
        Matrix rhs = Naive.multiply(k, MatOps.vec(x));
        Naive.assertClose(lhs, rhs, 1e-13, "vec(AXB) = (B^T kron A) vec(X)");
        // vec is column-major: element (i, j) of a 3x4 matrix is entry i + 3j
        Matrix v = a.vec();
        assertEquals(a.get(2, 1), v.get(2 + 3, 0), 0);
        assertEquals(a, Matrix.unvec(v.data(), 3, 4));
        // vec(a b^T) = b kron a
        Matrix u = Naive.gaussian(3, 1, rng);
        Matrix w = Naive.gaussian(4, 1, rng);
        Naive.assertClose(Naive.multiply(u, Naive.transpose(w)).vec(), MatOps.kron(w, u), 1e-15, "vec(ab^T)");
        // mixed product (A kron B)(C kron D) = AC kron BD
        Matrix c = Naive.gaussian(4, 2, rng);
        Matrix d = Naive.gaussian(5, 3, rng);
        Matrix bb = Naive.gaussian(2, 5, rng);
        Naive.assertClose(MatOps.kron(Naive.multiply(a, c), Naive.multiply(bb, d)),
                Naive.multiply(MatOps.kron(a, bb), MatOps.kron(c, d)), 1e-13, "mixed product");
    }

    @Test
    void kroneckerElementsAndNanPropagation() {
        Matrix a = Matrix.ofRows(new double[] {1, 0}, new double[] {2, 3});
        Matrix b = Matrix.ofRows(new double[] {5, Double.NaN, 7});
        Matrix k = MatOps.kron(a, b);
        assertEquals(2, k.rows());
        assertEquals(6, k.cols());
        assertEquals(2 * 7, k.get(1, 2), 0);
        assertEquals(3 * 5, k.get(1, 3), 0);
        assertTrue(Double.isNaN(k.get(0, 4)), "0 * NaN must stay NaN in a kron b");
    }

    @Test
    void shapeMismatchMessagesNameOperationAndShapes() {
        Matrix a34 = new Matrix(3, 4);
        Matrix a52 = new Matrix(5, 2);
        Matrix a43 = new Matrix(4, 3);
        assertMessage(() -> MatOps.gemm(1, a34, false, a52, false, 0, null), "gemm", "3x4", "5x2");
        assertMessage(() -> MatOps.gemm(1, a34, true, a52, true, 0, null), "gemm", "3x4", "5x2", "transposed");
        assertMessage(() -> MatOps.gemm(1, a34, false, a43, false, 0, new Matrix(2, 2)), "gemm", "2x2", "3x3");
        assertMessage(() -> MatOps.multiply(a34, a34), "gemm", "3x4");
        assertMessage(() -> MatOps.syrk(1, a34, false, 0, new Matrix(4, 4)), "syrk", "4x4", "3x3");
        assertMessage(() -> MatOps.gemv(1, a34, false, new double[3], 0, null), "gemv", "3x4", "3");
        assertMessage(() -> MatOps.gemv(1, a34, true, new double[3], 0, new double[3]), "gemv", "3", "4");
        assertMessage(() -> MatOps.axpy(1, a34, a43), "axpy", "3x4", "4x3");
        assertMessage(() -> MatOps.add(a34, a43, null), "add", "3x4", "4x3");
        assertMessage(() -> MatOps.subtract(a34, a52, null), "subtract", "3x4", "5x2");
        assertMessage(() -> MatOps.hadamard(a34, a52, null), "hadamard", "3x4", "5x2");
        assertMessage(() -> MatOps.hadamard(a34, a34, a52), "hadamard", "5x2", "3x4");
        assertMessage(() -> MatOps.map(a34, v -> v, a43), "map", "4x3", "3x4");
        assertMessage(() -> MatOps.dot(a34, a43), "dot", "3x4", "4x3");
        assertMessage(() -> MatOps.addDiagonalInPlace(a34, 1), "addDiagonal", "3x4");
        assertMessage(() -> a34.setTo(a43), "setTo", "3x4", "4x3");
        assertMessage(() -> new Matrix(2, 3, new double[5]), "5", "2x3");
        Matrix sq = new Matrix(3, 3);
        assertMessage(() -> MatOps.gemm(1, sq, false, sq, false, 0, sq), "gemm", "alias");
        // a different Matrix object over the same array is still an alias
        Matrix view = new Matrix(3, 3, sq.data());
        assertMessage(() -> MatOps.gemm(1, sq, false, Matrix.identity(3), false, 0, view), "gemm", "alias");
        assertMessage(() -> MatOps.syrk(1, sq, false, 0, view), "syrk", "alias");
        double[] v = new double[3];
        assertMessage(() -> MatOps.gemv(1, sq, false, v, 0, v), "gemv", "alias");
    }
}
