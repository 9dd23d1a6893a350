package org.natgrad.matrixfree;

/**
 * Conjugate gradients for (A + λI) x = b with A symmetric positive semi-definite and λ ≥ 0, from
 * x_0 = 0. It stops when the relative residual ‖b − (A + λI) x‖ / ‖b‖ is at most the tolerance,
 * checked on the true residual (recomputed with one extra product; when round-off has made the
 * recursive residual drift, CG restarts from the current x), or after {@code maxIterations}
 * iterations. One product with A per iteration.
 *
 * <p>With λ = 0 and a singular A, the iterates stay in the Krylov space of b, which lies in the range
 * of A when the system is consistent (b ∈ range A, true for a gradient and the exact or empirical
 * Fisher); CG then converges to the minimum-norm solution A^+ b. Otherwise the residual stalls and
 * the result says so ({@link Result#converged()} false). The error of x is at most κ times the
 * relative residual, κ = (λ_max + λ)/(λ_min + λ) over the eigenvalues in play.
 */
public final class ConjugateGradient {
    private ConjugateGradient() {
    }

    /**
     * The outcome of one solve.
     *
     * @param solution         x (length P)
     * @param iterations       CG iterations taken (one product with A each)
     * @param products         products with A in all (iterations plus the residual checks)
     * @param relativeResidual ‖b − (A + λI) x‖ / ‖b‖ of the returned x, from a fresh product (0 when b = 0)
     * @param converged        true when the relative residual is at most the tolerance
     */
    public record Result(double[] solution, int iterations, int products, double relativeResidual, boolean converged) {
    }

    /**
     * Solves (A + λI) x = b.
     *
     * @param a             the operator A (symmetric PSD), size P
     * @param b             right-hand side, length P (not modified)
     * @param damping       λ ≥ 0, finite
     * @param tolerance     the relative-residual target, in (0, 1)
     * @param maxIterations the iteration cap, ≥ 1
     * @throws IllegalArgumentException on bad arguments or a non-finite b
     */
    public static Result solve(LinearOperator a, double[] b, double damping, double tolerance, int maxIterations) {
        int p = a.size();
        LinearOperator.requireLength("ConjugateGradient", b, p);
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("ConjugateGradient: damping must be finite and >= 0, got " + damping);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("ConjugateGradient: tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("ConjugateGradient: maxIterations must be >= 1, got " + maxIterations);
        }
        double bnorm = norm(b);
        if (!Double.isFinite(bnorm)) {
            throw new IllegalArgumentException("ConjugateGradient: the right-hand side is not finite");
        }
        double[] x = new double[p];
        if (bnorm == 0) {
            return new Result(x, 0, 0, 0, true);
        }
        double target = tolerance * bnorm;
        double[] r = b.clone();
        int iterations = 0;
        int products = 0;
        while (true) {
            double[] d = r.clone();
            double rr = dot(r, r);
            boolean stalled = false;
            while (Math.sqrt(rr) > target && iterations < maxIterations) {
                double[] ad = apply(a, d, damping);
                products++;
                iterations++;
                double dad = dot(d, ad);
                if (!(dad > 0)) {
                    stalled = true;        // a direction of zero (or negative) curvature: inconsistent or not PSD
                    break;
                }
                double alpha = rr / dad;
                for (int i = 0; i < p; i++) {
                    x[i] += alpha * d[i];
                    r[i] -= alpha * ad[i];
                }
                double rrNew = dot(r, r);
                double beta = rrNew / rr;
                rr = rrNew;
                for (int i = 0; i < p; i++) {
                    d[i] = r[i] + beta * d[i];
                }
            }
            double[] ax = apply(a, x, damping);
            products++;
            for (int i = 0; i < p; i++) {
                r[i] = b[i] - ax[i];
            }
            double trueNorm = norm(r);
            if (trueNorm <= target || iterations >= maxIterations || stalled || !Double.isFinite(trueNorm)) {
                return new Result(x, iterations, products, trueNorm / bnorm, trueNorm <= target);
            }
            // the recursive residual drifted below the target but the true one is above: restart from x
        }
    }

    /** (A + λI) v. */
    private static double[] apply(LinearOperator a, double[] v, double damping) {
        double[] out = a.multiply(v);
        if (damping != 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] += damping * v[i];
            }
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
