package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Activations: first and second derivatives against central differences (step 1e-5, error
 * O(h²) ≈ 1e-10 times the third derivative, plus round-off ε/h ≈ 2e-11; tolerance 1e-8), the tanh
 * formula against Math.tanh, and stable limits.
 */
class ActivationTest {
    private static final double H = 1e-5;
    private static final double TOL = 1e-8;

    /** A grid on [-8, 8] that stays clear of z = 0 (the ReLU kink) by at least 0.01. */
    private static double[] grid() {
        double[] g = new double[321];
        for (int i = 0; i < g.length; i++) {
            g[i] = -8 + 0.05 * i + 0.0137;
        }
        return g;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativesMatchFiniteDifferences(Activation act) {
        for (double z : grid()) {
            double fd1 = (act.value(z + H) - act.value(z - H)) / (2 * H);
            double d1 = act.derivative(z, act.value(z));
            assertEquals(fd1, d1, TOL * Math.max(1, Math.abs(d1)), act + "' at " + z);
            double fd2 = (act.derivative(z + H, act.value(z + H)) - act.derivative(z - H, act.value(z - H))) / (2 * H);
            assertEquals(fd2, act.secondDerivative(z), TOL * Math.max(1, Math.abs(fd2)), act + "'' at " + z);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void valuesAgreeWithDefinitions(Activation act) {
        for (double z : grid()) {
            double expected = switch (act) {
                case IDENTITY -> z;
                case TANH -> Math.tanh(z);
                case RELU -> Math.max(0, z);
                case SIGMOID -> 1 / (1 + Math.exp(-z));
                case SOFTPLUS -> Math.log(1 + Math.exp(z));
            };
            assertEquals(expected, act.value(z), 1e-15 * Math.max(1, Math.abs(expected)), act + " at " + z);
        }
        double[] in = {-1.5, 0.25, 3};
        double[] out = new double[3];
        act.apply(in, out);
        for (int k = 0; k < 3; k++) {
            assertEquals(act.value(in[k]), out[k], 0);
        }
        act.apply(in, in); // in place
        assertEquals(out[1], in[1], 0);
    }

    @Test
    void tanhFormulaIsWithin4e16OfMathTanh() {
        double worst = 0;
        double worstAt = 0;
        for (int i = -200_000; i <= 200_000; i++) {
            double z = i * 1e-4 + 3.1e-6; // [-20, 20]
            double d = Math.abs(Activation.tanh(z) - Math.tanh(z));
            if (d > worst) {
                worst = d;
                worstAt = z;
            }
        }
        for (double z = 1e-300; z < 1e-3; z *= 3.7) {
            worst = Math.max(worst, Math.abs(Activation.tanh(z) - Math.tanh(z)));
            worst = Math.max(worst, Math.abs(Activation.tanh(-z) - Math.tanh(-z)));
        }
        double w = worst;
        double at = worstAt;
        assertTrue(worst <= 4e-16, () -> "max |tanh error| " + w + " at " + at);
        assertEquals(1.0, Activation.tanh(1000), 0);
        assertEquals(-1.0, Activation.tanh(-1000), 0);
        assertEquals(0.0, Activation.tanh(0), 0);
        assertTrue(Double.isNaN(Activation.tanh(Double.NaN)));
    }

    @Test
    void stableAtExtremes() {
        assertEquals(1.0, Activation.sigmoid(1000), 0);
        assertEquals(0.0, Activation.sigmoid(-1000), 0);
        assertEquals(Math.exp(-700) / (1 + Math.exp(-700)), Activation.sigmoid(-700), 1e-320);
        assertEquals(0.5, Activation.sigmoid(0), 0);
        assertEquals(1000.0, Activation.softplus(1000), 0);
        assertEquals(0.0, Activation.softplus(-1000), 0);
        assertEquals(Math.log(2), Activation.softplus(0), 1e-16);
        assertEquals(Math.exp(-40), Activation.softplus(-40), 1e-30); // log1p keeps the tiny value
        for (Activation a : Activation.values()) {
            for (double z : new double[] {-1000, 1000}) {
                assertTrue(Double.isFinite(a.value(z)) && Double.isFinite(a.derivative(z, a.value(z)))
                        && Double.isFinite(a.secondDerivative(z)), a + " finite at " + z);
            }
        }
    }

    @Test
    void parseAndLabel() {
        for (Activation a : Activation.values()) {
            assertEquals(a, Activation.parse(a.label()));
        }
        assertEquals(Activation.RELU, Activation.parse(" ReLU "));
        assertTrue(Activation.IDENTITY.isIdentity());
        assertTrue(!Activation.TANH.isIdentity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("gelu"));
        assertTrue(e.getMessage().contains("gelu") && e.getMessage().contains("tanh"), e.getMessage());
    }
}
