package org.natgrad.bench;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.data.FashionMnist;
import org.natgrad.diagnostics.ApproximationQuality;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureKind;

/**
 * A measurement (a main, not a test): run it with
 * {@code java -cp natgrad-bench/target/benchmarks.jar org.natgrad.bench.ExactAngleTiming}. The exact natural
 * gradient (G + ρI)^{-1} ∇L of the 784-1000-500-250-30-250-500-1000-784 tanh autoencoder (linear output,
 * Bernoulli likelihood on pixel intensities, P = 2 837 314, W ~ N(0, 1/n_in), zero biases) on one minibatch
 * of the first M Fashion-MNIST training images (uniform pixels when the data set is not installed), solved by
 * CG on matrix-free G v products, and the angle to it of K-FAC, the Eq. 20 rule and the diagonal built from
 * one Monte Carlo draw per example, and of the exact solve with that sampled Fisher. System properties:
 * {@code examples} (M, default 100), {@code damping} (ρ, default 1e-3), {@code tolerance} (CG relative
 * residual, default 1e-10), {@code seed} (default 1).
 */
public final class ExactAngleTiming {
    private ExactAngleTiming() {
    }

    /** Prints the set-up, the CG iterations, residual and time, and one line per approximation. */
    public static void main(String[] args) throws IOException {
        int m = Integer.getInteger("examples", 100);
        double rho = Double.parseDouble(System.getProperty("damping", "1e-3"));
        double tol = Double.parseDouble(System.getProperty("tolerance", "1e-10"));
        long seed = Long.getLong("seed", 1);
        Network net = Network.dense(List.of(784, 1000, 500, 250, 30, 250, 500, 1000, 784), Activation.TANH,
                Activation.IDENTITY, true, new Init.Gaussian(1.0), seed);
        Optional<java.nio.file.Path> dir = FashionMnist.locate(null);
        Matrix x;
        String source;
        if (dir.isPresent()) {
            x = FashionMnist.load(dir.get()).train().inputs().columns(0, m);
            source = "Fashion-MNIST " + dir.get();
        } else {
            x = Workloads.uniform(784, m, new Rng(seed + 1));
            source = "uniform pixels (Fashion-MNIST not installed)";
        }
        Batch batch = new Batch(x, x);
        System.out.printf("P = %d, M = %d (%s), damping %.3g, CG tolerance %.1g%n", net.parameterCount(), m, source,
                rho, tol);
        long t0 = System.nanoTime();
        ApproximationQuality.Measurement r = ApproximationQuality.measureAgainstExactFisher(net, new Bernoulli(), batch,
                CurvatureKind.monteCarlo(1, new Rng(seed + 2)), rho,
                List.of(CurvatureChoice.KFAC, CurvatureChoice.EQ20, CurvatureChoice.DIAGONAL, CurvatureChoice.EXACT), tol,
                ApproximationQuality.CG_MAX_ITERATIONS);
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("exact natural gradient by CG: %d iterations, relative residual %.2e; %.1f s in all%n",
                r.exactSolve().iterations(), r.exactSolve().relativeResidual(), sec);
        for (ApproximationQuality q : r.qualities()) {
            System.out.printf("%-15s angle %.2f deg, relative error %.4f, norm ratio %.4f%n",
                    q.choice() == CurvatureChoice.EXACT ? "exact (MC, K=1)" : q.choice().label(), q.angleDegrees(),
                    q.relativeError(), q.normRatio());
        }
    }
}
