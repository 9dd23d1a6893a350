package org.natgrad.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * Statistics are values that add: the statistics of two batches combined with {@code plus} equal
 * the statistics of their union computed directly (the union's dense Fisher, Λ and Λ̃, to 1e-12
 * relative, summation order aside); {@code scaled} multiplies the Fisher; {@code movingAverage}
 * blends the factors; single-precision errors convert exactly.
 */
class CurvatureStatisticsTest {
    private static final Network NET = Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, true,
            new Init.Gaussian(1), 5);

    private static Batch batch(int m, long seed) {
        Rng r = new Rng(seed);
        Matrix x = new Matrix(3, m);
        r.fillGaussian(x.data());
        Matrix y = new Matrix(2, m);
        r.fillGaussian(y.data());
        return new Batch(x, y);
    }

    private static Batch union(Batch a, Batch b) {
        int m = a.size() + b.size();
        Matrix x = new Matrix(a.inputs().rows(), m);
        Matrix y = new Matrix(a.targets().rows(), m);
        System.arraycopy(a.inputs().data(), 0, x.data(), 0, a.inputs().size());
        System.arraycopy(b.inputs().data(), 0, x.data(), a.inputs().size(), b.inputs().size());
        System.arraycopy(a.targets().data(), 0, y.data(), 0, a.targets().size());
        System.arraycopy(b.targets().data(), 0, y.data(), a.targets().size(), b.targets().size());
        return new Batch(x, y);
    }

    private static double rel(Matrix a, Matrix b) {
        return MatOps.relativeError(a, b);
    }

    @Test
    void plusGivesTheStatisticsOfTheUnion() {
        Batch a = batch(3, 1);
        Batch b = batch(5, 2);
        for (CurvatureKind kind : new CurvatureKind[] {CurvatureKind.exact(), CurvatureKind.empirical()}) {
            CurvatureStatistics sum = CurvatureStatistics.of(NET, Gaussian.unit(), a, kind)
                    .plus(CurvatureStatistics.of(NET, Gaussian.unit(), b, kind));
            CurvatureStatistics direct = CurvatureStatistics.of(NET, Gaussian.unit(), union(a, b), kind);
            assertEquals(8, sum.examples());
            assertTrue(rel(sum.fisher(), direct.fisher()) < 1e-12, kind.toString());
            for (int l = 0; l < 2; l++) {
                assertInstanceOf(LayerStatistics.Samples.class, sum.layer(l));
                assertTrue(rel(sum.lambda(l), direct.lambda(l)) < 1e-12);
                assertTrue(rel(sum.lambdaTilde(l), direct.lambdaTilde(l)) < 1e-12);
            }
        }
    }

    @Test
    void plusKeepsEachErrorWithItsExampleAcrossDrawBlocks() {
        // Monte Carlo with K = 3 draws per example: F of the union must be the example-weighted
        // mean of the two batches' F, which holds only when every error column stays paired with
        // its own example's input after the blocks are interleaved.
        Batch a = batch(2, 3);
        Batch b = batch(4, 4);
        Likelihood lik = new Categorical();
        Network cls = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 6);
        Batch ca = new Batch(a.inputs(), org.natgrad.data.Labels.oneHot(new int[] {0, 2}, 3));
        Batch cb = new Batch(b.inputs(), org.natgrad.data.Labels.oneHot(new int[] {1, 1, 0, 2}, 3));
        CurvatureStatistics sa = CurvatureStatistics.of(cls, lik, ca, CurvatureKind.monteCarlo(3, new Rng(7)));
        CurvatureStatistics sb = CurvatureStatistics.of(cls, lik, cb, CurvatureKind.monteCarlo(3, new Rng(8)));
        CurvatureStatistics sum = sa.plus(sb);
        Matrix want = MatOps.scale(2.0 / 6, sa.fisher(), null);
        MatOps.axpy(4.0 / 6, sb.fisher(), want);
        assertTrue(rel(sum.fisher(), want) < 1e-12, "paired union");
        assertEquals(3 * 6, sum.count());
    }

    @Test
    void scaledMultipliesTheFisherAndMovingAverageBlendsTheFactors() {
        CurvatureStatistics s = CurvatureStatistics.of(NET, Gaussian.unit(), batch(4, 5), CurvatureKind.exact());
        CurvatureStatistics t = CurvatureStatistics.of(NET, Gaussian.unit(), batch(6, 6), CurvatureKind.exact());
        assertTrue(rel(s.scaled(2.5).fisher(), MatOps.scale(2.5, s.fisher(), null)) < 1e-14);
        CurvatureStatistics avg = s.movingAverage(0.9, t);
        for (int l = 0; l < 2; l++) {
            assertInstanceOf(LayerStatistics.Factors.class, avg.layer(l));
            Matrix lam = MatOps.scale(0.9, s.lambda(l), null);
            MatOps.axpy(0.1, t.lambda(l), lam);
            Matrix tilde = MatOps.scale(0.9, s.lambdaTilde(l), null);
            MatOps.axpy(0.1, t.lambdaTilde(l), tilde);
            assertTrue(rel(avg.lambda(l), lam) < 1e-15);
            assertTrue(rel(avg.lambdaTilde(l), tilde) < 1e-15);
        }
        assertThrows(IllegalArgumentException.class, () -> s.movingAverage(1.5, t));
        assertThrows(IllegalArgumentException.class, () -> s.scaled(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, avg::inputs);
        assertTrue(e.getMessage().contains("factors"), e.getMessage());
    }

    @Test
    void singlePrecisionErrorsConvertExactlyAndShapesMustAgree() {
        Network net = NET;
        var trace = net.forward(batch(5, 9).inputs());
        CurvatureStatistics single = CurvatureStatistics.ofSingle(net, Gaussian.unit(), trace,
                new CurvatureKind.MonteCarlo(2, new Rng(3)));
        CurvatureStatistics dbl = CurvatureStatistics.of(net, Gaussian.unit(), trace, null,
                CurvatureKind.monteCarlo(2, new Rng(3)));
        for (int l = 0; l < 2; l++) {
            assertEquals(LayerStatistics.Precision.SINGLE, single.layer(l).precision());
            Matrix e32 = single.samples(l).errors32().toMatrix();
            assertEquals(0, rel(single.toDouble().errors()[l], e32), 0.0);
            assertTrue(rel(e32, dbl.errors()[l]) < 1e-5, "float32 round-off");
        }
        Network other = Network.dense(List.of(3, 5, 2), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 5);
        CurvatureStatistics o = CurvatureStatistics.of(other, Gaussian.unit(), batch(4, 1), CurvatureKind.exact());
        assertThrows(IllegalArgumentException.class, () -> dbl.plus(o));
    }
}
