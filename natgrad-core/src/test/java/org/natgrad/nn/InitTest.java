package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.random.Rng;

/** Initialisers: Gaussian moments, (semi-)orthogonality, determinism. */
class InitTest {

    /**
     * N = 200 x 100 = 20000 draws of N(0, g²/100). Standard errors: mean σ/√N, variance
     * σ² √(2/N) (1% relative); tolerance 5 standard errors.
     */
    @Test
    void gaussianHasVarianceGainSquaredOverFanIn() {
        for (double gain : new double[] {1, 2.5}) {
            Matrix w = new Init.Gaussian(gain).weights(200, 100, new Rng(61));
            assertEquals(200, w.rows());
            assertEquals(100, w.cols());
            double n = w.size();
            double mean = 0;
            for (double v : w.data()) {
                mean += v;
            }
            mean /= n;
            double var = 0;
            for (double v : w.data()) {
                var += (v - mean) * (v - mean);
            }
            var /= n - 1;
            double sigma2 = gain * gain / 100;
            assertEquals(0, mean, 5 * Math.sqrt(sigma2 / n), "mean");
            assertEquals(sigma2, var, 5 * sigma2 * Math.sqrt(2 / n), "variance");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Init.Gaussian(0));
        assertTrue(e.getMessage().contains("gain"), e.getMessage());
    }

    @Test
    void orthogonalHasOrthonormalRowsOrColumns() {
        Rng rng = new Rng(62);
        // wide: orthonormal rows W W^T = g² I; tall: orthonormal columns W^T W = g² I
        for (int[] s : new int[][] {{5, 8}, {8, 5}, {6, 6}}) {
            for (double gain : new double[] {1, 3}) {
                Matrix w = new Init.Orthogonal(gain).weights(s[0], s[1], rng);
                assertEquals(s[0], w.rows());
                assertEquals(s[1], w.cols());
                double g2 = gain * gain;
                if (s[0] <= s[1]) {
                    Naive.assertClose(Naive.combine(g2, Naive.identity(s[0]), 0, Naive.identity(s[0])),
                            Naive.multiply(w, Naive.transpose(w)), 1e-14, "W W^T " + w.shape());
                }
                if (s[0] >= s[1]) {
                    Naive.assertClose(Naive.combine(g2, Naive.identity(s[1]), 0, Naive.identity(s[1])),
                            Naive.multiply(Naive.transpose(w), w), 1e-14, "W^T W " + w.shape());
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Init.Orthogonal(0));
        assertThrows(IllegalArgumentException.class, () -> new Init.Orthogonal(Double.NaN));
    }

    @Test
    void sameSeedSameWeights() {
        for (Init init : new Init[] {Init.gaussian(), Init.orthogonal(), new Init.Zero()}) {
            Matrix a = init.weights(7, 4, new Rng(63));
            Matrix b = init.weights(7, 4, new Rng(63));
            assertEquals(a, b, init + " with equal seeds");
            if (!(init instanceof Init.Zero)) {
                assertNotEquals(a, init.weights(7, 4, new Rng(64)), init + " with different seeds");
            } else {
                assertEquals(0, Naive.maxAbs(a), 0);
            }
        }
        Network n1 = Network.dense(List.of(4, 6, 3), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 7L);
        Network n2 = Network.dense(List.of(4, 6, 3), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 7L);
        for (int i = 0; i < 2; i++) {
            assertEquals(n1.layer(i).weights(), n2.layer(i).weights());
            assertEquals(0, Naive.maxAbs(n1.layer(i).bias()), 0, "biases start at zero");
        }
    }
}
