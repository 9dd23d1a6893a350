package org.natgrad.estimate;

import static org.natgrad.estimate.DiagonalScaling.scaleRows;

import java.util.Locale;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Activation;
import org.natgrad.random.Rng;

/**
 * The exponential-family output layer of math.md §3.1, p(y | h) = π(y) exp(t(y)^T h − F(h)),
 * with natural parameters h = the network output (length d = n_L). It gives what the two Fisher
 * estimators and their variances need: the centred sufficient statistic ε = t(y) − η(h) drawn from
 * the model, the output Fisher 𝓘(h) = Cov(t) (d x d), slices of the third cumulant κ3, and fourth
 * moments of ε contracted with vectors (E[(u·ε)²(v·ε)²]) or with d x d matrices
 * (E[(ε^T A ε)(ε^T B ε)]).
 *
 * <p>Gaussian with variance σ² is written with h = μ (the network output, as in natgrad's
 * {@link Gaussian}) and t(y) = y/σ², F(h) = h²/(2σ²): the same density as math.md's h = μ/σ²,
 * t = y form, but with the network output as natural parameter, so that the score and Hessian
 * of natgrad's squared loss are those of this family. Then 𝓘 = I/σ², κ3 = κ4 = 0.
 */
public sealed interface ExponentialFamily {

    /** 𝓘(h) = Cov(t(y)), d x d. */
    Matrix fisher(double[] h);

    /** A factor B (d x r) with B B^T = 𝓘(h). */
    Matrix fisherFactor(double[] h);

    /** Writes ε = t(y) − η(h) for one draw y ~ p(· | h) into {@code out} (length d). */
    void sampleCentred(double[] h, Rng rng, double[] out);

    /** The slice κ3[:, :, γ] of the third cumulant tensor, d x d. */
    Matrix kappa3Slice(double[] h, int gamma);

    /**
     * M4 (P x P) with M4_ab = E[(j_a·ε)²(j_b·ε)²] for the columns j_a of J (d x P). Then
     * N Var(Î1)_ab = M4_ab − I_ab².
     */
    Matrix fourthMoments(double[] h, Matrix jacobian);

    /** E[(ε^T A ε)(ε^T B ε)] for symmetric d x d A, B. */
    double quadMoment(double[] h, Matrix a, Matrix b);

    /** tr(A 𝓘 B 𝓘) for symmetric d x d A, B. */
    double fisherInner(double[] h, Matrix a, Matrix b);

    /** tr(A 𝓘). */
    double traceWith(double[] h, Matrix a);

    /**
     * An upper bound on m4 = sup_{‖u‖=1} E[(u^T ε)^4] (math.md §3.5); exact for the Gaussian.
     */
    double m4Bound(double[] h);

    /** λ_max(𝓘(h)). */
    double maxFisherEigenvalue(double[] h);

    /** A short name: gaussian, bernoulli, categorical, poisson. */
    String label();

    /**
     * The family of one of natgrad's likelihoods: isotropic Gaussian, Bernoulli (logits),
     * Categorical (softmax logits).
     *
     * @throws IllegalArgumentException for a Gaussian with a full covariance (not supported by the
     *                                  variance formulas here)
     */
    static ExponentialFamily of(Likelihood likelihood) {
        if (likelihood instanceof Gaussian g) {
            if (!g.isIsotropic()) {
                throw new IllegalArgumentException("ExponentialFamily: a Gaussian with a full covariance is not "
                        + "supported by the Fisher-variance formulas; use an isotropic variance");
            }
            return new GaussianFamily(g.variance());
        }
        if (likelihood instanceof Bernoulli) {
            return new BernoulliFamily();
        }
        if (likelihood instanceof Categorical) {
            return new CategoricalFamily();
        }
        throw new IllegalArgumentException("ExponentialFamily: unsupported likelihood " + likelihood.label());
    }

    /** Parses gaussian (σ² = 1), bernoulli, categorical or poisson. */
    static ExponentialFamily parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "gaussian", "squared", "mse" -> new GaussianFamily(1.0);
            case "bernoulli", "logistic" -> new BernoulliFamily();
            case "categorical", "softmax" -> new CategoricalFamily();
            case "poisson" -> new PoissonFamily();
            default -> throw new IllegalArgumentException("unknown likelihood '" + name
                    + "'; the Fisher-variance formulas support gaussian, bernoulli, categorical, poisson");
        };
    }

    /**
     * A family whose d outputs are independent given h (Gaussian with σ² I, Bernoulli, Poisson):
     * 𝓘 = diag(v), κ3 and κ4 diagonal. Everything follows from the per-coordinate variance v,
     * third and fourth cumulants.
     */
    sealed interface Independent extends ExponentialFamily permits GaussianFamily, BernoulliFamily, PoissonFamily {
        /** Var(t_α) at natural parameter hα. */
        double variance(double h);

        /** Third cumulant of t_α. */
        double kappa3(double h);

        /** Fourth cumulant of t_α. */
        double kappa4(double h);

        /** One centred draw t_α − η_α. */
        double sampleCentred(double h, Rng rng);

        @Override
        default Matrix fisher(double[] h) {
            Matrix f = new Matrix(h.length, h.length);
            for (int i = 0; i < h.length; i++) {
                f.set(i, i, variance(h[i]));
            }
            return f;
        }

        @Override
        default Matrix fisherFactor(double[] h) {
            Matrix f = new Matrix(h.length, h.length);
            for (int i = 0; i < h.length; i++) {
                f.set(i, i, Math.sqrt(variance(h[i])));
            }
            return f;
        }

        @Override
        default void sampleCentred(double[] h, Rng rng, double[] out) {
            for (int i = 0; i < h.length; i++) {
                out[i] = sampleCentred(h[i], rng);
            }
        }

        @Override
        default Matrix kappa3Slice(double[] h, int gamma) {
            Matrix k = new Matrix(h.length, h.length);
            k.set(gamma, gamma, kappa3(h[gamma]));
            return k;
        }

        @Override
        default Matrix fourthMoments(double[] h, Matrix j) {
            int d = j.rows();
            int p = j.cols();
            double[] v = new double[d];
            double[] k4 = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = variance(h[i]);
                k4[i] = kappa4(h[i]);
            }
            // I = J^T diag(v) J
            Matrix sj = j.copy();
            scaleRows(sj, sqrt(v));
            Matrix fisher = MatOps.syrk(1, sj, true, 0, null);
            // κ4 part: (J∘J)^T diag(κ4) (J∘J)
            Matrix j2 = j.copy().mapInPlace(x -> x * x);
            Matrix kj2 = j2.copy();
            scaleRows(kj2, k4);
            Matrix m = MatOps.gemm(1, j2, true, kj2, false, 0, null);
            double[] md = m.data();
            double[] fd = fisher.data();
            for (int b = 0; b < p; b++) {
                for (int a = 0; a < p; a++) {
                    double iab = fd[a + b * p];
                    md[a + b * p] += fd[a + a * p] * fd[b + b * p] + 2 * iab * iab;
                }
            }
            return m;
        }

        @Override
        default double quadMoment(double[] h, Matrix a, Matrix b) {
            int d = h.length;
            double[] v = new double[d];
            double k4 = 0;
            double ta = 0;
            double tb = 0;
            for (int i = 0; i < d; i++) {
                v[i] = variance(h[i]);
                k4 += kappa4(h[i]) * a.get(i, i) * b.get(i, i);
                ta += v[i] * a.get(i, i);
                tb += v[i] * b.get(i, i);
            }
            return k4 + ta * tb + 2 * fisherInner(h, a, b);
        }

        @Override
        default double fisherInner(double[] h, Matrix a, Matrix b) {
            int d = h.length;
            double[] v = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = variance(h[i]);
            }
            double[] ad = a.data();
            double[] bd = b.data();
            double s = 0;
            for (int c = 0; c < d; c++) {
                double sc = 0;
                for (int r = 0; r < d; r++) {
                    sc += v[r] * ad[r + c * d] * bd[r + c * d];
                }
                s += v[c] * sc;
            }
            return s;
        }

        @Override
        default double traceWith(double[] h, Matrix a) {
            double s = 0;
            for (int i = 0; i < h.length; i++) {
                s += variance(h[i]) * a.get(i, i);
            }
            return s;
        }

        @Override
        default double m4Bound(double[] h) {
            // E[(u·ε)^4] = Σ u_α^4 κ4_α + 3 (Σ u_α² v_α)² <= max κ4⁺ + 3 max v²
            double k = 0;
            double v = 0;
            for (double x : h) {
                k = Math.max(k, kappa4(x));
                v = Math.max(v, variance(x));
            }
            return k + 3 * v * v;
        }

        @Override
        default double maxFisherEigenvalue(double[] h) {
            double v = 0;
            for (double x : h) {
                v = Math.max(v, variance(x));
            }
            return v;
        }
    }

    /**
     * Gaussian N(μ = h, σ² I): t = y/σ², 𝓘 = I/σ², κ3 = κ4 = 0 (see the type's note on
     * parametrisation).
     *
     * @param sigma2 the variance σ² > 0
     */
    record GaussianFamily(double sigma2) implements Independent {
        public GaussianFamily {
            if (!(sigma2 > 0) || Double.isInfinite(sigma2)) {
                throw new IllegalArgumentException("GaussianFamily: variance must be finite and > 0, got " + sigma2);
            }
        }

        @Override public double variance(double h) { return 1 / sigma2; }
        @Override public double kappa3(double h) { return 0; }
        @Override public double kappa4(double h) { return 0; }
        @Override public double sampleCentred(double h, Rng rng) { return rng.nextGaussian() / Math.sqrt(sigma2); }
        @Override public double m4Bound(double[] h) { return 3 / (sigma2 * sigma2); }
        @Override public String label() { return "gaussian"; }
    }

    /** Bernoulli with logit h: p = σ(h), 𝓘 = p(1−p), κ3 = p(1−p)(1−2p), κ4 = p(1−p)(1−6p(1−p)). */
    record BernoulliFamily() implements Independent {
        @Override public double variance(double h) { double p = Activation.sigmoid(h); return p * (1 - p); }
        @Override public double kappa3(double h) { double p = Activation.sigmoid(h); return p * (1 - p) * (1 - 2 * p); }
        @Override public double kappa4(double h) {
            double p = Activation.sigmoid(h);
            double v = p * (1 - p);
            return v * (1 - 6 * v);
        }
        @Override public double sampleCentred(double h, Rng rng) {
            double p = Activation.sigmoid(h);
            return (rng.nextDouble() < p ? 1 : 0) - p;
        }
        @Override public String label() { return "bernoulli"; }
    }

    /** Poisson with log-rate h: λ = e^h, 𝓘 = κ3 = κ4 = λ. */
    record PoissonFamily() implements Independent {
        @Override public double variance(double h) { return Math.exp(h); }
        @Override public double kappa3(double h) { return Math.exp(h); }
        @Override public double kappa4(double h) { return Math.exp(h); }
        @Override public double sampleCentred(double h, Rng rng) {
            double lambda = Math.exp(h);
            return poisson(lambda, rng) - lambda;
        }
        @Override public String label() { return "poisson"; }

        /** An exact Poisson(λ) draw: Knuth's product method on pieces of rate at most 20. */
        static long poisson(double lambda, Rng rng) {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("Poisson: rate must be finite and >= 0, got " + lambda);
            }
            long total = 0;
            double left = lambda;
            while (left > 0) {
                double piece = Math.min(left, 20);
                left -= piece;
                double limit = Math.exp(-piece);
                double prod = rng.nextDouble();
                while (prod > limit) {
                    total++;
                    prod *= rng.nextDouble();
                }
            }
            return total;
        }
    }

    /**
     * Categorical with softmax logits h and one-hot t: p = softmax(h), 𝓘 = diag(p) − p p^T,
     * central moments as sums over classes c of p_c (e_c − p)^{⊗k}.
     */
    record CategoricalFamily() implements ExponentialFamily {
        static double[] probabilities(double[] h) {
            return Categorical.softmax(h);
        }

        @Override
        public Matrix fisher(double[] h) {
            return Categorical.fisherOf(probabilities(h));
        }

        /** B = diag(√p) − p √p^T: B B^T = diag(p) − p p^T since Σ p = 1. */
        @Override
        public Matrix fisherFactor(double[] h) {
            return Categorical.fisherFactorOf(probabilities(h));
        }

        @Override
        public void sampleCentred(double[] h, Rng rng, double[] out) {
            double[] p = probabilities(h);
            int c = Categorical.sampleClass(p, 0, p.length, rng.nextDouble());
            for (int i = 0; i < p.length; i++) {
                out[i] = (i == c ? 1 : 0) - p[i];
            }
        }

        @Override
        public Matrix kappa3Slice(double[] h, int gamma) {
            double[] p = probabilities(h);
            int d = p.length;
            Matrix k = new Matrix(d, d);
            for (int c = 0; c < d; c++) {
                double w = p[c] * ((c == gamma ? 1 : 0) - p[gamma]);
                for (int j = 0; j < d; j++) {
                    double ej = (c == j ? 1 : 0) - p[j];
                    for (int i = 0; i < d; i++) {
                        k.add(i, j, w * ((c == i ? 1 : 0) - p[i]) * ej);
                    }
                }
            }
            return k;
        }

        @Override
        public Matrix fourthMoments(double[] h, Matrix j) {
            double[] p = probabilities(h);
            int d = j.rows();
            int pc = j.cols();
            // U_ca = J_ca − p·j_a ; M4 = (U∘U)^T diag(p) (U∘U)
            Matrix u2 = new Matrix(d, pc);
            Matrix pu2 = new Matrix(d, pc);
            for (int a = 0; a < pc; a++) {
                double mean = 0;
                for (int c = 0; c < d; c++) {
                    mean += p[c] * j.get(c, a);
                }
                for (int c = 0; c < d; c++) {
                    double u = j.get(c, a) - mean;
                    u2.set(c, a, u * u);
                    pu2.set(c, a, p[c] * u * u);
                }
            }
            return MatOps.gemm(1, u2, true, pu2, false, 0, null);
        }

        @Override
        public double quadMoment(double[] h, Matrix a, Matrix b) {
            double[] p = probabilities(h);
            double[] qa = centredQuadratic(p, a);
            double[] qb = centredQuadratic(p, b);
            double s = 0;
            for (int c = 0; c < p.length; c++) {
                s += p[c] * qa[c] * qb[c];
            }
            return s;
        }

        /** q(c) = (e_c − p)^T A (e_c − p) = A_cc − 2 (A p)_c + p^T A p. */
        private static double[] centredQuadratic(double[] p, Matrix a) {
            int d = p.length;
            double[] ap = MatOps.gemv(1, a, false, p, 0, null);
            double pap = 0;
            for (int i = 0; i < d; i++) {
                pap += p[i] * ap[i];
            }
            double[] q = new double[d];
            for (int c = 0; c < d; c++) {
                q[c] = a.get(c, c) - 2 * ap[c] + pap;
            }
            return q;
        }

        @Override
        public double fisherInner(double[] h, Matrix a, Matrix b) {
            double[] p = probabilities(h);
            int d = p.length;
            double[] ap = MatOps.gemv(1, a, false, p, 0, null);
            double[] bp = MatOps.gemv(1, b, false, p, 0, null);
            double s = 0;
            double pap = 0;
            double pbp = 0;
            double cross = 0;
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < d; i++) {
                    s += p[i] * p[j] * a.get(i, j) * b.get(i, j);
                }
                pap += p[j] * ap[j];
                pbp += p[j] * bp[j];
                cross += p[j] * ap[j] * bp[j];
            }
            return s - 2 * cross + pap * pbp;
        }

        @Override
        public double traceWith(double[] h, Matrix a) {
            double[] p = probabilities(h);
            double[] ap = MatOps.gemv(1, a, false, p, 0, null);
            double s = 0;
            for (int i = 0; i < p.length; i++) {
                s += p[i] * a.get(i, i) - p[i] * ap[i];
            }
            return s;
        }

        /** m4 <= max_c ‖e_c − p‖² λ_max(𝓘), since (u·(e_c−p))² <= ‖e_c − p‖². */
        @Override
        public double m4Bound(double[] h) {
            double[] p = probabilities(h);
            double sp2 = 0;
            for (double x : p) {
                sp2 += x * x;
            }
            double worst = 0;
            for (double x : p) {
                worst = Math.max(worst, sp2 - 2 * x + 1);
            }
            return worst * maxFisherEigenvalue(h);
        }

        @Override
        public double maxFisherEigenvalue(double[] h) {
            SymmetricEigen e = SymmetricEigen.decompose(fisher(h)).orElseThrow(() ->
                    new IllegalStateException("CategoricalFamily: eigendecomposition of the output Fisher failed"));
            double m = 0;
            for (double v : e.values()) {
                m = Math.max(m, v);
            }
            return m;
        }

        @Override
        public String label() {
            return "categorical";
        }
    }

    private static double[] sqrt(double[] v) {
        double[] s = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = Math.sqrt(v[i]);
        }
        return s;
    }
}
