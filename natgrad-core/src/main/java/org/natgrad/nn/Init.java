package org.natgrad.nn;

import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Qr;
import org.natgrad.random.Rng;

/**
 * Weight initialisers. Each takes a layer shape and an {@link Rng}, so the same seed gives the
 * same weights. Biases start at zero.
 */
public sealed interface Init permits Init.Gaussian, Init.Orthogonal, Init.Zero {

    /** A new n_out x n_in weight matrix. */
    Matrix weights(int nOut, int nIn, Rng rng);

    /** W_ij ~ N(0, gain² / n_in): the official 2018 code's choice with gain 1. */
    record Gaussian(double gain) implements Init {
        public Gaussian {
            requireGain("Gaussian", gain);
        }

        @Override
        public Matrix weights(int nOut, int nIn, Rng rng) {
            Matrix w = new Matrix(nOut, nIn);
            double sd = gain / Math.sqrt(nIn);
            double[] d = w.data();
            for (int k = 0; k < d.length; k++) {
                d[k] = sd * rng.nextGaussian();
            }
            return w;
        }
    }

    /**
     * A (semi-)orthogonal matrix times gain: orthonormal rows if n_out <= n_in, orthonormal
     * columns otherwise (QR of a Gaussian matrix with sign correction, so Haar-distributed).
     */
    record Orthogonal(double gain) implements Init {
        public Orthogonal {
            requireGain("Orthogonal", gain);
        }

        @Override
        public Matrix weights(int nOut, int nIn, Rng rng) {
            int big = Math.max(nOut, nIn);
            int small = Math.min(nOut, nIn);
            Matrix g = new Matrix(big, small);
            rng.fillGaussian(g.data());
            Matrix q = Qr.orthonormalColumns(g); // big x small
            Matrix w = nOut >= nIn ? q : q.transpose();
            return org.natgrad.linalg.MatOps.scaleInPlace(gain, w);
        }
    }

    /** All zeros (a saddle for deep linear networks; useful in tests). */
    record Zero() implements Init {
        @Override
        public Matrix weights(int nOut, int nIn, Rng rng) {
            return new Matrix(nOut, nIn);
        }
    }

    private static void requireGain(String init, double gain) {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException(init + " init gain must be finite and > 0, got " + gain);
        }
    }

    /** N(0, 1/n_in). */
    static Init gaussian() {
        return new Gaussian(1.0);
    }

    /** Orthogonal with gain 1. */
    static Init orthogonal() {
        return new Orthogonal(1.0);
    }
}
