package org.natgrad.bench;

import java.util.List;
import org.natgrad.nn.Batch;
import org.natgrad.estimate.ExponentialFamily;
import org.natgrad.estimate.LayerVariance;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.random.Rng;

/**
 * A timing (a benchmark main, not a test): run it with
 * {@code java -cp natgrad-bench/target/benchmarks.jar org.natgrad.bench.AutoencoderVarianceTiming}
 * (system property {@code inputs}, default 32, sets K). Times the per-layer trace forms on the
 * 784-400-200-100-50-100-200-400-784 sigmoid autoencoder (Bernoulli output, K inputs) against
 * one Kronecker-factored NGD step on a minibatch of 1000.
 */
public final class AutoencoderVarianceTiming {
    private AutoencoderVarianceTiming() {
    }

    /** Prints P, the NGD step time, the trace-form time and their ratio, then per-layer figures. */
    public static void main(String[] args) {
        Network net = Network.dense(List.of(784, 400, 200, 100, 50, 100, 200, 400, 784), Activation.SIGMOID,
                Activation.IDENTITY, true, new Init.Gaussian(1), 1);
        Rng rng = new Rng(2);
        int k = Integer.getInteger("inputs", 32);
        Matrix x = new Matrix(784, 1000);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = rng.nextDouble() < 0.2 ? rng.nextDouble() : 0;
        }
        Batch batch = new Batch(x, x.copy().mapInPlace(v -> v > 0.5 ? 1 : 0));
        NaturalGradient ngd = new NaturalGradient(new Bernoulli(), NaturalGradientOptions.paperDefaults());
        ngd.step(net, batch); // warm-up
        long t0 = System.nanoTime();
        int steps = 3;
        for (int s = 0; s < steps; s++) {
            ngd.step(net, batch);
        }
        double ngdSec = (System.nanoTime() - t0) / 1e9 / steps;
        ExponentialFamily fam = new ExponentialFamily.BernoulliFamily();
        LayerVariance.compute(net, fam, x.columns(0, 2)); // warm-up
        long t1 = System.nanoTime();
        LayerVariance.Result r = LayerVariance.compute(net, fam, x.columns(0, k));
        double varSec = (System.nanoTime() - t1) / 1e9;
        System.out.printf("P = %d; NGD step (M = 1000) %.3f s; fisher-variance trace forms (K = %d inputs) %.3f s; ratio %.1f%n",
                net.parameterCount(), ngdSec, k, varSec, varSec / ngdSec);
        for (LayerVariance.Layer l : r.layers()) {
            System.out.printf("layer %d: |F|=%.4g relerr1(N=1000)=%.4g relerr2(N=1000)=%.4g%n", l.layer() + 1,
                    l.fisherFrobenius(), l.relativeError(1, 1000), l.relativeError(2, 1000));
        }
    }
}
