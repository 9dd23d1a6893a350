package org.natgrad.optim;

/**
 * What one optimizer step did.
 *
 * @param accepted   false if the step was rejected and the weights left or restored bit-for-bit
 *                   (NaN/Inf factors, updates or losses, a loss blow-up, or a failed factorization
 *                   of the curvature; see {@link NaturalGradient})
 * @param lossBefore minibatch loss before the step (NaN if the optimizer did not evaluate it)
 * @param lossAfter  minibatch loss after the step (NaN if not evaluated)
 * @param damping    damping in force for this step (NaN for first-order methods)
 * @param rho        actual / predicted decrease (NaN if not computed)
 * @param note       why a step was rejected ("rejected: " and the reason, e.g. naming the layer and
 *                   factor whose factorization failed), or empty
 */
public record StepReport(boolean accepted, double lossBefore, double lossAfter, double damping, double rho, String note) {

    /** A plain accepted first-order step. */
    public static StepReport firstOrder(double lossBefore) {
        return new StepReport(true, lossBefore, Double.NaN, Double.NaN, Double.NaN, "");
    }
}
