package org.natgrad.bench;

import java.util.List;
import org.natgrad.nn.Batch;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/** The networks and data the benchmarks share, all deterministic in their seed. */
public final class Workloads {

    /** Widths of the MNIST autoencoder of the paper's experiments: 784-400-200-100-50-100-200-400-784. */
    public static final List<Integer> AUTOENCODER_WIDTHS = List.of(784, 400, 200, 100, 50, 100, 200, 400, 784);

    /** Depth and width of the square deep linear network: 16 layers of 20 x 20. */
    public static final int DEEP_LINEAR_LAYERS = 16;
    public static final int DEEP_LINEAR_WIDTH = 20;

    private Workloads() {
    }

    /** The tanh autoencoder (final layer linear, biases, W ~ N(0, 1/n_in)). */
    public static Network autoencoder(long seed) {
        return Network.dense(AUTOENCODER_WIDTHS, Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1.0), seed);
    }

    /** The 16-layer, width-20 linear network without biases (orthogonal init, so it neither explodes nor vanishes). */
    public static Network deepLinear(long seed) {
        Integer[] w = new Integer[DEEP_LINEAR_LAYERS + 1];
        java.util.Arrays.fill(w, DEEP_LINEAR_WIDTH);
        return Network.dense(List.of(w), Activation.IDENTITY, Activation.IDENTITY, false, new Init.Orthogonal(1.0), seed);
    }

    /** A reconstruction batch: inputs uniform in [0, 1) like pixel intensities, n x m, targets = inputs. */
    public static Batch autoencoderBatch(int n, int m, long seed) {
        Matrix x = uniform(n, m, new Rng(seed));
        return new Batch(x, x);
    }

    /** A regression batch for a linear teacher: x ~ N(0, I), y = T x + 0.1 noise with a fixed Gaussian teacher T. */
    public static Batch teacherBatch(int n, int m, long seed) {
        Rng rng = new Rng(seed);
        Matrix teacher = new Matrix(n, n);
        rng.fillGaussian(teacher.data());
        org.natgrad.linalg.MatOps.scaleInPlace(1 / Math.sqrt(n), teacher);
        Matrix x = new Matrix(n, m);
        rng.fillGaussian(x.data());
        Matrix y = org.natgrad.linalg.MatOps.multiply(teacher, x);
        double[] yd = y.data();
        for (int k = 0; k < yd.length; k++) {
            yd[k] += 0.1 * rng.nextGaussian();
        }
        return new Batch(x, y);
    }

    /** An n x m matrix of uniform [0, 1) entries. */
    public static Matrix uniform(int n, int m, Rng rng) {
        Matrix a = new Matrix(n, m);
        double[] d = a.data();
        for (int k = 0; k < d.length; k++) {
            d[k] = rng.nextDouble();
        }
        return a;
    }

    /** An n x m matrix of standard normal entries. */
    public static Matrix gaussian(int n, int m, long seed) {
        Matrix a = new Matrix(n, m);
        new Rng(seed).fillGaussian(a.data());
        return a;
    }

    /** A well-conditioned symmetric positive-definite n x n matrix: G G^T / n + I with G Gaussian. */
    public static Matrix spd(int n, long seed) {
        Matrix g = gaussian(n, n, seed);
        Matrix s = org.natgrad.linalg.MatOps.syrk(1.0 / n, g, false, 0, null);
        return org.natgrad.linalg.MatOps.addDiagonalInPlace(s, 1.0);
    }
}
