package org.natgrad.matrixfree;

import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Qr;
import org.natgrad.random.Rng;

/**
 * Randomized estimates of the trace and the diagonal of a symmetric operator A (size P) from
 * products with Rademacher probes z (entries ±1 with probability ½ each):
 * <ul>
 *   <li>Hutchinson: tr A ≈ (1/s) Σ z^T A z, variance 2 (‖A‖_F² − Σ_i A_ii²) / s; diag A ≈
 *       (1/s) Σ z ⊙ A z, entry i with variance Σ_{j≠i} A_ij² / s (Bekas, Kokiopoulou & Saad 2007).</li>
 *   <li>Hutch++ (Meyer, Musco, Musco & Woodruff 2021): with a budget of N products, k = N/3 sketch
 *       columns give Q = orth(A S) (P x k); tr A = tr(Q^T A Q) + Hutchinson on
 *       (I − QQ^T) A (I − QQ^T) with N − 2k probes. Its variance is Hutchinson's formula for the
 *       deflated matrix, small when A's spectrum decays (a Fisher's does). The diagonal (Diag++,
 *       Baston & Nakatsukasa 2022) is diag(QQ^T A) exactly plus Hutchinson's diagonal of (I − QQ^T) A.</li>
 * </ul>
 * Deterministic given the seed.
 */
public final class TraceEstimator {
    private TraceEstimator() {
    }

    /**
     * A trace estimate.
     *
     * @param value         the estimate of tr A
     * @param standardError the sample standard deviation of the Monte Carlo part over its probes,
     *                      divided by √probes (0 with one probe or none)
     * @param products      products with A used
     * @param basis         Hutch++'s deflation basis Q (P x k), or null for plain Hutchinson
     */
    public record Estimate(double value, double standardError, int products, Matrix basis) {
    }

    /**
     * A diagonal estimate.
     *
     * @param values   the estimate of diag A, length P
     * @param products products with A used
     * @param basis    Diag++'s deflation basis Q (P x k), or null for plain Hutchinson
     */
    public record DiagonalEstimate(double[] values, int products, Matrix basis) {
    }

    /** P x n Rademacher matrix (entries ±1) drawn from {@code rng}: one draw per entry, column-major. */
    public static Matrix rademacher(int p, int n, Rng rng) {
        Matrix z = new Matrix(p, n);
        double[] d = z.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextDouble() < 0.5 ? -1 : 1;
        }
        return z;
    }

    /** Hutchinson's trace estimate with {@code probes} ≥ 1 Rademacher probes. */
    public static Estimate hutchinson(LinearOperator a, int probes, long seed) {
        requireAtLeast("hutchinson", "probes", probes, 1);
        Matrix z = rademacher(a.size(), probes, new Rng(seed));
        double[] samples = new double[probes];
        for (int s = 0; s < probes; s++) {
            double[] zs = z.column(s);
            samples[s] = ConjugateGradient.dot(zs, a.multiply(zs));
        }
        return meanOf(samples, 0, probes, null);
    }

    /** Hutchinson's diagonal estimate with {@code probes} ≥ 1 Rademacher probes. */
    public static DiagonalEstimate hutchinsonDiagonal(LinearOperator a, int probes, long seed) {
        requireAtLeast("hutchinsonDiagonal", "probes", probes, 1);
        Matrix z = rademacher(a.size(), probes, new Rng(seed));
        double[] d = new double[a.size()];
        for (int s = 0; s < probes; s++) {
            double[] zs = z.column(s);
            accumulateDiagonal(d, zs, a.multiply(zs), 1.0 / probes);
        }
        return new DiagonalEstimate(d, probes, null);
    }

    /** Hutch++ with a budget of {@code products} ≥ 3 products (k = products / 3 sketches, the rest probes). */
    public static Estimate hutchPlusPlus(LinearOperator a, int products, long seed) {
        requireAtLeast("hutchPlusPlus", "products", products, 3);
        int p = a.size();
        int k = Math.min(products / 3, p);
        int probes = products - 2 * k;
        Rng rng = new Rng(seed);
        Matrix q = rangeBasis(a, k, rng);
        Matrix aq = applyColumns(a, q);
        double exactPart = MatOps.dot(q, aq);           // tr(Q^T A Q)
        Matrix z = rademacher(p, probes, rng);
        double[] samples = new double[probes];
        for (int s = 0; s < probes; s++) {
            double[] zs = deflate(q, z.column(s));
            samples[s] = ConjugateGradient.dot(zs, a.multiply(zs));
        }
        Estimate mc = meanOf(samples, exactPart, probes, q);
        return new Estimate(mc.value(), mc.standardError(), 2 * k + probes, q);
    }

    /** Diag++ with a budget of {@code products} ≥ 3 products (k = products / 3 sketches, the rest probes). */
    public static DiagonalEstimate hutchPlusPlusDiagonal(LinearOperator a, int products, long seed) {
        requireAtLeast("hutchPlusPlusDiagonal", "products", products, 3);
        int p = a.size();
        int k = Math.min(products / 3, p);
        int probes = products - 2 * k;
        Rng rng = new Rng(seed);
        Matrix q = rangeBasis(a, k, rng);
        Matrix aq = applyColumns(a, q);
        double[] d = new double[p];
        double[] qd = q.data();
        double[] aqd = aq.data();
        for (int j = 0; j < k; j++) {                    // diag(Q (AQ)^T) = diag(QQ^T A) for symmetric A
            for (int i = 0; i < p; i++) {
                d[i] += qd[j * p + i] * aqd[j * p + i];
            }
        }
        Matrix z = rademacher(p, probes, rng);
        for (int s = 0; s < probes; s++) {
            double[] zs = z.column(s);
            accumulateDiagonal(d, zs, deflate(q, a.multiply(zs)), 1.0 / probes);
        }
        return new DiagonalEstimate(d, 2 * k + probes, q);
    }

    /** Q = orth(A S) for a P x k Rademacher sketch S (k products). */
    private static Matrix rangeBasis(LinearOperator a, int k, Rng rng) {
        Matrix s = rademacher(a.size(), k, rng);
        return Qr.orthonormalColumns(applyColumns(a, s));
    }

    private static Matrix applyColumns(LinearOperator a, Matrix x) {
        int p = a.size();
        Matrix out = new Matrix(p, x.cols());
        for (int j = 0; j < x.cols(); j++) {
            System.arraycopy(a.multiply(x.column(j)), 0, out.data(), j * p, p);
        }
        return out;
    }

    /** (I − QQ^T) v as a new vector. */
    private static double[] deflate(Matrix q, double[] v) {
        double[] c = MatOps.gemv(1, q, true, v, 0, null);
        double[] out = v.clone();
        return MatOps.gemv(-1, q, false, c, 1, out);
    }

    private static void accumulateDiagonal(double[] d, double[] z, double[] az, double w) {
        for (int i = 0; i < d.length; i++) {
            d[i] += w * z[i] * az[i];
        }
    }

    private static Estimate meanOf(double[] samples, double offset, int n, Matrix basis) {
        if (n == 0) {
            return new Estimate(offset, 0, 0, basis);
        }
        double mean = 0;
        for (double s : samples) {
            mean += s;
        }
        mean /= n;
        double var = 0;
        for (double s : samples) {
            var += (s - mean) * (s - mean);
        }
        double se = n > 1 ? Math.sqrt(var / (n - 1) / n) : 0;
        return new Estimate(offset + mean, se, n, basis);
    }

    private static void requireAtLeast(String who, String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("TraceEstimator." + who + ": " + what + " must be >= " + min + ", got " + value);
        }
    }
}
