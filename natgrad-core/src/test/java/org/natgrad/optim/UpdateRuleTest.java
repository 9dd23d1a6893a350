package org.natgrad.optim;

import org.natgrad.statistics.Gradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * The optimizers' update formulas, replayed by hand on flat vectors from gradients taken with
 * {@link Gradients#of} at the same parameters (exact to round-off: tolerance 1e-15 relative).
 */
class UpdateRuleTest {

    private static Network net() {
        return Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 111L);
    }

    private static Batch batch() {
        Rng rng = new Rng(112);
        return new Batch(Naive.gaussian(3, 6, rng), Naive.gaussian(2, 6, rng));
    }

    private static double[] grad(Network n, Batch b) {
        return Gradients.of(n, Gaussian.unit(), b).gradient().toFlat();
    }

    @Test
    void sgdWithMomentumFollowsHeavyBall() {
        Network n = net();
        Network ref = n.copy();
        Batch b = batch();
        double lr = 0.1, mu = 0.8;
        Sgd opt = new Sgd(Gaussian.unit(), lr, mu);
        double[] theta = ref.parameters().toFlat();
        double[] v = new double[theta.length];
        for (int step = 0; step < 3; step++) {
            double lossBefore = Gaussian.unit().loss(n.predict(b.inputs()), b.targets());
            StepReport r = opt.step(n, b);
            assertEquals(lossBefore, r.lossBefore(), 1e-15 * lossBefore);
            assertTrue(r.accepted() && Double.isNaN(r.damping()));
            double[] g = grad(ref, b);
            for (int k = 0; k < theta.length; k++) {
                v[k] = mu * v[k] + g[k];
                theta[k] -= lr * v[k];
            }
            ref.parameters().setFromFlat(theta);
            double[] got = n.parameters().toFlat();
            for (int k = 0; k < theta.length; k++) {
                assertEquals(theta[k], got[k], 1e-15 * Math.max(1, Math.abs(theta[k])), "step " + step + " entry " + k);
            }
        }
    }

    @Test
    void adamFollowsBiasCorrectedMoments() {
        Network n = net();
        Network ref = n.copy();
        Batch b = batch();
        double lr = 0.01, b1 = 0.9, b2 = 0.99, eps = 1e-6;
        Adam opt = new Adam(Gaussian.unit(), lr, b1, b2, eps);
        double[] theta = ref.parameters().toFlat();
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        for (int t = 1; t <= 3; t++) {
            opt.step(n, b);
            double[] g = grad(ref, b);
            for (int k = 0; k < theta.length; k++) {
                m[k] = b1 * m[k] + (1 - b1) * g[k];
                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
                double mHat = m[k] / (1 - Math.pow(b1, t));
                double vHat = v[k] / (1 - Math.pow(b2, t));
                theta[k] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            double[] before = ref.parameters().toFlat();
            ref.parameters().setFromFlat(theta);
            double[] got = n.parameters().toFlat();
            for (int k = 0; k < theta.length; k++) {
                assertEquals(theta[k], got[k], 1e-15 * Math.max(1, Math.abs(theta[k])), "step " + t + " entry " + k);
                if (t == 1) {
                    // bias correction makes the first move -lr g/(|g| + ε): about lr against the gradient's sign
                    assertEquals(-lr * g[k] / (Math.abs(g[k]) + eps), got[k] - before[k], 1e-15);
                }
            }
        }
    }

    @Test
    void gradientsRejectMismatchedTargets() {
        Batch bad = new Batch(new Matrix(3, 2), new Matrix(5, 2));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Gradients.of(net(), Gaussian.unit(), bad));
        assertTrue(e.getMessage().contains("Gradients") && e.getMessage().contains("5x2")
                && e.getMessage().contains("2x2"), e.getMessage());
    }
}
