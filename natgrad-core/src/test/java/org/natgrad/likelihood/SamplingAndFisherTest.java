package org.natgrad.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.random.Rng;

/**
 * Sampling from the model and the output Fisher. Monte Carlo checks use N = 40000 draws and a
 * tolerance of 5 standard errors per entry, the standard error estimated from the same draws
 * (for a fixed seed the outcome is deterministic; a fair implementation fails such a check with
 * probability below 1e-6 per entry). Exact checks enumerate outcomes.
 */
class SamplingAndFisherTest {
    private static final int N = 40_000;
    private static final Matrix COV = Matrix.ofRows(
            new double[] {2.0, 0.6, -0.3},
            new double[] {0.6, 1.0, 0.2},
            new double[] {-0.3, 0.2, 0.5});

    /** N copies of the column f. */
    private static Matrix repeat(double[] f, int n) {
        Matrix m = new Matrix(f.length, n);
        for (int j = 0; j < n; j++) {
            System.arraycopy(f, 0, m.data(), j * f.length, f.length);
        }
        return m;
    }

    /** Asserts the sample mean of each row of x equals mean[i] within 5 standard errors. */
    private static void assertMeans(Matrix x, double[] mean, String what) {
        for (int i = 0; i < x.rows(); i++) {
            double s = 0, ss = 0;
            for (int j = 0; j < x.cols(); j++) {
                s += x.get(i, j);
                ss += x.get(i, j) * x.get(i, j);
            }
            double mu = s / x.cols();
            double se = Math.sqrt(Math.max(ss / x.cols() - mu * mu, 0) / x.cols());
            assertEquals(mean[i], mu, 5 * se + 1e-12, what + " mean of row " + i);
        }
    }

    /** Sample second moments E[(x_i - μ_i)(x_j - μ_j)] against cov, 5 standard errors each. */
    private static void assertCovariance(Matrix x, double[] mu, Matrix cov, String what) {
        int n = x.rows();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double s = 0, ss = 0;
                for (int j = 0; j < x.cols(); j++) {
                    double v = (x.get(i, j) - mu[i]) * (x.get(k, j) - mu[k]);
                    s += v;
                    ss += v * v;
                }
                double c = s / x.cols();
                double se = Math.sqrt(Math.max(ss / x.cols() - c * c, 0) / x.cols());
                assertEquals(cov.get(i, k), c, 5 * se + 1e-12, what + " entry (" + i + ", " + k + ")");
            }
        }
    }

    @Test
    void gaussianSamplesHaveTheModelMeanAndCovariance() {
        double[] f = {1, -2, 0.5};
        Matrix out = repeat(f, N);
        Matrix iso = Gaussian.isotropic(2.5).sample(out, new Rng(81));
        assertMeans(iso, f, "isotropic");
        assertCovariance(iso, f, Naive.combine(2.5, Naive.identity(3), 0, Naive.identity(3)), "isotropic covariance");
        Matrix full = Gaussian.withCovariance(COV).sample(out, new Rng(82));
        assertMeans(full, f, "full");
        assertCovariance(full, f, COV, "full covariance");
        assertEquals(Gaussian.withCovariance(COV).sample(out.columns(0, 5), new Rng(9)),
                Gaussian.withCovariance(COV).sample(out.columns(0, 5), new Rng(9)), "same seed, same draws");
    }

    @Test
    void categoricalFrequenciesMatchSoftmax() {
        double[] f = {0.5, -1, 2, 0};
        double[] p = Categorical.softmax(Matrix.column(f)).data();
        Matrix y = new Categorical().sample(repeat(f, N), new Rng(83));
        double[] count = new double[4];
        for (int j = 0; j < N; j++) {
            double colSum = 0;
            for (int i = 0; i < 4; i++) {
                double v = y.get(i, j);
                assertTrue(v == 0 || v == 1, "one-hot");
                colSum += v;
                count[i] += v;
            }
            assertEquals(1, colSum, 0, "exactly one class per column");
        }
        double chi2 = 0;
        for (int i = 0; i < 4; i++) {
            assertEquals(p[i], count[i] / N, 5 * Math.sqrt(p[i] * (1 - p[i]) / N), "frequency of class " + i);
            chi2 += Math.pow(count[i] - N * p[i], 2) / (N * p[i]);
        }
        assertTrue(chi2 < 16.27, "chi-square " + chi2 + " with 3 degrees of freedom exceeds the 0.999 quantile 16.27");
    }

    /** Classes with probability exactly 0 (extreme logits) are never drawn, even past rounding. */
    @Test
    void categoricalNeverDrawsImpossibleClasses() {
        Matrix y = new Categorical().sample(repeat(new double[] {0, 0, -1000}, 20_000), new Rng(87));
        for (int j = 0; j < y.cols(); j++) {
            assertEquals(0, y.get(2, j), 0, "class of probability 0 drawn at column " + j);
        }
        Matrix sure = new Categorical().sample(repeat(new double[] {-1000, 1000, -1000}, 100), new Rng(88));
        for (int j = 0; j < 100; j++) {
            assertEquals(1, sure.get(1, j), 0);
        }
        // The sharp case: probabilities whose running sum rounds below the largest uniform draw
        // 1 - 2^-53, and that draw forced. The last class (probability 0) must still not come up.
        Rng search = new Rng(89);
        double[] f = new double[8];
        for (int attempt = 0; ; attempt++) {
            assertTrue(attempt < 100_000, "no rounding-deficient probability vector found");
            for (int i = 0; i < 7; i++) {
                f[i] = search.nextGaussian();
            }
            f[7] = -1000;
            double[] p = Categorical.softmax(Matrix.column(f)).data();
            double c = 0;
            for (double v : p) {
                c += v;
            }
            if (c < 1 - 0x1.0p-53) {
                break;
            }
        }
        Matrix draw = new Categorical().sample(Matrix.column(f), rngWhoseNextDoubleIsLargest());
        assertEquals(0, draw.get(7, 0), 0, "class of probability 0 drawn when u exceeds the rounded sum");
        assertEquals(1, draw.get(6, 0), 0, "the last class with mass is drawn");
    }

    /** An Rng whose next nextLong() is all ones, so nextDouble() = 1 - 2^-53 (xoshiro256** output depends on s1 only). */
    private static Rng rngWhoseNextDoubleIsLargest() {
        long target = -1L; // all 64 bits set
        // result = rotl(s1 * 5, 7) * 9  =>  s1 = rotr(target * 9^-1, 7) * 5^-1  (mod 2^64)
        long s1 = Long.rotateRight(target * inverseMod64(9), 7) * inverseMod64(5);
        Rng r = Rng.fromState(new long[] {1, s1, 2, 3, 0, 0});
        assertEquals(1 - 0x1.0p-53, Rng.fromState(new long[] {1, s1, 2, 3, 0, 0}).nextDouble(), 0);
        return r;
    }

    private static long inverseMod64(long a) {
        long x = a; // Newton: each step doubles the number of correct low bits
        for (int i = 0; i < 6; i++) {
            x *= 2 - a * x;
        }
        return x;
    }

    @Test
    void bernoulliRatesMatchSigmoid() {
        double[] f = {-2, 0, 1.5};
        Matrix y = new Bernoulli().sample(repeat(f, N), new Rng(84));
        for (int i = 0; i < 3; i++) {
            double q = 1 / (1 + Math.exp(-f[i]));
            double c = 0;
            for (int j = 0; j < N; j++) {
                double v = y.get(i, j);
                assertTrue(v == 0 || v == 1);
                c += v;
            }
            assertEquals(q, c / N, 5 * Math.sqrt(q * (1 - q) / N), "rate of output " + i);
        }
    }

    /** E[g g^T] with g = ∇_f(−log q(y|f)) at y ~ q(·|f): Monte Carlo against outputFisher. */
    @Test
    void outputFisherIsTheExpectedScoreOuterProductMonteCarlo() {
        double[] f = {0.3, -0.8, 1.1};
        Likelihood[] liks = {Gaussian.isotropic(0.4), Gaussian.withCovariance(COV), new Categorical(), new Bernoulli()};
        long seed = 85;
        for (Likelihood lik : liks) {
            Matrix out = repeat(f, N);
            Matrix y = lik.sample(out, new Rng(seed++));
            Matrix g = lik.outputError(out, y);
            double[] zero = new double[3];
            Matrix fisher = lik.outputFisher(out, 0);
            assertCovariance(g, zero, fisher, lik + " Fisher");
            // the score has mean zero under the model
            assertMeans(g, zero, lik + " score");
        }
    }

    @Test
    void categoricalFisherByExactEnumeration() {
        Matrix out = Matrix.ofRows(new double[] {0.3, 5}, new double[] {-0.8, 0}, new double[] {1.1, -3}, new double[] {0, 1});
        Categorical cat = new Categorical();
        for (int col = 0; col < 2; col++) {
            double[] p = Categorical.softmax(out.columns(col, col + 1)).data();
            Matrix expected = new Matrix(4, 4);
            for (int c = 0; c < 4; c++) {
                Matrix onehot = new Matrix(4, 1);
                onehot.set(c, 0, 1);
                Matrix g = cat.outputError(out.columns(col, col + 1), onehot); // p - e_c
                expected = Naive.combine(1, expected, p[c], Naive.multiply(g, Naive.transpose(g)));
            }
            Naive.assertClose(expected, cat.outputFisher(out, col), 1e-15, "categorical Fisher, column " + col);
            // rank n - 1: the all-ones vector is in the null space
            Matrix ones = Matrix.filled(4, 1, 1);
            assertEquals(0, Naive.maxAbs(Naive.multiply(cat.outputFisher(out, col), ones)), 1e-15);
        }
    }

    @Test
    void bernoulliFisherByExactEnumeration() {
        Matrix f = Matrix.column(0.3, -2, 1.1);
        Bernoulli b = new Bernoulli();
        Matrix expected = new Matrix(3, 3);
        for (int mask = 0; mask < 8; mask++) {
            Matrix y = new Matrix(3, 1);
            double prob = 1;
            for (int i = 0; i < 3; i++) {
                int yi = (mask >> i) & 1;
                y.set(i, 0, yi);
                double q = 1 / (1 + Math.exp(-f.get(i, 0)));
                prob *= yi == 1 ? q : 1 - q;
            }
            Matrix g = b.outputError(f, y);
            expected = Naive.combine(1, expected, prob, Naive.multiply(g, Naive.transpose(g)));
        }
        Naive.assertClose(expected, b.outputFisher(f, 0), 1e-15, "Bernoulli Fisher");
    }

    @Test
    void gaussianFisherIsThePrecision() {
        Naive.assertClose(Naive.inverse(COV), Gaussian.withCovariance(COV).outputFisher(new Matrix(3, 2), 1), 1e-14,
                "full");
        Naive.assertClose(Naive.combine(2.5, Naive.identity(2), 0, Naive.identity(2)),
                Gaussian.isotropic(0.4).outputFisher(new Matrix(2, 1), 0), 1e-15, "isotropic");
    }

    @Test
    void fisherFactorReproducesTheFisher() {
        Rng rng = new Rng(86);
        Matrix out = Naive.gaussian(3, 4, rng);
        out.set(0, 3, 800); // extreme logits too
        out.set(1, 3, -800);
        Likelihood[] liks = {Gaussian.unit(), Gaussian.isotropic(0.4), Gaussian.withCovariance(COV), new Categorical(),
                new Bernoulli()};
        for (Likelihood lik : liks) {
            for (int col = 0; col < 4; col++) {
                Matrix b = lik.outputFisherFactor(out, col);
                assertEquals(3, b.rows());
                Naive.assertClose(lik.outputFisher(out, col), Naive.multiply(b, Naive.transpose(b)), 1e-14,
                        lik + " B B^T, column " + col);
            }
        }
    }

    @Test
    void sampledOutputErrorIsTheErrorOfTheSampledTargetFromTheSameDraws() {
        Rng data = new Rng(31);
        Matrix f = Naive.gaussian(3, 40, data);
        Likelihood[] liks = {Gaussian.unit(), Gaussian.isotropic(0.3),
            Gaussian.withCovariance(Matrix.ofRows(new double[] {2, 0.5, 0}, new double[] {0.5, 1, 0.2}, new double[] {0, 0.2, 1.5})),
            new Categorical(), new Bernoulli()};
        for (Likelihood lik : liks) {
            Matrix direct = lik.sampledOutputError(f, new Rng(32));
            Matrix viaTarget = lik.outputError(f, lik.sample(f, new Rng(32)));
            double scale = Math.max(1, viaTarget.maxAbs());
            Matrix diff = org.natgrad.linalg.MatOps.subtract(direct, viaTarget, null);
            assertTrue(diff.maxAbs() <= 1e-12 * scale, lik + ": " + diff.maxAbs()); // round-off of f - (f + σz) only
        }
    }
}
