package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Qr;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * Test in the spirit of math.md §2.8 (Fig. 1A), scaled down: a deep linear teacher with
 * ill-conditioned inputs and output noise σ = 1e-3, whose test error cannot go below
 * ½ n_L σ² (the "minimum achievable"). In a fixed budget of examples (20 000, i.e. 40 steps of
 * M = 500) NGD must reach that floor up to the least-squares excess of a minibatch fit and the
 * test-set noise (see {@link #ngdReachesTheNoiseFloorWhileSgdDoesNot}); SGD (best of the paper's
 * learning-rate grid on the mean-loss gradient, M = 20) with the same examples must stay above 10x
 * the floor (measured: ~330x).
 */
class NaturalGradientConvergenceTest {
    static final int WIDTH = 6;
    static final int LAYERS = 4;
    static final double NOISE = 1e-3;

    record Data(Matrix x, Matrix y) {
        Batch batch(int[] idx) {
            return new Batch(x.selectColumns(idx), y.selectColumns(idx));
        }
    }

    static Data sample(Network teacher, Matrix mix, int n, Rng rng) {
        Matrix z = new Matrix(WIDTH, n);
        rng.fillGaussian(z.data());
        Matrix x = MatOps.multiply(mix, z);
        Matrix noise = new Matrix(WIDTH, n);
        rng.fillGaussian(noise.data());
        Matrix y = MatOps.axpy(NOISE, noise, teacher.predict(x));
        return new Data(x, y);
    }

    /** m distinct indices out of n (partial Fisher-Yates). */
    static int[] draw(Rng rng, int n, int m) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, m);
    }

    static double testError(Network net, Data test) {
        return Gaussian.unit().loss(net.predict(test.x()), test.y());
    }

    @Test
    void ngdReachesTheNoiseFloorWhileSgdDoesNot() {
        List<Integer> widths = java.util.Collections.nCopies(LAYERS + 1, WIDTH);
        Rng rng = new Rng(1);
        Network teacher = Network.dense(widths, Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1), 2);
        // inputs x = Q diag(√s) z with s_i ∝ 1e-3 + exp(-5 i / n), rescaled to sum n (math.md §2.8)
        Matrix q = Qr.orthonormalColumns(NaturalGradientTest.gaussian(WIDTH, WIDTH, rng));
        double[] s = new double[WIDTH];
        double sum = 0;
        for (int i = 0; i < WIDTH; i++) {
            s[i] = 1e-3 + Math.exp(-5.0 * i / WIDTH);
            sum += s[i];
        }
        Matrix mix = q.copy();
        for (int j = 0; j < WIDTH; j++) {
            double c = Math.sqrt(s[j] * WIDTH / sum);
            for (int i = 0; i < WIDTH; i++) {
                mix.set(i, j, mix.get(i, j) * c);
            }
        }
        Data train = sample(teacher, mix, 4000, rng);
        Data test = sample(teacher, mix, 1000, rng);
        double floor = 0.5 * WIDTH * NOISE * NOISE;
        int budget = 20_000; // examples

        Network student = Network.dense(widths, Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1), 3);
        Network ngdNet = student.copy();
        NaturalGradient ngd = new NaturalGradient(Gaussian.unit(), NaturalGradientOptions.paperDefaults().withSeed(4));
        Rng pick = new Rng(5);
        int m = 500;
        for (int seen = 0; seen < budget; seen += m) {
            ngd.step(ngdNet, train.batch(draw(pick, train.x().cols(), m)));
        }
        double ngdError = testError(ngdNet, test);

        double bestSgd = Double.POSITIVE_INFINITY;
        for (double lr : new double[] {0.02, 0.04, 0.06, 0.08}) {
            Network sgdNet = student.copy();
            Sgd sgd = new Sgd(Gaussian.unit(), lr);
            Rng p2 = new Rng(6);
            for (int seen = 0; seen < budget; seen += 20) {
                sgd.step(sgdNet, train.batch(draw(p2, train.x().cols(), 20)));
            }
            double e = testError(sgdNet, test);
            bestSgd = Math.min(bestSgd, Double.isNaN(e) ? Double.POSITIVE_INFINITY : e);
        }
        double teacherError = testError(teacher, test);
        System.out.printf("floor %.3g, teacher %.4g (%.4fx), NGD %.4g (%.4fx the floor, %.4fx the teacher), best SGD %.3g, "
                + "NGD rejected %d, damping %.3g%n", floor, teacherError, teacherError / floor, ngdError, ngdError / floor,
                ngdError / teacherError, bestSgd, ngd.rejectedSteps(), ngd.damping());
        // Expected value. By Eq. 18 the NGD dynamics contract W − W* at a rate independent of Σ, the
        // depth and the conditioning; an α = 1 step with negligible damping (λ is at its floor 1e-8 at
        // the end) is, to first order in the distance, a jump to the least-squares fit W*_k of its
        // minibatch, so after convergence the student is (close to) the least-squares fit of the last
        // M = 500 examples on d = n_0 + 1 = 7 regressors (6 inputs and the bias). For Gaussian regressors
        // that fit's expected excess test error is σ² d/(M − d − 1) per output, so
        //     E[NGD test error] ≈ ½ n_L σ² (1 + d/(M − d − 1)) = floor × 1.0142.
        // Sampling error: the test error's noise part is a χ² average over n_L M_test = 6000 terms, so
        // teacherError/floor has s.d. √(2/6000) = 1.8%; the ratio to the teacher's own test error on
        // the same test set removes that (its s.d. from the excess and the cross term is ~0.5%).
        // Tolerances: 10% on the ratio to the floor (≈ 5 s.d. of the test-set noise), and on
        // NGD/teacher 5 percentage points above 1 + d/(M − d − 1) for what the first-order picture
        // leaves out (Λ̃ from K = 1 model samples, finitely many steps). Measured for this seed: 1.032
        // and 1.021. Over 16 seeds of data, weights and sampling, the 12 runs that had converged within
        // the budget (last two of 8 checkpoints within 2%) gave 0.984–1.044 and 1.011–1.042 (mean 1.019);
        // 4 were still decreasing when the budget ran out (1.04x, 1.08x, 1.7x and 1.9x the floor): the
        // budget, not the bound, is what this seed's convergence depends on.
        int d = WIDTH + 1;
        double lsExcess = (double) d / (m - d - 1);
        double expected = floor * (1 + lsExcess);
        assertEquals(1, ngdError / expected, 0.10, "NGD test error " + ngdError + " vs expected " + expected);
        // NGD's weights do not depend on the test set, so they cannot beat the teacher on it (by more
        // than the ~0.3% cross term, against an expected excess of 1.4%).
        assertTrue(ngdError > teacherError, "NGD test error " + ngdError + " below the teacher's " + teacherError);
        assertTrue(ngdError < (1 + lsExcess + 0.05) * teacherError, "NGD test error " + ngdError + " vs teacher "
                + teacherError);
        assertTrue(bestSgd > 10 * floor, "SGD test error " + bestSgd + " vs floor " + floor);
    }
}
