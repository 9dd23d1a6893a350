package org.natgrad.deeplinear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

class DeepLinearModelTest {

    private static final int[][] ARCHS = {Fixtures.SQUARE, Fixtures.WIDENING, Fixtures.CONTRACTING,
            Fixtures.EXPANDING, Fixtures.BOTTLENECK};

    @Test
    void productsFollowEq9AndEq11() {
        for (int[] arch : ARCHS) {
            DeepLinearModel m = Fixtures.model(arch, 11);
            int l = m.depth();
            // direct products by explicit loops over the layer list
            for (int i = 1; i <= l; i++) {
                Matrix a = Matrix.identity(arch[l]);
                for (int k = l; k > i; k--) {
                    a = MatOps.multiply(a, m.weight(k));
                }
                Matrix b = Matrix.identity(arch[0]);
                for (int k = 1; k < i; k++) {
                    b = MatOps.multiply(m.weight(k), b);
                }
                assertEquals(0, MatOps.relativeError(m.A(i), a), 1e-14);
                assertEquals(0, MatOps.relativeError(m.B(i), b), 1e-14);
                assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(a, m.weight(i)), b), m.total()), 1e-12);
            }
            // Eq. 11: x_{i-1} = B_i x through the natgrad network's forward pass
            Network net = m.toNetwork();
            Matrix x = Fixtures.gaussian(arch[0], 5, 1, new Rng(3));
            var trace = net.forward(x);
            for (int i = 1; i <= l; i++) {
                assertEquals(0, MatOps.relativeError(trace.input(i - 1), MatOps.multiply(m.B(i), x)), 1e-13);
            }
            assertEquals(0, MatOps.relativeError(trace.output(), MatOps.multiply(m.total(), x)), 1e-13);
        }
    }

    @Test
    void excessLossMatchesVecFormAndSampleAverage() {
        DeepLinearModel m = Fixtures.model(Fixtures.WIDENING, 5);
        Matrix d = m.deviation();
        Matrix k = PopulationFisher.k(m);
        double quad = 0.5 * MatOps.dot(d.vec(), MatOps.multiply(k, d.vec()));
        assertEquals(quad, m.excessLoss(), 1e-12 * quad);
        // Monte Carlo: ½ E (Wx − W*x)^T Σ̃^-1 (Wx − W*x) over x ~ N(0, Σ); 2e5 samples, tolerance 2 %
        int s = 200_000;
        Matrix chol = org.natgrad.linalg.Cholesky.decompose(m.sigma()).orElseThrow().lower();
        Matrix x = MatOps.multiply(chol, Fixtures.gaussian(m.width(0), s, 1, new Rng(8)));
        Matrix r = MatOps.multiply(d, x);
        double mc = 0.5 * MatOps.dot(r, MatOps.multiply(m.outputPrecision(), r)) / s;
        assertEquals(m.excessLoss(), mc, 0.02 * m.excessLoss());
    }

    @Test
    void gradientMatchesFiniteDifferencesOfExcessLoss() {
        // The loss is quadratic in each single weight, so central differences are exact up to rounding.
        for (int[] arch : ARCHS) {
            DeepLinearModel m = Fixtures.model(arch, 21);
            double h = 1e-3;
            for (int i = 1; i <= m.depth(); i++) {
                Matrix g = m.gradient(i);
                Matrix fd = new Matrix(g.rows(), g.cols());
                for (int r = 0; r < g.rows(); r++) {
                    for (int c = 0; c < g.cols(); c++) {
                        fd.set(r, c, (perturbed(m, i, r, c, h) - perturbed(m, i, r, c, -h)) / (2 * h));
                    }
                }
                assertEquals(0, MatOps.relativeError(g, fd), 1e-8, "layer " + i + " of " + java.util.Arrays.toString(arch));
                assertEquals(0, MatOps.relativeError(MatOps.scale(-1, m.errorInputCorrelation(i), null), g), 1e-15);
            }
        }
    }

    private static double perturbed(DeepLinearModel m, int layer, int r, int c, double h) {
        List<Matrix> w = m.weights();
        w.get(layer - 1).add(r, c, h);
        return m.withWeights(w).excessLoss();
    }

    @Test
    void lambdasAreSecondMomentsOfActivationsAndErrors() {
        DeepLinearModel m = Fixtures.model(Fixtures.CONTRACTING, 2);
        for (int i = 1; i <= m.depth(); i++) {
            Matrix b = m.B(i);
            Matrix a = m.A(i);
            assertEquals(0, MatOps.relativeError(m.lambda(i), MatOps.multiply(MatOps.multiply(b, m.sigma()), b.transpose())), 1e-14);
            assertEquals(0, MatOps.relativeError(m.lambdaTilde(i),
                    MatOps.multiply(MatOps.multiply(a.transpose(), m.outputPrecision()), a)), 1e-14);
        }
        // Σ̃^{-1} really is the inverse
        assertEquals(0, MatOps.relativeError(MatOps.multiply(m.outputPrecision(), m.outputCovariance()),
                Matrix.identity(m.width(m.depth()))), 1e-13);
    }

    @Test
    void crossCovarianceRoundTrip() {
        DeepLinearModel m = Fixtures.model(Fixtures.EXPANDING, 4);
        DeepLinearModel m2 = DeepLinearModel.fromCrossCovariance(m.weights(), m.sigma(), m.outputCovariance(),
                m.crossCovariance());
        assertEquals(0, MatOps.relativeError(m2.target(), m.target()), 1e-12);
        // C = <yx^T> - WΣ
        Matrix c = MatOps.subtract(m.crossCovariance(), MatOps.multiply(m.total(), m.sigma()), null);
        assertEquals(0, MatOps.relativeError(m.residualCrossCovariance(), c), 1e-12);
    }

    @Test
    void flattenFollowsParamVectorOrder() {
        DeepLinearModel m = Fixtures.model(Fixtures.WIDENING, 9);
        List<Matrix> g = m.gradients();
        double[] flat = m.flatten(g);
        assertTrue(java.util.Arrays.equals(flat, m.toParamVector(g).toFlat()));
        assertTrue(java.util.Arrays.equals(flat, m.toNetwork().parameters().withFlat(flat).toFlat()));
        List<Matrix> back = m.unflatten(flat);
        for (int i = 0; i < g.size(); i++) {
            assertEquals(g.get(i), back.get(i));
        }
        assertEquals(m.offset(3), 3 * 5 + 5 * 7);
        assertEquals(m.parameterCount(), m.toNetwork().parameterCount());
    }

    @Test
    void kroneckerVecIdentityIsColumnMajor() {
        Rng rng = new Rng(1);
        Matrix a = Fixtures.gaussian(3, 4, 1, rng);
        Matrix x = Fixtures.gaussian(4, 5, 1, rng);
        Matrix b = Fixtures.gaussian(5, 2, 1, rng);
        Matrix lhs = MatOps.multiply(MatOps.multiply(a, x), b).vec();
        Matrix rhs = MatOps.multiply(MatOps.kron(b.transpose(), a), x.vec());
        assertEquals(0, MatOps.relativeError(lhs, rhs), 1e-13);
    }

    @Test
    void fromNetworkCopiesWeightsAndChecksStructure() {
        Network net = Network.dense(List.of(3, 4, 2), Activation.IDENTITY, Activation.IDENTITY, false, Init.gaussian(), 7);
        Rng rng = new Rng(2);
        Matrix sigma = Fixtures.spd(3, 0.5, 1.5, rng);
        Matrix target = Fixtures.gaussian(2, 3, 1, rng);
        DeepLinearModel m = DeepLinearModel.fromNetwork(net, sigma, Gaussian.isotropic(0.5), target);
        assertEquals(net.layer(1).weights(), m.weight(2));
        assertEquals(0, MatOps.relativeError(m.outputCovariance(), MatOps.scale(0.5, Matrix.identity(2), null)), 0);
        net.layer(0).weights().set(0, 0, 99);
        assertTrue(m.weight(1).get(0, 0) != 99, "the model must hold a copy");

        Network tanh = Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, false, Init.gaussian(), 7);
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> DeepLinearModel.fromNetwork(tanh, sigma, Gaussian.unit(), target));
        assertTrue(e1.getMessage().contains("linear and bias-free"), e1.getMessage());
        Network biased = Network.dense(List.of(3, 4, 2), Activation.IDENTITY, Activation.IDENTITY, true, Init.gaussian(), 7);
        assertThrows(IllegalArgumentException.class, () -> DeepLinearModel.fromNetwork(biased, sigma, Gaussian.unit(), target));
    }

    @Test
    void teacherStudentTakesTheTeachersEndToEndMap() {
        Network student = Network.dense(List.of(4, 5, 3), Activation.IDENTITY, Activation.IDENTITY, true, Init.gaussian(), 1);
        Network teacher = Network.dense(List.of(4, 2, 6, 3), Activation.IDENTITY, Activation.IDENTITY, false, Init.gaussian(), 2);
        Matrix sigma = Fixtures.spd(4, 0.5, 2, new Rng(3));
        DeepLinearModel m = DeepLinearModel.teacherStudent(student, teacher, sigma, Matrix.identity(3));
        Matrix x = Fixtures.gaussian(4, 7, 1, new Rng(4));
        assertEquals(0, MatOps.relativeError(MatOps.multiply(m.target(), x), teacher.predict(x)), 1e-13);
        assertEquals(0, MatOps.relativeError(MatOps.multiply(m.total(), x), student.predict(x)), 1e-13);
        student.layer(1).bias().set(0, 0, 0.1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> DeepLinearModel.teacherStudent(student, teacher, sigma, Matrix.identity(3)));
        assertTrue(e.getMessage().contains("student's layer 2 has a non-zero bias"), e.getMessage());
    }

    @Test
    void badInputsAreRejectedWithClearMessages() {
        Rng rng = new Rng(3);
        List<Matrix> w = Fixtures.weights(new int[] {3, 4, 2}, rng);
        Matrix sigma = Fixtures.spd(3, 0.5, 1.5, rng);
        Matrix st = Matrix.identity(2);
        Matrix target = Fixtures.gaussian(2, 3, 1, rng);

        List<Matrix> bad = new ArrayList<>(w);
        bad.set(1, new Matrix(2, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> DeepLinearModel.of(bad, sigma, st, target));
        assertTrue(e.getMessage().contains("W_2 is 2x5"), e.getMessage());

        Matrix notPd = Matrix.diagonal(new double[] {1, 0, 1});
        e = assertThrows(IllegalArgumentException.class, () -> DeepLinearModel.of(w, notPd, st, target));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());

        Matrix asym = Matrix.identity(2);
        asym.set(0, 1, 0.5);
        e = assertThrows(IllegalArgumentException.class, () -> DeepLinearModel.of(w, sigma, asym, target));
        assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> DeepLinearModel.of(w, sigma, st, new Matrix(3, 2)));
        assertTrue(e.getMessage().contains("must be 2x3"), e.getMessage());

        Matrix nan = target.copy();
        nan.set(1, 1, Double.NaN);
        assertThrows(ArithmeticException.class, () -> DeepLinearModel.of(w, sigma, st, nan));

        DeepLinearModel m = DeepLinearModel.of(w, sigma, st, target);
        var ie = assertThrows(IndexOutOfBoundsException.class, () -> m.A(0));
        assertTrue(ie.getMessage().contains("1-based"), ie.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> m.lambda(3));
        assertThrows(IllegalArgumentException.class, () -> m.withWeights(List.of(new Matrix(4, 3))));
    }
}
