package org.natgrad.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.natgrad.likelihood.Categorical;
import org.natgrad.linalg.Backend;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Init;
import org.natgrad.nn.ModelSpec;
import org.natgrad.nn.Network;
import org.natgrad.optim.Sgd;
import org.natgrad.random.Rng;

/**
 * natgrad's half of the CNN comparison with PyTorch (scripts/bench/torch_cnn_step.py, issue 17): one
 * SGD step (forward, categorical cross-entropy, backward, update with learning rate 0.01) of the
 * LeNet-like {@link #MODEL} on one batch of M images (1 x 28 x 28 pixels uniform in [0, 1), 784 rows
 * per column; labels uniform over the 10 classes, one-hot) reused for every step. natgrad runs
 * in double precision: the conv and pooling layers have no float32 path yet. Prints
 * {@code RESULT natgrad-cnn-sgd min_ms median_ms}. Not part of the test suite. Usage:
 * {@code CnnStep [--warmup 3] [--runs 10] [--threads 1] [--batch 128]}.
 */
public final class CnnStep {
    /** The network of both sides (PyTorch's nn.Sequential of the same modules). */
    public static final String MODEL = "input 1x28x28, conv 32 5x5, relu, maxpool 2, conv 64 5x5, relu, maxpool 2, "
            + "flatten, dense 128, relu, dense 10";

    private CnnStep() {
    }

    public static void main(String[] args) {
        Map<String, Integer> defaults = new LinkedHashMap<>();
        defaults.put("warmup", 3);
        defaults.put("runs", 10);
        defaults.put("threads", 1);
        defaults.put("batch", 128);
        Map<String, Integer> o = BenchArgs.parse("CnnStep", args, defaults,
                Map.of("warmup", 0, "runs", 1, "threads", 1, "batch", 1));
        Backend.setThreads(o.get("threads"));
        System.out.print(BlasInfo.describe());
        int m = o.get("batch");
        Rng rng = new Rng(17);
        Matrix x = new Matrix(784, m);
        Matrix y = new Matrix(10, m);
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < 784; i++) {
                x.set(i, j, rng.nextDouble());
            }
            y.set(rng.nextInt(10), j, 1);
        }
        Batch batch = new Batch(x, y);
        Network net = ModelSpec.parse(MODEL).build(new Init.Gaussian(Math.sqrt(2)), 5);
        Sgd sgd = new Sgd(new Categorical(), 0.01);
        Timing.Result r = Timing.time(o.get("warmup"), o.get("runs"), () -> sgd.step(net, batch));
        System.out.printf(Locale.ROOT, "natgrad CNN SGD step, batch %d, %d parameters, float64, %d threads%n", m,
                net.parameterCount(), o.get("threads"));
        System.out.printf(Locale.ROOT, "RESULT natgrad-cnn-sgd %.3f %.3f%n", r.min(), r.median());
    }
}
