package org.natgrad.experiment.bernacchia2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.data.Dataset;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Network;

class SgdGridSearchTest {

    private static PanelSpec tiny(List<Double> grid) {
        return new PanelSpec(Panel.A, List.of(3, 2), Activation.IDENTITY, Activation.IDENTITY, 200, 50, 0,
                10, grid, 300, 600, 100, 1, 1, 0.01, 600, 100, 1);
    }

    @Test
    void picksTheRateThatLearnsAndFlagsTheOneThatDiverges() {
        Dataset train = TrainingRunTest.regression(200, 1);
        Dataset test = TrainingRunTest.regression(50, 2);
        Network init = TrainingRunTest.student(5);
        double before = TrainingRun.testError(init, test);
        SgdGridSearch.Outcome o = SgdGridSearch.run(tiny(List.of(0.001, 0.3, 10.0)), SgdStep.MEAN_GRADIENT, init,
                train, test, 9, 0, null);
        assertEquals(0.3, o.bestAlpha());
        assertEquals(3, o.candidates().size());
        assertTrue(o.candidates().get(2).diverged());
        assertFalse(o.candidates().get(1).diverged());
        assertTrue(o.candidates().get(1).testError() < o.candidates().get(0).testError());
        // the initial network is untouched, and the winner was continued to the full budget
        assertEquals(before, TrainingRun.testError(init, test));
        assertEquals(600, o.best().examples());
        assertFalse(o.bestOnEdge());
    }

    @Test
    void officialCodeRuleDividesByTheBatchSize() {
        assertEquals(0.004, SgdStep.OFFICIAL_CODE.effectiveRate(0.08, 20), 1e-15);
        assertEquals(0.08, SgdStep.MEAN_GRADIENT.effectiveRate(0.08, 20));
        Dataset train = TrainingRunTest.regression(200, 1);
        SgdGridSearch.Outcome o = SgdGridSearch.run(tiny(List.of(3.0)), SgdStep.OFFICIAL_CODE,
                TrainingRunTest.student(5), train, train, 9, 0, null);
        assertEquals(0.3, o.candidates().get(0).effectiveRate(), 1e-15);
        assertTrue(o.bestOnEdge() == false, "a one-value grid has no edge");
    }

    @Test
    void aBestRateOnTheUpperEdgeExtendsTheGridUpwards() {
        Dataset train = TrainingRunTest.regression(200, 1);
        Dataset test = TrainingRunTest.regression(50, 2);
        // 0.001 and 0.002 are both far too small for 30 steps: the larger wins, so 0.004 and 0.008 are tried
        SgdGridSearch.Outcome o = SgdGridSearch.run(tiny(List.of(0.001, 0.002)), SgdStep.MEAN_GRADIENT,
                TrainingRunTest.student(5), train, test, 9, 2, null);
        assertEquals(List.of(0.001, 0.002, 0.004, 0.008), o.candidates().stream().map(SgdGridSearch.Candidate::alpha).toList());
        assertEquals(List.of(false, false, true, true),
                o.candidates().stream().map(SgdGridSearch.Candidate::extension).toList());
        assertEquals(0.008, o.bestAlpha());
        assertTrue(o.bestOnEdge(), "still on the edge after the allowed extensions");
    }

    @Test
    void aGridWhereEveryRateDivergesIsExtendedDownwards() {
        Dataset train = TrainingRunTest.regression(200, 1);
        Dataset test = TrainingRunTest.regression(50, 2);
        // Hessian eigenvalues ≈ 1: steps 40, 20, 10, 5 diverge; halving reaches a stable rate
        SgdGridSearch.Outcome o = SgdGridSearch.run(tiny(List.of(40.0)), SgdStep.MEAN_GRADIENT,
                TrainingRunTest.student(5), train, test, 9, 8, null);
        assertTrue(o.candidates().get(0).diverged());
        assertTrue(o.bestAlpha() < 2, "best α " + o.bestAlpha());
        SgdGridSearch.Candidate best = o.candidates().stream().filter(c -> c.alpha() == o.bestAlpha()).findFirst().orElseThrow();
        assertFalse(best.diverged());
        assertTrue(best.extension());
        assertTrue(Double.isFinite(o.best().curve().last().testError()));
        // every extension halves the smallest so far
        for (int k = 1; k < o.candidates().size(); k++) {
            assertEquals(40.0 / (1 << k), o.candidates().get(k).alpha(), 1e-12);
        }
    }
}
