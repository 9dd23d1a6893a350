package org.natgrad.experiment.bernacchia2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.nn.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.Sgd;
import org.natgrad.optim.StepReport;
import org.natgrad.random.Rng;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;

class TrainingRunTest {

    /** y = W* x + b* for x ~ N(0, I_3), exactly (no noise). */
    static Dataset regression(int n, long seed) {
        Rng rng = new Rng(seed);
        Matrix x = new Matrix(3, n);
        rng.fillGaussian(x.data());
        Matrix y = new Matrix(2, n);
        double[][] w = {{1, -2, 0.5}, {0.3, 0.7, -1}};
        double[] b = {0.2, -0.4};
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < 2; i++) {
                double s = b[i];
                for (int k = 0; k < 3; k++) {
                    s += w[i][k] * x.get(k, j);
                }
                y.set(i, j, s);
            }
        }
        return new Dataset(x, y);
    }

    static Network student(long seed) {
        return Network.dense(List.of(3, 2), Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1), seed);
    }

    @Test
    void testErrorIsHalfTheMeanSquaredNorm() {
        Dataset d = regression(30, 1);
        Network net = student(2);
        double s = 0;
        Matrix out = net.predict(d.inputs());
        for (int j = 0; j < 30; j++) {
            for (int i = 0; i < 2; i++) {
                double r = out.get(i, j) - d.targets().get(i, j);
                s += r * r;
            }
        }
        assertEquals(s / 60, TrainingRun.testError(net, d), 1e-12);
    }

    @Test
    void evaluatesAtMultiplesOfTheIntervalAndAtTheEnd() {
        Dataset train = regression(200, 1);
        Dataset test = regression(50, 2);
        TrainingRun run = new TrainingRun("sgd", student(3), new Sgd(Gaussian.unit(), 0.1), train, test, 10, 50, new Rng(4));
        Curve c = run.trainUntil(175);
        assertEquals(List.of(0L, 50L, 100L, 150L, 180L), c.points().stream().map(CurvePoint::examples).toList());
        assertFalse(c.diverged());
        assertTrue(c.last().testError() < c.points().get(0).testError() / 10, "SGD should have learnt: " + c.points());
        // the training error is measured on the first (here all 200) training examples, at the same weights
        assertEquals(TrainingRun.testError(student(3), train), c.points().get(0).trainError(), 1e-12);
        assertEquals(TrainingRun.testError(run.network(), train), c.last().trainError(), 1e-12);
        // continuing picks up where it stopped
        run.trainUntil(300);
        assertEquals(300, run.curve().last().examples());
        assertEquals(250, run.curve().points().get(run.curve().points().size() - 2).examples());
    }

    @Test
    void wallClockCountsTheStepsAndIsMonotone() {
        Dataset train = regression(100, 1);
        Optimizer sleepy = new Optimizer() {
            @Override
            public StepReport step(Network net, Batch batch) {
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return StepReport.firstOrder(1.0);
            }

            @Override
            public String name() {
                return "sleepy";
            }

            @Override
            public java.util.Map<String, double[]> saveState() {
                return java.util.Map.of();
            }

            @Override
            public void restoreState(java.util.Map<String, double[]> state) {
            }
        };
        long t0 = System.nanoTime();
        TrainingRun run = new TrainingRun("sleepy", student(1), sleepy, train, train, 10, 20, new Rng(1));
        run.trainUntil(100);
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        double prev = -1;
        for (CurvePoint p : run.curve().points()) {
            assertTrue(p.seconds() >= prev);
            prev = p.seconds();
        }
        assertTrue(run.seconds() >= 10 * 0.003, "10 steps of 3 ms, got " + run.seconds());
        assertTrue(run.seconds() <= elapsed);
    }

    @Test
    void divergenceStopsTheRunAndIsRecorded() {
        Dataset train = regression(200, 1);
        // mean-loss Hessian ≈ E[x̄ x̄^T] with eigenvalues ≈ 1; step 10 is far beyond 2/λ_max
        TrainingRun run = new TrainingRun("sgd", student(3), new Sgd(Gaussian.unit(), 10), train, train, 10, 50, new Rng(4));
        Curve c = run.trainUntil(100_000);
        assertTrue(c.diverged());
        assertTrue(run.examples() < 100_000, "should stop early, ran " + run.examples());
        assertTrue(c.divergence().contains("examples"), c.divergence());
    }
}
