package org.natgrad.deeplinear;

import org.natgrad.optim.PredictedDecrease;

/**
 * What one step of {@link PredictedCurve#discreteNgd} did, from which the reduction ratio ρ of
 * the damping rule (math.md Eq. 21) follows.
 *
 * @param alpha                 the step size α
 * @param depth                 L
 * @param actualChange          L(after) − L(before), population loss
 * @param gradientDotDirection  Σ_i ⟨G_i, D_i⟩_F with G_i = ∂L/∂W_i and D_i the damped direction
 *                              (the step was −(α/L) D_i)
 */
public record StepOutcome(double alpha, int depth, double actualChange, double gradientDotDirection) {

    /** The predicted change of the loss (negative for a descent step) under the given variant. */
    public double predictedChange(PredictedDecrease variant) {
        return variant.predicted(alpha, depth, gradientDotDirection);
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
