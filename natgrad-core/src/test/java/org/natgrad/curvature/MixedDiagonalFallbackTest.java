package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.ScaleShift;
import org.natgrad.nn.Init;
import org.natgrad.nn.ModelSpec;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * The mixed representation's diagonal fallback: on conv, relu, affine, avgpool, dense with a unit
 * Gaussian and the exact Fisher (and on dense, tanh, layernorm, dense; every parameter moved by
 * N(0, 0.3²) off its initialization), the Affine (LayerNorm) layer's K-FAC and Eq. 20 block equals the diagonal of
 * the dense Fisher block from finite-difference Jacobians ({@link FiniteDifferenceFisher}) to 1e-8
 * relative to its largest entry (zero off the diagonal), the solve with ρ = 0.5 is 1/(F_jj + 0.5) per
 * entry (relative 1e-8), and {@link KroneckerFactored#fallbackLayers()} names that layer only.
 */
class MixedDiagonalFallbackTest {

    @Test
    void affineBlockIsTheDiagonalOfTheFiniteDifferenceFisher() {
        check("input 1x4x4, conv 2 2x2 pad 1, relu, affine, avgpool 5, dense 2", 16, 4);
    }

    @Test
    void layerNormBlockIsTheDiagonalOfTheFiniteDifferenceFisher() {
        check("input 5, dense 4, tanh, layernorm, dense 3", 5, 8);
    }

    /** The model's one scale-and-shift layer (p parameters) on 3 N(0, 1) inputs of size n0. */
    private static void check(String model, int n0, int p) {
        Network net = ModelSpec.parse(model).build(new Init.Gaussian(1.0), 41);
        int a = -1;
        for (int l = 0; l < net.depth(); l++) {
            if (net.layer(l) instanceof ScaleShift) {
                a = l;
            }
        }
        assertTrue(a >= 0, "the network has a scale-and-shift layer");
        Rng rng = new Rng(42);
        // γ and β away from their identity initialization
        double[] theta = net.parameters().toFlat();
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.3 * rng.nextGaussian();
        }
        net.parameters().setFromFlat(theta);
        Matrix x = new Matrix(n0, 3);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextGaussian();
        }
        Matrix fd = FiniteDifferenceFisher.fisher(net, FiniteDifferenceFisher.Output.UNIT_GAUSSIAN, x);
        CurvatureStatistics s = CurvatureStatistics.of(net, Gaussian.unit(), net.forward(x), null, CurvatureKind.exact());
        int off = s.offset(a);
        assertEquals(p, net.layer(a).parameterCount());
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

    /**
     * Monte Carlo (K = 3 draws per example): the LayerNorm layer's fallback diagonal equals
     * Σ_{m,r} (J_m^T ε_{m,r})_j² / (KM), with J_m from finite differences and ε_{m,r} = ∂ℓ/∂f for
     * the same model-sampled targets, replayed from the same seed (the targets Λ̃ of the dense layers
     * uses); relative 1e-8 to the largest entry.
     */
    @Test
    void monteCarloDiagonalUsesTheModelSampledErrors() {
        Network net = ModelSpec.parse("input 5, dense 4, tanh, layernorm, dense 3").build(new Init.Gaussian(1.0), 51);
        Rng rng = new Rng(52);
        Matrix x = new Matrix(5, 4);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextGaussian();
        }
        int k = 3;
        org.natgrad.likelihood.Likelihood lik = Gaussian.unit();
        CurvatureStatistics s = CurvatureStatistics.of(net, lik, net.forward(x), null, CurvatureKind.monteCarlo(k, new Rng(53)));
        KroneckerFactored kf = (KroneckerFactored) Curvature.of(CurvatureChoice.KFAC, net, s);
        assertEquals(List.of(1), kf.fallbackLayers());
        Matrix out = net.predict(x);
        Matrix[] jac = FiniteDifferenceFisher.jacobians(net, x);
        Rng replay = new Rng(53);
        int off = s.offset(1);
        double[] want = new double[8];
        for (int r = 0; r < k; r++) {
            Matrix err = lik.outputError(out, lik.sample(out, replay));
            for (int m = 0; m < x.cols(); m++) {
                for (int j = 0; j < want.length; j++) {
                    double g = 0;
                    for (int c = 0; c < out.rows(); c++) {
                        g += jac[m].get(c, off + j) * err.get(c, m);
                    }
                    want[j] += g * g / (k * x.cols());
                }
            }
        }
        double[] got = kf.diagonal();
        double max = 0;
        double e = 0;
        for (int j = 0; j < want.length; j++) {
            max = Math.max(max, want[j]);
            e = Math.max(e, Math.abs(got[off + j] - want[j]));
        }
        assertTrue(max > 0 && e <= 1e-8 * max, "max |diag - replayed| = " + e + " vs " + max);
    }
}
