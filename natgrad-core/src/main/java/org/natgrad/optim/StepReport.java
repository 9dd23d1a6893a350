package org.natgrad.optim;

import org.natgrad.linalg.Precision;
import org.natgrad.statistics.Gradients;

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

    /**
     * The reason a single-precision step adds to a rejection for non-finite values: float32's range
     * ends near ±3.4·10³⁸, so such values may be a float32 overflow that double precision avoids.
     */
    public static final String FLOAT32_HINT = " (single precision: a value beyond float32's range of about "
            + "±3.4e38 overflows to Inf/NaN; precision DOUBLE may take this step)";

    /**
     * {@code r} with {@link #FLOAT32_HINT} appended to its note when it is a rejection for non-finite
     * values (NaN, Infinity or "non-finite" in the note); {@code r} itself otherwise.
     */
    public static StepReport withFloat32Hint(StepReport r) {
        String n = r.note();
        if (r.accepted() || !(n.contains("non-finite") || n.contains("NaN") || n.contains("Infinity"))) {
            return r;
        }
        return new StepReport(false, r.lossBefore(), r.lossAfter(), r.damping(), r.rho(), n + FLOAT32_HINT);
    }

    /**
     * For a first-order step in {@code precision}: in SINGLE, the rejection of a step whose loss or
     * gradient is not finite (a float32 overflow; the note ends in {@link #FLOAT32_HINT}), or null to go
     * on; always null in DOUBLE, where such a step is taken as it always was.
     */
    static StepReport float32Rejection(Precision precision, Gradients g) {
        if (precision == Precision.DOUBLE) {
            return null;
        }
        int layer = g.gradient().firstNonFiniteLayer();
        String bad = !Double.isFinite(g.loss()) ? "the loss is " + g.loss()
                : layer > 0 ? "the gradient of layer " + layer + " has non-finite values" : null;
        return bad == null ? null
                : withFloat32Hint(new StepReport(false, g.loss(), Double.NaN, Double.NaN, Double.NaN, "rejected: " + bad));
    }

    /** A plain accepted first-order step. */
    public static StepReport firstOrder(double lossBefore) {
        return new StepReport(true, lossBefore, Double.NaN, Double.NaN, Double.NaN, "");
    }
}
