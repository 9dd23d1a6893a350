package org.natgrad.experiment.bernacchia2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;

class MilestonesTest {

    private static CurvePoint pt(long examples, double seconds, double err) {
        return new CurvePoint(examples, seconds, err, Double.NaN, Double.NaN, true, 0);
    }

    private static final Curve CURVE = Curve.of("ngd", List.of(
            pt(0, 0.0, 10.0), pt(1000, 0.1, 1e-3), pt(2000, 0.2, 9e-5), pt(3000, 0.3, 3e-5),
            pt(4000, 0.4, 2e-5), pt(5000, 0.5, 1.5e-5)));

    @Test
    void firstCrossingIsTheFirstEvaluationAtOrBelowTheThreshold() {
        // min 1e-5: 10x = 1e-4 first met at 2000 (9e-5); 2x = 2e-5 first met at 4000 (equality counts)
        Milestones.Summary s = Milestones.summarize(CURVE, 1e-5);
        assertEquals(1.5e-5, s.finalTestError());
        assertEquals(2000L, s.examplesTo10x());
        assertEquals(0.2, s.secondsTo10x());
        assertEquals(4000L, s.examplesTo2x());
        assertEquals(0.4, s.secondsTo2x());
    }

    @Test
    void neverReachedGivesNull() {
        Milestones.Summary s = Milestones.summarize(CURVE, 1e-6);
        assertNull(s.examplesTo2x());
        assertNull(s.secondsTo2x());
        assertNull(s.examplesTo10x());
        assertNull(s.secondsTo10x());
    }

    @Test
    void noMinimumGivesOnlyTheFinalError() {
        Milestones.Summary s = Milestones.summarize(CURVE, null);
        assertNull(s.minAchievable());
        assertNull(s.examplesTo2x());
        assertEquals(1.5e-5, s.finalTestError());
    }

    @Test
    void atTakesTheLastEvaluationNotAfterTheCountAndNeedsTheRunToGetThere() {
        assertEquals(2000, Milestones.at(CURVE, 2500).orElseThrow().examples());
        assertEquals(5000, Milestones.at(CURVE, 5000).orElseThrow().examples());
        assertTrue(Milestones.at(CURVE, 5001).isEmpty());
        assertEquals(1.5e-5, Milestones.lowest(CURVE));
    }

    @Test
    void badThresholdIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Milestones.firstAtOrBelow(CURVE, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Milestones.firstAtOrBelow(CURVE, 0));
    }

    @Test
    void curvesMustNotGoBackwards() {
        Curve c = new Curve("sgd");
        c.add(pt(1000, 1.0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.add(pt(500, 2.0, 1)));
        assertTrue(e.getMessage().contains("500"), e.getMessage());
    }
}
