package org.natgrad.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.data.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Qr;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * Smoke test in the spirit of math.md §2.8 (Fig. 1A), scaled down: a deep linear teacher with
 * ill-conditioned inputs and output noise σ = 1e-3, whose test error cannot go below
 * ½ n_L σ² (the "minimum achievable"). NGD must get within 10x of that floor in a fixed budget of
 * examples (20 000, i.e. 40 steps of M = 500; measured: 1.03x the floor); SGD (best of the paper's
 * learning-rate grid on the mean-loss gradient, M = 20) with the same examples must not (measured: ~330x).
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
        System.out.printf("floor %.3g, NGD %.3g, best SGD %.3g, NGD rejected %d, damping %.3g%n", floor, ngdError, bestSgd,
                ngd.rejectedSteps(), ngd.damping());
        assertTrue(ngdError < 10 * floor, "NGD test error " + ngdError + " vs floor " + floor);
        assertTrue(bestSgd > 10 * floor, "SGD test error " + bestSgd + " vs floor " + floor);
    }
}
