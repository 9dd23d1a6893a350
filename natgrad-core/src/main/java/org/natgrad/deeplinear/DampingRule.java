package org.natgrad.deeplinear;

/**
 * How the damping λ of Eq. 20 evolves in {@link PredictedCurve#discreteNgd}: given the step just
 * taken, return λ for the next step.
 */
@FunctionalInterface
public interface DampingRule {

    /**
     * @param step    the index k of the step just taken (0-based)
     * @param lambda  λ_k, the damping used for that step
     * @param outcome what happened: actual and predicted changes of the population loss
     * @return λ_{k+1} (finite, ≥ 0)
     */
    double next(int step, double lambda, StepOutcome outcome);

    /** The two predicted-decrease formulas of math.md §2.7. */
    enum PredictedDecrease {
        /**
         * The paper's footnote read as a quadratic model whose Newton step is the α = 1 update:
         * (−α + α²/2) (1/L) Σ_i ⟨G_i, D_i⟩. At α = 1 it equals the footnote as printed.
         */
        PAPER_FOOTNOTE,
        /** The official code: Σ_i (−a + a²/2) ⟨G_i, D_i⟩ with a = α/L. */
        OFFICIAL_CODE
    }

    /**
     * One step's outcome.
     *
     * @param alpha                 the step size α
     * @param depth                 L
     * @param actualChange          L(after) − L(before), population loss
     * @param gradientDotDirection  Σ_i ⟨G_i, D_i⟩_F with G_i = ∂L/∂W_i and D_i the damped direction
     *                              (the step was −(α/L) D_i)
     */
    record StepOutcome(double alpha, int depth, double actualChange, double gradientDotDirection) {

        /** The predicted change of the loss (negative for a descent step) under the given variant. */
        public double predictedChange(PredictedDecrease variant) {
            return switch (variant) {
                case PAPER_FOOTNOTE -> (-alpha + alpha * alpha / 2) * gradientDotDirection / depth;
                case OFFICIAL_CODE -> {
                    double a = alpha / depth;
                    yield (-a + a * a / 2) * gradientDotDirection;
                }
            };
        }

        /**
         * ρ = actual change / predicted change. Two guards: a prediction of exactly zero (the gradient
         * vanishes) gives ρ = 1; a positive prediction, which only round-off can produce (⟨G, D⟩ ≥ 0
         * for positive-definite factors), gives ρ = −∞ so that Eq. 21 raises the damping.
         */
        public double rho(PredictedDecrease variant) {
            double p = predictedChange(variant);
            if (p == 0) {
                return 1.0;
            }
            return p > 0 ? Double.NEGATIVE_INFINITY : actualChange / p;
        }
    }

    /** λ stays constant. */
    static DampingRule fixed() {
        return (k, lambda, o) -> lambda;
    }

    /**
     * A given schedule: step k uses lambdas[k]; after the last entry the last value is kept. The
     * initial λ passed to {@link PredictedCurve#discreteNgd} should be lambdas[0].
     */
    static DampingRule sequence(double[] lambdas) {
        if (lambdas.length == 0) {
            throw new IllegalArgumentException("DampingRule.sequence: empty schedule");
        }
        for (int k = 0; k < lambdas.length; k++) {
            if (!(lambdas[k] >= 0) || Double.isInfinite(lambdas[k])) {
                throw new IllegalArgumentException("DampingRule.sequence: λ[" + k + "] = " + lambdas[k]
                        + " must be finite and >= 0");
            }
        }
        double[] copy = lambdas.clone();
        return (k, lambda, o) -> copy[Math.min(k + 1, copy.length - 1)];
    }

    /**
     * The Levenberg-Marquardt rule of Eq. 21 on the exact population loss: ρ < 0.25 ⇒ λ × 3/2,
     * ρ > 0.75 ⇒ λ × 2/3, otherwise unchanged.
     */
    static DampingRule levenbergMarquardt(PredictedDecrease variant) {
        return (k, lambda, o) -> {
            double rho = o.rho(variant);
            if (rho < 0.25) {
                return 1.5 * lambda;
            }
            if (rho > 0.75) {
                return lambda / 1.5;
            }
            return lambda;
        };
    }
}
