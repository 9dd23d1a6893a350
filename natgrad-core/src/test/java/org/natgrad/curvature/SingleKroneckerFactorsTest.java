package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.statistics.CurvatureKind;
import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Naive;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/**
 * Single-precision factor samples against the double-precision ones drawn from the same random
 * stream: equal up to float32 round-off (the backward pass through three layers loses a few
 * ulps: tolerance 1e-5 relative), laid out alike for K &gt; 1.
 */
class SingleKroneckerFactorsTest {

    private static Matrix gaussian(int r, int c, Rng rng) {
        return Naive.gaussian(r, c, rng);
    }

    @Test
    void backwardErrorsInSinglePrecisionMatchTheDoublePass() {
        Network net = Network.dense(List.of(7, 9, 8, 5), Activation.SIGMOID, Activation.TANH, true, new Init.Gaussian(1), 3);
        Rng rng = new Rng(4);
        Trace trace = net.forward(gaussian(7, 30, rng));
        Matrix outErr = gaussian(5, 30, rng);
        FloatMatrix[] single = net.backwardErrorsSingle(trace, FloatMatrix.of(outErr));
        var dbl = net.backward(trace, outErr, false);
        for (int i = 0; i < 3; i++) {
            double rel = MatOps.relativeError(single[i].toMatrix(), dbl.error(i));
            assertTrue(rel < 1e-5, "layer " + i + ": " + rel);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> net.backwardErrorsSingle(trace, new FloatMatrix(4, 30)));
        assertTrue(e.getMessage().contains("4x30") && e.getMessage().contains("5x30"), e.getMessage());
    }

    @Test
    void samplesMatchTheDoublePrecisionOnesFromTheSameStream() {
        Network net = Network.dense(List.of(6, 10, 4), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 5);
        Rng data = new Rng(6);
        Trace trace = net.forward(gaussian(6, 25, data));
        for (Likelihood lik : new Likelihood[] {Gaussian.unit(), new Categorical()}) {
            for (int k : new int[] {1, 3}) {
                CurvatureStatistics ref = CurvatureStatistics.kronecker(net, lik, trace, k, new Rng(7));
                CurvatureStatistics got = CurvatureStatistics.ofSingle(net, lik, trace, new CurvatureKind.MonteCarlo(k, new Rng(7)));
                for (int i = 0; i < 2; i++) {
                    assertEquals(ref.samples(i).inputSamples().shape(), got.samples(i).inputSamplesSingle().toMatrix().shape());
                    assertEquals(ref.samples(i).doubleErrors().shape(), got.samples(i).doubleErrors().shape());
                    assertTrue(got.samples(i).errors32() != null, "single-precision errors");
                    assertTrue(MatOps.relativeError(got.samples(i).inputSamplesSingle().toMatrix(), ref.samples(i).inputSamples()) < 1e-7);
                    assertTrue(MatOps.relativeError(got.samples(i).doubleErrors(), ref.samples(i).doubleErrors()) < 1e-5,
                            lik + " K=" + k + " layer " + i);
                }
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> CurvatureStatistics.ofSingle(net, Gaussian.unit(), trace, new CurvatureKind.MonteCarlo(0, new Rng(1))));
    }
}
