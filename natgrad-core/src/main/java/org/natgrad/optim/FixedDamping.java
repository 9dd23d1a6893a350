package org.natgrad.optim;

/**
 * A damping that ρ does not change. Only a rejected step raises it (by
 * {@link Damping#REJECTION_FACTOR}, capped at {@code max}): safety over constancy.
 */
public final class FixedDamping implements Damping {
    private double value;
    private final double max;

    /** @param value λ ≥ 0 (finite); @param max cap for rejection raises (≥ value) */
    public FixedDamping(double value, double max) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("FixedDamping: value must be finite and >= 0, got " + value);
        }
        if (!(max >= value)) {
            throw new IllegalArgumentException("FixedDamping: max " + max + " must be >= value " + value);
        }
        this.value = value;
        this.max = max;
    }

    @Override
    public double current() {
        return value;
    }

    @Override
    public void observe(double rho) {
        // fixed: ρ is reported but does not change λ
    }

    @Override
    public void onRejectedStep() {
        value = Math.min(max, value * REJECTION_FACTOR);
    }

    @Override
    public void set(double v) {
        value = v;
    }

    @Override
    public double max() {
        return max;
    }
}
