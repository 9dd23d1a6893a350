package org.natgrad.bench;

import java.time.Instant;
import java.util.Locale;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Backend;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.statistics.Gradients;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.Sgd;

/**
 * End-to-end step timings, measured in one run (plain main, not JMH; one BLAS thread unless
 * {@code --threads} says otherwise):
 * <ul>
 *   <li>one SGD step at M = 1000 on the 784-400-200-100-50-100-200-400-784 tanh autoencoder
 *       (unit Gaussian likelihood);</li>
 *   <li>that autoencoder's forward + backward pass against its 23 gemms replayed by
 *       {@link GemmPlan}, interleaved run by run: the pass / sum-of-gemms ratio;</li>
 *   <li>one {@link NaturalGradient} step at M = 1000 on the autoencoder with the paper's defaults
 *       (K = 1, adaptive damping, AUTO inverses, i.e. CHOLESKY, AUTO factor precision, i.e. single
 *       precision for the factors of size ≥ 128) refreshed every step, the same in double precision
 *       ({@link FactorPrecision#DOUBLE}, here and refreshed every 10 steps), the same with
 *       EIGEN inverses (AUTO's choice before), and refreshed every 10 steps, with AUTO and with EIGEN
 *       inverses, and with the loss re-evaluated and the damping adapted every 10 steps too
 *       ({@code dampingEvery}; timed in blocks of 10 steps holding one refresh each, reported per step);
 *       and refreshed every step with the damping adapted every 10 steps; then the paper-default
 *       steps refreshed every step and every 10 steps again, each interleaved run by run with SGD
 *       steps (the most load-robust form of the two bar ratios);</li>
 *   <li>on the 16-layer, width-20 deep linear network (teacher regression): one NGD step at
 *       M = 1000 (by default from the minibatch moments, {@code NaturalGradientOptions.linearMoments};
 *       then the general path with it off, and the moment path with EIGEN inverses) against fifty
 *       SGD steps at M = 20 (fifty different minibatches).</li>
 * </ul>
 * Steps are taken repeatedly on the same batch (the cost of a step does not depend on the data);
 * the NGD safety checks may reject a step (the weights are restored), which costs the same work
 * and is counted in the output.
 * Each figure is the median (and min / max) over {@code --runs} timed repetitions after
 * {@code --warmup} untimed ones. Usage:
 * {@code java -cp natgrad-benchmarks.jar org.natgrad.bench.StepBench [--warmup 5] [--runs 15] [--threads 1]}.
 */
public final class StepBench {

    private StepBench() {
    }

    public static void main(String[] args) {
        int warmup = 5;
        int runs = 15;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                usage("missing value after " + a);
            }
            int v;
            try {
                v = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
                usage(a + " needs an integer, got '" + args[i] + "'");
                return;
            }
            switch (a) {
                case "--warmup" -> warmup = v;
                case "--runs" -> runs = v;
                case "--threads" -> threads = v;
                default -> usage("unknown option " + a);
            }
        }
        if (warmup < 0 || runs < 1 || threads < 1) {
            usage("need --warmup >= 0, --runs >= 1, --threads >= 1");
        }
        Backend.setThreads(threads);
        System.out.println("StepBench " + Instant.now());
        System.out.print(BlasInfo.describe());
        System.out.printf(Locale.ROOT, "warmup %d, runs %d (times in ms: median [min, max])%n", warmup, runs);

        // SGD on the autoencoder at M = 1000.
        Network ae = Workloads.autoencoder(11);
        Batch aeBatch = Workloads.autoencoderBatch(784, 1000, 12);
        Optimizer sgd = new Sgd(Gaussian.unit(), 0.01);
        Timing.Result aeSgd = Timing.time(warmup, runs, () -> sgd.step(ae, aeBatch));
        print("autoencoder: one SGD step, M = 1000", aeSgd);

        // The pass against its own gemms, interleaved run by run so load from other processes
        // hits both alike (the JMH AutoencoderPassBenchmark measures them one after the other).
        Gaussian unit = Gaussian.unit();
        Gradients g0 = Gradients.of(ae, unit, aeBatch);
        Matrix err = MatOps.scaleInPlace(1.0 / aeBatch.size(), unit.outputError(g0.trace().output(), aeBatch.targets()));
        GemmPlan plan = GemmPlan.ofPass(ae, g0.trace(), ae.backward(g0.trace(), err, true));
        double[][] pg = interleaved(warmup, runs, () -> Gradients.of(ae, unit, aeBatch), plan::run);
        Timing.Result pass = new Timing.Result(sorted(pg[0]));
        Timing.Result gemms = new Timing.Result(sorted(pg[1]));
        print("autoencoder: forward+backward pass, M = 1000", pass);
        print("autoencoder: the pass's 23 gemms alone", gemms);
        System.out.printf(Locale.ROOT, "autoencoder: pass / sum-of-gemms: %.3f (medians), %.3f (mins), gemms at %.2f GFLOP/s (median)%n",
                pass.median() / gemms.median(), pass.min() / gemms.min(),
                2.0 * plan.multiplyAdds() / (gemms.median() * 1e6));

        // Natural gradient on the autoencoder at M = 1000 (paper defaults: K = 1 model sample,
        // adaptive damping, AUTO inverses), refreshed every step, every 10 steps, and with EIGEN.
        Ngd ngd1 = new Ngd(unit, Workloads.autoencoder(11), NaturalGradientOptions.paperDefaults());
        Timing.Result aeNgd1 = ngd1.time(warmup, runs, aeBatch, "autoencoder: one NGD step, M = 1000, refresh every step");
        Ngd ngd1P = new Ngd(unit, Workloads.autoencoder(11),
                NaturalGradientOptions.paperDefaults().withFactorPrecision(FactorPrecision.DOUBLE));
        Timing.Result aeNgd1P = ngd1P.time(warmup, runs, aeBatch, "  same with factor precision DOUBLE (AUTO: single)");
        Ngd ngdC = new Ngd(unit, Workloads.autoencoder(11),
                NaturalGradientOptions.paperDefaults().withInverse(InverseStrategy.EIGEN));
        Timing.Result aeNgdC = ngdC.time(warmup, runs, aeBatch, "  same with EIGEN inverses (AUTO's choice until now)");
        Ngd ngd1D = new Ngd(unit, Workloads.autoencoder(11), NaturalGradientOptions.paperDefaults().withDampingEvery(10));
        Timing.Result aeNgd1D = ngd1D.time(warmup, runs, aeBatch, "  same (AUTO), loss re-evaluated / damping adapted every 10");
        // Blocks of 10 steps, each holding exactly one refresh (steps 0, 10, 20, ...).
        Ngd ngd10 = new Ngd(unit, Workloads.autoencoder(11), NaturalGradientOptions.paperDefaults().withRefreshEvery(10));
        int blocks = Math.max(3, runs / 3);
        Timing.Result aeNgd10 = ngd10.timeBlocks(blocks, aeBatch, "autoencoder: one NGD step, M = 1000, refresh every 10");
        Ngd ngd10P = new Ngd(unit, Workloads.autoencoder(11), NaturalGradientOptions.paperDefaults().withRefreshEvery(10)
                .withFactorPrecision(FactorPrecision.DOUBLE));
        Timing.Result aeNgd10P = ngd10P.timeBlocks(blocks, aeBatch, "  same with factor precision DOUBLE");
        Ngd ngd10C = new Ngd(unit, Workloads.autoencoder(11),
                NaturalGradientOptions.paperDefaults().withRefreshEvery(10).withInverse(InverseStrategy.EIGEN));
        Timing.Result aeNgd10C = ngd10C.timeBlocks(blocks, aeBatch, "  same with EIGEN inverses");
        Ngd ngd10D = new Ngd(unit, Workloads.autoencoder(11),
                NaturalGradientOptions.paperDefaults().withRefreshEvery(10).withDampingEvery(10));
        Timing.Result aeNgd10D = ngd10D.timeBlocks(blocks, aeBatch, "  same, loss re-evaluated / damping adapted every 10");
        System.out.printf(Locale.ROOT, "  (NGD steps rejected by the safety checks: %s, %s, %s, %s, %s, %s)%n",
                ngd1.rejected(), ngdC.rejected(), ngd10.rejected(), ngd10C.rejected(), ngd10D.rejected(), ngd1D.rejected());

        // The two bar ratios again, each NGD measurement interleaved run by run with SGD steps on
        // their own network, so that load from other processes hits both alike.
        Network netSgdI = Workloads.autoencoder(11);
        double[][] i1 = interleaved(warmup, runs, ngd1.steps(aeBatch, 1), () -> sgd.step(netSgdI, aeBatch));
        double[][] i10 = interleaved(1, blocks, ngd10.steps(aeBatch, 10), repeat(10, () -> sgd.step(netSgdI, aeBatch)));
        Timing.Result iNgd1 = new Timing.Result(sorted(i1[0]));
        Timing.Result iSgd1 = new Timing.Result(sorted(i1[1]));
        Timing.Result iNgd10 = perStep(new Timing.Result(sorted(i10[0])), 10);
        Timing.Result iSgd10 = perStep(new Timing.Result(sorted(i10[1])), 10);
        print("interleaved: NGD step, refresh every step", iNgd1);
        print("interleaved: SGD step beside it", iSgd1);
        print("interleaved: NGD step, refresh every 10", iNgd10);
        print("interleaved: SGD step beside it", iSgd10);

        // Fifty SGD steps at M = 20 on the deep linear net, on fifty different minibatches,
        // against one NGD step at M = 1000.
        Network dl = Workloads.deepLinear(21);
        Batch[] small = new Batch[50];
        for (int i = 0; i < small.length; i++) {
            small[i] = Workloads.teacherBatch(Workloads.DEEP_LINEAR_WIDTH, 20, 100 + i);
        }
        // These steps take milliseconds: 5 warm-up runs leave the JIT compiling during the timed ones
        // (the first configuration timed came out up to 2x slower than the same code timed later).
        int dlWarmup = Math.max(warmup, 10 * warmup);
        Optimizer dlSgd = new Sgd(unit, 0.01);
        Timing.Result dl50 = Timing.time(dlWarmup, runs, () -> {
            for (Batch b : small) {
                dlSgd.step(dl, b);
            }
        });
        print("deep linear 16x20: fifty SGD steps, M = 20", dl50);
        Batch big = Workloads.teacherBatch(Workloads.DEEP_LINEAR_WIDTH, 1000, 99);
        Ngd dlNgd = new Ngd(unit, Workloads.deepLinear(21), NaturalGradientOptions.paperDefaults());
        Timing.Result dl1 = dlNgd.time(dlWarmup, runs, big, "deep linear 16x20: one NGD step, M = 1000");
        // The default step above takes the minibatch-moment path (linear layers, Gaussian likelihood);
        // the general path (forward and backward passes over the 1000 examples) for comparison.
        Ngd dlNgdG = new Ngd(unit, Workloads.deepLinear(21), NaturalGradientOptions.paperDefaults().withLinearMoments(false));
        Timing.Result dl1G = dlNgdG.time(dlWarmup, runs, big, "  same, general path (linearMoments off)");
        Ngd dlNgdC = new Ngd(unit, Workloads.deepLinear(21),
                NaturalGradientOptions.paperDefaults().withInverse(InverseStrategy.EIGEN));
        Timing.Result dl1C = dlNgdC.time(dlWarmup, runs, big, "  same (moment path) with EIGEN inverses");
        System.out.printf(Locale.ROOT, "  (NGD steps rejected: %s, %s, %s)%n", dlNgd.rejected(), dlNgdG.rejected(),
                dlNgdC.rejected());

        System.out.println("ratios (medians, this run):");
        System.out.printf(Locale.ROOT, "  autoencoder NGD step (refresh every step) / SGD step: %.2f%n", aeNgd1.median() / aeSgd.median());
        System.out.printf(Locale.ROOT, "  autoencoder NGD step (refresh every 10) / SGD step:   %.2f%n", aeNgd10.median() / aeSgd.median());
        System.out.printf(Locale.ROOT, "  interleaved with SGD: NGD step / SGD step %.2f (refresh every step), %.2f (every 10)%n",
                iNgd1.median() / iSgd1.median(), iNgd10.median() / iSgd10.median());
        System.out.printf(Locale.ROOT, "  autoencoder NGD step (refresh every step, damping every 10) / SGD step: %.2f%n",
                aeNgd1D.median() / aeSgd.median());
        System.out.printf(Locale.ROOT, "  autoencoder NGD step (refresh + damping every 10) / SGD step: %.2f%n",
                aeNgd10D.median() / aeSgd.median());
        System.out.printf(Locale.ROOT, "  autoencoder NGD step with factor precision DOUBLE / SGD step: %.2f (refresh every step), %.2f (every 10)%n",
                aeNgd1P.median() / aeSgd.median(), aeNgd10P.median() / aeSgd.median());
        System.out.printf(Locale.ROOT, "  autoencoder NGD step with EIGEN inverses / SGD step: %.2f (refresh every step), %.2f (every 10)%n",
                aeNgdC.median() / aeSgd.median(), aeNgd10C.median() / aeSgd.median());
        System.out.printf(Locale.ROOT, "  deep linear one NGD step M=1000 / fifty SGD steps M=20: %.2f (moment path, AUTO = "
                + "CHOLESKY), %.2f (general path), %.2f (moment path, EIGEN)%n",
                dl1.median() / dl50.median(), dl1G.median() / dl50.median(), dl1C.median() / dl50.median());
        System.out.printf(Locale.ROOT, "  deep linear NGD step, general path / moment path: %.1f%n", dl1G.median() / dl1.median());
    }

    /** A natural-gradient optimizer with the network it trains (a workload of its own). */
    private record Ngd(NaturalGradient optimizer, Network net) {
        Ngd(Likelihood likelihood, Network net, NaturalGradientOptions options) {
            this(new NaturalGradient(likelihood, options), net);
        }

        /** {@code n} steps on {@code batch}, back to back. */
        Runnable steps(Batch batch, int n) {
            return repeat(n, () -> optimizer.step(net, batch));
        }

        /** Times one step per run ({@code warmup} untimed runs first) and prints the figure under {@code label}. */
        Timing.Result time(int warmup, int runs, Batch batch, String label) {
            Timing.Result r = Timing.time(warmup, runs, steps(batch, 1));
            print(label, r);
            return r;
        }

        /**
         * Times blocks of 10 steps (one untimed block first), so that each holds one refresh when
         * refreshing every 10; prints and returns the per-step figure.
         */
        Timing.Result timeBlocks(int blocks, Batch batch, String label) {
            Timing.Result r = perStep(Timing.time(1, blocks, steps(batch, 10)), 10);
            print(label, r);
            return r;
        }

        /** "rejected of taken" steps so far. */
        String rejected() {
            return optimizer.rejectedSteps() + " of " + optimizer.steps();
        }
    }

    /** {@code step} run n times back to back. */
    private static Runnable repeat(int n, Runnable step) {
        return () -> {
            for (int i = 0; i < n; i++) {
                step.run();
            }
        };
    }

    /** Per-step times from block times of {@code steps} steps each. */
    private static Timing.Result perStep(Timing.Result blocks, int steps) {
        double[] t = blocks.millisSorted().clone();
        for (int i = 0; i < t.length; i++) {
            t[i] /= steps;
        }
        return new Timing.Result(t);
    }

    /** Runs a then b, alternately; returns their per-run times in ms (after warm-up rounds). */
    static double[][] interleaved(int warmup, int runs, Runnable a, Runnable b) {
        double[][] t = new double[2][runs];
        for (int r = -warmup; r < runs; r++) {
            long t0 = System.nanoTime();
            a.run();
            long t1 = System.nanoTime();
            b.run();
            long t2 = System.nanoTime();
            if (r >= 0) {
                t[0][r] = (t1 - t0) / 1e6;
                t[1][r] = (t2 - t1) / 1e6;
            }
        }
        return t;
    }

    private static double[] sorted(double[] x) {
        double[] s = x.clone();
        java.util.Arrays.sort(s);
        return s;
    }

    private static void print(String what, Timing.Result r) {
        System.out.printf(Locale.ROOT, "%-52s %10.3f [%.3f, %.3f]%n", what, r.median(), r.min(), r.max());
    }

    private static void usage(String problem) {
        System.err.println("StepBench: " + problem);
        System.err.println("usage: StepBench [--warmup N] [--runs N] [--threads N]");
        System.exit(2);
    }
}
