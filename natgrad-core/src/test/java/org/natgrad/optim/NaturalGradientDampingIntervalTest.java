package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/** {@link NaturalGradientOptions#dampingEvery}: loss re-evaluation and damping adaptation every T_damp steps. */
class NaturalGradientDampingIntervalTest {

    private static Network tanhNet(long seed) {
        return Network.dense(List.of(4, 6, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), seed);
    }

    static Batch batch(int m, long seed) {
        Rng rng = new Rng(seed);
        Matrix x = new Matrix(4, m);
        Matrix y = new Matrix(3, m);
        rng.fillGaussian(x.data());
        rng.fillGaussian(y.data());
        return new Batch(x, y);
    }

    @Test
    void defaultIsEveryStepAndIntervalMustBePositive() {
        assertEquals(1, NaturalGradientOptions.paperDefaults().dampingEvery());
        assertEquals(3, NaturalGradientOptions.paperDefaults().withDampingEvery(3).withAlpha(0.5).dampingEvery());
        assertThrows(IllegalArgumentException.class, () -> NaturalGradientOptions.paperDefaults().withDampingEvery(0));
    }

    @Test
    void lossIsReEvaluatedAndDampingAdaptedOnlyEveryTSteps() {
        Network net = tanhNet(3);
        Batch b = batch(50, 4);
        NaturalGradient ngd = new NaturalGradient(Gaussian.unit(),
                NaturalGradientOptions.paperDefaults().withAlpha(0.1).withDampingEvery(3));
        double lambda = ngd.damping();
        for (int k = 0; k < 9; k++) {
            StepReport r = ngd.step(net, b);
            assertTrue(r.accepted(), r.note());
            assertEquals(lambda, r.damping(), 0.0, "step " + k);
            if (k % 3 == 0) {
                assertTrue(Double.isFinite(r.lossAfter()) && Double.isFinite(r.rho()), "step " + k);
            } else {
                assertTrue(Double.isNaN(r.lossAfter()) && Double.isNaN(r.rho()), "step " + k);
                assertEquals(lambda, ngd.damping(), 0.0, "λ kept after unchecked step " + k);
            }
            lambda = ngd.damping();
        }
    }

    @Test
    void aBlownUpUncheckedStepIsUndoneBitForBitAtTheNextStep() {
        // α = 1e4 with fixed damping: every update multiplies the loss by far more than 10.
        Network net = tanhNet(5);
        Batch b = batch(40, 6);
        NaturalGradientOptions o = NaturalGradientOptions.paperDefaults().withAlpha(1e4).withAdaptiveDamping(false)
                .withDampingEvery(2);
        NaturalGradient ngd = new NaturalGradient(Gaussian.unit(), o);
        StepReport r0 = ngd.step(net, b); // checked at once
        assertFalse(r0.accepted(), "step 0 should blow up: " + r0);
        double[] before = net.parameters().toFlat();
        double lambdaBefore = ngd.damping();
        StepReport r1 = ngd.step(net, b); // unchecked: the weights move
        assertTrue(r1.accepted());
        assertTrue(Double.isNaN(r1.lossAfter()));
        assertFalse(java.util.Arrays.equals(before, net.parameters().toFlat()));
        StepReport r2 = ngd.step(net, b); // finds the blow-up first and undoes step 1
        assertFalse(r2.accepted());
        assertTrue(r2.note().contains("previous step"), r2.note());
        assertArrayEquals(before, net.parameters().toFlat(), 0.0);
        assertEquals(Math.min(lambdaBefore * Damping.REJECTION_FACTOR, o.maxDamping()), ngd.damping(), 0.0);
        assertEquals(2, ngd.rejectedSteps());
    }
}
