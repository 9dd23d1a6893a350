package org.natgrad.likelihood;

import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * Categorical output model over n_L classes with softmax probabilities p = softmax(f), computed
 * with a stable log-sum-exp. Targets are n_L x M columns of class probabilities, usually one-hot.
 * Loss: −Σ_k y_k log p_k (cross-entropy), averaged over columns; output error p − y; output Fisher
 * diag(p) − p p^T (rank n_L − 1).
 */
public record Categorical() implements Likelihood {

    /** softmax of each column of f (n_L x M), n_L x M. */
    public static Matrix softmax(Matrix f) {
        Matrix p = new Matrix(f.rows(), f.cols());
        int n = f.rows();
        for (int j = 0; j < f.cols(); j++) {
            softmax(f.data(), j * n, n, p.data());
        }
        return p;
    }

    /** softmax(h) = exp(h − max h) / Σ exp(h − max h) of a vector h (length n), a new array of length n. */
    public static double[] softmax(double[] h) {
        double[] p = new double[h.length];
        softmax(h, 0, h.length, p);
        return p;
    }

    /** out[off..off+n) = softmax of in[off..off+n): the one softmax of natgrad. */
    private static void softmax(double[] in, int off, int n, double[] out) {
        double max = max(in, off, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(in[off + i] - max);
            out[off + i] = e;
            sum += e;
        }
        for (int i = 0; i < n; i++) {
            out[off + i] /= sum;
        }
    }

    private static double max(double[] a, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, a[off + i]);
        }
        return max;
    }

    /** The output Fisher diag(p) − p p^T (n x n) of class probabilities p (length n). */
    public static Matrix fisherOf(double[] p) {
        int n = p.length;
        Matrix f = new Matrix(n, n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                f.set(i, j, (i == j ? p[i] : 0) - p[i] * p[j]);
            }
        }
        return f;
    }

    /** B = diag(√p) − p √p^T (n x n) of class probabilities p (length n): B B^T = diag(p) − p p^T since Σ p = 1. */
    public static Matrix fisherFactorOf(double[] p) {
        int n = p.length;
        Matrix b = new Matrix(n, n);
        for (int j = 0; j < n; j++) {
            double sj = Math.sqrt(p[j]);
            for (int i = 0; i < n; i++) {
                b.set(i, j, (i == j ? sj : 0) - p[i] * sj);
            }
        }
        return b;
    }

    /**
     * The class drawn by a uniform u in [0, 1) from the probabilities p[off..off+n): the first i
     * with u below p_0 + ... + p_i; if rounding leaves u above the whole sum, the last class that
     * has mass. Returns an index in 0..n-1.
     */
    public static int sampleClass(double[] p, int off, int n, double u) {
        double c = 0;
        for (int i = 0; i < n; i++) {
            c += p[off + i];
            if (u < c) {
                return i;
            }
        }
        int pick = n - 1;
        while (pick > 0 && p[off + pick] == 0) {
            pick--;
        }
        return pick;
    }

    @Override
    public double loss(Matrix output, Matrix target) {
        Likelihood.requireSameShape("Categorical.loss", output, target);
        double[] fd = output.data();
        double[] yd = target.data();
        int n = output.rows();
        double total = 0;
        for (int j = 0; j < output.cols(); j++) {
            int off = j * n;
            double max = max(fd, off, n);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(fd[off + i] - max);
            }
            double logSum = Math.log(sum);
            for (int i = 0; i < n; i++) {
                if (yd[off + i] != 0) {
                    // log p_i = (f_i - max) - log Σ exp(f - max): no cancellation of large logits
                    total -= yd[off + i] * ((fd[off + i] - max) - logSum);
                }
            }
        }
        return total / output.cols();
    }

    @Override
    public Matrix outputError(Matrix output, Matrix target) {
        Likelihood.requireSameShape("Categorical.outputError", output, target);
        Matrix p = softmax(output);
        double[] pd = p.data();
        double[] yd = target.data();
        for (int k = 0; k < pd.length; k++) {
            pd[k] -= yd[k];
        }
        return p;
    }

    @Override
    public Matrix sample(Matrix output, Rng rng) {
        Matrix p = softmax(output);
        Matrix y = new Matrix(output.rows(), output.cols());
        int n = output.rows();
        for (int j = 0; j < output.cols(); j++) {
            y.set(sampleClass(p.data(), j * n, n, rng.nextDouble()), j, 1.0);
        }
        return y;
    }

    @Override
    public Matrix outputFisher(Matrix output, int column) {
        return fisherOf(softmax(output.columns(column, column + 1)).data());
    }

    /** B = diag(√p) − p √p^T, so that B B^T = diag(p) − p p^T. */
    @Override
    public Matrix outputFisherFactor(Matrix output, int column) {
        return fisherFactorOf(softmax(output.columns(column, column + 1)).data());
    }

    @Override
    public void validateTargets(Matrix output, Matrix target) {
        Likelihood.requireSameShape("Categorical targets", output, target);
        int n = target.rows();
        for (int j = 0; j < target.cols(); j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double v = target.get(i, j);
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("Categorical targets: column " + j + ", row " + i
                            + " holds " + v + ", expected a probability in [0, 1]");
                }
                s += v;
            }
            if (Math.abs(s - 1) > 1e-6) {
                throw new IllegalArgumentException("Categorical targets: column " + j + " sums to " + s + ", expected 1");
            }
        }
    }

    @Override
    public String label() {
        return "categorical";
    }
}
