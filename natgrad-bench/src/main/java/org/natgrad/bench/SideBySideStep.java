package org.natgrad.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Backend;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.Sgd;

/**
 * natgrad's half of the PyTorch comparison (scripts/bench/side-by-side.sh, against
 * scripts/bench/torch_step.py): one SGD step (learning rate 0.01) and one
 * {@link NaturalGradient} step with {@link NaturalGradientOptions#paperDefaults()} (K = 1, Eq. 20
 * with adaptive damping and the loss re-evaluated, refreshed every step) on the
 * 784-400-200-100-50-100-200-400-784 tanh autoencoder ({@link Workloads#autoencoder}), unit
 * Gaussian likelihood, one batch of M = 1000 ({@link Workloads#autoencoderBatch}) used for every
 * step. The two kinds alternate run by run, so load from other processes hits both alike; each on
 * its own copy of the network. Prints {@code RESULT natgrad-sgd min_ms median_ms} and
 * {@code RESULT natgrad-ngd min_ms median_ms}. Usage:
 * {@code SideBySideStep [--warmup 3] [--runs 15] [--threads 1]}.
 */
public final class SideBySideStep {

    private SideBySideStep() {
    }

    public static void main(String[] args) {
        Map<String, Integer> defaults = new LinkedHashMap<>();
        defaults.put("warmup", 3);
        defaults.put("runs", 15);
        defaults.put("threads", 1);
        Map<String, Integer> o = BenchArgs.parse("SideBySideStep", args, defaults, Map.of("warmup", 0, "runs", 1, "threads", 1));
        int warmup = o.get("warmup");
        int runs = o.get("runs");
        int threads = o.get("threads");
        Backend.setThreads(threads);
        System.out.print(BlasInfo.describe());
        Batch batch = Workloads.autoencoderBatch(784, 1000, 12);
        Gaussian unit = Gaussian.unit();
        Network netSgd = Workloads.autoencoder(11);
        Network netNgd = Workloads.autoencoder(11);
        Optimizer sgd = new Sgd(unit, 0.01);
        NaturalGradient ngd = new NaturalGradient(unit, NaturalGradientOptions.paperDefaults());
        double[][] t = StepBench.interleaved(warmup, runs, () -> sgd.step(netSgd, batch), () -> ngd.step(netNgd, batch));
        System.out.printf(Locale.ROOT, "NGD steps rejected: %d of %d, final lambda %.4g%n", ngd.rejectedSteps(), ngd.steps(),
                ngd.damping());
        print("natgrad-sgd", t[0]);
        print("natgrad-ngd", t[1]);
    }

    private static void print(String name, double[] ms) {
        double[] s = ms.clone();
        java.util.Arrays.sort(s);
        Timing.Result r = new Timing.Result(s);
        System.out.printf(Locale.ROOT, "RESULT %s %.3f %.3f%n", name, r.min(), r.median());
    }
}
