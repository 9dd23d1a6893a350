package org.natgrad.optim;

/**
 * The damping λ of the natural-gradient step (math.md Eq. 20: √λ is added to both Kronecker
 * factors). A small mutable policy owned by one optimizer or one simulated trajectory: it holds
 * λ, learns from the reduction ratio ρ of each accepted step ({@link #observe}), and is raised by
 * a rejected step ({@link #onRejectedStep}, capped at {@link #max}). The one damping abstraction
 * of natgrad: {@link FixedDamping} (a constant λ or a schedule fixed in advance) and
 * {@link LevenbergMarquardt} (Eq. 21).
 */
public abstract sealed class Damping permits FixedDamping, LevenbergMarquardt {

    /**
     * Factor applied to λ when a step is rejected (NaN/Inf or a loss blow-up): 1.5³ = 3.375,
     * i.e. three Eq. 21 increases at once, since a blown-up step says the quadratic model was far
     * off rather than merely poor. Capped at the policy's maximum.
     */
    public static final double REJECTION_FACTOR = 1.5 * 1.5 * 1.5;

    private double value;
    private final double max;

    /** @param value λ in force; @param max the cap of raises (validated by the subclass) */
    Damping(double value, double max) {
        this.value = value;
        this.max = max;
    }

    /** The damping in force. */
    public final double current() {
        return value;
    }

    /** Observes ρ = actual/predicted change of an accepted step (NaN: no information, no change). */
    public abstract void observe(double rho);

    /** A step was rejected: raise λ by {@link #REJECTION_FACTOR}, up to the maximum. */
    public final void onRejectedStep() {
        value = Math.min(max, value * REJECTION_FACTOR);
    }

    /** Sets λ (restoring a saved state). */
    public final void set(double v) {
        value = v;
    }

    /** The largest λ this policy will reach by raising. */
    public final double max() {
        return max;
    }

    /** An independent policy in the same state (a caller that must not see its own policy change). */
    public abstract Damping copy();
}
