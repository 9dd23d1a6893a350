package org.natgrad.matrixfree;

import java.util.ArrayList;
import java.util.List;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/** Small networks, batches and likelihoods for the matrix-free tests (3 outputs, random biases). */
final class Nets {
    private Nets() {
    }

    /** One case: a network, a likelihood and a batch with valid targets. */
    record Case(String name, Network net, Likelihood likelihood, Batch batch) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A full covariance for 3 outputs (symmetric positive definite, not diagonal). */
    static Matrix covariance() {
        return Matrix.ofRows(new double[]{1.0, 0.3, -0.2}, new double[]{0.3, 0.8, 0.1}, new double[]{-0.2, 0.1, 1.5});
    }

    /** The likelihoods under test. */
    static List<Likelihood> likelihoods() {
        return List.of(Gaussian.unit(), Gaussian.isotropic(0.5), Gaussian.withCovariance(covariance()),
                new Categorical(), new Bernoulli());
    }

    /**
     * Every likelihood x hidden activation x bias, on a 4-5-3-3 network (P = 53 with bias), M examples,
     * identity output; plus Gaussian cases with a tanh and a sigmoid output.
     */
    static List<Case> all(int m) {
        List<Case> out = new ArrayList<>();
        long seed = 100;
        for (Likelihood lik : likelihoods()) {
            for (Activation act : Activation.values()) {
                for (boolean bias : new boolean[]{true, false}) {
                    out.add(make(lik, List.of(4, 5, 3, 3), act, Activation.IDENTITY, bias, m, seed++));
                }
            }
        }
        out.add(make(Gaussian.unit(), List.of(4, 5, 3), Activation.SOFTPLUS, Activation.TANH, true, m, seed++));
        out.add(make(Gaussian.withCovariance(covariance()), List.of(4, 5, 3), Activation.TANH, Activation.SIGMOID,
                true, m, seed));
        return out;
    }

    /** A case with the given widths and activations; inputs, targets and biases drawn from the seed. */
    static Case make(Likelihood lik, List<Integer> widths, Activation hidden, Activation output, boolean bias, int m,
                     long seed) {
        Rng rng = new Rng(seed);
        Network net = Network.dense(widths, hidden, output, bias, new Init.Gaussian(1.3), rng);
        if (bias) {
            for (int i = 0; i < net.depth(); i++) {
                double[] b = net.layer(i).bias().data();
                for (int k = 0; k < b.length; k++) {
                    b[k] = 0.3 * rng.nextGaussian();
                }
            }
        }
        Matrix x = new Matrix(widths.get(0), m);
        rng.fillGaussian(x.data());
        int n = widths.get(widths.size() - 1);
        Matrix y = new Matrix(n, m);
        if (lik instanceof Categorical) {
            for (int j = 0; j < m; j++) {
                y.set(rng.nextInt(n), j, 1);
            }
        } else if (lik instanceof Bernoulli) {
            for (int k = 0; k < y.size(); k++) {
                y.data()[k] = rng.nextDouble();
            }
        } else {
            rng.fillGaussian(y.data());
        }
        String name = lik + " " + widths + " " + hidden.label() + "/" + output.label() + (bias ? " bias" : " no bias");
        return new Case(name, net, lik, new Batch(x, y));
    }

    /** A Gaussian vector with the given seed. */
    static double[] gaussian(int p, long seed) {
        double[] v = new double[p];
        new Rng(seed).fillGaussian(v);
        return v;
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relativeError(double[] a, double[] b) {
        return org.natgrad.linalg.MatOps.relativeError(new Matrix(a.length, 1, a), new Matrix(b.length, 1, b));
    }
}
