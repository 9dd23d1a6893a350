package org.natgrad.optim;

/**
 * The Levenberg–Marquardt rule of math.md Eq. 21: after a step with reduction ratio ρ,
 * λ ← (3/2) λ if ρ &lt; 1/4, λ ← (2/3) λ if ρ &gt; 3/4, unchanged otherwise (and unchanged for
 * ρ = NaN, e.g. a zero gradient). λ never exceeds {@code max} and never drops below {@code min}
 * (at least {@link Double#MIN_NORMAL}).
 */
public final class LevenbergMarquardt implements Damping {
    /** Multiplier for a poor step. */
    public static final double INCREASE = 1.5;
    /** ρ below this raises λ. */
    public static final double LOW = 0.25;
    /** ρ above this lowers λ. */
    public static final double HIGH = 0.75;

    private double value;
    private final double min;
    private final double max;

    /** @param initial λ_0 &gt; 0; @param max cap (≥ initial) */
    public LevenbergMarquardt(double initial, double max) {
        this(initial, 0, max);
    }

    /**
     * @param initial λ_0 &gt; 0
     * @param min     floor (≥ 0; λ_0 below it starts at the floor)
     * @param max     cap (≥ initial and ≥ min)
     */
    public LevenbergMarquardt(double initial, double min, double max) {
        if (!(min >= 0) || !(min <= max)) {
            throw new IllegalArgumentException("LevenbergMarquardt: min " + min + " must be in [0, max " + max + "]");
        }
        if (!(initial > 0) || Double.isInfinite(initial)) {
            throw new IllegalArgumentException("LevenbergMarquardt: initial damping must be finite and > 0, got " + initial);
        }
        if (!(max >= initial)) {
            throw new IllegalArgumentException("LevenbergMarquardt: max " + max + " must be >= initial " + initial);
        }
        this.min = Math.max(Double.MIN_NORMAL, min);
        this.value = Math.max(this.min, initial);
        this.max = max;
    }

    /** Eq. 21 as a pure function. */
    public static double next(double lambda, double rho) {
        if (rho < LOW) {
            return lambda * INCREASE;
        }
        if (rho > HIGH) {
            return lambda / INCREASE;
        }
        return lambda;
    }

    @Override
    public double current() {
        return value;
    }

    @Override
    public void observe(double rho) {
        if (Double.isNaN(rho)) {
            return;
        }
        value = Math.max(min, Math.min(max, next(value, rho)));
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
