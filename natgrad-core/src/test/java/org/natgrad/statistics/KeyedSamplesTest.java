package org.natgrad.statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/**
 * Example-keyed model draws ({@link CurvatureStatistics#ofKeyedSamples}): each column's draws come
 * from Rng.keyed(seed, step, key) alone, so a batch split in parts with the same keys gives the
 * same statistics as the whole.
 */
class KeyedSamplesTest {

    /**
     * One linear layer without bias and a Gaussian of variance σ²: δ = (f − y)/σ² = −z/σ for the
     * standard normal z of y = f + σ z, so Λ̃ = (1/(KM σ²)) Σ z z^T with z drawn here, n values per
     * draw, from Rng.keyed(seed, step, key_j).
     */
    @Test
    void linearGaussianErrorsAreTheKeyedNormals() {
        int n = 3;
        Network net = Network.dense(List.of(4, n), Activation.IDENTITY, Activation.IDENTITY, false, new Init.Gaussian(1), 2);
        int m = 5;
        Matrix x = new Matrix(4, m);
        int k = 2;
        double variance = 0.25;
        new Rng(8).fillGaussian(x.data());
        long[] keys = {40, 7, 19, 3, 11};
        CurvatureStatistics s = CurvatureStatistics.ofKeyedSamples(net, Gaussian.isotropic(variance), net.forward(x), k,
                99, 6, keys);
        Matrix want = new Matrix(n, n);
        for (int j = 0; j < m; j++) {
            Rng rng = Rng.keyed(99, 6, keys[j]);
            for (int r = 0; r < k; r++) {
                double[] z = new double[n];
                rng.fillGaussian(z);
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        want.set(a, b, want.get(a, b) + z[a] * z[b] / (k * m * variance));
                    }
                }
            }
        }
        assertArrayEquals(want.data(), s.lambdaTilde(0).data(), 1e-12);
    }

    @Test
    void partsWithTheirKeysAddToTheWhole() {
        Network net = Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 3);
        Gaussian lik = Gaussian.unit();
        int m = 7;
        Matrix x = new Matrix(3, m);
        new Rng(1).fillGaussian(x.data());
        long[] keys = {0, 1, 2, 3, 4, 5, 6};
        CurvatureStatistics whole = CurvatureStatistics.ofKeyedSamples(net, lik, net.forward(x), 3, 5, 2, keys);
        // columns {5, 0, 3} and {1, 2, 4, 6}, each part in its own order, with the columns' keys
        int[] a = {5, 0, 3};
        int[] b = {1, 2, 4, 6};
        CurvatureStatistics sa = part(net, lik, x, a);
        CurvatureStatistics sb = part(net, lik, x, b);
        for (int l = 0; l < 2; l++) {
            Matrix sum = MatOps.scale(a.length, sa.lambdaTilde(l), null);
            MatOps.axpy(b.length, sb.lambdaTilde(l), sum);
            assertArrayEquals(MatOps.scale(m, whole.lambdaTilde(l), null).data(), sum.data(), 1e-12, "layer " + l);
            assertArrayEquals(whole.lambdaTilde(l).data(), sa.plus(sb).lambdaTilde(l).data(), 1e-12);
        }
        CurvatureStatistics otherStep = CurvatureStatistics.ofKeyedSamples(net, lik, net.forward(x), 3, 5, 3, keys);
        assertNotEquals(whole.lambdaTilde(1).get(0, 0), otherStep.lambdaTilde(1).get(0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> CurvatureStatistics.ofKeyedSamples(net, lik, net.forward(x), 3, 5, 2, new long[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> CurvatureStatistics.ofKeyedSamples(net, lik, net.forward(x), 0, 5, 2, keys));
    }

    private static CurvatureStatistics part(Network net, Gaussian lik, Matrix x, int[] cols) {
        Matrix p = new Matrix(x.rows(), cols.length);
        long[] keys = new long[cols.length];
        for (int j = 0; j < cols.length; j++) {
            System.arraycopy(x.data(), cols[j] * x.rows(), p.data(), j * x.rows(), x.rows());
            keys[j] = cols[j];
        }
        Trace t = net.forward(p);
        return CurvatureStatistics.ofKeyedSamples(net, lik, t, 3, 5, 2, keys);
    }

    @Test
    void keyedStreamsDependOnlyOnTheirKeys() {
        assertTrue(Rng.keyed(1, 2, 3).nextLong() == Rng.keyed(1, 2, 3).nextLong());
        assertNotEquals(Rng.keyed(1, 2, 3).nextLong(), Rng.keyed(1, 3, 2).nextLong());
        assertNotEquals(Rng.keyed(1, 2, 3).nextLong(), Rng.keyed(2, 2, 3).nextLong());
        assertNotEquals(Rng.keyed(1, 2, 3).nextLong(), Rng.keyed(1, 2, 4).nextLong());
    }
}
