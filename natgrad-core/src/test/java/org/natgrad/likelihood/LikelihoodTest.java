package org.natgrad.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.random.Rng;

/**
 * Losses against their textbook formulas, output errors against central differences, stability
 * at extreme logits, target validation messages.
 */
class LikelihoodTest {
    private static final Matrix COV = Matrix.ofRows(
            new double[] {2.0, 0.6, -0.3},
            new double[] {0.6, 1.0, 0.2},
            new double[] {-0.3, 0.2, 0.5});

    private static double sigmoid(double f) {
        return 1 / (1 + Math.exp(-f));
    }

    @Test
    void lossesMatchDirectFormulas() {
        Rng rng = new Rng(71);
        int n = 3, m = 4;
        Matrix f = Naive.gaussian(n, m, rng);
        Matrix y = Naive.gaussian(n, m, rng);
        // isotropic Gaussian: ½ Σ (y - f)² / σ², mean over columns
        double s = 0;
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                s += 0.5 * Math.pow(y.get(i, j) - f.get(i, j), 2) / 2.0;
            }
        }
        assertEquals(s / m, Gaussian.isotropic(2.0).loss(f, y), 1e-14);
        assertEquals(2 * s / m, Gaussian.unit().loss(f, y), 1e-14);
        // full covariance: ½ r^T Σ^-1 r with Σ^-1 r from Gaussian elimination
        s = 0;
        for (int j = 0; j < m; j++) {
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = y.get(i, j) - f.get(i, j);
            }
            double[] pr = Naive.solve(COV, r);
            for (int i = 0; i < n; i++) {
                s += 0.5 * r[i] * pr[i];
            }
        }
        assertEquals(s / m, Gaussian.withCovariance(COV).loss(f, y), 1e-13);
        // categorical: -Σ y_k log softmax(f)_k, soft targets
        Matrix p = Categorical.softmax(Naive.gaussian(n, m, rng));
        s = 0;
        for (int j = 0; j < m; j++) {
            double z = 0;
            for (int i = 0; i < n; i++) {
                z += Math.exp(f.get(i, j));
            }
            for (int i = 0; i < n; i++) {
                s -= p.get(i, j) * Math.log(Math.exp(f.get(i, j)) / z);
            }
        }
        assertEquals(s / m, new Categorical().loss(f, p), 1e-14);
        // Bernoulli: -[y log σ + (1 - y) log(1 - σ)]
        Matrix t = new Matrix(n, m);
        for (int k = 0; k < t.size(); k++) {
            t.data()[k] = rng.nextDouble();
        }
        s = 0;
        for (int k = 0; k < t.size(); k++) {
            double q = sigmoid(f.data()[k]);
            s -= t.data()[k] * Math.log(q) + (1 - t.data()[k]) * Math.log(1 - q);
        }
        assertEquals(s / m, new Bernoulli().loss(f, t), 1e-14);
    }

    @Test
    void softmaxColumnsArePositiveAndSumToOne() {
        Matrix f = Matrix.ofRows(new double[] {1, 1000}, new double[] {2, -1000}, new double[] {3, 0});
        Matrix p = Categorical.softmax(f);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(2) / z, p.get(1, 0), 1e-16);
        assertEquals(1.0, p.get(0, 1), 0);
        assertEquals(0.0, p.get(1, 1), 0);
    }

    /** Central differences of M * loss with respect to each output entry (step 1e-5·max(1,|f|), tol 1e-7). */
    @Test
    void outputErrorsAreLossGradients() {
        Rng rng = new Rng(72);
        int n = 3, m = 2;
        Matrix f = Naive.gaussian(n, m, rng);
        Matrix soft = Categorical.softmax(Naive.gaussian(n, m, rng));
        Matrix unit = new Matrix(n, m);
        for (int k = 0; k < unit.size(); k++) {
            unit.data()[k] = rng.nextDouble();
        }
        Object[][] cases = {
                {Gaussian.isotropic(0.3), Naive.gaussian(n, m, rng)},
                {Gaussian.withCovariance(COV), Naive.gaussian(n, m, rng)},
                {new Categorical(), soft},
                {new Bernoulli(), unit}};
        for (Object[] c : cases) {
            Likelihood lik = (Likelihood) c[0];
            Matrix y = (Matrix) c[1];
            Matrix e = lik.outputError(f, y);
            for (int k = 0; k < f.size(); k++) {
                double saved = f.data()[k];
                double h = 1e-5 * Math.max(1, Math.abs(saved));
                f.data()[k] = saved + h;
                double lp = m * lik.loss(f, y);
                f.data()[k] = saved - h;
                double lm = m * lik.loss(f, y);
                f.data()[k] = saved;
                assertEquals((lp - lm) / (2 * h), e.data()[k], 1e-7 * Math.max(1, Math.abs(e.data()[k])),
                        lik + " output error entry " + k);
            }
        }
    }

    @Test
    void extremeLogitsStayFinite() {
        Categorical cat = new Categorical();
        Matrix f = Matrix.column(1000, -1000, 0);
        Matrix toLow = Matrix.column(0, 1, 0);
        Matrix toHigh = Matrix.column(1, 0, 0);
        assertEquals(2000.0, cat.loss(f, toLow), 0);
        assertEquals(0.0, cat.loss(f, toHigh), 1e-300);
        assertEquals(1000.0, cat.loss(f, Matrix.column(0, 0, 1)), 0);
        Matrix e = cat.outputError(f, toLow);
        assertEquals(1.0, e.get(0, 0), 0);
        assertEquals(-1.0, e.get(1, 0), 0);
        assertTrue(e.isFinite() && cat.outputFisher(f, 0).isFinite() && cat.outputFisherFactor(f, 0).isFinite());
        Matrix f2 = Matrix.column(-1000, -1000, -1000);
        assertEquals(Math.log(3), cat.loss(f2, toLow), 1e-15);
        Bernoulli b = new Bernoulli();
        Matrix g = Matrix.column(1000, -1000);
        assertEquals(2000.0, b.loss(g, Matrix.column(0, 1)), 0);
        assertEquals(0.0, b.loss(g, Matrix.column(1, 0)), 0);
        assertTrue(b.outputError(g, Matrix.column(0, 1)).isFinite() && b.outputFisherFactor(g, 0).isFinite());
    }

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    @Test
    void validateTargetsNamesTheProblem() {
        Matrix f = new Matrix(3, 2);
        Categorical cat = new Categorical();
        cat.validateTargets(f, Matrix.ofRows(new double[] {1, 0.2}, new double[] {0, 0.3}, new double[] {0, 0.5}));
        assertMessage(() -> cat.validateTargets(f, new Matrix(2, 2)), "Categorical", "3x2", "2x2");
        assertMessage(() -> cat.validateTargets(f,
                Matrix.ofRows(new double[] {1, 1.5}, new double[] {0, -0.5}, new double[] {0, 0})), "column 1", "1.5");
        assertMessage(() -> cat.validateTargets(f,
                Matrix.ofRows(new double[] {1, 0.5}, new double[] {0, 0.2}, new double[] {0, 0})), "column 1", "sums to 0.7");
        assertMessage(() -> cat.validateTargets(f,
                Matrix.ofRows(new double[] {1, Double.NaN}, new double[] {0, 0}, new double[] {0, 1})), "NaN");
        Bernoulli b = new Bernoulli();
        b.validateTargets(f, Matrix.filled(3, 2, 0.5));
        Matrix bad = Matrix.filled(3, 2, 1);
        bad.set(2, 1, 1.5);
        assertMessage(() -> b.validateTargets(f, bad), "row 2", "column 1", "1.5");
        bad.set(2, 1, Double.NaN);
        assertMessage(() -> b.validateTargets(f, bad), "NaN");
        assertMessage(() -> b.validateTargets(f, new Matrix(3, 3)), "3x2", "3x3");
        Gaussian g = Gaussian.unit();
        Matrix inf = new Matrix(3, 2);
        inf.set(1, 1, Double.POSITIVE_INFINITY);
        assertMessage(() -> g.validateTargets(f, inf), "row 1", "column 1");
        Gaussian full = Gaussian.withCovariance(COV);
        assertMessage(() -> full.validateTargets(new Matrix(2, 2), new Matrix(2, 2)), "3x3", "2 rows");
        assertMessage(() -> full.loss(new Matrix(4, 1), new Matrix(4, 1)), "3x3", "4 rows");
    }

    @Test
    void gaussianConstructionChecks() {
        assertMessage(() -> Gaussian.isotropic(0), "variance", "0");
        assertMessage(() -> Gaussian.isotropic(Double.NaN), "variance");
        assertMessage(() -> Gaussian.withCovariance(new Matrix(2, 3)), "square", "2x3");
        assertMessage(() -> Gaussian.withCovariance(Matrix.ofRows(new double[] {1, 2}, new double[] {2, 1})),
                "positive definite");
        assertMessage(() -> Gaussian.withCovariance(Matrix.ofRows(new double[] {2, 0.5}, new double[] {0.1, 1})),
                "2x2", "not symmetric");
        Gaussian full = Gaussian.withCovariance(COV);
        Naive.assertClose(Naive.inverse(COV), full.precision(3), 1e-14, "precision");
        Naive.assertClose(COV, full.covariance(3), 0, "covariance");
        Naive.assertClose(Naive.combine(0.25, Naive.identity(2), 0, Naive.identity(2)),
                Gaussian.isotropic(4).precision(2), 0, "isotropic precision");
        assertTrue(Gaussian.isotropic(4).isIsotropic());
        assertEquals(4, Gaussian.isotropic(4).variance(), 0);
    }

    @Test
    void parseNames() {
        assertInstanceOf(Gaussian.class, Likelihood.parse("MSE"));
        assertInstanceOf(Categorical.class, Likelihood.parse("softmax"));
        assertInstanceOf(Bernoulli.class, Likelihood.parse(" logistic "));
        assertMessage(() -> Likelihood.parse("poisson"), "poisson");
    }
}
