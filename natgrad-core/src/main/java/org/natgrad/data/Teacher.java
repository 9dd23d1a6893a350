package org.natgrad.data;

import java.util.List;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Qr;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * The synthetic teacher-student problem of the paper's linear-network experiments (math.md
 * §2.8): a random teacher network θ*, Gaussian inputs x ~ N(0, Σ) with a decaying spectrum, and
 * noisy targets y = teacher(x) + ξ, ξ ~ N(0, σ² I).
 *
 * <ul>
 *   <li>Teacher weights W_i ~ N(0, 1/n_{i-1}) element-wise, biases 0 (or none).</li>
 *   <li>Σ = Q diag(λ) Qᵀ with Q a Haar-random orthogonal n_0 x n_0 matrix (QR of a Gaussian
 *       matrix with sign correction) and λ_i = floor + exp(-decay · i / n_0), i = 0..n_0-1,
 *       rescaled so that Σ_i λ_i = n_0 (so E||x||² = n_0).</li>
 *   <li>A sample is x = Q diag(√λ) z with z ~ N(0, I_{n_0}), as a column.</li>
 * </ul>
 *
 * Everything random comes from the seed given to {@link #create} (teacher weights first, then
 * Q) and from the {@link Rng} given to {@link #sample}.
 */
public final class Teacher {

    /**
     * @param noiseVariance σ², the variance of each target-noise component (paper: 1e-6)
     * @param eigenFloor    added to every eigenvalue before rescaling (paper code: 1e-3)
     * @param eigenDecay    the 5 in exp(-5 i / n_0)
     * @param bias          whether the teacher has (zero) biases
     */
    public record Options(double noiseVariance, double eigenFloor, double eigenDecay, boolean bias) {
        public Options {
            if (!(noiseVariance >= 0) || Double.isInfinite(noiseVariance)) {
                throw new IllegalArgumentException("Teacher.Options: noiseVariance must be finite and >= 0, got "
                        + noiseVariance);
            }
            if (!(eigenFloor >= 0) || Double.isInfinite(eigenFloor)) {
                throw new IllegalArgumentException("Teacher.Options: eigenFloor must be finite and >= 0, got "
                        + eigenFloor);
            }
            if (!(eigenDecay >= 0) || Double.isInfinite(eigenDecay)) {
                throw new IllegalArgumentException("Teacher.Options: eigenDecay must be finite and >= 0, got "
                        + eigenDecay);
            }
        }

        /** The paper's settings: σ² = 1e-6, floor 1e-3, decay 5, no bias. */
        public static Options paper() {
            return new Options(1e-6, 1e-3, 5, false);
        }

        /** A copy with another noise variance. */
        public Options withNoiseVariance(double v) {
            return new Options(v, eigenFloor, eigenDecay, bias);
        }

        /** A copy with or without biases. */
        public Options withBias(boolean b) {
            return new Options(noiseVariance, eigenFloor, eigenDecay, b);
        }
    }

    private final Network network;
    private final Options options;
    private final double[] eigenvalues;
    private final Matrix rotation;
    private final Matrix sampler;

    private Teacher(Network network, Options options, double[] eigenvalues, Matrix rotation) {
        this.network = network;
        this.options = options;
        this.eigenvalues = eigenvalues;
        this.rotation = rotation;
        int n = eigenvalues.length;
        Matrix a = rotation.copy();
        for (int j = 0; j < n; j++) {
            double s = Math.sqrt(eigenvalues[j]);
            for (int i = 0; i < n; i++) {
                a.data()[i + j * n] *= s;
            }
        }
        this.sampler = a;
    }

    /**
     * A random teacher with widths n_0..n_L, {@code hidden} on layers 1..L-1 and {@code output} on
     * layer L.
     */
    public static Teacher create(List<Integer> widths, Activation hidden, Activation output, Options o, long seed) {
        Rng rng = new Rng(seed);
        Network net = Network.dense(widths, hidden, output, o.bias(), Init.gaussian(), rng);
        int n0 = widths.get(0);
        double[] lambda = eigenvalues(n0, o.eigenFloor(), o.eigenDecay());
        Matrix g = new Matrix(n0, n0);
        rng.fillGaussian(g.data());
        Matrix q = Qr.orthonormalColumns(g);
        return new Teacher(net, o, lambda, q);
    }

    /**
     * λ_i = floor + exp(-decay · i / n), i = 0..n-1, rescaled to sum to n (descending).
     */
    public static double[] eigenvalues(int n, double floor, double decay) {
        if (n <= 0) {
            throw new IllegalArgumentException("Teacher.eigenvalues: n must be positive, got " + n);
        }
        double[] l = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            l[i] = floor + Math.exp(-decay * i / n);
            sum += l[i];
        }
        double s = n / sum;
        for (int i = 0; i < n; i++) {
            l[i] *= s;
        }
        return l;
    }

    /** The teacher network θ* (not a copy: do not train it). */
    public Network network() {
        return network;
    }

    public Options options() {
        return options;
    }

    /** The eigenvalues λ of Σ (a copy), descending, summing to n_0. */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The orthogonal Q (n_0 x n_0) whose columns are Σ's eigenvectors (a copy). */
    public Matrix rotation() {
        return rotation.copy();
    }

    /** Σ = Q diag(λ) Qᵀ, n_0 x n_0. */
    public Matrix inputCovariance() {
        Matrix s = MatOps.gemm(1, sampler, false, sampler, true, 0, null);
        return MatOps.symmetrizeInPlace(s);
    }

    /** n inputs x ~ N(0, Σ) as columns (n_0 x n) and targets teacher(x) + N(0, σ² I) (n_L x n). */
    public Dataset sample(int n, Rng rng) {
        if (n < 0) {
            throw new IllegalArgumentException("Teacher.sample: n must be >= 0, got " + n);
        }
        int n0 = eigenvalues.length;
        if (n == 0) {
            return new Dataset(new Matrix(n0, 0), new Matrix(network.outputSize(), 0));
        }
        Matrix z = new Matrix(n0, n);
        rng.fillGaussian(z.data());
        Matrix x = MatOps.gemm(1, sampler, false, z, false, 0, null);
        Matrix y = network.predict(x).copy();
        double sd = Math.sqrt(options.noiseVariance());
        if (sd > 0) {
            double[] d = y.data();
            for (int k = 0; k < d.length; k++) {
                d[k] += sd * rng.nextGaussian();
            }
        }
        return new Dataset(x, y);
    }

    /**
     * The teacher's own expected test error ½ E||ξ||² = ½ n_L σ², the floor no student can beat
     * on average (the paper's "minimum achievable" line).
     */
    public double minimumAchievableError() {
        return 0.5 * network.outputSize() * options.noiseVariance();
    }
}
