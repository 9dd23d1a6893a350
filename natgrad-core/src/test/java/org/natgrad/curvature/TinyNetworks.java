package org.natgrad.curvature;

import java.util.List;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/** A registry of tiny networks (design.md §4) with a batch and a likelihood each. */
public final class TinyNetworks {
    private TinyNetworks() {
    }

    /** One entry: a network, a likelihood and a batch with valid targets. */
    public record Task(String name, Network net, Likelihood likelihood, Batch batch) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The registry with {@code examples} examples per batch. */
    public static List<Task> all(int examples) {
        return List.of(linearSquare(examples), linearBottleneck(examples), tanhMlp(examples), softmaxClassifier(examples));
    }

    /** Bias-free deep linear network 3-3-3-3 with a unit Gaussian output. */
    public static Task linearSquare(int m) {
        Network net = Network.dense(List.of(3, 3, 3, 3), Activation.IDENTITY, Activation.IDENTITY, false,
                new Init.Gaussian(1), 11);
        return new Task("linear square", net, Gaussian.unit(), gaussianBatch(3, 3, m, 12));
    }

    /** Linear 4-2-4 bottleneck with biases and a unit Gaussian output. */
    public static Task linearBottleneck(int m) {
        Network net = Network.dense(List.of(4, 2, 4), Activation.IDENTITY, Activation.IDENTITY, true,
                new Init.Gaussian(1), 21);
        randomBiases(net, 22);
        return new Task("linear bottleneck", net, Gaussian.unit(), gaussianBatch(4, 4, m, 23));
    }

    /** tanh MLP 3-4-3-2 with biases and a unit Gaussian output. */
    public static Task tanhMlp(int m) {
        Network net = Network.dense(List.of(3, 4, 3, 2), Activation.TANH, Activation.IDENTITY, true,
                new Init.Gaussian(1.5), 31);
        randomBiases(net, 32);
        return new Task("tanh MLP", net, Gaussian.unit(), gaussianBatch(3, 2, m, 33));
    }

    /** tanh 3-4-3 softmax classifier with one-hot targets. */
    public static Task softmaxClassifier(int m) {
        Network net = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true,
                new Init.Gaussian(1.5), 41);
        randomBiases(net, 42);
        Rng rng = new Rng(43);
        Matrix x = new Matrix(3, m);
        rng.fillGaussian(x.data());
        Matrix y = new Matrix(3, m);
        for (int j = 0; j < m; j++) {
            y.set(rng.nextInt(3), j, 1);
        }
        return new Task("softmax classifier", net, new Categorical(), new Batch(x, y));
    }

    static Batch gaussianBatch(int nIn, int nOut, int m, long seed) {
        Rng rng = new Rng(seed);
        Matrix x = new Matrix(nIn, m);
        rng.fillGaussian(x.data());
        Matrix y = new Matrix(nOut, m);
        rng.fillGaussian(y.data());
        return new Batch(x, y);
    }

    static void randomBiases(Network net, long seed) {
        Rng rng = new Rng(seed);
        for (int i = 0; i < net.depth(); i++) {
            rng.fillGaussian(net.layer(i).bias().data());
            MatOps.scaleInPlace(0.3, net.layer(i).bias());
        }
    }
}
