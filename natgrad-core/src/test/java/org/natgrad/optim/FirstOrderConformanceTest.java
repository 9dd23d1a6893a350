package org.natgrad.optim;

import org.natgrad.statistics.Gradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Cholesky;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * Conformance of the first-order optimizers: full-batch SGD, SGD with momentum and Adam reach the
 * known minimiser of (a) least squares with a single linear layer (Gaussian likelihood), whose
 * minimiser solves the normal equations (Cholesky), and (b) logistic regression (Bernoulli),
 * whose minimiser is found by Newton's method written here. Step sizes come from the largest
 * eigenvalue L of the Hessian (η = 1/L for SGD); tolerances are on max |θ − θ*| and stated per test.
 */
class FirstOrderConformanceTest {

    /** Inputs with unequal feature scales (Hessian condition number around 10-20). */
    private static Matrix inputs(int n, int m, Rng rng) {
        Matrix x = Naive.gaussian(n, m, rng);
        double[] scale = {1, 0.5, 2, 1.2};
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                x.set(i, j, scale[i % 4] * x.get(i, j) + 0.3);
            }
        }
        return x;
    }

    /** x̄ = [x; 1]. */
    private static Matrix augment(Matrix x) {
        Matrix a = new Matrix(x.rows() + 1, x.cols());
        for (int j = 0; j < x.cols(); j++) {
            for (int i = 0; i < x.rows(); i++) {
                a.set(i, j, x.get(i, j));
            }
            a.set(x.rows(), j, 1);
        }
        return a;
    }

    /** A single linear layer with zero weights and bias. */
    private static Network linear(int nOut, int nIn) {
        return new Network(List.of(new Dense(new Matrix(nOut, nIn), new Matrix(nOut, 1), Activation.IDENTITY)));
    }

    /** [W, b] of a single-layer network. */
    private static Matrix augmentedWeights(Network net) {
        Dense d = net.denseLayer(0);
        Matrix w = new Matrix(d.outputs(), d.inputs() + 1);
        for (int i = 0; i < d.outputs(); i++) {
            for (int j = 0; j < d.inputs(); j++) {
                w.set(i, j, d.weights().get(i, j));
            }
            w.set(i, d.inputs(), d.bias().get(i, 0));
        }
        return w;
    }

    /** Trains for the given steps; returns {final max|θ − θ*|, smallest max|θ − θ*| seen after any step}. */
    private static double[] train(Optimizer opt, Network net, Batch batch, int steps, Matrix optimum) {
        double best = Double.POSITIVE_INFINITY;
        for (int s = 0; s < steps; s++) {
            StepReport r = opt.step(net, batch);
            assertTrue(r.accepted() && Double.isFinite(r.lossBefore()), opt.name() + " step " + s);
            best = Math.min(best, Naive.maxAbsDiff(optimum, augmentedWeights(net)));
        }
        return new double[] {Naive.maxAbsDiff(optimum, augmentedWeights(net)), best};
    }

    /**
     * Runs the three optimizers from zero weights. SGD (η = 1/L) and heavy ball (η = 0.2/L,
     * μ = 0.9) converge linearly: final error <= 1e-10. Adam with ε = 0.1 and η = 0.05/L turns
     * into momentum descent with step η/ε = 0.5/L once √v̂ << ε near the optimum, and converges:
     * final error <= 1e-10.
     * Adam with the default ε = 1e-8 and a constant step does not settle (once the gradient falls
     * below ε the normalised step grows again): it must come within 1e-8 of θ* during the run and
     * end within η = 0.01 of it.
     */
    private static void assertAllReach(Likelihood lik, double lipschitz, Supplier<Network> init, Batch batch,
                                       Matrix optimum, int steps, String problem) {
        Object[][] runs = {
                {new Sgd(lik, 1 / lipschitz), 1e-10, Double.NaN},
                {new Sgd(lik, 0.2 / lipschitz, 0.9), 1e-10, Double.NaN},
                {new Adam(lik, 0.05 / lipschitz, 0.9, 0.999, 0.1), 1e-10, Double.NaN},
                {new Adam(lik, 0.01), 0.01, 1e-8}};
        for (Object[] run : runs) {
            Optimizer opt = (Optimizer) run[0];
            double[] err = train(opt, init.get(), batch, steps, optimum);
            double tolFinal = (Double) run[1];
            double tolBest = (Double) run[2];
            assertTrue(err[0] <= tolFinal, problem + ", " + opt.name() + ": final max |θ − θ*| = " + err[0]
                    + " > " + tolFinal);
            assertTrue(Double.isNaN(tolBest) || err[1] <= tolBest, problem + ", " + opt.name()
                    + ": closest approach max |θ − θ*| = " + err[1] + " > " + tolBest);
        }
    }

    private static double largestEigenvalue(Matrix h) {
        double[] v = SymmetricEigen.decompose(h).orElseThrow().values();
        return v[v.length - 1];
    }

    // ---------------------------------------------------------------------------- least squares

    private record LeastSquares(Batch batch, Matrix optimum, double lipschitz) {
    }

    /** y = W x + b + noise; the mean loss ½‖y − W̄ x̄‖²/N has Hessian H = X̄ X̄^T / N (per output). */
    private static LeastSquares leastSquares() {
        Rng rng = new Rng(91);
        int nIn = 4, nOut = 2, n = 64;
        Matrix x = inputs(nIn, n, rng);
        Matrix wTrue = Naive.gaussian(nOut, nIn + 1, rng);
        Matrix xb = augment(x);
        Matrix y = Naive.multiply(wTrue, xb);
        for (int k = 0; k < y.size(); k++) {
            y.data()[k] += 0.3 * rng.nextGaussian();
        }
        // normal equations (X̄ X̄^T) W̄^T = X̄ Y^T
        Matrix gram = Naive.multiply(xb, Naive.transpose(xb));
        Matrix rhs = Naive.multiply(xb, Naive.transpose(y));
        Matrix optimum = Naive.transpose(Cholesky.decompose(gram).orElseThrow().solve(rhs));
        Matrix h = Naive.combine(1.0 / n, gram, 0, gram);
        return new LeastSquares(new Batch(x, y), optimum, largestEigenvalue(h));
    }

    @Test
    void gradientOfLeastSquaresIsResidualTimesInputs() {
        LeastSquares ls = leastSquares();
        Network net = linear(2, 4);
        Rng rng = new Rng(92);
        rng.fillGaussian(net.layer(0).weights().data());
        rng.fillGaussian(net.layer(0).bias().data());
        Matrix xb = augment(ls.batch().inputs());
        Matrix resid = Naive.combine(1, Naive.multiply(augmentedWeights(net), xb), -1, ls.batch().targets());
        int n = ls.batch().size();
        Matrix rx = Naive.multiply(resid, Naive.transpose(xb));
        Matrix expected = Naive.combine(1.0 / n, rx, 0, rx);
        Gradients g = Gradients.of(net, Gaussian.unit(), ls.batch());
        Matrix got = new Matrix(2, 5);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                got.set(i, j, g.gradient().weights(0).get(i, j));
            }
            got.set(i, 4, g.gradient().bias(0).get(i, 0));
        }
        Naive.assertClose(expected, got, 1e-13, "least-squares gradient");
        double loss = 0;
        for (double r : resid.data()) {
            loss += 0.5 * r * r;
        }
        assertEquals(loss / n, g.loss(), 1e-12 * loss / n);
    }

    @Test
    void optimizersReachTheLeastSquaresOptimum() {
        LeastSquares ls = leastSquares();
        assertAllReach(Gaussian.unit(), ls.lipschitz(), () -> linear(2, 4), ls.batch(), ls.optimum(), 3000,
                "least squares");
    }

    // ---------------------------------------------------------------------------- logistic regression

    private record Logistic(Batch batch, Matrix optimum, double lipschitz) {
    }

    /**
     * Labels drawn from a logistic teacher (not separable). Newton: g = X̄(σ − y)/N,
     * H = X̄ diag(σ(1−σ)) X̄^T / N, iterated until |g| < 1e-14.
     */
    private static Logistic logistic() {
        Rng rng = new Rng(93);
        int nIn = 3, n = 200;
        Matrix x = inputs(nIn, n, rng);
        Matrix xb = augment(x);
        double[] teacher = {1.5, -1, 0.5, 0.3};
        Matrix y = new Matrix(1, n);
        for (int j = 0; j < n; j++) {
            double z = 0;
            for (int i = 0; i <= nIn; i++) {
                z += teacher[i] * xb.get(i, j);
            }
            y.set(0, j, rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
        }
        double[] theta = new double[nIn + 1];
        double gradNorm = Double.POSITIVE_INFINITY;
        for (int it = 0; it < 50 && gradNorm > 1e-14; it++) {
            double[] g = new double[nIn + 1];
            Matrix h = new Matrix(nIn + 1, nIn + 1);
            for (int j = 0; j < n; j++) {
                double z = 0;
                for (int i = 0; i <= nIn; i++) {
                    z += theta[i] * xb.get(i, j);
                }
                double s = 1 / (1 + Math.exp(-z));
                for (int i = 0; i <= nIn; i++) {
                    g[i] += (s - y.get(0, j)) * xb.get(i, j) / n;
                    for (int k = 0; k <= nIn; k++) {
                        h.add(i, k, s * (1 - s) * xb.get(i, j) * xb.get(k, j) / n);
                    }
                }
            }
            double[] step = Naive.solve(h, g);
            gradNorm = 0;
            for (int i = 0; i <= nIn; i++) {
                theta[i] -= step[i];
                gradNorm = Math.max(gradNorm, Math.abs(g[i]));
            }
        }
        assertTrue(gradNorm <= 1e-14, "Newton did not converge: |g| = " + gradNorm);
        Matrix optimum = new Matrix(1, nIn + 1, theta);
        // the loss is (1/4)-smooth in the logits: L <= λ_max(X̄ X̄^T) / (4N)
        Matrix gram = Naive.multiply(xb, Naive.transpose(xb));
        return new Logistic(new Batch(x, y), optimum, largestEigenvalue(gram) / (4.0 * n));
    }

    @Test
    void optimizersReachTheLogisticRegressionOptimum() {
        Logistic lr = logistic();
        assertAllReach(new Bernoulli(), lr.lipschitz(), () -> linear(1, 3), lr.batch(), lr.optimum(), 3000,
                "logistic regression");
    }

    @Test
    void constructorsRejectBadHyperParameters() {
        Likelihood lik = Gaussian.unit();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(lik, 0));
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(lik, 0.1, 1));
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(lik, Double.NaN));
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(lik, 0.1, 1, 0.9, 1e-8));
        assertTrue(e.getMessage().contains("betas"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(lik, 0.1, 0.9, 0.999, 0));
        assertEquals("sgd", new Sgd(lik, 0.1).name());
        assertEquals("sgd-momentum", new Sgd(lik, 0.1, 0.5).name());
        assertEquals("adam", new Adam(lik, 0.1).name());
    }
}
