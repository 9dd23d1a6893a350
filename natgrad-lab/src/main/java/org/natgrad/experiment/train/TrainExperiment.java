package org.natgrad.experiment.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.natgrad.data.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.experiment.Provenance;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.RunLog;
import org.natgrad.io.ModelFiles;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Matrix;
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
 * {@code test_error} (misclassification rates). A row is written before the first step, every
 * {@code evalEvery} steps, and after the last step.
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

    /**
     * Runs the experiment into {@code folder}.
     *
     * @param commandLine recorded in provenance.json (may be empty)
     * @throws DivergedException if a loss became non-finite (results.json then says "diverged")
     */
    public static TrainResults run(TrainOptions options, RunFolder folder, List<String> commandLine,
                                   TrainListener listener) throws IOException {
        Rng master = new Rng(options.seed());
        long dataSeed = master.nextLong();
        long initSeed = master.nextLong();
        Rng batchRng = new Rng(master.nextLong());

        TrainData data = TrainData.load(options, dataSeed);
        Network net = Network.dense(options.layers(), options.activation(), options.outputActivation(), options.bias(),
                options.init().create(), initSeed);
        Likelihood likelihood = options.likelihood().create();
        // every target must suit the likelihood (e.g. one-hot columns for categorical), train and test
        validate(likelihood, net, data.train(), "training data");
        validate(likelihood, net, data.test(), "test data");
        Optimizer optimizer = options.optimizer().create(likelihood, options);
        // written once the data and network are known to fit, so a bad data file leaves the folder empty
        folder.writeOptions(options);
        folder.writeProvenance(options.seed(), commandLine);

        int m = options.batchSize();
        long budget = options.examples() > 0 ? options.examples() : (long) options.epochs() * data.train().size();
        long totalSteps = (budget + m - 1) / m;
        long evalEvery = options.evalEvery() > 0 ? options.evalEvery() : Math.max(1, totalSteps / 50);
        boolean classifies = options.likelihood().classifies();

        List<String> columns = new ArrayList<>(List.of("step", "examples_seen", "seconds", "batch_loss", "train_loss",
                "test_loss"));
        if (classifies) {
            columns.addAll(List.of("train_error", "test_error"));
        }
        List<double[]> curve = new ArrayList<>(); // examples, train loss, test loss
        long wallStart = System.nanoTime();
        long trainNanos = 0;
        long step = 0;
        long seen = 0;
        double batchLossSum = 0;
        int batchLossCount = 0;
        double bestTest = Double.POSITIVE_INFINITY;
        double initialTest = Double.NaN;
        Eval last = null;
        String status = "completed";
        String divergence = null;
        listener.started(totalSteps * m);
        try (RunLog log = folder.openLog(columns); TrainDiagnostics diagnostics = new TrainDiagnostics(options, likelihood,
                folder)) {
            last = evaluate(net, likelihood, data, classifies);
            initialTest = last.testLoss;
            bestTest = Math.min(bestTest, last.testLoss);
            writeRow(log, classifies, 0, 0, 0, Double.NaN, last, true);
            curve.add(new double[] {0, last.trainLoss, last.testLoss});
            listener.evaluated(0, last.trainLoss, last.testLoss);
            divergence = nonFinite(last, 0);
            outer:
            while (divergence == null && step < totalSteps) {
                for (Batch b : data.train().epoch(m, batchRng, true)) {
                    diagnostics.beforeStep(step, net, b); // not counted as training time
                    long t0 = System.nanoTime();
                    StepReport r = optimizer.step(net, b);
                    trainNanos += System.nanoTime() - t0;
                    step++;
                    seen += b.size();
                    if (Double.isFinite(r.lossBefore())) {
                        batchLossSum += r.lossBefore();
                        batchLossCount++;
                    } else if (!Double.isNaN(r.lossBefore())) {
                        divergence = "minibatch loss " + r.lossBefore() + " at step " + step;
                    }
                    listener.stepped(seen, r.lossBefore());
                    if (step % evalEvery == 0 || step == totalSteps || divergence != null) {
                        last = evaluate(net, likelihood, data, classifies);
                        double batchLoss = batchLossCount == 0 ? Double.NaN : batchLossSum / batchLossCount;
                        writeRow(log, classifies, step, seen, trainNanos * 1e-9, batchLoss, last, false);
                        batchLossSum = 0;
                        batchLossCount = 0;
                        curve.add(new double[] {seen, last.trainLoss, last.testLoss});
                        if (Double.isFinite(last.testLoss)) {
                            bestTest = Math.min(bestTest, last.testLoss);
                        }
                        listener.evaluated(seen, last.trainLoss, last.testLoss);
                        if (divergence == null) {
                            divergence = nonFinite(last, step);
                        }
                    }
                    if (divergence != null || step == totalSteps) {
                        break outer;
                    }
                }
            }
        } finally {
            listener.finished();
        }
        if (divergence != null) {
            status = "diverged";
        }
        double wall = (System.nanoTime() - wallStart) * 1e-9;
        int evaluations = curve.size();
        TrainResults results = new TrainResults(status, step, seen, trainNanos * 1e-9, wall, net.parameterCount(),
                data.train().size(), data.test().size(), initialTest, last.trainLoss, last.testLoss, bestTest,
                last.trainError, last.testError, evaluations);
        if (divergence == null) {
            if (optimizer instanceof NaturalGradient ngd) {
                // the optimizer's state (damping, step count, random stream) travels with the weights
                ModelFiles.saveWithState(folder.resolve(MODEL), net, ngd.state().toMap());
            } else {
                ModelFiles.save(folder.resolve(MODEL), net);
            }
        }
        plot(curve, options).save(folder.resolve("loss"), 720, 480);
        folder.writeResults(results);
        folder.writeReport(report(options, data, results, divergence, Provenance.version()));
        if (divergence != null) {
            throw new DivergedException("training diverged (" + divergence + "); try a smaller --lr. The log is in "
                    + folder.path());
        }
        return results;
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

    private static void writeRow(RunLog log, boolean classifies, long step, long seen, double seconds, double batchLoss,
                                 Eval e, boolean first) throws IOException {
        Object bl = first ? null : batchLoss;
        if (classifies) {
            log.row(step, seen, seconds, bl, e.trainLoss, e.testLoss, e.trainError, e.testError);
        } else {
            log.row(step, seen, seconds, bl, e.trainLoss, e.testLoss);
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

    private static String report(TrainOptions o, TrainData data, TrainResults r, String divergence, String version) {
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
        sb.append("| quantity | value |\n|---|---|\n");
        sb.append(String.format(Locale.ROOT, "| steps | %d |%n", r.steps()));
        sb.append(String.format(Locale.ROOT, "| examples seen | %d |%n", r.examplesSeen()));
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
