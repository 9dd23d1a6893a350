package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.FloatCholesky;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Naive;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.random.Rng;

/**
 * {@link FactorPrecision}: which factors AUTO sends to single precision, single-precision solves
 * against double-precision ones, the fallback to double precision, and the claim that justifies the
 * default: on a network with large factors, the change that float32 makes to an NGD step is far
 * smaller than the Monte Carlo noise of the step itself (two model-sample seeds).
 */
class FactorPrecisionTest {

    private static Matrix gaussian(int r, int c, Rng rng) {
        return Naive.gaussian(r, c, rng);
    }

    @Test
    void autoUsesSinglePrecisionForLargeDampedCholeskyFactorsOnly() {
        int big = PsdSolver.AUTO_SINGLE_MIN_SIZE;
        assertTrue(PsdSolver.single(FactorPrecision.AUTO, InverseStrategy.CHOLESKY, big, false));
        assertFalse(PsdSolver.single(FactorPrecision.AUTO, InverseStrategy.CHOLESKY, big - 1, false));
        assertFalse(PsdSolver.single(FactorPrecision.AUTO, InverseStrategy.EIGEN, big, false));
        assertFalse(PsdSolver.single(FactorPrecision.AUTO, InverseStrategy.CHOLESKY, big, true));
        assertFalse(PsdSolver.single(FactorPrecision.DOUBLE, InverseStrategy.CHOLESKY, big, false));
        assertTrue(PsdSolver.single(FactorPrecision.SINGLE, InverseStrategy.CHOLESKY, 3, false));
        assertFalse(PsdSolver.single(FactorPrecision.SINGLE, InverseStrategy.SHERMAN_MORRISON, 300, false));
        Rng rng = new Rng(1);
        assertEquals(FactorPrecision.SINGLE, PsdSolver.of(gaussian(big, 20, rng), InverseStrategy.AUTO, false, 1,
                FactorPrecision.AUTO).precision());
        assertEquals(FactorPrecision.DOUBLE, PsdSolver.of(gaussian(big - 1, 20, rng), InverseStrategy.AUTO, false, 1,
                FactorPrecision.AUTO).precision());
        assertEquals(FactorPrecision.DOUBLE, PsdSolver.of(gaussian(big, 20, rng), InverseStrategy.AUTO, false, 1)
                .precision()); // the four-argument form is double precision
        assertThrows(IllegalArgumentException.class, () -> NaturalGradientOptions.paperDefaults().withFactorPrecision(null));
        assertEquals(FactorPrecision.AUTO, NaturalGradientOptions.paperDefaults().factorPrecision());
    }

    @Test
    void singlePrecisionSolvesAgreeWithDoubleToFloatRoundOff() {
        Rng rng = new Rng(2);
        int n = 40;
        Matrix s = gaussian(n, 120, rng);
        PsdSolver single = PsdSolver.of(s, InverseStrategy.CHOLESKY, false, 1, FactorPrecision.SINGLE);
        PsdSolver dbl = PsdSolver.of(s, InverseStrategy.CHOLESKY, false, 1, FactorPrecision.DOUBLE);
        Matrix gram = MatOps.multiplyTransB(s, s);
        PsdSolver singleFromGram = PsdSolver.ofGram(gram, InverseStrategy.CHOLESKY, false, 1, FactorPrecision.SINGLE);
        assertEquals(FactorPrecision.SINGLE, singleFromGram.precision());
        for (double shift : new double[] {0.5, 0.5, 0.5, 2.0, 0.5}) { // new, reused (inverse formed), new, back
            for (int k : new int[] {3, n, 2 * n}) {
                Matrix b = gaussian(n, k, rng);
                Matrix c = gaussian(k, n, rng);
                // Condition number of A + 0.5 I is about (√120+√40)²/0.5... ≲ 600: float error ≲ 600 · 6e-8.
                assertTrue(MatOps.relativeError(single.solve(shift, b), dbl.solve(shift, b)) < 1e-4, "left k=" + k);
                assertTrue(MatOps.relativeError(single.solveRight(shift, c), dbl.solveRight(shift, c)) < 1e-4,
                        "right k=" + k);
                assertTrue(MatOps.relativeError(singleFromGram.solve(shift, b), dbl.solve(shift, b)) < 1e-4);
            }
            assertTrue(MatOps.relativeError(single.inverse(shift), dbl.inverse(shift)) < 1e-4);
        }
        // Pseudo-inverse (shift 0) is computed in double precision from the factor.
        assertTrue(MatOps.relativeError(single.inverse(0), dbl.inverse(0)) < 1e-5);
    }

    @Test
    void factorNotPositiveDefiniteInFloatFallsBackToDoublePrecision() {
        // Two identical rows: A = [[5, 5], [5, 5]] exactly (in float too), singular. With a shift of
        // 1e-9 the float32 factorization fails (5 + 1e-9 rounds to 5), the double one does not.
        Matrix s = Matrix.ofRows(new double[] {1, 1, 1, 1, 1}, new double[] {1, 1, 1, 1, 1});
        double shift = 1e-9;
        Matrix gram = MatOps.multiplyTransB(s, s);
        assertTrue(FloatCholesky.decompose(FloatMatrix.of(gram), (float) shift).isEmpty(), "scenario: float fails");
        PsdSolver single = PsdSolver.of(s, InverseStrategy.CHOLESKY, false, 1, FactorPrecision.SINGLE);
        PsdSolver dbl = PsdSolver.of(s, InverseStrategy.CHOLESKY, false, 1, FactorPrecision.DOUBLE);
        Matrix b = Matrix.ofRows(new double[] {1, 2, 3}, new double[] {-1, 0.5, 4});
        assertEquals(dbl.solve(shift, b), single.solve(shift, b)); // bit for bit: the same double path
        assertEquals(dbl.solveRight(shift, b.transpose()), single.solveRight(shift, b.transpose()));
        assertTrue(single.solve(shift, b).isFinite());
    }

    /** A tanh network whose factors are 151, 150 and 121..150 wide: above the AUTO threshold. */
    private static Network wideNet(long seed) {
        return Network.dense(List.of(150, 130, 150), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), seed);
    }

    private static Matrix step(NaturalGradientOptions options, Batch batch) {
        Network net = wideNet(5);
        ParamVector before = net.parameters().copy();
        NaturalGradient ngd = new NaturalGradient(Gaussian.unit(), options);
        StepReport r = ngd.step(net, batch);
        assertTrue(r.accepted(), r.note());
        ParamVector after = net.parameters().copy();
        after.axpy(-1, before);
        return Matrix.column(after.toFlat());
    }

    @Test
    void float32ChangesAStepFarLessThanMonteCarloNoiseDoes() {
        Rng rng = new Rng(6);
        Matrix x = gaussian(150, 400, rng);
        Matrix y = gaussian(150, 400, rng);
        Batch batch = new Batch(x, y);
        NaturalGradientOptions base = NaturalGradientOptions.paperDefaults().withSeed(11);
        Matrix dbl = step(base.withFactorPrecision(FactorPrecision.DOUBLE), batch);
        Matrix single = step(base.withFactorPrecision(FactorPrecision.SINGLE), batch);
        Matrix auto = step(base, batch);
        Matrix otherSeed = step(base.withSeed(12).withFactorPrecision(FactorPrecision.DOUBLE), batch);
        double precisionError = MatOps.relativeError(single, dbl);
        double samplingNoise = MatOps.relativeError(otherSeed, dbl);
        assertEquals(single, auto); // every factor here is above the AUTO threshold
        assertTrue(precisionError < 1e-4, "float32 vs float64 step: " + precisionError);
        assertTrue(samplingNoise > 100 * precisionError,
                "sampling noise " + samplingNoise + " vs precision error " + precisionError);
    }

    @Test
    void smallNetworksKeepDoublePrecisionResultsBitForBitUnderAuto() {
        Rng rng = new Rng(8);
        Batch batch = new Batch(gaussian(6, 50, rng), gaussian(4, 50, rng));
        NaturalGradientOptions base = NaturalGradientOptions.paperDefaults().withSeed(3);
        ParamVector[] results = new ParamVector[2];
        FactorPrecision[] ps = {FactorPrecision.AUTO, FactorPrecision.DOUBLE};
        for (int k = 0; k < 2; k++) {
            Network net = Network.dense(List.of(6, 9, 4), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 4);
            NaturalGradient ngd = new NaturalGradient(Gaussian.unit(), base.withFactorPrecision(ps[k]));
            for (int t = 0; t < 5; t++) {
                ngd.step(net, batch);
            }
            results[k] = net.parameters();
        }
        assertEquals(Matrix.column(results[1].toFlat()), Matrix.column(results[0].toFlat()));
    }

    @Test
    void valuesBeyondFloat32RangeFallBackToDoublePrecisionInsteadOfRejecting() {
        // Inputs ~1e40 (beyond float32's ±3.4e38, fine in double) into first-layer weights ~1e-40:
        // the network computes O(1) values, and NGD, invariant to that rescaling, takes a sane step.
        // The input samples U_1 do not fit in float32, so the refresh is redone in double.
        Rng rng = new Rng(9);
        Batch batch = new Batch(MatOps.scaleInPlace(1e40, gaussian(4, 50, rng)), gaussian(3, 50, rng));
        ParamVector[] after = new ParamVector[2];
        FactorPrecision[] ps = {FactorPrecision.DOUBLE, FactorPrecision.SINGLE};
        for (int k = 0; k < 2; k++) {
            Network net = Network.dense(List.of(4, 6, 3), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 10);
            MatOps.scaleInPlace(1e-40, net.parameters().weights(0));
            NaturalGradient ngd = new NaturalGradient(Gaussian.unit(),
                    NaturalGradientOptions.paperDefaults().withSeed(5).withFactorPrecision(ps[k]));
            for (int t = 0; t < 3; t++) {
                StepReport r = ngd.step(net, batch);
                assertTrue(r.accepted(), ps[k] + " step " + t + ": " + r.note());
            }
            assertTrue(net.parameters().isFinite());
            after[k] = net.parameters();
        }
        double rel = MatOps.relativeError(Matrix.column(after[1].toFlat()), Matrix.column(after[0].toFlat()));
        assertTrue(rel < 1e-6, "single vs double after three steps: " + rel);
        assertEquals(null, FloatMatrix.ofFinite(Matrix.ofRows(new double[] {1, 1e39}), 1));
        assertEquals(null, FloatMatrix.ofFinite(Matrix.ofRows(new double[] {Double.NaN}), 1));
        assertEquals(2f, FloatMatrix.ofFinite(Matrix.ofRows(new double[] {1, 1e39}), 2e-39).data()[1]);
        assertEquals(null, new FloatMatrix(1, 2, new float[] {1, Float.POSITIVE_INFINITY}).toMatrixIfFinite());
    }
}
