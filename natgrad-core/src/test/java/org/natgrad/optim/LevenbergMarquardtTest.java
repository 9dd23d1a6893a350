package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Eq. 21 with its floor and cap. */
class LevenbergMarquardtTest {

    @Test
    void goodStepsShrinkTheDampingByTwoThirdsDownToTheFloorAndNoFurther() {
        LevenbergMarquardt lm = new LevenbergMarquardt(0.01, 1e-3, 1e8);
        double expected = 0.01;
        for (int k = 0; k < 20; k++) {
            lm.observe(1.0); // ρ > 3/4
            expected = Math.max(1e-3, expected / 1.5);
            assertEquals(expected, lm.current(), 1e-18, "step " + k);
        }
        assertEquals(1e-3, lm.current());
        lm.observe(0.1); // ρ < 1/4
        assertEquals(1.5e-3, lm.current(), 1e-18);
    }

    @Test
    void anInitialValueBelowTheFloorStartsAtTheFloorAndBadFloorsAreRefused() {
        assertEquals(1e-4, new LevenbergMarquardt(1e-6, 1e-4, 1).current());
        assertThrows(IllegalArgumentException.class, () -> new LevenbergMarquardt(1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new LevenbergMarquardt(1, -1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> NaturalGradientOptions.paperDefaults().withMinDamping(1e9));
    }

    @Test
    void thePaperDefaultsFloorTheDampingAt1e8() {
        assertEquals(1e-8, NaturalGradientOptions.paperDefaults().minDamping());
        // without a floor the rule would reach 0.01 (2/3)^k for any k
        LevenbergMarquardt none = new LevenbergMarquardt(0.01, 0, 1e8);
        for (int k = 0; k < 100; k++) {
            none.observe(1.0);
        }
        assertEquals(0.01 * Math.pow(2.0 / 3, 100), none.current(), 1e-30);
    }
}
