package org.natgrad.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnitTypeTest {
    @Test
    void kernelsNormalizeAndMatchClosedForms() {
        for (double a : new double[] {-3.7, -0.2, 0, 0.9, 5}) {
            double s = 1 / (1 + Math.exp(-a));
            assertEquals(Math.log(s), UnitType.BINARY.logProb(1, a), 1e-12);
            assertEquals(Math.log(1 - s), UnitType.BINARY.logProb(0, a), 1e-12); // the reference loses digits in log(1 − s)
            assertEquals(s * (1 - s), UnitType.BINARY.variance(a), 1e-15);
            // ±1: k(x|a) = e^{xa} / (e^a + e^-a)
            double z = Math.exp(a) + Math.exp(-a);
            assertEquals(a - Math.log(z), UnitType.SPIN.logProb(1, a), 1e-13);
            assertEquals(-a - Math.log(z), UnitType.SPIN.logProb(0, a), 1e-13);
            assertEquals(Math.tanh(a), UnitType.SPIN.mean(a), 1e-15);
            assertEquals(1 - Math.tanh(a) * Math.tanh(a), UnitType.SPIN.variance(a), 1e-14);
            for (UnitType t : UnitType.values()) {
                assertEquals(1.0, Math.exp(t.logProb(0, a)) + Math.exp(t.logProb(1, a)), 1e-14);
                // mean = Σ x k(x), variance = Σ (x − mean)² k(x)
                double m = t.value(0) * Math.exp(t.logProb(0, a)) + t.value(1) * Math.exp(t.logProb(1, a));
                assertEquals(m, t.mean(a), 1e-14);
            }
        }
    }

    @Test
    void extremePreActivationsStayFiniteNeverNaN() {
        for (UnitType t : UnitType.values()) {
            for (double a : new double[] {-1e6, -800, 800, 1e6}) {
                double l0 = t.logProb(0, a);
                double l1 = t.logProb(1, a);
                assertFalse(Double.isNaN(l0) || Double.isNaN(l1));
                assertTrue(Double.isFinite(l0) && Double.isFinite(l1), t + " a=" + a + ": " + l0 + ", " + l1);
                assertEquals(0.0, Math.max(l0, l1), 1e-12); // the likely state has log probability ≈ 0
                assertFalse(Double.isNaN(t.variance(a)) || Double.isNaN(t.mean(a)));
            }
        }
        assertEquals(-800, UnitType.BINARY.logProb(1, -800), 1e-9);
    }

    @Test
    void valuesOutsideTheStateSpaceAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UnitType.BINARY.bit(-1));
        assertThrows(IllegalArgumentException.class, () -> UnitType.SPIN.bit(0));
        assertEquals(1, UnitType.SPIN.bit(1));
        assertEquals(0, UnitType.SPIN.bit(-1));
    }
}
