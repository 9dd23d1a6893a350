package org.natgrad.optim;

/**
 * The damping λ of the natural-gradient step (math.md Eq. 20: √λ is added to both Kronecker
 * factors). A small mutable policy owned by one optimizer.
 */
public sealed interface Damping permits FixedDamping, LevenbergMarquardt {

    /**
     * Factor applied to λ when a step is rejected (NaN/Inf or a loss blow-up): 1.5³ = 3.375,
     * i.e. three Eq. 21 increases at once, since a blown-up step says the quadratic model was far
     * off rather than merely poor. Capped at the policy's maximum.
     */
    double REJECTION_FACTOR = 1.5 * 1.5 * 1.5;

    /** The damping in force. */
    double current();

    /** Observes ρ = actual/predicted change of an accepted step (NaN: no information, no change). */
    void observe(double rho);

    /** A step was rejected: raise λ by {@link #REJECTION_FACTOR}, up to the maximum. */
    void onRejectedStep();

    /** Sets λ (restoring a saved state). */
    void set(double value);

    /** The largest λ this policy will reach by raising. */
    double max();
}
