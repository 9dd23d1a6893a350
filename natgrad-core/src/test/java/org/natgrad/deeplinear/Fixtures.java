package org.natgrad.deeplinear;

import java.util.ArrayList;
import java.util.List;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Qr;
import org.natgrad.random.Rng;

/** Random deep linear models for tests (deterministic from the seed). */
final class Fixtures {

    static final int[] SQUARE = {4, 4, 4};
    static final int[] SQUARE_DEEP = {3, 3, 3, 3};
    static final int[] WIDENING = {3, 5, 7, 4};
    static final int[] CONTRACTING = {6, 5, 4, 3};
    static final int[] EXPANDING = {3, 4, 5, 6};
    static final int[] BOTTLENECK = {6, 3, 1, 3, 6};

    private Fixtures() {
    }

    static Matrix gaussian(int rows, int cols, double sd, Rng rng) {
        Matrix m = new Matrix(rows, cols);
        rng.fillGaussian(m.data());
        return MatOps.scaleInPlace(sd, m);
    }

    /** Q diag(eigs) Q^T with Haar Q and eigenvalues spread log-uniformly over [lo, hi]. */
    static Matrix spd(int n, double lo, double hi, Rng rng) {
        Matrix q = Qr.orthonormalColumns(gaussian(n, n, 1, rng));
        double[] ev = new double[n];
        for (int k = 0; k < n; k++) {
            ev[k] = n == 1 ? hi : lo * Math.pow(hi / lo, (double) k / (n - 1));
        }
        Matrix s = MatOps.multiply(MatOps.multiply(q, Matrix.diagonal(ev)), q.transpose());
        return MatOps.symmetrizeInPlace(s);
    }

    /** Weights W_i ~ N(0, 1/n_{i-1}). */
    static List<Matrix> weights(int[] widths, Rng rng) {
        List<Matrix> w = new ArrayList<>();
        for (int i = 1; i < widths.length; i++) {
            w.add(gaussian(widths[i], widths[i - 1], 1 / Math.sqrt(widths[i - 1]), rng));
        }
        return w;
    }

    /**
     * A model with random weights, Σ with eigenvalues in [0.2, 2], a non-isotropic Σ̃ with
     * eigenvalues in [0.5, 2], and a random W* of entries N(0, 1/n_0).
     */
    static DeepLinearModel model(int[] widths, long seed) {
        Rng rng = new Rng(seed);
        int n0 = widths[0];
        int nl = widths[widths.length - 1];
        List<Matrix> w = weights(widths, rng);
        Matrix sigma = spd(n0, 0.2, 2.0, rng);
        Matrix sigmaTilde = spd(nl, 0.5, 2.0, rng);
        Matrix target = gaussian(nl, n0, 1 / Math.sqrt(n0), rng);
        return DeepLinearModel.of(w, sigma, sigmaTilde, target);
    }

    /** As {@link #model} with Σ̃ = I. */
    static DeepLinearModel unitOutputModel(int[] widths, long seed) {
        DeepLinearModel m = model(widths, seed);
        return m.withOutputCovariance(Matrix.identity(widths[widths.length - 1]));
    }

    /** Concatenation of per-layer matrices into one column (flat order). */
    static Matrix flat(DeepLinearModel m, List<Matrix> perLayer) {
        return Matrix.column(m.flatten(perLayer));
    }

    static double relErr(List<Matrix> a, List<Matrix> b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.size(); i++) {
            Matrix d = MatOps.subtract(a.get(i), b.get(i), null);
            num += MatOps.dot(d, d);
            den += MatOps.dot(b.get(i), b.get(i));
        }
        return Math.sqrt(num / den);
    }
}
