package org.natgrad.deeplinear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/** Checks B2-B6 of math.md §6 for the Eq. 23 generalized inverse (square, equal-width nets). */
class GeneralizedInverseTest {

    private static final int[][] SQUARE_ARCHS = {Fixtures.SQUARE, Fixtures.SQUARE_DEEP};

    @Test
    void b2Eq23IsAReflexiveGeneralizedInverse() {
        for (int[] arch : SQUARE_ARCHS) {
            DeepLinearModel m = Fixtures.model(arch, 41);
            Matrix f = PopulationFisher.dense(m);
            Matrix g = GeneralizedInverse.eq23(m);
            assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(f, g), f), f), 1e-8);
            assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(g, f), g), g), 1e-8);
        }
    }

    @Test
    void eq23BlocksArePsiKInversePsiTranspose() {
        // (F^g)_ij = L^-2 Ψ_i K^-1 Ψ_j^T with Ψ_i = Φ_i^{-1}: an independent dense route
        DeepLinearModel m = Fixtures.model(Fixtures.SQUARE_DEEP, 42);
        Matrix g = GeneralizedInverse.eq23(m);
        Matrix kInv = Lin.inverse(PopulationFisher.k(m), 1e-14, "K");
        int l = m.depth();
        for (int i = 1; i <= l; i++) {
            Matrix psiI = Lin.inverse(PopulationFisher.phi(m, i), 1e-14, "Φ_i");
            for (int j = 1; j <= l; j++) {
                Matrix psiJ = Lin.inverse(PopulationFisher.phi(m, j), 1e-14, "Φ_j");
                Matrix expected = MatOps.scaleInPlace(1.0 / (l * l), MatOps.multiply(MatOps.multiply(psiI, kInv), psiJ.transpose()));
                assertEquals(0, MatOps.relativeError(PopulationFisher.blockOf(m, g, i, j), expected), 1e-8);
            }
        }
    }

    @Test
    void b3Eq23DiffersFromMoorePenrose() {
        DeepLinearModel m = Fixtures.model(Fixtures.SQUARE, 43);
        Matrix f = PopulationFisher.dense(m);
        Matrix g = GeneralizedInverse.eq23(m);
        Matrix fPlus = GeneralizedInverse.moorePenrose(f, 1e-10);
        // F^+ is the Moore-Penrose inverse: all four Penrose conditions
        assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(f, fPlus), f), f), 1e-8);
        assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(fPlus, f), fPlus), fPlus), 1e-8);
        assertTrue(MatOps.relativeError(g, fPlus) > 0.1, "Eq. 23 must differ from F^+");
        Matrix fg = MatOps.multiply(f, g);
        assertTrue(MatOps.relativeError(fg, fg.transpose()) > 0.1, "F F^g is not symmetric");
        // P = 32 parameters, rank F = n0 nL = 16
        assertEquals(32, m.parameterCount());
        assertEquals(16, org.natgrad.linalg.SymmetricEigen.decompose(f).orElseThrow().rank(1e-10));
    }

    @Test
    void b4NaturalGradientPerLayerIsMinusFgGradient() {
        for (int[] arch : SQUARE_ARCHS) {
            DeepLinearModel m = Fixtures.model(arch, 44);
            List<Matrix> fromDense = PopulationFisher.negativePreconditioned(m, GeneralizedInverse.eq23(m));
            assertEquals(0, Fixtures.relErr(NaturalGradientUpdate.eq10(m, false), fromDense), 1e-8);
            assertEquals(0, Fixtures.relErr(NaturalGradientUpdate.eq10(m, true), fromDense), 1e-8);
            assertEquals(0, Fixtures.relErr(NaturalGradientUpdate.eq16(m), fromDense), 1e-8);
        }
    }

    @Test
    void b5EveryBlockProductInARowIsTheSame() {
        DeepLinearModel m = Fixtures.model(Fixtures.SQUARE_DEEP, 45);
        Matrix g = GeneralizedInverse.eq23(m);
        List<Matrix> grads = m.gradients();
        for (int i = 1; i <= m.depth(); i++) {
            double[] first = null;
            for (int j = 1; j <= m.depth(); j++) {
                double[] v = MatOps.gemv(1, PopulationFisher.blockOf(m, g, i, j), false, grads.get(j - 1).data(), 0, null);
                if (first == null) {
                    first = v;
                } else {
                    assertEquals(0, MatOps.relativeError(Matrix.column(v), Matrix.column(first)), 1e-8, "row " + i + ", j " + j);
                }
            }
        }
    }

    @Test
    void b6BlockDiagonalInverseGivesLTimesEq10() {
        DeepLinearModel m = Fixtures.model(Fixtures.SQUARE_DEEP, 46);
        List<Matrix> eq10 = NaturalGradientUpdate.eq10(m, false);
        for (int i = 1; i <= m.depth(); i++) {
            Matrix fii = PopulationFisher.block(m, i, i);
            Matrix sol = Lin.inverse(fii, 1e-14, "F_ii");
            double[] v = MatOps.gemv(1, sol, false, m.gradient(i).data(), 0, null);
            Matrix expected = MatOps.scale(-m.depth(), eq10.get(i - 1), null);
            assertEquals(0, MatOps.relativeError(new Matrix(expected.rows(), expected.cols(), v), expected), 1e-8);
        }
    }

    @Test
    void raoMitraGivesGeneralizedInverses() {
        DeepLinearModel m = Fixtures.model(Fixtures.BOTTLENECK, 47);
        Matrix f = PopulationFisher.dense(m);
        Matrix fPlus = GeneralizedInverse.moorePenrose(f, 1e-10);
        Matrix z = MatOps.scaleInPlace(fPlus.frobeniusNorm() / m.parameterCount(),
                Fixtures.gaussian(m.parameterCount(), m.parameterCount(), 1, new Rng(5)));
        Matrix g = GeneralizedInverse.raoMitra(f, fPlus, z);
        assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(f, g), f), f), 1e-8);
        assertTrue(MatOps.relativeError(g, fPlus) > 0.01);
        assertThrows(IllegalArgumentException.class, () -> GeneralizedInverse.raoMitra(f, fPlus, new Matrix(2, 2)));
    }

    @Test
    void eq23RejectsNonSquareAndSingularNetworks() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GeneralizedInverse.eq23(Fixtures.model(Fixtures.WIDENING, 48)));
        assertTrue(e.getMessage().contains("[3, 5, 7, 4]"), e.getMessage());
        DeepLinearModel m = Fixtures.model(Fixtures.SQUARE, 49);
        List<Matrix> w = m.weights();
        Matrix singular = w.get(1);
        for (int r = 0; r < 4; r++) {
            singular.set(r, 3, singular.get(r, 0) * 2); // column 3 = 2 x column 0
        }
        DeepLinearModel sm = m.withWeights(w);
        e = assertThrows(IllegalArgumentException.class, () -> GeneralizedInverse.eq23(sm));
        assertTrue(e.getMessage().contains("W_2") && e.getMessage().contains("not invertible"), e.getMessage());
    }
}
