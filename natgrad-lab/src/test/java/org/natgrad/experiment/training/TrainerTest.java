package org.natgrad.experiment.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.natgrad.data.Dataset;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.StepReport;
import org.natgrad.random.Rng;

/**
 * The one training loop against a toy step whose reports are scripted, so that every count,
 * evaluation point and divergence is known by hand from the schedule and the script.
 */
class TrainerTest {

    /** Steps of 5 examples; step k (1-based) reports loss k, is rejected when k is a multiple of 3. */
    private static Trainer<Integer> toy(List<Long> evaluatedAt, long divergeAt) {
        long[] k = {0};
        return new Trainer<Integer>("toy", () -> 5, b -> b, b -> {
            k[0]++;
            double loss = k[0] == divergeAt ? Double.POSITIVE_INFINITY : k[0];
            return new StepReport(k[0] % 3 != 0, loss, Double.NaN, 0.5 * k[0], Double.NaN,
                    k[0] % 3 != 0 ? "" : "rejected: scripted " + k[0]);
        }).evaluator(p -> {
            evaluatedAt.add(p.step());
            return Trainer.Evaluation.of(p.step(), p.meanBatchLoss());
        });
    }

    @Test
    void countsStepsRejectionsAndEvaluatesOnTheScheduleAndAtTheEnd() throws IOException {
        List<Long> at = new ArrayList<>();
        Trainer<Integer> t = toy(at, -1).schedule(Schedule.everySteps(4));
        Curve c = t.trainUntil(Budget.steps(10));
        // before the first step, after steps 4 and 8, and after the last (10)
        assertEquals(List.of(0L, 4L, 8L, 10L), at);
        assertArrayEquals(new double[] {0, 20, 40, 50}, c.examples());
        Progress p = t.progress();
        assertEquals(10, p.step());
        assertEquals(50, p.examples());
        assertEquals(3, p.rejected()); // steps 3, 6, 9
        assertEquals("scripted 9", p.lastRejection());
        assertFalse(c.diverged());
        // mean minibatch loss since the previous evaluation: (1+2+3+4)/4, (5+..+8)/4, (9+10)/2
        assertArrayEquals(new double[] {Double.NaN, 2.5, 6.5, 9.5}, c.trainErrors(), 0);
        // the points carry the last step's damping, acceptance and the rejections so far
        assertEquals(5.0, c.last().damping());
        assertTrue(c.last().accepted());
        assertEquals(3, c.last().rejected());
        assertEquals(2, c.points().get(2).rejected()); // after step 8: steps 3 and 6
        assertTrue(Double.isNaN(c.points().get(0).damping()));
    }

    @Test
    void anInfiniteMinibatchLossStopsTheRunWithAnEvaluation() throws IOException {
        List<Long> at = new ArrayList<>();
        Trainer<Integer> t = toy(at, 7).schedule(Schedule.everySteps(4));
        Curve c = t.trainUntil(Budget.steps(100));
        assertEquals(List.of(0L, 4L, 7L), at);
        assertEquals(7, t.progress().step());
        assertTrue(c.diverged());
        assertTrue(c.divergence().contains("Infinity") && c.divergence().contains("step 7"), c.divergence());
        // the infinite loss is not averaged in: steps 5 and 6 only
        assertEquals(5.5, c.last().trainError());
        // a diverged run takes no more steps
        t.trainUntil(Budget.steps(200));
        assertEquals(7, t.progress().step());
    }

    @Test
    void aNaNLossIsNotEvaluatedAndDoesNotDiverge() throws IOException {
        Trainer<Integer> t = new Trainer<Integer>("nan", () -> 1, b -> b, b -> StepReport.firstOrder(Double.NaN))
                .evaluator(p -> Trainer.Evaluation.of(0, p.meanBatchLoss()));
        Curve c = t.trainUntil(Budget.steps(3));
        assertFalse(c.diverged());
        assertEquals(3, t.progress().step());
        assertEquals(0, t.progress().rejected());
        assertTrue(Double.isNaN(c.last().trainError()));
    }

    @Test
    void theEvaluatorsVerdictStopsTheRunAndTheMinibatchReasonWins() throws IOException {
        List<Long> at = new ArrayList<>();
        Trainer<Integer> t = toy(at, -1).schedule(Schedule.everySteps(1)).evaluator(p -> {
            at.add(p.step());
            return new Trainer.Evaluation(0, 0, p.step() == 4 ? "test loss NaN after step 4" : null);
        });
        Curve c = t.trainUntil(Budget.steps(10));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), at);
        assertEquals("test loss NaN after step 4", c.divergence());

        Trainer<Integer> both = toy(new ArrayList<>(), 2).evaluator(p -> new Trainer.Evaluation(0, 0,
                p.step() == 2 ? "evaluator's reason" : null));
        assertTrue(both.trainUntil(Budget.steps(10)).divergence().startsWith("minibatch loss became Infinity"));
    }

    @Test
    void examplesThresholdsGiveOneEvaluationPerThresholdReached() throws IOException {
        List<Long> seen = new ArrayList<>();
        Trainer<Integer> t = new Trainer<Integer>("ex", () -> 7, b -> b, b -> StepReport.firstOrder(1))
                .schedule(Schedule.everyExamples(10)).evaluator(p -> {
                    seen.add(p.examples());
                    return Trainer.Evaluation.of(0, 0);
                });
        t.trainUntil(Budget.examples(50));
        // 7-example steps: 14 reaches 10, 21 reaches 20, 35 reaches 30, 42 reaches 40, 56 reaches 50 and the budget
        assertEquals(List.of(0L, 14L, 21L, 35L, 42L, 56L), seen);
        assertEquals(8, t.progress().step());
    }

    @Test
    void aRunIsExtendedByALargerBudget() throws IOException {
        List<Long> at = new ArrayList<>();
        Trainer<Integer> t = toy(at, -1).schedule(Schedule.everySteps(5));
        t.trainUntil(Budget.steps(4));
        t.trainUntil(Budget.steps(4)); // already reached: nothing
        t.trainUntil(Budget.steps(6));
        assertEquals(List.of(0L, 4L, 5L, 6L), at);
    }

    @Test
    void budgetsAndSchedulesCombine() throws IOException {
        List<Long> at = new ArrayList<>();
        Trainer<Integer> t = toy(at, -1).schedule(Schedule.atSteps(List.of(2, 3, 5)));
        t.trainUntil(Budget.steps(100).or(p -> p.examples() >= 30));
        assertEquals(List.of(0L, 2L, 3L, 5L, 6L), at);
        assertEquals(Budget.epochs(3, 4).reached(new Progress(12, 0, 0, 0, 0, 0, null, "")), true);
        assertEquals(Budget.epochs(3, 4).reached(new Progress(11, 0, 0, 0, 0, 0, null, "")), false);
        assertThrows(IllegalArgumentException.class, () -> Schedule.everySteps(0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.everyExamples(-1));
    }

    @Test
    void checkpointsWaitForAResumableBoundaryAndNeverFollowTheLastStep() throws IOException {
        List<Long> saved = new ArrayList<>();
        long[] step = {0};
        Trainer<Integer> t = new Trainer<Integer>("ck", () -> 1, b -> b, b -> {
            step[0]++;
            return StepReport.firstOrder(1);
        }).checkpoints(3, () -> step[0] != 3, p -> saved.add(p.step()));
        t.trainUntil(Budget.steps(10));
        // due at 3 (not resumable, so 4), then at 4 + 3 = 7, then 10 is the last step
        assertEquals(List.of(4L, 7L), saved);
        assertThrows(IllegalArgumentException.class, () -> t.checkpoints(-1, () -> true, p -> { }));
    }

    @Test
    void aResumedRunContinuesItsCountersWithoutAnInitialEvaluation() throws IOException {
        List<Long> at = new ArrayList<>();
        List<CurvePoint> earlier = List.of(new CurvePoint(0, 0, 1, 1, Double.NaN, true, 0),
                new CurvePoint(20, 0.5, 1, 1, Double.NaN, true, 1));
        Trainer<Integer> t = toy(at, -1).schedule(Schedule.everySteps(4))
                .resumeFrom(new Progress(5, 25, 1_000_000_000L, 1, 12, 2, null, "earlier"), earlier);
        Curve c = t.trainUntil(Budget.steps(8));
        assertEquals(List.of(8L), at);
        assertEquals(3, c.points().size());
        assertEquals(40, c.last().examples());
        // toy steps 1..3 after the resume: rejected the third; losses 1, 2, 3 after the restored 12 over 2
        assertEquals(2, t.progress().rejected());
        assertEquals((12 + 1 + 2 + 3) / 5.0, c.last().trainError());
        assertTrue(c.last().seconds() >= 1.0);
        assertThrows(IllegalStateException.class, () -> t.resumeFrom(Progress.START, List.of()));
    }

    @Test
    void anOptimizerTrainsTheNetworkOnTheSourcesMinibatches() throws IOException {
        Network net = Network.dense(List.of(2, 1), Activation.IDENTITY, Activation.IDENTITY, false,
                new Init.Gaussian(1), 1);
        List<Integer> sizes = new ArrayList<>();
        Optimizer counting = new Optimizer() {
            @Override
            public StepReport step(Network n, Batch batch) {
                assertTrue(n == net);
                sizes.add(batch.size());
                return StepReport.firstOrder(2.0);
            }

            @Override
            public String name() {
                return "counting";
            }

            @Override
            public Map<String, double[]> saveState() {
                return Map.of();
            }

            @Override
            public void restoreState(Map<String, double[]> state) {
            }
        };
        Dataset d = new Dataset(new Matrix(2, 10), new Matrix(1, 10));
        Trainer<Batch> t = Trainer.of("counting", net, counting, new EpochBatches(d, 4, new Rng(3), true));
        Curve c = t.trainUntil(Budget.steps(5));
        // 10 examples in minibatches of 4, incomplete slices dropped: 2 per epoch
        assertEquals(List.of(4, 4, 4, 4, 4), sizes);
        assertEquals("counting", c.optimizer());
        assertEquals(20, t.progress().examples());
        assertNull(Progress.START.lastReport());
    }

    @Test
    void epochBatchesResumeWithTheSameMinibatches() {
        Matrix x = new Matrix(1, 10);
        for (int j = 0; j < 10; j++) {
            x.set(0, j, j);
        }
        Dataset d = new Dataset(x, new Matrix(1, 10));
        EpochBatches all = new EpochBatches(d, 3, new Rng(11), true);
        List<double[]> want = new ArrayList<>();
        long[] state = null;
        long into = 0;
        for (int k = 0; k < 8; k++) {
            want.add(all.get().inputs().data());
            if (k == 3) { // 3 minibatches per epoch: the 4th is the first of the second epoch
                state = all.epochStart();
                into = all.batchesIntoEpoch();
            }
        }
        assertEquals(1, into);
        Rng rng = new Rng(0);
        rng.restore(state);
        EpochBatches resumed = EpochBatches.resumed(d, 3, rng, true, into);
        for (int k = 4; k < 8; k++) {
            assertArrayEquals(want.get(k), resumed.get().inputs().data(), "minibatch " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> new EpochBatches(d, 11, new Rng(1), true));
    }
}
