package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Init;
import org.natgrad.nn.ModelSpec;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.statistics.Gradients;

/**
 * KFC (Grosse &amp; Martens 2016), expand form, for {@link org.natgrad.nn.Conv2d}:
 * <ul>
 *   <li>the factors against the same expectations written out by hand: patches read from the input
 *       tensor by its (c, y, x) layout, Λ = (1/(L·M)) Σ_{m,l} x̄ x̄ᵀ and Λ̃ = (1/M) Σ_{m,l} δ δᵀ
 *       (relative 1e-12); the reduce form ({@link CurvatureStatistics#reduced()}) against
 *       Λ = (1/M) Σ_m x̂ x̂ᵀ, x̂ the mean patch, and Λ̃ = (1/M) Σ_m ĝ ĝᵀ, ĝ = Σ_l δ_l (1e-12);</li>
 *   <li>the case where the expand form is exact: one linear convolution as the whole network with
 *       the unit Gaussian likelihood, any L. Output (k, l) is W x̄_l, so J_mᵀ J_m = Σ_l x̄ x̄ᵀ ⊗ I_K and
 *       F = (1/M) Σ_{m,l} x̄ x̄ᵀ ⊗ I_K; the exact errors are independent of the inputs and each one
 *       lives at one location, so Λ̃ = L·I_K and Λ ⊗ Λ̃ = F. Checked against the Fisher of
 *       finite-difference Jacobians of {@link Network#predict} (absolute 1e-8 relative to max |F|);</li>
 *   <li>L = 1 (kernel covering the input, no padding): the patch is the input itself, so the
 *       convolution is the dense layer with the same weight block and its factors equal dense K-FAC's
 *       (1e-12);</li>
 *   <li>one K-FAC and one Eq. 20 step, expand and reduce (λ = 0.1; at the default 0.01 the K-FAC step on this task
 *       overshoots slightly, as expand under-counts correlated locations) on conv, relu, maxpool,
 *       dense lower the loss and keep the weights finite; other representations still refuse the
 *       convolution;</li>
 *   <li>the float32 error samples (same draws) give the double factors to round-off (Λ 1e-12,
 *       Λ̃ 1e-5 relative; skipped without native BLAS).</li>
 * </ul>
 */
class KfcTest {

    private static Matrix gaussian(int rows, int cols, Rng rng) {
        Matrix x = new Matrix(rows, cols);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextGaussian();
        }
        return x;
    }

    /** Patch of example m at output location (yo, xo): rows c + C(i·kw + j), then the bias 1. */
    private static double[] patch(Matrix x, int m, int c, int h, int w, int k, int stride, int pad, int yo, int xo) {
        double[] p = new double[c * k * k + 1];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                int y = yo * stride - pad + i;
                int xx = xo * stride - pad + j;
                for (int ch = 0; ch < c; ch++) {
                    p[ch + c * (i * k + j)] = y < 0 || y >= h || xx < 0 || xx >= w ? 0 : x.get(ch + c * (y * w + xx), m);
                }
            }
        }
        p[p.length - 1] = 1;
        return p;
    }

    private static void addOuter(Matrix a, double[] v, double s) {
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                a.set(i, j, a.get(i, j) + s * v[i] * v[j]);
            }
        }
    }

    private static double rel(Matrix expected, Matrix actual) {
        return MatOps.relativeError(expected, actual);
    }

    @Test
    void expandAndReduceFactorsEqualHandBuiltExpectations() {
        // C = 2, 5 x 5, kernel 3, stride 2, padding 1: H_out = W_out = 3, L = 9
        Network net = ModelSpec.parse("input 2x5x5, conv 3 3x3 stride 2 pad 1, tanh, maxpool 3, dense 2")
                .build(new Init.Gaussian(1.0), 11);
        int m = 4;
        Rng rng = new Rng(12);
        Matrix x = gaussian(50, m, rng);
        Matrix y = new Matrix(2, m);
        for (int j = 0; j < m; j++) {
            y.set(j % 2, j, 1);
        }
        Likelihood lik = new Categorical();
        CurvatureStatistics s = CurvatureStatistics.of(net, lik, new Batch(x, y), CurvatureKind.empirical());
        Trace t = net.forward(x);
        Backprop bp = net.backward(t, lik.outputError(t.output(), y), false);
        Matrix delta = bp.error(0); // K·L x M, row k + K·l
        int l = 9;
        int kk = 3;
        Matrix lambda = new Matrix(19, 19);
        Matrix lambdaTilde = new Matrix(kk, kk);
        Matrix reducedLambda = new Matrix(19, 19);
        Matrix reducedLambdaTilde = new Matrix(kk, kk);
        for (int j = 0; j < m; j++) {
            double[] mean = new double[19];
            double[] sum = new double[kk];
            for (int yo = 0; yo < 3; yo++) {
                for (int xo = 0; xo < 3; xo++) {
                    double[] p = patch(x, j, 2, 5, 5, 3, 2, 1, yo, xo);
                    addOuter(lambda, p, 1.0 / (l * m));
                    double[] d = new double[kk];
                    for (int k = 0; k < kk; k++) {
                        d[k] = delta.get(k + kk * (yo * 3 + xo), j);
                        sum[k] += d[k];
                    }
                    addOuter(lambdaTilde, d, 1.0 / m);
                    for (int i = 0; i < p.length; i++) {
                        mean[i] += p[i] / l;
                    }
                }
            }
            addOuter(reducedLambda, mean, 1.0 / m);
            addOuter(reducedLambdaTilde, sum, 1.0 / m);
        }
        CurvatureStatistics r = s.reduced();
        assertTrue(rel(reducedLambda, r.lambda(0)) < 1e-12, "reduce Lambda " + rel(reducedLambda, r.lambda(0)));
        assertTrue(rel(reducedLambdaTilde, r.lambdaTilde(0)) < 1e-12,
                "reduce LambdaTilde " + rel(reducedLambdaTilde, r.lambdaTilde(0)));
        assertTrue(rel(s.lambdaTilde(2), r.lambdaTilde(2)) == 0, "the dense layer is unchanged");
        assertTrue(rel(lambda, s.lambda(0)) < 1e-12, "Lambda " + rel(lambda, s.lambda(0)));
        assertTrue(rel(lambdaTilde, s.lambdaTilde(0)) < 1e-12, "LambdaTilde " + rel(lambdaTilde, s.lambdaTilde(0)));
        assertEquals(0, s.layerSize(1), "the pooling layer has no block");
        assertEquals(2 * 4, s.layerSize(2), "dense 3 -> 2 with bias");
    }

    @Test
    void expandIsExactForOneLinearConvolutionWithAGaussian() {
        // C = 1, 4 x 4, kernel 2, stride 1, padding 1: 5 x 5 outputs, L = 25, K = 2; P = 2 x 5 = 10
        Network net = ModelSpec.parse("input 1x4x4, conv 2 2x2 pad 1").build(new Init.Gaussian(1.0), 21);
        Matrix x = gaussian(16, 3, new Rng(22));
        Matrix fd = FiniteDifferenceFisher.fisher(net, FiniteDifferenceFisher.Output.UNIT_GAUSSIAN, x);
        CurvatureStatistics s = CurvatureStatistics.of(net, Gaussian.unit(), net.forward(x), null, CurvatureKind.exact());
        Matrix kfc = MatOps.kron(s.lambda(0), s.lambdaTilde(0));
        double max = 0;
        double err = 0;
        for (int i = 0; i < fd.size(); i++) {
            max = Math.max(max, Math.abs(fd.data()[i]));
            err = Math.max(err, Math.abs(fd.data()[i] - kfc.data()[i]));
        }
        assertEquals(10, fd.rows());
        assertTrue(err <= 1e-8 * max, "max |F_fd - Lambda x LambdaTilde| = " + err + " vs max |F| = " + max);
        Matrix curv = Curvature.of(CurvatureChoice.KFAC, net, s).toDense();
        assertTrue(rel(fd, curv) < 1e-8, "K-FAC block vs finite differences " + rel(fd, curv));
    }

    @Test
    void oneLocationConvolutionHasDenseKfacFactors() {
        Network conv = ModelSpec.parse("input 2x3x3, conv 3 3x3, tanh, dense 2").build(new Init.Gaussian(1.0), 31);
        Network dense = ModelSpec.parse("input 18, dense 3, tanh, dense 2").build(new Init.Gaussian(1.0), 32);
        // with kh = H, kw = W and no padding, patch row c + C(i·kw + j) is input row c + C(i·W + j)
        dense.parameters().setFromFlat(conv.parameters().toFlat());
        Matrix x = gaussian(18, 5, new Rng(33));
        Likelihood lik = new Categorical();
        assertTrue(rel(dense.predict(x), conv.predict(x)) < 1e-14, "the same network");
        CurvatureStatistics a = CurvatureStatistics.of(conv, lik, conv.forward(x), null, CurvatureKind.exact());
        CurvatureStatistics b = CurvatureStatistics.of(dense, lik, dense.forward(x), null, CurvatureKind.exact());
        for (int l = 0; l < 2; l++) {
            assertTrue(rel(b.lambda(l), a.lambda(l)) < 1e-12, "Lambda of layer " + (l + 1));
            assertTrue(rel(b.lambdaTilde(l), a.lambdaTilde(l)) < 1e-12, "LambdaTilde of layer " + (l + 1));
        }
        Matrix ka = Curvature.of(CurvatureChoice.KFAC, conv, a).toDense();
        Matrix kb = Curvature.of(CurvatureChoice.KFAC, dense, b).toDense();
        assertTrue(rel(kb, ka) < 1e-12, "K-FAC blocks " + rel(kb, ka));
    }

    /** 6 x 6 N(0, 1) images, class 1 when the top half's sum exceeds the bottom half's (one-hot targets). */
    private static Batch halves(int m, Rng rng) {
        Matrix x = gaussian(36, m, rng);
        Matrix y = new Matrix(2, m);
        for (int j = 0; j < m; j++) {
            double top = 0;
            for (int i = 0; i < 18; i++) {
                top += x.get(i, j) - x.get(i + 18, j);
            }
            y.set(top > 0 ? 1 : 0, j, 1);
        }
        return new Batch(x, y);
    }

    @Test
    void kfacAndEq20StepsOnATinyCnnLowerTheLoss() {
        for (int run = 0; run < 4; run++) {
            CurvatureChoice choice = run % 2 == 0 ? CurvatureChoice.KFAC : CurvatureChoice.EQ20;
            boolean reduce = run >= 2;
            Network net = ModelSpec.parse("input 1x6x6, conv 4 3x3 pad 1, relu, maxpool 2, dense 2")
                    .build(new Init.Gaussian(1.0), 41);
            Batch b = halves(32, new Rng(42));
            Likelihood lik = new Categorical();
            NaturalGradient ngd = new NaturalGradient(lik, NaturalGradientOptions.builder().curvature(choice).initialDamping(0.1)
                    .kfcReduce(reduce).build());
            double first = Gradients.of(net, lik, b).loss();
            ngd.step(net, b);
            double last = Gradients.of(net, lik, b).loss();
            assertTrue(net.parameters().isFinite(), choice + (reduce ? " reduce" : " expand") + ": finite weights");
            assertTrue(last < first, choice + (reduce ? " reduce" : " expand") + ": loss " + first + " -> " + last);
        }
    }

    @Test
    void singlePrecisionSamplesMatchTheDoubleOnesForAConvolution() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.natgrad.linalg.FloatOps.available(), "native float32 BLAS");
        Network net = ModelSpec.parse("input 1x6x6, conv 4 3x3 pad 1, relu, maxpool 2, dense 2")
                .build(new Init.Gaussian(1.0), 61);
        Matrix x = gaussian(36, 8, new Rng(62));
        Likelihood lik = new Categorical();
        Trace t = net.forward(x);
        CurvatureStatistics d = CurvatureStatistics.of(net, lik, t, null, CurvatureKind.monteCarlo(2, new Rng(63)));
        CurvatureStatistics f = CurvatureStatistics.ofSingle(net, lik, t, new CurvatureKind.MonteCarlo(2, new Rng(63)));
        for (int l : new int[] {0, 2}) {
            assertTrue(rel(d.lambda(l), f.lambda(l)) < 1e-12, "Lambda of layer " + (l + 1));
            assertTrue(rel(d.lambdaTilde(l), f.lambdaTilde(l)) < 1e-5, "LambdaTilde of layer " + (l + 1) + " "
                    + rel(d.lambdaTilde(l), f.lambdaTilde(l)));
        }
        assertEquals(0, f.layerSize(1));
    }

    @Test
    void otherRepresentationsStillRefuseConvolutions() {
        Network net = ModelSpec.parse("input 1x6x6, conv 4 3x3 pad 1, relu, maxpool 2, dense 2")
                .build(new Init.Gaussian(1.0), 51);
        NaturalGradient ngd = new NaturalGradient(new Categorical(),
                NaturalGradientOptions.builder().curvature(CurvatureChoice.EXACT).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ngd.step(net, halves(4, new Rng(52))));
        assertTrue(e.getMessage().contains("Conv2d"), e.getMessage());
    }
}
