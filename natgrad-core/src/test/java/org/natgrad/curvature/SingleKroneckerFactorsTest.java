package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
                KroneckerFactors ref = KroneckerFactors.of(net, lik, trace, k, new Rng(7));
                KroneckerFactors got = SingleKroneckerFactors.of(net, lik, trace, k, new Rng(7)).toDouble();
                for (int i = 0; i < 2; i++) {
                    assertEquals(ref.inputSamples()[i].shape(), got.inputSamples()[i].shape());
                    assertEquals(ref.errorSamples()[i].shape(), got.errorSamples()[i].shape());
                    assertTrue(MatOps.relativeError(got.inputSamples()[i], ref.inputSamples()[i]) < 1e-7);
                    assertTrue(MatOps.relativeError(got.errorSamples()[i], ref.errorSamples()[i]) < 1e-5,
                            lik + " K=" + k + " layer " + i);
                }
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> SingleKroneckerFactors.of(net, Gaussian.unit(), trace, 0, new Rng(1)));
    }
}
