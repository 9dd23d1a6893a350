package org.natgrad.optim;

/**
 * The Levenberg–Marquardt rule of math.md Eq. 21: after a step with reduction ratio ρ,
 * λ ← (3/2) λ if ρ &lt; 1/4, λ ← (2/3) λ if ρ &gt; 3/4, unchanged otherwise (and unchanged for
 * ρ = NaN, e.g. a zero gradient). λ never exceeds {@code max} and never drops below {@code min}
 * (at least {@link Double#MIN_NORMAL}).
 */
public final class LevenbergMarquardt extends Damping {
    /** Multiplier for a poor step. */
    public static final double INCREASE = 1.5;
    /** ρ below this raises λ. */
    public static final double LOW = 0.25;
    /** ρ above this lowers λ. */
    public static final double HIGH = 0.75;

    private final double min;

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
        super(validatedInitial(initial, min, max), max);
        this.min = Math.max(Double.MIN_NORMAL, min);
    }

    private LevenbergMarquardt(LevenbergMarquardt other) {
        super(other.current(), other.max());
        this.min = other.min;
    }

    /** λ_0 raised to the floor, after checking the arguments. */
    private static double validatedInitial(double initial, double min, double max) {
        if (!(min >= 0) || !(min <= max)) {
            throw new IllegalArgumentException("LevenbergMarquardt: min " + min + " must be in [0, max " + max + "]");
        }
        if (!(initial > 0) || Double.isInfinite(initial)) {
            throw new IllegalArgumentException("LevenbergMarquardt: initial damping must be finite and > 0, got " + initial);
        }
        if (!(max >= initial)) {
            throw new IllegalArgumentException("LevenbergMarquardt: max " + max + " must be >= initial " + initial);
        }
        return Math.max(Math.max(Double.MIN_NORMAL, min), initial);
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
    public void observe(double rho) {
        if (Double.isNaN(rho)) {
            return;
        }
        set(Math.max(min, Math.min(max(), next(current(), rho))));
    }

    @Override
    public LevenbergMarquardt copy() {
        return new LevenbergMarquardt(this);
    }
}
