package org.natgrad.optim;

import org.natgrad.statistics.Gradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.curvature.DenseFisher;
import org.natgrad.curvature.TinyNetworks;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/** NaturalGradient with any curvature representation: one argument switches it. */
class NaturalGradientCurvatureTest {

    static double rel(double[] a, double[] b) {
        double n = 0;
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            n += (a[i] - b[i]) * (a[i] - b[i]);
            d += b[i] * b[i];
        }
        return Math.sqrt(n / d);
    }

    @Test
    void defaultIsThePapersRule() {
        assertEquals(CurvatureChoice.EQ20, NaturalGradientOptions.paperDefaults().curvature());
        assertEquals(CurvatureChoice.EQ20, NaturalGradientOptions.paperDefaults().withCurvature(null).curvature());
        assertEquals(CurvatureChoice.KFAC, NaturalGradientOptions.paperDefaults().withCurvature(CurvatureChoice.KFAC)
                .withAlpha(0.5).curvature());
    }

    /** Exact NGD with pseudo-inverse and α = 1 moves the parameters by −F^+ ∇L (dense reference). */
    @Test
    void exactAndBlockDiagonalStepsMatchDenseReferences() {
        for (TinyNetworks.Task t : List.of(TinyNetworks.tanhMlp(4), TinyNetworks.softmaxClassifier(4))) {
            Matrix f = DenseFisher.exact(t.net(), t.likelihood(), t.batch());
            double[] g = Gradients.of(t.net(), t.likelihood(), t.batch()).gradient().toFlat();
            double[] before = t.net().parameters().toFlat();
            double[] expected = MatOps.gemv(-1, Inverses.pseudoInverse(f, 1e-10), false, g, 0, null);
            Network net = t.net().copy();
            NaturalGradientOptions o = NaturalGradientOptions.paperDefaults().withModelSamples(0).withPseudoInverse(true)
                    .withAdaptiveDamping(false).withInitialDamping(0).withBlowUpFactor(Double.POSITIVE_INFINITY)
                    .withCurvature(CurvatureChoice.EXACT);
            StepReport r = new NaturalGradient(t.likelihood(), o).step(net, t.batch());
            assertTrue(r.accepted(), r.note());
            double[] step = net.parameters().toFlat();
            for (int i = 0; i < step.length; i++) {
                step[i] -= before[i];
            }
            assertTrue(rel(step, expected) < 1e-7, t + ": exact step, rel " + rel(step, expected));

            // block-diagonal with damping λ: −(F_BD + λ I)^{-1} ∇L, α = 0.5
            double lambda = 0.02;
            Matrix bd = f.copy();
            int[] layerOf = new int[f.rows()];
            int o2 = 0;
            for (int l = 0; l < t.net().depth(); l++) {
                for (int q = 0; q < t.net().layer(l).parameterCount(); q++) {
                    layerOf[o2++] = l;
                }
            }
            for (int j = 0; j < f.cols(); j++) {
                for (int i = 0; i < f.rows(); i++) {
                    if (layerOf[i] != layerOf[j]) {
                        bd.set(i, j, 0);
                    }
                }
            }
            double[] expBd = MatOps.gemv(-0.5, Inverses.dampedInverse(bd, lambda), false, g, 0, null);
            Network net2 = t.net().copy();
            NaturalGradientOptions ob = NaturalGradientOptions.paperDefaults().withModelSamples(0).withAlpha(0.5)
                    .withInitialDamping(lambda).withAdaptiveDamping(false).withBlowUpFactor(Double.POSITIVE_INFINITY)
                    .withCurvature(CurvatureChoice.BLOCK_DIAGONAL);
            assertTrue(new NaturalGradient(t.likelihood(), ob).step(net2, t.batch()).accepted());
            double[] step2 = net2.parameters().toFlat();
            for (int i = 0; i < step2.length; i++) {
                step2[i] -= before[i];
            }
            assertTrue(rel(step2, expBd) < 1e-9, t + ": block-diagonal step, rel " + rel(step2, expBd));
        }
    }

    /** Conformance: every representation drives a small regression problem's loss down, with LM damping. */
    @Test
    void everyRepresentationTrains() {
        Rng rng = new Rng(3);
        Matrix x = new Matrix(4, 40);
        rng.fillGaussian(x.data());
        Network teacher = Network.dense(List.of(4, 5, 2), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 8);
        Batch batch = new Batch(x, teacher.predict(x));
        for (CurvatureChoice c : CurvatureChoice.values()) {
            Network net = Network.dense(List.of(4, 5, 2), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 9);
            NaturalGradient ngd = new NaturalGradient(Gaussian.unit(), NaturalGradientOptions.paperDefaults()
                    .withModelSamples(0).withInitialDamping(1e-3).withCurvature(c).withRefreshEvery(2));
            double first = Double.NaN;
            double last = Double.NaN;
            for (int k = 0; k < 30; k++) {
                StepReport r = ngd.step(net, batch);
                if (k == 0) {
                    first = r.lossBefore();
                }
                last = Gaussian.unit().loss(net.predict(x), batch.targets());
            }
            assertTrue(last < 0.2 * first, c + ": loss " + first + " -> " + last);
        }
    }
}
