package org.natgrad.experiment.training;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.StepReport;

/**
 * The one training loop of natgrad-lab: draws a minibatch, takes a step, accounts for it, and
 * evaluates on a {@link Schedule}, until a {@link Budget} is reached or the run diverges. Every
 * evaluation becomes a {@link CurvePoint} of the run's {@link Curve}.
 *
 * <p>One step: the minibatch is drawn and the step taken, both timed ({@link Progress#trainNanos()};
 * the {@link #beforeStep} callback between them is not timed); the step and example counters
 * advance (examples by the minibatch's size); a rejected step ({@link StepReport#accepted()}
 * false) is counted and its note kept; a finite minibatch loss ({@link StepReport#lossBefore()})
 * is added to the running batch-loss sum, an infinite one diverges the run (NaN means "not
 * evaluated" and is ignored); {@link #afterStep} hears of it. The run is then evaluated if the
 * step diverged, the schedule says so, or the budget is reached; the evaluator's divergence
 * verdict (e.g. a non-finite test loss) also stops the run, the minibatch's reason taking
 * precedence. Otherwise a checkpoint is offered when one is due and the step is at a resumable
 * boundary, never after the last step.
 *
 * <p>A run is evaluated once before its first step (point at 0 examples) unless it was
 * {@link #resumeFrom resumed}. {@link #trainUntil} may be called again with a larger budget to
 * extend a run (the SGD grid search continues its best candidate so). Nothing here draws random
 * numbers: the minibatch source and the step own their streams, so the same seed gives the same
 * run.
 *
 * @param <B> what one step consumes: a {@link Batch} for an {@link Optimizer}, or any other
 *            input (a target distribution, a fixed full batch)
 */
public final class Trainer<B> {

    /** One training step on one minibatch; updates the model in place. */
    @FunctionalInterface
    public interface Step<B> {
        StepReport take(B batch);
    }

    /** Evaluates the model (untimed); may write a log row. */
    @FunctionalInterface
    public interface Evaluator {
        Evaluation evaluate(Progress p) throws IOException;
    }

    /**
     * What an evaluation measured.
     *
     * @param test       the held-out figure (test error or loss, KL, ...), recorded as {@link CurvePoint#testError()}
     * @param train      the training-set figure, NaN when not measured
     * @param divergence a reason to stop the run (e.g. "test loss NaN after step 7"), or null
     */
    public record Evaluation(double test, double train, String divergence) {
        /** A measurement that does not stop the run. */
        public static Evaluation of(double test, double train) {
            return new Evaluation(test, train, null);
        }
    }

    /** Called before a step with the minibatch (untimed), e.g. for diagnostics. */
    @FunctionalInterface
    public interface BeforeStep<B> {
        void accept(Progress p, B batch) throws IOException;
    }

    /** Called after each step's accounting, before its evaluation (untimed), e.g. for a progress bar. */
    @FunctionalInterface
    public interface AfterStep {
        void accept(Progress p, StepReport report) throws IOException;
    }

    /** Writes a checkpoint of the run at {@code p} (see {@link #checkpoints}). */
    @FunctionalInterface
    public interface Checkpointer {
        void save(Progress p) throws IOException;
    }

    private final Supplier<? extends B> batches;
    private final ToLongFunction<? super B> size;
    private final Step<? super B> step;
    private final Curve curve;
    private Evaluator evaluator = p -> Evaluation.of(Double.NaN, Double.NaN);
    private Schedule schedule = Schedule.never();
    private BeforeStep<? super B> beforeStep = (p, b) -> { };
    private AfterStep afterStep = (p, r) -> { };
    private long checkpointEvery;
    private BooleanSupplier resumable = () -> true;
    private Checkpointer checkpointer;
    private long nextCheckpoint = -1;
    private boolean started;
    private boolean resumed;

    private long steps;
    private long examples;
    private long trainNanos;
    private long rejected;
    private double batchLossSum;
    private int batchLossCount;
    private StepReport lastReport;
    private String lastRejection = "";

    /**
     * A loop over {@code batches}, each counted as {@code size} examples and consumed by {@code step}.
     *
     * @param label the curve's label ("sgd", "ngd", ...)
     */
    public Trainer(String label, Supplier<? extends B> batches, ToLongFunction<? super B> size, Step<? super B> step) {
        this.batches = batches;
        this.size = size;
        this.step = step;
        this.curve = new Curve(label);
    }

    /** {@code optimizer} training {@code net} in place on the minibatches of {@code batches}. */
    public static Trainer<Batch> of(String label, Network net, Optimizer optimizer, Supplier<Batch> batches) {
        return new Trainer<>(label, batches, Batch::size, b -> optimizer.step(net, b));
    }

    /** Sets the evaluator (default: records NaN figures). */
    public Trainer<B> evaluator(Evaluator e) {
        this.evaluator = e;
        return this;
    }

    /** Sets the evaluation schedule (default: {@link Schedule#never()}, i.e. first and last only). */
    public Trainer<B> schedule(Schedule s) {
        this.schedule = s;
        return this;
    }

    /** Sets the callback before each step. */
    public Trainer<B> beforeStep(BeforeStep<? super B> c) {
        this.beforeStep = c;
        return this;
    }

    /** Sets the callback after each step. */
    public Trainer<B> afterStep(AfterStep c) {
        this.afterStep = c;
        return this;
    }

    /**
     * Offers {@code checkpointer} a checkpoint at the first step at or after each {@code every}
     * steps (counted from where the run starts or resumes) at which {@code resumable} holds
     * (e.g. {@link Optimizer#atResumableBoundary()}); never after the step that ends the run.
     * {@code every} 0 means never.
     */
    public Trainer<B> checkpoints(long every, BooleanSupplier resumable, Checkpointer checkpointer) {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 steps, got " + every);
        }
        this.checkpointEvery = every;
        this.resumable = resumable;
        this.checkpointer = checkpointer;
        return this;
    }

    /**
     * Continues a run from a checkpoint's counters, with the points its log already holds; no
     * evaluation at the start. The last report is not restored (null until the next step).
     *
     * @throws IllegalStateException if the run has started
     */
    public Trainer<B> resumeFrom(Progress p, List<CurvePoint> earlier) {
        if (started) {
            throw new IllegalStateException("Trainer " + curve.optimizer() + ": cannot resume a run that has started");
        }
        steps = p.step();
        examples = p.examples();
        trainNanos = p.trainNanos();
        rejected = p.rejected();
        batchLossSum = p.batchLossSum();
        batchLossCount = p.batchLossCount();
        lastRejection = p.lastRejection();
        earlier.forEach(curve::add);
        resumed = true;
        return this;
    }

    /** Evaluates the run before its first step (once; nothing for a resumed run). */
    public Trainer<B> start() throws IOException {
        if (!started) {
            started = true;
            if (!resumed) {
                evaluate(progress());
            }
        }
        return this;
    }

    /**
     * Trains until {@code budget} is reached or the run diverges (see the class comment), starting
     * it first if need be.
     *
     * @return the curve so far
     */
    public Curve trainUntil(Budget budget) throws IOException {
        start();
        if (nextCheckpoint < 0) {
            nextCheckpoint = checkpointEvery == 0 ? Long.MAX_VALUE : steps + checkpointEvery;
        }
        while (!curve.diverged() && !budget.reached(progress())) {
            long t0 = System.nanoTime();
            B batch = batches.get();
            trainNanos += System.nanoTime() - t0;
            beforeStep.accept(progress(), batch);
            long t1 = System.nanoTime();
            StepReport r = step.take(batch);
            trainNanos += System.nanoTime() - t1;
            steps++;
            examples += size.applyAsLong(batch);
            lastReport = r;
            if (!r.accepted()) {
                rejected++;
                lastRejection = r.note().startsWith("rejected: ") ? r.note().substring(10) : r.note();
            }
            String divergence = null;
            if (Double.isFinite(r.lossBefore())) {
                batchLossSum += r.lossBefore();
                batchLossCount++;
            } else if (!Double.isNaN(r.lossBefore())) {
                divergence = "minibatch loss became " + r.lossBefore() + " at step " + steps + " (" + examples
                        + " examples)";
            }
            Progress p = progress();
            afterStep.accept(p, r);
            boolean due = divergence != null || schedule.due(p);
            boolean done = budget.reached(p);
            if (due || done) {
                evaluate(p);
            }
            if (divergence != null) {
                curve.markDiverged(divergence);
            }
            if (curve.diverged() || done) {
                break;
            }
            if (steps >= nextCheckpoint && resumable.getAsBoolean()) {
                checkpointer.save(progress()); // after the evaluation's reset of the batch-loss sum
                nextCheckpoint = steps + checkpointEvery;
            }
        }
        return curve;
    }

    private void evaluate(Progress p) throws IOException {
        Evaluation e = evaluator.evaluate(p);
        double damping = lastReport == null ? Double.NaN : lastReport.damping();
        boolean accepted = lastReport == null || lastReport.accepted();
        curve.add(new CurvePoint(examples, trainNanos * 1e-9, e.test(), e.train(), damping, accepted,
                (int) Math.min(Integer.MAX_VALUE, rejected)));
        batchLossSum = 0;
        batchLossCount = 0;
        if (e.divergence() != null && !curve.diverged()) {
            curve.markDiverged(e.divergence());
        }
    }

    /** Where the run stands now. */
    public Progress progress() {
        return new Progress(steps, examples, trainNanos, rejected, batchLossSum, batchLossCount, lastReport,
                lastRejection);
    }

    /** The curve so far. */
    public Curve curve() {
        return curve;
    }
}
