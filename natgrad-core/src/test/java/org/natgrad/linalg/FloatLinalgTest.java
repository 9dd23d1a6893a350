package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.random.Rng;

/**
 * The single-precision kernels ({@link FloatOps}, {@link FloatCholesky}) against the same
 * products and solves in double precision ({@link Naive}, residuals). Tolerances are float32
 * round-off (ε ≈ 6·10⁻⁸) times the inner dimension or the condition number, with margin.
 */
class FloatLinalgTest {

    @Test
    void conversionRoundsToNearestFloatAndBackExactly() {
        Matrix m = Matrix.ofRows(new double[] {1.0 / 3, -2.5}, new double[] {1e-40, 7});
        FloatMatrix f = FloatMatrix.of(m);
        assertEquals((float) (1.0 / 3), f.data()[0]);
        assertEquals("2x2", f.shape());
        Matrix back = f.toMatrix();
        assertEquals((double) (float) (1.0 / 3), back.get(0, 0));
        assertEquals(-2.5, back.get(0, 1));
        assertEquals(FloatMatrix.of(back).toMatrix(), back); // float -> double -> float is the identity
        assertFalse(FloatMatrix.of(Matrix.ofRows(new double[] {1e300})).isFinite()); // overflow shows as Inf
    }

    @Test
    void gramAndProductsMatchDoublePrecision() {
        Rng rng = new Rng(3);
        Matrix s = Naive.gaussian(37, 300, rng);
        Matrix gram = FloatOps.gram(FloatMatrix.of(s), 0.5f).toMatrix();
        Matrix ref = Naive.combine(0.5, Naive.multiply(s, Naive.transpose(s)), 0, Naive.identity(37));
        assertTrue(MatOps.relativeError(gram, ref) < 1e-6, "gram " + MatOps.relativeError(gram, ref));
        assertEquals(gram, gram.transpose()); // both triangles written
        Matrix a = Naive.gaussian(20, 30, rng);
        Matrix b = Naive.gaussian(40, 30, rng);
        for (boolean ta : new boolean[] {false, true}) {
            Matrix aa = ta ? a.transpose() : a;
            Matrix p = FloatOps.multiply(FloatMatrix.of(aa), ta, FloatMatrix.of(b), true).toMatrix();
            Matrix r = Naive.multiply(a, Naive.transpose(b));
            assertTrue(MatOps.relativeError(p, r) < 1e-6, "product transA=" + ta);
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> FloatOps.multiply(FloatMatrix.of(a), false, FloatMatrix.of(b), false));
        assertTrue(e.getMessage().contains("20x30") && e.getMessage().contains("40x30"), e.getMessage());
    }

    @Test
    void choleskySolvesFromBothSidesAndInverts() {
        Rng rng = new Rng(4);
        int n = 50;
        Matrix s = Naive.gaussian(n, 200, rng);
        Matrix a = Naive.multiply(s, Naive.transpose(s)); // eigenvalues ~ (√200 ± √50)², condition ~ 10
        double shift = 0.25;
        Matrix shifted = MatOps.addDiagonalInPlace(a.copy(), shift);
        FloatCholesky c = FloatCholesky.decompose(FloatMatrix.of(a), (float) shift).orElseThrow();
        assertEquals(n, c.size());
        Matrix b = Naive.gaussian(n, 7, rng);
        Matrix x = c.solve(FloatMatrix.of(b)).toMatrix();
        assertTrue(MatOps.relativeError(Naive.multiply(shifted, x), b) < 1e-5, "left residual");
        Matrix bt = Naive.gaussian(9, n, rng);
        Matrix y = c.solveRight(FloatMatrix.of(bt)).toMatrix();
        assertTrue(MatOps.relativeError(Naive.multiply(y, shifted), bt) < 1e-5, "right residual");
        Matrix inv = c.inverse().toMatrix();
        assertEquals(inv, inv.transpose());
        assertTrue(MatOps.relativeError(Naive.multiply(shifted, inv), Naive.identity(n)) < 1e-5, "inverse");
        assertThrows(IllegalArgumentException.class, () -> c.solve(FloatMatrix.of(bt)));
        assertThrows(IllegalArgumentException.class, () -> c.solveRight(FloatMatrix.of(b)));
    }

    @Test
    void notPositiveDefiniteOrNotFiniteGivesEmpty() {
        FloatMatrix indefinite = FloatMatrix.of(Matrix.ofRows(new double[] {1, 2}, new double[] {2, 1}));
        assertTrue(FloatCholesky.decompose(indefinite, 0f).isEmpty());
        assertTrue(FloatCholesky.decompose(indefinite, 1.5f).isPresent()); // eigenvalues -1, 3 shifted to 0.5, 4.5
        FloatMatrix nan = FloatMatrix.of(Matrix.ofRows(new double[] {1, Double.NaN}, new double[] {Double.NaN, 1}));
        assertTrue(FloatCholesky.decompose(nan, 1f).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> FloatCholesky.decompose(new FloatMatrix(2, 3), 1f));
    }
}
