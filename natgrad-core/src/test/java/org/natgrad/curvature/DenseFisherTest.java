package org.natgrad.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.statistics.Gradients;
import org.natgrad.random.Rng;

class DenseFisherTest {

    static Matrix gaussianMatrix(int r, int c, Rng rng) {
        Matrix m = new Matrix(r, c);
        rng.fillGaussian(m.data());
        return m;
    }

    static Network tanhNet(long seed) {
        Network net = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), seed);
        Rng rng = new Rng(seed + 1);
        for (int i = 0; i < net.depth(); i++) {
            rng.fillGaussian(net.layer(i).bias().data());
            MatOps.scaleInPlace(0.3, net.layer(i).bias());
        }
        return net;
    }

    /** Jacobian of the output at column m with respect to the flat parameters, by central differences. */
    static Matrix finiteDifferenceJacobian(Network net, Matrix x, int column, double h) {
        ParamVector params = net.parameters();
        double[] theta = params.toFlat();
        int nl = net.outputSize();
        Matrix j = new Matrix(nl, theta.length);
        Matrix xm = x.columns(column, column + 1);
        for (int p = 0; p < theta.length; p++) {
            double keep = theta[p];
            theta[p] = keep + h;
            params.setFromFlat(theta);
            double[] plus = net.predict(xm).data();
            theta[p] = keep - h;
            params.setFromFlat(theta);
            double[] minus = net.predict(xm).data();
            theta[p] = keep;
            params.setFromFlat(theta);
            for (int r = 0; r < nl; r++) {
                j.set(r, p, (plus[r] - minus[r]) / (2 * h));
            }
        }
        return j;
    }

    static Matrix referenceFisher(Network net, Likelihood lik, Matrix x) {
        Matrix out = net.predict(x);
        int p = net.parameterCount();
        Matrix f = new Matrix(p, p);
        for (int m = 0; m < x.cols(); m++) {
            Matrix j = finiteDifferenceJacobian(net, x, m, 1e-5);
            Matrix fo = lik.outputFisher(out, m);
            Matrix jtfj = MatOps.multiplyTransA(j, MatOps.multiply(fo, j));
            MatOps.axpy(1.0 / x.cols(), jtfj, f);
        }
        return f;
    }

    @Test
    void exactMatchesFiniteDifferenceJacobiansForEachLikelihood() {
        Rng rng = new Rng(7);
        Matrix cov = MatOps.addDiagonalInPlace(MatOps.syrk(0.3, gaussianMatrix(3, 3, rng), false, 0, null), 0.5);
        Likelihood[] liks = {Gaussian.withCovariance(cov), Gaussian.isotropic(0.25), new Categorical(), new Bernoulli()};
        for (Likelihood lik : liks) {
            Network net = tanhNet(11);
            Matrix x = gaussianMatrix(3, 6, rng);
            Matrix exact = DenseFisher.exact(net, lik, x);
            Matrix ref = referenceFisher(net, lik, x);
            // central differences with h = 1e-5: truncation ~h² ≈ 1e-10, round-off ~1e-16/h ≈ 1e-11
            assertEquals(0, MatOps.relativeError(exact, ref), 1e-8, lik.toString());
        }
    }

    @Test
    void symmetricPositiveSemiDefinite() {
        Network net = tanhNet(3);
        Matrix x = gaussianMatrix(3, 2, new Rng(4));
        Matrix f = DenseFisher.exact(net, new Categorical(), x);
        for (int i = 0; i < f.rows(); i++) {
            for (int j = 0; j < f.cols(); j++) {
                assertEquals(f.get(i, j), f.get(j, i), 1e-15 * f.maxAbs());
            }
        }
        SymmetricEigen e = SymmetricEigen.decompose(f).orElseThrow();
        assertTrue(e.values()[0] >= -1e-12 * e.spectralRadius(), "smallest eigenvalue " + e.values()[0]);
        // rank <= M (n_L - 1) for a softmax output: 2 examples x 2
        assertEquals(4, e.rank(1e-9));
    }

    @Test
    void gaussianLinearLayerIsClosedForm() {
        // one linear layer with bias: F = (1/M) Σ x̄ x̄^T ⊗ Σ̃^{-1}
        Rng rng = new Rng(5);
        Network net = Network.dense(List.of(4, 3), Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1), 9);
        Matrix cov = MatOps.addDiagonalInPlace(MatOps.syrk(0.5, gaussianMatrix(3, 3, rng), false, 0, null), 0.2);
        Gaussian lik = Gaussian.withCovariance(cov);
        Matrix x = gaussianMatrix(4, 10, rng);
        Matrix xbar = new Matrix(5, 10);
        for (int m = 0; m < 10; m++) {
            for (int r = 0; r < 4; r++) {
                xbar.set(r, m, x.get(r, m));
            }
            xbar.set(4, m, 1);
        }
        Matrix lambda = MatOps.scaleInPlace(0.1, MatOps.multiplyTransB(xbar, xbar));
        Matrix expected = MatOps.kron(lambda, lik.precision(3));
        assertEquals(0, MatOps.relativeError(DenseFisher.exact(net, lik, x), expected), 1e-12);
    }

    @Test
    void monteCarloConvergesLikeOneOverRootS() {
        Network net = tanhNet(21);
        Matrix x = gaussianMatrix(3, 8, new Rng(22));
        Likelihood lik = new Categorical();
        Matrix exact = DenseFisher.exact(net, lik, x);
        int small = 250;
        int large = 16 * small;
        double eSmall = 0;
        double eLarge = 0;
        int reps = 4;
        for (int r = 0; r < reps; r++) {
            eSmall += MatOps.relativeError(DenseFisher.monteCarlo(net, lik, x, small, new Rng(100 + r)), exact) / reps;
            eLarge += MatOps.relativeError(DenseFisher.monteCarlo(net, lik, x, large, new Rng(200 + r)), exact) / reps;
        }
        // unbiased with variance ∝ 1/S: 16x the samples should cut the error ~4x (accept 2.5x..6.5x),
        // and 4000 samples per input should be within 5 % in Frobenius norm.
        double ratio = eSmall / eLarge;
        assertTrue(ratio > 2.5 && ratio < 6.5, "error ratio " + ratio + " (" + eSmall + " / " + eLarge + ")");
        assertTrue(eLarge < 0.05, "relative error at S=" + large + ": " + eLarge);
    }

    @Test
    void empiricalIsTheOuterProductOfPerExampleDataGradients() {
        Network net = tanhNet(31);
        Rng rng = new Rng(32);
        Matrix x = gaussianMatrix(3, 5, rng);
        Matrix y = gaussianMatrix(3, 5, rng);
        Gaussian lik = Gaussian.unit();
        int p = net.parameterCount();
        Matrix ref = new Matrix(p, p);
        for (int m = 0; m < 5; m++) {
            double[] g = Gradients.of(net, lik, new Batch(x.columns(m, m + 1), y.columns(m, m + 1))).gradient().toFlat();
            Matrix gm = new Matrix(p, 1, g);
            MatOps.axpy(0.2, MatOps.multiplyTransB(gm, gm), ref);
        }
        assertEquals(0, MatOps.relativeError(DenseFisher.empirical(net, lik, new Batch(x, y)), ref), 1e-12);
    }

    @Test
    void refusesLargeNetworksNamingTheSize() {
        Network net = Network.dense(List.of(100, 50), Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1), 1);
        var ex = assertThrows(IllegalArgumentException.class,
                () -> DenseFisher.exact(net, Gaussian.unit(), new Matrix(100, 2)));
        assertTrue(ex.getMessage().contains("5050") && ex.getMessage().contains(String.valueOf(DenseFisher.MAX_PARAMETERS)),
                ex.getMessage());
    }
}
