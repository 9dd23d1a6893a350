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
        Deflation f = Deflation.of("hutchPlusPlus", a, products, seed);
        double exactPart = MatOps.dot(f.q, f.aq);          // tr(Q^T A Q)
        double[] samples = new double[f.probes.cols()];
        for (int s = 0; s < samples.length; s++) {
            double[] zs = deflate(f.q, f.probes.column(s));
            samples[s] = ConjugateGradient.dot(zs, a.multiply(zs));
        }
        Estimate mc = meanOf(samples, exactPart, samples.length, f.q);
        return new Estimate(mc.value(), mc.standardError(), products, f.q);
    }

    /** Diag++ with a budget of {@code products} ≥ 3 products (k = products / 3 sketches, the rest probes). */
    public static DiagonalEstimate hutchPlusPlusDiagonal(LinearOperator a, int products, long seed) {
        Deflation f = Deflation.of("hutchPlusPlusDiagonal", a, products, seed);
        int p = a.size();
        double[] d = new double[p];
        double[] qd = f.q.data();
        double[] aqd = f.aq.data();
        for (int j = 0; j < f.q.cols(); j++) {            // diag(Q (AQ)^T) = diag(QQ^T A) for symmetric A
            for (int i = 0; i < p; i++) {
                d[i] += qd[j * p + i] * aqd[j * p + i];
            }
        }
        int probes = f.probes.cols();
        for (int s = 0; s < probes; s++) {
            double[] zs = f.probes.column(s);
            accumulateDiagonal(d, zs, deflate(f.q, a.multiply(zs)), 1.0 / probes);
        }
        return new DiagonalEstimate(d, products, f.q);
    }

    /**
     * Hutch++'s split of a budget of N products: k = min(N/3, P) sketches give Q = orth(A S) (P x k) and
     * A Q (2k products), and N − 2k Rademacher probes for the deflated remainder, all drawn from the seed.
     */
    private record Deflation(Matrix q, Matrix aq, Matrix probes) {
        static Deflation of(String who, LinearOperator a, int products, long seed) {
            requireAtLeast(who, "products", products, 3);
            int p = a.size();
            int k = Math.min(products / 3, p);
            Rng rng = new Rng(seed);
            Matrix q = Qr.orthonormalColumns(applyColumns(a, rademacher(p, k, rng)));
            return new Deflation(q, applyColumns(a, q), rademacher(p, products - 2 * k, rng));
        }
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
