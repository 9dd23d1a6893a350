package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.random.Rng;

/**
 * Backpropagation against central finite differences of the mean loss, for every activation x
 * every likelihood, with and without biases, with the activation also on the output layer or an
 * identity output. Step h = ε^{1/3} max(1, |θ|) (ε = 2^-52), which balances truncation O(h²) and
 * round-off O(ε/h); tolerance: max_k |g_fd,k − g_k| <= 1e-6 max_k |g_k|. ReLU nets are drawn
 * until every pre-activation is at least 1e-2 away from the kink (at most ~1e-4 of movement
 * there from any single step).
 */
class GradientCheckTest {
    private static final double EPS_CBRT = Math.cbrt(Math.ulp(1.0));
    private static final double TOL = 1e-6;
    private static final int M = 5;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Activation act : Activation.values()) {
            for (String lik : new String[] {"gaussian", "gaussian-full", "categorical", "bernoulli"}) {
                for (boolean bias : new boolean[] {true, false}) {
                    for (boolean actOnOutput : new boolean[] {true, false}) {
                        out.add(Arguments.of(act, lik, bias, actOnOutput));
                    }
                }
            }
        }
        return out.stream();
    }

    static Likelihood likelihood(String name, int n, Rng rng) {
        return switch (name) {
            case "gaussian" -> Gaussian.isotropic(0.7);
            case "gaussian-full" -> Gaussian.withCovariance(Naive.spd(n, 0.5, rng));
            case "categorical" -> new Categorical();
            case "bernoulli" -> new Bernoulli();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Valid targets for the likelihood: Gaussian draws, soft class probabilities, values in [0, 1]. */
    static Matrix targets(String name, int n, int m, Rng rng) {
        Matrix y = new Matrix(n, m);
        switch (name) {
            case "categorical" -> {
                Matrix logits = Naive.gaussian(n, m, rng);
                y = Categorical.softmax(logits);
                y.set(0, 0, 1);
                for (int i = 1; i < n; i++) {
                    y.set(i, 0, 0); // one one-hot column among soft ones
                }
            }
            case "bernoulli" -> {
                for (int k = 0; k < y.size(); k++) {
                    y.data()[k] = k % 3 == 0 ? (k % 2) : rng.nextDouble();
                }
            }
            default -> rng.fillGaussian(y.data());
        }
        return y;
    }

    static double minAbsPreActivation(Network net, Matrix x) {
        Trace t = net.forward(x);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < t.layers(); i++) {
            for (double v : t.preActivation(i).data()) {
                min = Math.min(min, Math.abs(v));
            }
        }
        return min;
    }

    /** Central difference of f with respect to a[k]. */
    static double centralDifference(double[] a, int k, DoubleSupplier f) {
        double saved = a[k];
        double h = EPS_CBRT * Math.max(1, Math.abs(saved));
        a[k] = saved + h;
        double hp = a[k] - saved; // the step actually representable
        double fp = f.getAsDouble();
        a[k] = saved - h;
        double hm = saved - a[k];
        double fm = f.getAsDouble();
        a[k] = saved;
        return (fp - fm) / (hp + hm);
    }

    static void assertGradientClose(double[] expected, double[] actual, String what) {
        double scale = 0;
        double worst = 0;
        int at = -1;
        for (int k = 0; k < expected.length; k++) {
            scale = Math.max(scale, Math.abs(actual[k]));
            double d = Math.abs(expected[k] - actual[k]);
            if (d > worst || Double.isNaN(d)) {
                worst = d;
                at = k;
            }
        }
        double s = scale;
        double w = worst;
        int a = at;
        assertTrue(scale > 1e-6, what + ": gradient vanishes, the check would be vacuous");
        assertTrue(w <= TOL * s, () -> what + ": worst difference " + w + " at " + a + " exceeds " + TOL + " x " + s);
    }

    @ParameterizedTest(name = "{0} {1} bias={2} actOnOutput={3}")
    @MethodSource("cases")
    void backpropMatchesFiniteDifferences(Activation act, String likName, boolean bias, boolean actOnOutput) {
        Rng rng = new Rng(1000 + act.ordinal() * 17 + likName.length());
        List<Integer> widths = List.of(3, 4, 3);
        Likelihood lik = likelihood(likName, 3, rng);
        Network net = null;
        Matrix x = null;
        for (int attempt = 0; attempt < 200; attempt++) {
            net = Network.dense(widths, act, actOnOutput ? act : Activation.IDENTITY, bias, Init.gaussian(), rng);
            for (Dense d : net.denseLayers()) {
                if (d.hasBias()) {
                    for (int i = 0; i < d.outputs(); i++) {
                        d.bias().set(i, 0, 0.3 * rng.nextGaussian());
                    }
                }
            }
            x = Naive.gaussian(3, M, rng);
            if (act != Activation.RELU || minAbsPreActivation(net, x) > 1e-2) {
                break;
            }
        }
        if (act == Activation.RELU) {
            assertTrue(minAbsPreActivation(net, x) > 1e-2, "found no kink-free ReLU net");
        }
        Matrix y = targets(likName, 3, M, rng);
        lik.validateTargets(net.predict(x), y);

        Network fnet = net;
        Matrix fx = x;
        Trace trace = net.forward(x);
        Matrix err = lik.outputError(trace.output(), y);
        Matrix meanErr = new Matrix(err.rows(), err.cols());
        for (int k = 0; k < err.size(); k++) {
            meanErr.data()[k] = err.data()[k] / M;
        }
        Backprop bp = net.backward(trace, meanErr, true);
        double[] grad = bp.gradients().toFlat();

        // d(mean loss)/dθ by central differences, perturbing the network's own parameter matrices
        ParamVector params = net.parameters();
        double[] fd = new double[params.size()];
        int k = 0;
        for (int layer = 0; layer < params.layers(); layer++) {
            for (Matrix block : new Matrix[] {params.weights(layer), params.bias(layer)}) {
                if (block == null) {
                    continue;
                }
                for (int e = 0; e < block.size(); e++) {
                    fd[k++] = centralDifference(block.data(), e, () -> lik.loss(fnet.predict(fx), y));
                }
            }
        }
        assertGradientClose(fd, grad, "parameter gradient");

        // the per-example input gradient W_1^T δ_1 (errors not summed over the batch), from the
        // unscaled errors, against differences of the summed loss M * mean loss w.r.t. x
        Backprop perExample = net.backward(trace, err, false);
        Matrix dx = Naive.multiply(Naive.transpose(net.layer(0).weights()), perExample.error(0));
        double[] fdx = new double[x.size()];
        for (int e = 0; e < x.size(); e++) {
            fdx[e] = centralDifference(x.data(), e, () -> M * lik.loss(fnet.predict(fx), y));
        }
        assertGradientClose(fdx, dx.data(), "input gradient from errors δ_1");
    }
}
