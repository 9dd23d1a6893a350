package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Affine;
import org.natgrad.nn.Init;
import org.natgrad.nn.ModelSpec;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * The mixed representation's diagonal fallback: on conv, relu, affine, avgpool, dense with a unit
 * Gaussian and the exact Fisher, the Affine layer's K-FAC and Eq. 20 block equals the diagonal of
 * the dense Fisher block from finite-difference Jacobians ({@link FiniteDifferenceFisher}) to 1e-8
 * relative to its largest entry, and {@link KroneckerFactored#fallbackLayers()} names that layer only.
 */
class MixedDiagonalFallbackTest {

    @Test
    void affineBlockIsTheDiagonalOfTheFiniteDifferenceFisher() {
        Network net = ModelSpec.parse("input 1x4x4, conv 2 2x2 pad 1, relu, affine, avgpool 5, dense 2")
                .build(new Init.Gaussian(1.0), 41);
        int a = -1;
        for (int l = 0; l < net.depth(); l++) {
            if (net.layer(l) instanceof Affine) {
                a = l;
            }
        }
        assertTrue(a >= 0, "the network has an affine layer");
        Rng rng = new Rng(42);
        Matrix x = new Matrix(16, 3);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextGaussian();
        }
        Matrix fd = FiniteDifferenceFisher.fisher(net, FiniteDifferenceFisher.Output.UNIT_GAUSSIAN, x);
        CurvatureStatistics s = CurvatureStatistics.of(net, Gaussian.unit(), net.forward(x), null, CurvatureKind.exact());
        int off = s.offset(a);
        int p = net.layer(a).parameterCount();
        assertEquals(4, p);
        for (CurvatureChoice choice : new CurvatureChoice[] {CurvatureChoice.KFAC, CurvatureChoice.EQ20}) {
            KroneckerFactored k = (KroneckerFactored) Curvature.of(choice, net, s);
            assertEquals(List.of(a), k.fallbackLayers(), choice + " fallback layers");
            assertTrue(k.describeFallback().contains("layer " + (a + 1) + ": diagonal"), k.describeFallback());
            Matrix dense = k.toDense();
            double max = 0;
            double err = 0;
            for (int i = 0; i < p; i++) {
                max = Math.max(max, Math.abs(fd.get(off + i, off + i)));
                for (int j = 0; j < p; j++) {
                    double want = i == j ? fd.get(off + i, off + i) : 0;
                    err = Math.max(err, Math.abs(dense.get(off + i, off + j) - want));
                }
            }
            assertTrue(max > 0 && err <= 1e-8 * max, choice + ": max |block - diag F_fd| = " + err + " vs " + max);
            double[] g = new double[s.parameterCount()];
            java.util.Arrays.fill(g, 1.0);
            double[] v = k.solve(g, 0.5);
            for (int i = 0; i < p; i++) {
                double want = 1.0 / (fd.get(off + i, off + i) + 0.5);
                assertTrue(Math.abs(v[off + i] - want) <= 1e-8 * want, choice + " solve entry " + i);
            }
        }
    }
}
