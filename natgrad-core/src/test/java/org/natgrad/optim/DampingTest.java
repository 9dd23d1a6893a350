package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The damping family's shared behaviour: schedules, rejection raises and independent copies. */
class DampingTest {

    @Test
    void aScheduleMovesOneEntryPerObservedStepThenKeepsTheLastAndIgnoresRho() {
        FixedDamping d = FixedDamping.schedule(1, 0.5, 0.25);
        assertEquals(1, d.current());
        d.observe(0.0); // ρ < 1/4 would raise a Levenberg-Marquardt λ; a schedule does not look at it
        assertEquals(0.5, d.current());
        d.observe(1.0);
        assertEquals(0.25, d.current());
        d.observe(Double.NaN);
        assertEquals(0.25, d.current());
        assertEquals(1, d.max(), "the cap of a schedule is its largest entry");
        d.onRejectedStep();
        assertEquals(0.25 * 3.375, d.current(), 1e-15);
        d.onRejectedStep();
        assertEquals(1, d.current(), "raised to the cap and no further");
        assertThrows(IllegalArgumentException.class, FixedDamping::schedule);
        assertThrows(IllegalArgumentException.class, () -> FixedDamping.schedule(1, -1));
        assertThrows(IllegalArgumentException.class, () -> FixedDamping.schedule(1, Double.POSITIVE_INFINITY));
    }

    @Test
    void aConstantFixedDampingKeepsARaiseAcrossObservedSteps() {
        FixedDamping d = new FixedDamping(0.1, 1);
        d.onRejectedStep();
        d.observe(0.9);
        assertEquals(0.1 * 3.375, d.current(), 1e-15);
    }

    @Test
    void aCopyHasTheSameStateAndEvolvesIndependently() {
        FixedDamping s = FixedDamping.schedule(4, 2, 1);
        s.observe(1);
        FixedDamping sc = s.copy();
        assertEquals(2, sc.current());
        sc.observe(1);
        assertEquals(1, sc.current());
        assertEquals(2, s.current());
        s.observe(1);
        assertEquals(1, s.current(), "the original walks its own schedule");

        LevenbergMarquardt lm = new LevenbergMarquardt(1, 0.5, 10);
        lm.observe(0.0);
        LevenbergMarquardt lc = lm.copy();
        assertEquals(1.5, lc.current());
        for (int k = 0; k < 5; k++) {
            lc.observe(1.0); // 1.5 (2/3)^k, floored at 0.5
        }
        assertEquals(0.5, lc.current(), "the copy keeps the floor");
        assertEquals(10, lc.max());
        assertEquals(1.5, lm.current());
    }
}
