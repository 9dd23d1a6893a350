package org.natgrad.experiment.bernacchia2018;

import org.natgrad.linalg.Matrix;

/**
 * Panel D's pixel standardisation, as in the official code (math.md §2.8): each pixel is centred
 * by its mean over the training images, then every pixel is divided by one global standard
 * deviation, that of all centred training pixels. Fitted on training data only and applied
 * unchanged to the test data. Images are columns (pixels x N).
 *
 * @param mean per-pixel training mean (length = pixels)
 * @param std  global standard deviation of the centred training pixels (> 0)
 */
public record PixelStandardiser(double[] mean, double std) {

    public PixelStandardiser {
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("PixelStandardiser: global standard deviation must be finite and > 0, got " + std);
        }
        mean = mean.clone();
    }

    /**
     * Fits to training images (pixels x N).
     *
     * @throws IllegalArgumentException if there are no images, a pixel is non-finite, or all pixels are constant
     */
    public static PixelStandardiser fit(Matrix images) {
        int p = images.rows();
        int n = images.cols();
        if (n == 0 || p == 0) {
            throw new IllegalArgumentException("PixelStandardiser.fit: no images (" + images.shape() + ")");
        }
        int bad = images.firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException("PixelStandardiser.fit: non-finite pixel " + (bad % p) + " in image " + (bad / p));
        }
        double[] d = images.data();
        double[] mean = new double[p];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < p; i++) {
                mean[i] += d[i + j * p];
            }
        }
        for (int i = 0; i < p; i++) {
            mean[i] /= n;
        }
        double ss = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < p; i++) {
                double c = d[i + j * p] - mean[i];
                ss += c * c;
            }
        }
        double std = Math.sqrt(ss / ((double) n * p));
        if (!(std > 0)) {
            throw new IllegalArgumentException("PixelStandardiser.fit: every pixel is constant over the " + n + " images");
        }
        return new PixelStandardiser(mean, std);
    }

    /** (x − mean) / std for each image column; a new matrix. */
    public Matrix apply(Matrix images) {
        int p = mean.length;
        if (images.rows() != p) {
            throw new IllegalArgumentException("PixelStandardiser.apply: images are " + images.shape()
                    + " but the standardiser was fitted to " + p + " pixels");
        }
        Matrix out = new Matrix(p, images.cols());
        double[] s = images.data();
        double[] o = out.data();
        for (int k = 0; k < s.length; k++) {
            o[k] = (s[k] - mean[k % p]) / std;
        }
        return out;
    }
}
