package org.natgrad.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Backend;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Layer;
import org.natgrad.nn.Network;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.Sgd;
import org.natgrad.statistics.Gradients;

/**
 * A quick timing, not a test: the autoencoder ({@link Workloads#autoencoder}, M = 1000, one BLAS
 * thread by default) in double and in single precision ({@link Precision}): the forward+backward
 * pass, one SGD step and one NGD step (paper defaults, refresh every step), all six interleaved
 * round by round in one run so that load from other processes hits each alike; then the ratios
 * single / double of the medians and minima. Also the cost of rounding every weight to float32
 * once (what a single-precision pass adds to keep double master weights).
 *
 * <p>Usage: {@code java -cp natgrad-benchmarks.jar org.natgrad.bench.PrecisionTiming [runs] [threads]}
 * (defaults 11 and 1; 3 warm-up rounds).
 */
public final class PrecisionTiming {

    private PrecisionTiming() {
    }

    public static void main(String[] args) {
        int warmup = 3;
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        if (runs < 1 || threads < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: PrecisionTiming [runs >= 1] [BLAS threads >= 1]");
        }
        Backend.setThreads(threads);
        System.out.println("PrecisionTiming " + Instant.now());
        System.out.print(BlasInfo.describe());
        Gaussian unit = Gaussian.unit();
        Batch batch = Workloads.autoencoderBatch(784, 1000, 12);
        Network passNet = Workloads.autoencoder(11);
        Network[] nets = new Network[4];
        for (int i = 0; i < nets.length; i++) {
            nets[i] = Workloads.autoencoder(11);
        }
        Optimizer sgdD = new Sgd(unit, 0.01, 0, Precision.DOUBLE);
        Optimizer sgdS = new Sgd(unit, 0.01, 0, Precision.SINGLE);
        NaturalGradientOptions o = NaturalGradientOptions.paperDefaults();
        NaturalGradient ngdD = new NaturalGradient(unit, o.withPrecision(Precision.DOUBLE));
        NaturalGradient ngdS = new NaturalGradient(unit, o.withPrecision(Precision.SINGLE));
        List<String> names = List.of("pass (forward+backward), double", "pass (forward+backward), single",
                "SGD step, double", "SGD step, single", "NGD step (refresh every step), double",
                "NGD step (refresh every step), single", "round all weights to float32");
        List<Runnable> actions = List.of(
                () -> Gradients.of(passNet, unit, batch, Precision.DOUBLE),
                () -> Gradients.of(passNet, unit, batch, Precision.SINGLE),
                () -> sgdD.step(nets[0], batch),
                () -> sgdS.step(nets[1], batch),
                () -> ngdD.step(nets[2], batch),
                () -> ngdS.step(nets[3], batch),
                () -> {
                    for (Layer l : passNet.layers()) {
                        FloatMatrix.of(l.weights());
                    }
                });
        double[][] t = new double[actions.size()][runs];
        for (int r = -warmup; r < runs; r++) {
            for (int a = 0; a < actions.size(); a++) {
                long t0 = System.nanoTime();
                actions.get(a).run();
                long t1 = System.nanoTime();
                if (r >= 0) {
                    t[a][r] = (t1 - t0) / 1e6;
                }
            }
        }
        Timing.Result[] res = new Timing.Result[actions.size()];
        System.out.printf(Locale.ROOT, "warmup %d, runs %d, %d BLAS thread(s), interleaved round by round (ms: median [min, max])%n",
                warmup, runs, threads);
        for (int a = 0; a < actions.size(); a++) {
            double[] s = t[a].clone();
            java.util.Arrays.sort(s);
            res[a] = new Timing.Result(s);
            System.out.printf(Locale.ROOT, "%-44s %9.2f [%.2f, %.2f]%n", names.get(a), res[a].median(), res[a].min(),
                    res[a].max());
        }
        for (int a = 0; a < 6; a += 2) {
            System.out.printf(Locale.ROOT, "single / double, %-28s %.3f (medians), %.3f (minima)%n",
                    names.get(a).replace(", double", ":"), res[a + 1].median() / res[a].median(), res[a + 1].min() / res[a].min());
        }
        System.out.printf(Locale.ROOT, "NGD / SGD step: double %.2f, single %.2f (medians)%n", res[4].median() / res[2].median(),
                res[5].median() / res[3].median());
        System.out.printf(Locale.ROOT, "rounding the weights / single SGD step: %.4f; NGD steps rejected: double %d, single %d%n",
                res[6].median() / res[3].median(), ngdD.rejectedSteps(), ngdS.rejectedSteps());
        // the same trajectories in both precisions: the minibatch loss after warmup + runs steps (in double)
        System.out.printf(Locale.ROOT, "loss after %d steps: SGD double %.6f, single %.6f; NGD double %.6f, single %.6f%n",
                warmup + runs, loss(nets[0], unit, batch), loss(nets[1], unit, batch), loss(nets[2], unit, batch),
                loss(nets[3], unit, batch));
        deepLinearFloor(200);
    }

    /**
     * Panel A's set-up in miniature: a 16-layer, width-20 linear student (orthogonal init, no bias)
     * trained by NGD (passes, not minibatch moments; M = 1000, paper defaults) on a teacher of the
     * same shape with target noise σ² = 1e-6, so the test loss should fall to the noise floor
     * n σ²/2 = 1e-5; printed every 20 steps in both precisions, whether float32 passes reach it.
     */
    static void deepLinearFloor(int steps) {
        List<Integer> widths = java.util.Collections.nCopies(17, 20);
        org.natgrad.data.Teacher teacher = org.natgrad.data.Teacher.create(widths, org.natgrad.nn.Activation.IDENTITY,
                org.natgrad.nn.Activation.IDENTITY, org.natgrad.data.Teacher.Options.paper().withBias(false), 5);
        org.natgrad.data.Dataset train = teacher.sample(10_000, new org.natgrad.random.Rng(6));
        Batch test = teacher.sample(1_000, new org.natgrad.random.Rng(7)).all();
        Gaussian unit = Gaussian.unit();
        for (Precision p : Precision.values()) {
            Network student = Network.dense(widths, org.natgrad.nn.Activation.IDENTITY, org.natgrad.nn.Activation.IDENTITY,
                    false, new org.natgrad.nn.Init.Orthogonal(1.0), 8);
            NaturalGradient ngd = new NaturalGradient(unit, NaturalGradientOptions.paperDefaults().withLinearMoments(false)
                    .withPrecision(p));
            org.natgrad.random.Rng rng = new org.natgrad.random.Rng(9);
            StringBuilder line = new StringBuilder("deep linear 16 x 20, NGD, test loss every 20 steps, " + p.label() + ":");
            for (int t = 1; t <= steps; t++) {
                ngd.step(student, train.sample(1000, rng));
                if (t % 20 == 0) {
                    line.append(String.format(Locale.ROOT, " %.3e", loss(student, unit, test)));
                }
            }
            System.out.println(line + " (rejected " + ngd.rejectedSteps() + ")");
        }
    }

    private static double loss(Network net, Gaussian likelihood, Batch batch) {
        return likelihood.loss(net.predict(batch.inputs()), batch.targets());
    }
}
