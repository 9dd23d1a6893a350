package org.natgrad.experiment.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.natgrad.nn.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.experiment.Json;
import org.natgrad.experiment.Provenance;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.RunLog;
import org.natgrad.io.FileFormatException;
import org.natgrad.io.ModelFiles;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.StepReport;
import org.natgrad.plot.LinePlot;
import org.natgrad.random.Rng;

/**
 * Trains a network as {@link TrainOptions} say and writes the run folder: {@code options.json},
 * {@code provenance.json}, {@code log.csv}, {@code model.npz} (final weights, see
 * {@link ModelFiles}), {@code loss.png} and {@code loss.svg}, {@code results.json}
 * ({@link TrainResults}) and {@code report.md}.
 *
 * <p>Seeds: the master seed gives, in order, the data seed, the initial-weights seed and the
 * minibatch-order stream. Minibatches are successive slices of a fresh permutation each epoch,
 * all exactly M examples (the incomplete last slice of an epoch is skipped). The run stops after
 * ceil(budget / M) steps, where the budget is {@code examples} or {@code epochs} x N.
 *
 * <p>log.csv columns: {@code step}, {@code examples_seen}, {@code seconds} (time in optimizer
 * steps so far; evaluations excluded), {@code batch_loss} (mean minibatch loss over the steps
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
        return execute(options, folder, commandLine, listener, checkpointEvery, null);
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
        return execute(options, folder, commandLine, listener, checkpointEvery, loaded);
    }

    /** ceil(totalSteps / 20), at least 1. */
    public static long autoCheckpointEvery(long totalSteps) {
        return Math.max(1, (totalSteps + 19) / 20);
    }

    private static TrainResults execute(TrainOptions options, RunFolder folder, List<String> commandLine,
                                        TrainListener listener, long checkpointEvery, TrainCheckpoint.Loaded resumed)
            throws IOException {
        Rng master = new Rng(options.seed());
        long dataSeed = master.nextLong();
        long initSeed = master.nextLong();
        Rng batchRng = new Rng(master.nextLong());

        // refuse a run that cannot fit before allocating anything large (the teacher and data included)
        MemoryEstimate.of(options).check(Runtime.getRuntime().maxMemory(), options.layers());
        TrainData data = TrainData.load(options, dataSeed);
        Network net = Network.dense(options.layers(), options.activation(), options.outputActivation(), options.bias(),
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
            Network saved = ModelFiles.fromArrays(resumed.weights(), src, options.activation(),
                    options.outputActivation());
            if (!sameShape(saved, net)) {
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
        List<double[]> curve = new ArrayList<>(); // examples, train loss, test loss
        Loop s = new Loop();
        s.damping = optimizer instanceof NaturalGradient ngd ? ngd.damping() : Double.NaN;
        if (ck != null) {
            s.step = ck.step();
            s.seen = ck.seen();
            s.rejected = ck.rejected();
            s.batchLossSum = ck.batchLossSum();
            s.batchLossCount = ck.batchLossCount();
            s.initialTest = ck.initialTest();
            s.bestTest = ck.bestTest();
            s.trainNanos = ck.trainNanos();
            batchRng.restore(ck.epochRng());
        }
        long wallStart = System.nanoTime() - (ck == null ? 0 : ck.wallNanos());
        long nextCheckpoint = every == 0 ? Long.MAX_VALUE : s.step + every;
        long skip = ck == null ? 0 : ck.batchesIntoEpoch();
        Eval last = null;
        String divergence = null;
        listener.started(totalSteps * m);
        RunLog log = null;
        try (TrainDiagnostics diagnostics = new TrainDiagnostics(options, likelihood, folder,
                ck == null ? -1 : ck.step())) {
            if (ck == null) {
                log = folder.openLog(columns);
                last = evaluate(net, likelihood, data, classifies);
                s.initialTest = last.testLoss;
                s.bestTest = Math.min(s.bestTest, last.testLoss);
                writeRow(log, classifies, s, 0, last, true);
                curve.add(new double[] {0, last.trainLoss, last.testLoss});
                listener.evaluated(0, last.trainLoss, last.testLoss);
                divergence = nonFinite(last, 0);
            } else {
                int[] kept = {0};
                log = RunLog.reopen(folder.resolve(RunFolder.LOG), columns, row -> kept[0]++ < ck.logRows(),
                        ck.logRows());
                for (String line : log.lines()) {
                    String[] f = line.split(",", -1);
                    curve.add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[4]),
                            Double.parseDouble(f[5])});
                }
            }
            outer:
            while (divergence == null && s.step < totalSteps) {
                long[] epochStart = batchRng.state();
                Iterator<Batch> epoch = data.train().epoch(m, batchRng, true).iterator();
                long taken = 0;
                for (; taken < skip && epoch.hasNext(); taken++) {
                    epoch.next();
                }
                skip = 0;
                while (epoch.hasNext()) {
                    Batch b = epoch.next();
                    taken++;
                    diagnostics.beforeStep(s.step, net, b); // not counted as training time
                    long t0 = System.nanoTime();
                    StepReport r = optimizer.step(net, b);
                    s.trainNanos += System.nanoTime() - t0;
                    s.step++;
                    s.seen += b.size();
                    s.damping = r.damping();
                    if (!r.accepted()) {
                        s.rejected++;
                        s.lastRejection = r.note().startsWith("rejected: ") ? r.note().substring(10) : r.note();
                    }
                    if (Double.isFinite(r.lossBefore())) {
                        s.batchLossSum += r.lossBefore();
                        s.batchLossCount++;
                    } else if (!Double.isNaN(r.lossBefore())) {
                        divergence = "minibatch loss " + r.lossBefore() + " at step " + s.step;
                    }
                    listener.stepped(s.seen, r.lossBefore());
                    if (s.step % evalEvery == 0 || s.step == totalSteps || divergence != null) {
                        last = evaluate(net, likelihood, data, classifies);
                        writeRow(log, classifies, s, s.trainNanos * 1e-9, last, false);
                        s.batchLossSum = 0;
                        s.batchLossCount = 0;
                        curve.add(new double[] {s.seen, last.trainLoss, last.testLoss});
                        if (Double.isFinite(last.testLoss)) {
                            s.bestTest = Math.min(s.bestTest, last.testLoss);
                        }
                        listener.evaluated(s.seen, last.trainLoss, last.testLoss);
                        if (divergence == null) {
                            divergence = nonFinite(last, s.step);
                        }
                    }
                    if (divergence != null || s.step == totalSteps) {
                        break outer;
                    }
                    if (s.step >= nextCheckpoint && optimizer.atResumableBoundary()) {
                        new TrainCheckpoint(s.step, s.seen, epochStart, taken, log.rows(), s.rejected, s.batchLossSum,
                                s.batchLossCount, s.initialTest, s.bestTest, s.trainNanos,
                                System.nanoTime() - wallStart, dataCrc, optimizer.saveState())
                                .save(folder.resolve(TrainCheckpoint.FILE), net);
                        nextCheckpoint = s.step + every;
                    }
                }
            }
        } finally {
            if (log != null) {
                log.close();
            }
            listener.finished();
        }
        if (last == null) {
            // resumed at the last step: nothing was evaluated since the checkpoint
            last = evaluate(net, likelihood, data, classifies);
        }
        String status = divergence != null ? "diverged" : s.step > 0 && 2 * s.rejected > s.step ? "stalled" : "completed";
        double wall = (System.nanoTime() - wallStart) * 1e-9;
        int evaluations = curve.size();
        double finalDamping = optimizer instanceof NaturalGradient ngd ? ngd.damping() : Double.NaN;
        TrainResults results = new TrainResults(status, s.step, s.seen, s.trainNanos * 1e-9, wall, net.parameterCount(),
                data.train().size(), data.test().size(), s.initialTest, last.trainLoss, last.testLoss, s.bestTest,
                last.trainError, last.testError, evaluations, s.rejected, finalDamping, s.lastRejection);
        if (divergence == null) {
            // the optimizer's state (damping, step count, random stream) travels with the weights
            ModelFiles.saveWithState(folder.resolve(MODEL), net, optimizer.saveState());
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

    /** The training loop's running totals (what a checkpoint stores besides weights and optimizer). */
    private static final class Loop {
        long step;
        long seen;
        long rejected;
        long trainNanos;
        double batchLossSum;
        int batchLossCount;
        double bestTest = Double.POSITIVE_INFINITY;
        double initialTest = Double.NaN;
        double damping;
        String lastRejection = "";
    }

    private static boolean sameShape(Network a, Network b) {
        if (a.depth() != b.depth()) {
            return false;
        }
        for (int i = 0; i < a.depth(); i++) {
            Dense x = a.layer(i);
            Dense y = b.layer(i);
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

    private static void writeRow(RunLog log, boolean classifies, Loop s, double seconds, Eval e, boolean first)
            throws IOException {
        Object bl = first ? null : s.batchLossCount == 0 ? Double.NaN : s.batchLossSum / s.batchLossCount;
        Object damping = Double.isNaN(s.damping) ? null : s.damping;
        if (classifies) {
            log.row(s.step, s.seen, seconds, bl, e.trainLoss, e.testLoss, e.trainError, e.testError, damping,
                    s.rejected);
        } else {
            log.row(s.step, s.seen, seconds, bl, e.trainLoss, e.testLoss, damping, s.rejected);
        }
    }

    private static LinePlot plot(List<double[]> curve, TrainOptions o) {
        int n = curve.size();
        double[] x = new double[n];
        double[] tr = new double[n];
        double[] te = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = curve.get(k)[0];
            tr[k] = curve.get(k)[1];
            te[k] = curve.get(k)[2];
        }
        boolean log = o.likelihood() == LikelihoodChoice.GAUSSIAN
                || curve.stream().allMatch(c -> c[1] > 0 && c[2] > 0);
        return new LinePlot(o.optimizer().label() + ", " + TrainData.widths(o.layers()) + " " + o.activation().label()
                + ", " + o.likelihood().label() + " loss")
                .xTitle("training examples").yTitle(log ? "loss (log scale)" : "loss").logY(log)
                .add("train", x, tr, false)
                .add("test", x, te, true);
    }

    private static String report(TrainOptions o, TrainData data, TrainResults r, String divergence, String version,
                                 long resumedAt) {
        StringBuilder sb = new StringBuilder();
        sb.append("# natgrad train\n\n");
        sb.append("- network: ").append(TrainData.widths(o.layers())).append(", hidden ").append(o.activation().label())
                .append(", output ").append(o.outputActivation().label()).append(o.bias() ? ", with biases" : ", no biases")
                .append(", ").append(r.parameters()).append(" parameters, ").append(o.init().label()).append(" init\n");
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
