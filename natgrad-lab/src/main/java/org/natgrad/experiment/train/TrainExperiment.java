package org.natgrad.experiment.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.natgrad.nn.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.experiment.Json;
import org.natgrad.experiment.Provenance;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.RunLog;
import org.natgrad.experiment.training.Budget;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;
import org.natgrad.experiment.training.EpochBatches;
import org.natgrad.experiment.training.Progress;
import org.natgrad.experiment.training.Schedule;
import org.natgrad.experiment.training.Trainer;
import org.natgrad.io.FileFormatException;
import org.natgrad.io.ModelFiles;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;
import org.natgrad.plot.LinePlot;
import org.natgrad.random.Rng;

/**
 * Trains a network as {@link TrainOptions} say and writes the run folder: {@code options.json},
 * {@code provenance.json}, {@code log.csv}, {@code model.npz} (final weights; with a model string in
 * PyTorch's state_dict layout with the string, {@link ModelFiles#saveModel}; see
 * {@link ModelFiles}), {@code loss.png} and {@code loss.svg}, {@code results.json}
 * ({@link TrainResults}) and {@code report.md}.
 *
 * <p>Seeds: the master seed gives, in order, the data seed, the initial-weights seed and the
 * minibatch-order stream. Minibatches are successive slices of a fresh permutation each epoch,
 * all exactly M examples (the incomplete last slice of an epoch is skipped). The run stops after
 * ceil(budget / M) steps, where the budget is {@code examples} or {@code epochs} x N.
 *
 * <p>The loop is the one {@link Trainer} of natgrad-lab (minibatches from {@link EpochBatches},
 * evaluations every {@code evalEvery} steps, checkpoints through its hook).
 *
 * <p>log.csv columns: {@code step}, {@code examples_seen}, {@code seconds} (time drawing
 * minibatches and in optimizer steps so far; evaluations excluded), {@code batch_loss} (mean minibatch loss over the steps
 * since the previous row; empty on the first row), {@code train_loss} and {@code test_loss}
 * (mean loss over the whole set), and for classifying likelihoods {@code train_error},
 * {@code test_error} (misclassification rates), then {@code damping} (the damping λ of the latest
 * natural-gradient step, the initial λ on the first row; empty for first-order optimizers) and
 * {@code rejected_steps} (rejected steps so far). A row is written before the first step, every
 * {@code evalEvery} steps, and after the last step.
 *
 * <p>Rejected steps: a natural-gradient step can be rejected (weights kept, damping raised: a
 * non-finite or blown-up loss, a failed factorization). They are counted in log.csv, results.json
 * ({@code rejectedSteps}, {@code finalDamping}, {@code lastRejection}) and report.md; a run in
 * which more than half the steps were rejected ends with status "stalled".
 *
 * <p>Checkpoints: {@link TrainCheckpoint#FILE} is written atomically every few steps (see
 * {@link #run(TrainOptions, RunFolder, List, TrainListener, long)}) and {@link #resume} continues a
 * killed run from it, bit-identically.
 */
public final class TrainExperiment {
    /** Model file name in the run folder. */
    public static final String MODEL = "model.npz";

    private TrainExperiment() {
    }

    /** Thrown when the loss becomes NaN or infinite; the run folder still holds the log up to it. */
    public static final class DivergedException extends RuntimeException {
        public DivergedException(String message) {
            super(message);
        }
    }

    /** {@code checkpointEvery} value meaning "about 20 checkpoints per run" ({@link #autoCheckpointEvery}). */
    public static final long AUTO_CHECKPOINTS = -1;

    /**
     * Runs the experiment into {@code folder}, with checkpoints {@link #AUTO_CHECKPOINTS}.
     *
     * @param commandLine recorded in provenance.json (may be empty)
     * @throws DivergedException if a loss became non-finite (results.json then says "diverged")
     */
    public static TrainResults run(TrainOptions options, RunFolder folder, List<String> commandLine,
                                   TrainListener listener) throws IOException {
        return run(options, folder, commandLine, listener, AUTO_CHECKPOINTS);
    }

    /**
     * Runs the experiment into {@code folder}, writing {@link TrainCheckpoint#FILE} about every
     * {@code checkpointEvery} steps (0: never; {@link #AUTO_CHECKPOINTS}: about 20 per run); a
     * completed run removes its checkpoint. A checkpoint is taken at the first step at or after it
     * is due at which the optimizer's state is complete ({@link Optimizer#atResumableBoundary()}),
     * never at the last step.
     *
     * @param commandLine recorded in provenance.json (may be empty)
     * @throws DivergedException if a loss became non-finite (results.json then says "diverged")
     */
    public static TrainResults run(TrainOptions options, RunFolder folder, List<String> commandLine,
                                   TrainListener listener, long checkpointEvery) throws IOException {
        return run(options, folder, commandLine, listener, checkpointEvery, StepSource.LOCAL);
    }

    /** As {@link #run(TrainOptions, RunFolder, List, TrainListener, long)} with the steps taken by {@code steps}. */
    public static TrainResults run(TrainOptions options, RunFolder folder, List<String> commandLine,
                                   TrainListener listener, long checkpointEvery, StepSource steps) throws IOException {
        return execute(options, folder, commandLine, listener, checkpointEvery, null, steps);
    }

    /**
     * Continues the interrupted run in {@code folder} from its {@link TrainCheckpoint#FILE}, with the
     * options of its {@code options.json}. With the same backend and thread count, the run ends with
     * weights, log rows (all but the {@code seconds} column), results (all but the timings) and model
     * file bit-identical to an uninterrupted run. The resumed process's provenance goes to
     * {@code provenance-resumed.json}; provenance.json keeps the original run's.
     *
     * @throws java.nio.file.NoSuchFileException if the folder has no options.json or checkpoint
     * @throws IllegalArgumentException if the checkpoint does not fit the options or the data changed
     */
    public static TrainResults resume(RunFolder folder, List<String> commandLine, TrainListener listener,
                                      long checkpointEvery) throws IOException {
        return resume(folder, commandLine, listener, checkpointEvery, StepSource.LOCAL);
    }

    /** As {@link #resume(RunFolder, List, TrainListener, long)} with the steps taken by {@code steps}. */
    public static TrainResults resume(RunFolder folder, List<String> commandLine, TrainListener listener,
                                      long checkpointEvery, StepSource steps) throws IOException {
        Path optionsFile = folder.resolve(RunFolder.OPTIONS);
        if (!Files.isRegularFile(optionsFile)) {
            throw new NoSuchFileException(optionsFile.toString(), null, "no such file: " + optionsFile
                    + " (is " + folder.path() + " a natgrad train run folder?)");
        }
        TrainOptions options;
        try {
            options = Json.read(optionsFile, TrainOptions.class);
        } catch (IOException | RuntimeException e) {
            throw new FileFormatException(optionsFile.toString(), -1, "not a readable train options file: "
                    + e.getMessage());
        }
        TrainCheckpoint.Loaded loaded = TrainCheckpoint.load(folder.resolve(TrainCheckpoint.FILE));
        return execute(options, folder, commandLine, listener, checkpointEvery, loaded, steps);
    }

    /** ceil(totalSteps / 20), at least 1. */
    public static long autoCheckpointEvery(long totalSteps) {
        return Math.max(1, (totalSteps + 19) / 20);
    }

    private static TrainResults execute(TrainOptions options, RunFolder folder, List<String> commandLine,
                                        TrainListener listener, long checkpointEvery, TrainCheckpoint.Loaded resumed,
                                        StepSource steps) throws IOException {
        Rng master = new Rng(options.seed());
        long dataSeed = master.nextLong();
        long initSeed = master.nextLong();
        Rng batchRng = new Rng(master.nextLong());

        // refuse a run that cannot fit before allocating anything large (the teacher and data included)
        MemoryEstimate.of(options).check(Runtime.getRuntime().maxMemory(), options.layers());
        TrainData data = TrainData.load(options, dataSeed);
        org.natgrad.nn.ModelSpec spec = options.modelSpec();
        Network net = spec != null ? spec.build(options.init().create(), initSeed)
                : Network.dense(options.layers(), options.activation(), options.outputActivation(), options.bias(),
                options.init().create(), initSeed);
        Likelihood likelihood = options.likelihood().create();
        // every target must suit the likelihood (e.g. one-hot columns for categorical), train and test
        validate(likelihood, net, data.train(), "training data");
        validate(likelihood, net, data.test(), "test data");
        Optimizer optimizer = options.optimizer().create(likelihood, options);
        long dataCrc = TrainCheckpoint.dataCrc(data.train(), data.test());
        TrainCheckpoint ck = resumed == null ? null : resumed.checkpoint();
        if (ck != null) {
            String src = folder.resolve(TrainCheckpoint.FILE).toString();
            if (ck.dataCrc() != dataCrc) {
                throw new IllegalArgumentException(src + ": the data differ from the data the run was started with "
                        + "(CRC-32 " + Long.toHexString(dataCrc) + ", checkpoint " + Long.toHexString(ck.dataCrc())
                        + "); resume needs the same data files");
            }
            Network saved = spec != null ? ModelFiles.fromStateDict(resumed.weights(), spec, src)
                    : ModelFiles.fromArrays(resumed.weights(), src, options.activation(), options.outputActivation());
            if (spec == null && !sameShape(saved, net)) {
                throw new FileFormatException(src, -1, "the checkpoint's layers " + describe(saved)
                        + " differ from options.json's " + describe(net));
            }
            net = saved;
            try {
                optimizer.restoreState(ck.optimizerState());
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(src, -1, "optimizer state: " + e.getMessage());
            }
            folder.writeProvenance("provenance-resumed.json", options.seed(), commandLine);
        } else {
            // written once the data and network are known to fit, so a bad data file leaves the folder empty
            // provenance first: a folder with options.json is always a run folder that --force may replace
            folder.writeProvenance(options.seed(), commandLine);
            folder.writeOptions(options);
        }

        int m = options.batchSize();
        long budget = options.examples() > 0 ? options.examples() : (long) options.epochs() * data.train().size();
        long totalSteps = (budget + m - 1) / m;
        long evalEvery = options.evalEvery() > 0 ? options.evalEvery() : Math.max(1, totalSteps / 50);
        long every = checkpointEvery == AUTO_CHECKPOINTS ? autoCheckpointEvery(totalSteps) : checkpointEvery;
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 steps, got " + checkpointEvery);
        }
        boolean classifies = options.likelihood().classifies();

        List<String> columns = new ArrayList<>(List.of("step", "examples_seen", "seconds", "batch_loss", "train_loss",
                "test_loss"));
        if (classifies) {
            columns.addAll(List.of("train_error", "test_error"));
        }
        columns.addAll(List.of("damping", "rejected_steps"));
        double initialDamping = optimizer instanceof NaturalGradient ngd ? ngd.damping() : Double.NaN;
        Rows rows = new Rows(new Rows.Setup(net, likelihood, data, classifies, initialDamping, listener));
        EpochBatches batches;
        if (ck != null) {
            rows.initialTest = ck.initialTest();
            rows.bestTest = ck.bestTest();
            batchRng.restore(ck.epochRng());
            batches = EpochBatches.resumed(data.train(), m, batchRng, true, ck.batchesIntoEpoch());
        } else {
            batches = new EpochBatches(data.train(), m, batchRng, true);
        }
        Network model = net;
        Trainer<Batch> trainer = new Trainer<>(options.optimizer().label(), batches, Batch::size,
                steps.steps(optimizer, likelihood, model, data.train(), batches));
        long wallStart = System.nanoTime() - (ck == null ? 0 : ck.wallNanos());
        listener.started(totalSteps * m);
        try (TrainDiagnostics diagnostics = new TrainDiagnostics(options, likelihood, folder,
                ck == null ? -1 : ck.step())) {
            if (ck == null) {
                rows.log = folder.openLog(columns);
            } else {
                int[] kept = {0};
                rows.log = RunLog.reopen(folder.resolve(RunFolder.LOG), columns, row -> kept[0]++ < ck.logRows(),
                        ck.logRows());
                List<CurvePoint> earlier = new ArrayList<>();
                for (String line : rows.log.lines()) {
                    String[] f = line.split(",", -1);
                    earlier.add(new CurvePoint(Long.parseLong(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[5]),
                            Double.parseDouble(f[4]), Double.NaN, true, Integer.parseInt(f[f.length - 1])));
                }
                trainer.resumeFrom(new Progress(ck.step(), ck.seen(), ck.trainNanos(), ck.rejected(), ck.batchLossSum(),
                        ck.batchLossCount(), null, ""), earlier);
            }
            RunLog log = rows.log;
            trainer.schedule(Schedule.everySteps(evalEvery))
                    .evaluator(rows)
                    .beforeStep((p, b) -> diagnostics.beforeStep(p.step(), model, b)) // not counted as training time
                    .afterStep((p, r) -> listener.stepped(p.examples(), r.lossBefore()))
                    .checkpoints(every, optimizer::atResumableBoundary, p -> new TrainCheckpoint(p.step(), p.examples(),
                            batches.epochStart(), batches.batchesIntoEpoch(), log.rows(), p.rejected(),
                            p.batchLossSum(), p.batchLossCount(), rows.initialTest, rows.bestTest, p.trainNanos(),
                            System.nanoTime() - wallStart, dataCrc, optimizer.saveState())
                            .save(folder.resolve(TrainCheckpoint.FILE), model, spec))
                    .trainUntil(Budget.steps(totalSteps));
        } finally {
            if (rows.log != null) {
                rows.log.close();
            }
            listener.finished();
        }
        Eval last = rows.last;
        if (last == null) {
            // resumed at the last step: nothing was evaluated since the checkpoint
            last = evaluate(net, likelihood, data, classifies);
        }
        Progress s = trainer.progress();
        Curve curve = trainer.curve();
        String divergence = curve.diverged() ? curve.divergence() : null;
        String status = divergence != null ? "diverged" : s.step() > 0 && 2 * s.rejected() > s.step() ? "stalled"
                : "completed";
        double wall = (System.nanoTime() - wallStart) * 1e-9;
        int evaluations = curve.points().size();
        double finalDamping = optimizer instanceof NaturalGradient ngd ? ngd.damping() : Double.NaN;
        TrainResults results = new TrainResults(status, s.step(), s.examples(), s.trainSeconds(), wall,
                net.parameterCount(), data.train().size(), data.test().size(), rows.initialTest, last.trainLoss,
                last.testLoss, rows.bestTest, last.trainError, last.testError, evaluations, s.rejected(), finalDamping,
                s.lastRejection());
        if (divergence == null) {
            // the optimizer's state (damping, step count, random stream) travels with the weights
            if (spec != null) {
                // PyTorch nn.Sequential state_dict layout with the model string (no optimizer state)
                ModelFiles.saveModel(folder.resolve(MODEL), spec, net);
            } else {
                ModelFiles.saveWithState(folder.resolve(MODEL), net, optimizer.saveState());
            }
        }
        plot(curve, options).save(folder.resolve("loss"), 720, 480);
        folder.writeResults(results);
        folder.writeReport(report(options, data, results, divergence, Provenance.version(), ck == null ? -1 : ck.step()));
        if (divergence == null) {
            Files.deleteIfExists(folder.resolve(TrainCheckpoint.FILE));
        }
        if (divergence != null) {
            throw new DivergedException("training diverged (" + divergence + "); try a smaller --lr. The log is in "
                    + folder.path());
        }
        return results;
    }

    /**
     * The evaluations of a train run: train and test loss (and error rates) over the whole sets,
     * one log.csv row each, and the initial and best test loss (what a checkpoint stores besides
     * the weights, the optimizer and the loop's counters).
     */
    private static final class Rows implements Trainer.Evaluator {
        final Setup setup;
        RunLog log;
        Eval last;
        double bestTest = Double.POSITIVE_INFINITY;
        double initialTest = Double.NaN;

        /** What the evaluations need: the model, loss, data, and the damping shown before any step. */
        record Setup(Network net, Likelihood likelihood, TrainData data, boolean classifies, double initialDamping,
                     TrainListener listener) {
        }

        Rows(Setup setup) {
            this.setup = setup;
        }

        @Override
        public Trainer.Evaluation evaluate(Progress p) throws IOException {
            last = TrainExperiment.evaluate(setup.net, setup.likelihood, setup.data, setup.classifies);
            boolean first = p.step() == 0;
            if (first) {
                initialTest = last.testLoss;
                bestTest = Math.min(bestTest, last.testLoss);
            } else if (Double.isFinite(last.testLoss)) {
                bestTest = Math.min(bestTest, last.testLoss);
            }
            Object bl = first ? null : p.meanBatchLoss();
            double d = p.lastReport() == null ? setup.initialDamping : p.lastReport().damping();
            Object damping = Double.isNaN(d) ? null : d;
            if (setup.classifies) {
                log.row(p.step(), p.examples(), p.trainSeconds(), bl, last.trainLoss, last.testLoss, last.trainError,
                        last.testError, damping, p.rejected());
            } else {
                log.row(p.step(), p.examples(), p.trainSeconds(), bl, last.trainLoss, last.testLoss, damping,
                        p.rejected());
            }
            setup.listener.evaluated(p.examples(), last.trainLoss, last.testLoss);
            return new Trainer.Evaluation(last.testLoss, last.trainLoss, nonFinite(last, p.step()));
        }
    }

    private static boolean sameShape(Network a, Network b) {
        if (a.depth() != b.depth()) {
            return false;
        }
        for (int i = 0; i < a.depth(); i++) {
            Dense x = a.denseLayer(i);
            Dense y = b.denseLayer(i);
            if (x.weights().rows() != y.weights().rows() || x.weights().cols() != y.weights().cols()
                    || x.hasBias() != y.hasBias()) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Network n) {
        StringBuilder sb = new StringBuilder().append(n.layer(0).weights().cols());
        for (int i = 0; i < n.depth(); i++) {
            sb.append('-').append(n.layer(i).weights().rows());
        }
        return sb.append(n.layer(0).hasBias() ? " with biases" : " without biases").toString();
    }

    private static void validate(Likelihood likelihood, Network net, Dataset d, String which) {
        try {
            likelihood.validateTargets(net.predict(d.inputs()), d.targets());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(which + " does not suit the " + likelihood.label() + " likelihood: "
                    + e.getMessage() + " (examples are columns)", e);
        }
    }

    private record Eval(double trainLoss, double testLoss, double trainError, double testError) {
    }

    private static String nonFinite(Eval e, long step) {
        if (!Double.isFinite(e.trainLoss) || !Double.isFinite(e.testLoss)) {
            return "train loss " + e.trainLoss + ", test loss " + e.testLoss + " after step " + step;
        }
        return null;
    }

    private static Eval evaluate(Network net, Likelihood lik, TrainData data, boolean classifies) {
        Matrix trainOut = net.predict(data.train().inputs());
        Matrix testOut = net.predict(data.test().inputs());
        double trainLoss = lik.loss(trainOut, data.train().targets());
        double testLoss = lik.loss(testOut, data.test().targets());
        double trainErr = classifies ? errorRate(trainOut, data.train()) : Double.NaN;
        double testErr = classifies ? errorRate(testOut, data.test()) : Double.NaN;
        return new Eval(trainLoss, testLoss, trainErr, testErr);
    }

    /**
     * Misclassification rate. One output: the sign of the logit against the 0/1 target. Several
     * outputs: the arg-max of the output against the arg-max of the target column (one-hot for
     * categorical; for several Bernoulli outputs, each output is judged separately instead).
     */
    static double errorRate(Matrix out, Dataset d) {
        Matrix y = d.targets();
        int rows = out.rows();
        int cols = out.cols();
        boolean perOutput = rows == 1 || !isOneHot(y);
        long wrong = 0;
        long total = 0;
        for (int j = 0; j < cols; j++) {
            if (perOutput) {
                for (int i = 0; i < rows; i++) {
                    boolean predicted = out.get(i, j) > 0;
                    boolean actual = y.get(i, j) > 0.5;
                    wrong += predicted == actual ? 0 : 1;
                    total++;
                }
            } else {
                int pi = 0;
                int ti = 0;
                for (int i = 1; i < rows; i++) {
                    if (out.get(i, j) > out.get(pi, j)) {
                        pi = i;
                    }
                    if (y.get(i, j) > y.get(ti, j)) {
                        ti = i;
                    }
                }
                wrong += pi == ti ? 0 : 1;
                total++;
            }
        }
        return (double) wrong / total;
    }

    private static boolean isOneHot(Matrix y) {
        for (int j = 0; j < y.cols(); j++) {
            double s = 0;
            for (int i = 0; i < y.rows(); i++) {
                double v = y.get(i, j);
                if (v != 0 && v != 1) {
                    return false;
                }
                s += v;
            }
            if (s != 1) {
                return false;
            }
        }
        return true;
    }

    private static LinePlot plot(Curve curve, TrainOptions o) {
        List<CurvePoint> points = curve.points();
        int n = points.size();
        double[] x = new double[n];
        double[] tr = new double[n];
        double[] te = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = points.get(k).examples();
            tr[k] = points.get(k).trainError();
            te[k] = points.get(k).testError();
        }
        boolean log = o.likelihood() == LikelihoodChoice.GAUSSIAN
                || points.stream().allMatch(c -> c.trainError() > 0 && c.testError() > 0);
        return new LinePlot(o.optimizer().label() + ", " + (o.model() != null ? "model " + o.model()
                : TrainData.widths(o.layers()) + " " + o.activation().label())
                + ", " + o.likelihood().label() + " loss")
                .xTitle("training examples").yTitle(log ? "loss (log scale)" : "loss").logY(log)
                .add("train", x, tr, false)
                .add("test", x, te, true);
    }

    private static String report(TrainOptions o, TrainData data, TrainResults r, String divergence, String version,
                                 long resumedAt) {
        StringBuilder sb = new StringBuilder();
        sb.append("# natgrad train\n\n");
        if (o.model() != null) {
            sb.append("- model: ").append(o.model()).append(", ").append(r.parameters()).append(" parameters, ")
                    .append(o.init().label()).append(" init\n");
        } else {
        sb.append("- network: ").append(TrainData.widths(o.layers())).append(", hidden ").append(o.activation().label())
                .append(", output ").append(o.outputActivation().label()).append(o.bias() ? ", with biases" : ", no biases")
                .append(", ").append(r.parameters()).append(" parameters, ").append(o.init().label()).append(" init\n");
        }
        sb.append("- data: ").append(data.description()).append('\n');
        sb.append("- loss: ").append(o.likelihood().label()).append(" negative log-likelihood (mean over examples)\n");
        sb.append("- optimizer: ").append(o.optimizer().label());
        if (o.optimizer() == OptimizerChoice.NGD) {
            NaturalGradientOptions n = o.naturalGradient();
            sb.append(", alpha ").append(n.alpha()).append(", model samples K ").append(n.modelSamples())
                    .append(", initial damping ").append(n.initialDamping())
                    .append(n.adaptiveDamping() ? " (adaptive, " + n.predictedDecrease().name().toLowerCase(Locale.ROOT) + ")" : " (fixed)")
                    .append(n.pseudoInverse() ? ", pseudo-inverses" : "").append(", inverse ")
                    .append(n.inverse().name().toLowerCase(Locale.ROOT)).append(", refresh every ").append(n.refreshEvery())
                    .append(", damping every ").append(n.dampingEvery())
                    .append(", factor precision ").append(n.factorPrecision().name().toLowerCase(Locale.ROOT));
        } else {
            sb.append(", learning rate ").append(o.learningRate());
        }
        if (o.optimizer().usesMomentum()) {
            sb.append(", momentum ").append(o.momentum());
        }
        sb.append(", batch ").append(o.batchSize()).append(", seed ").append(o.seed()).append('\n');
        sb.append("- natgrad ").append(version).append("\n\n");
        sb.append("## Results\n\n");
        if (divergence != null) {
            sb.append("**Diverged:** ").append(divergence).append(".\n\n");
        }
        if (r.status().equals("stalled")) {
            sb.append(String.format(Locale.ROOT, "**Stalled:** %d of %d steps (%.0f%%) were rejected, so only %d steps "
                    + "changed the weights (last rejection: %s). Try a smaller --alpha or a larger --damping.%n%n",
                    r.rejectedSteps(), r.steps(), 100.0 * r.rejectedSteps() / r.steps(), r.steps() - r.rejectedSteps(),
                    r.lastRejection()));
        }
        if (resumedAt >= 0) {
            sb.append("Resumed from the checkpoint at step ").append(resumedAt)
                    .append(" (provenance-resumed.json); timings include the time before the interruption.\n\n");
        }
        sb.append("| quantity | value |\n|---|---|\n");
        sb.append(String.format(Locale.ROOT, "| steps | %d |%n", r.steps()));
        sb.append(String.format(Locale.ROOT, "| examples seen | %d |%n", r.examplesSeen()));
        sb.append(String.format(Locale.ROOT, "| rejected steps | %d (%.1f%%) |%n", r.rejectedSteps(),
                r.steps() == 0 ? 0.0 : 100.0 * r.rejectedSteps() / r.steps()));
        if (!Double.isNaN(r.finalDamping())) {
            sb.append(String.format(Locale.ROOT, "| final damping | %.6g |%n", r.finalDamping()));
        }
        sb.append(String.format(Locale.ROOT, "| time in optimizer steps | %.3f s |%n", r.trainSeconds()));
        sb.append(String.format(Locale.ROOT, "| wall time (with evaluations) | %.3f s |%n", r.wallSeconds()));
        sb.append(String.format(Locale.ROOT, "| test loss before training | %.6g |%n", r.initialTestLoss()));
        sb.append(String.format(Locale.ROOT, "| final train loss | %.6g |%n", r.finalTrainLoss()));
        sb.append(String.format(Locale.ROOT, "| final test loss | %.6g |%n", r.finalTestLoss()));
        sb.append(String.format(Locale.ROOT, "| best test loss | %.6g |%n", r.bestTestLoss()));
        if (o.likelihood().classifies()) {
            sb.append(String.format(Locale.ROOT, "| final train error | %.4f |%n", r.finalTrainError()));
            sb.append(String.format(Locale.ROOT, "| final test error | %.4f |%n", r.finalTestError()));
        }
        sb.append("\n![loss](loss.svg)\n\nFiles: options.json, provenance.json, log.csv, results.json")
                .append(divergence == null ? ", model.npz" : "").append(", loss.png, loss.svg.\n");
        return sb.toString();
    }
}
