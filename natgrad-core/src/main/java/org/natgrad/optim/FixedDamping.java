package org.natgrad.optim;

import java.util.Arrays;

/**
 * A damping that ρ does not change: a constant λ, or a schedule λ_0, λ_1, ... fixed in advance
 * (each observed step moves to the next entry; after the last entry λ is kept). Only a rejected
 * step raises it (by {@link Damping#REJECTION_FACTOR}, capped at {@code max}): safety over
 * constancy.
 */
public final class FixedDamping extends Damping {
    private final double[] schedule;
    private int index;

    /** @param value λ ≥ 0 (finite); @param max cap for rejection raises (≥ value) */
    public FixedDamping(double value, double max) {
        this(new double[] {value}, max, "FixedDamping: value");
    }

    private FixedDamping(double[] schedule, double max, String what) {
        super(schedule[0], max);
        for (int k = 0; k < schedule.length; k++) {
            if (!(schedule[k] >= 0) || Double.isInfinite(schedule[k])) {
                throw new IllegalArgumentException(what + (schedule.length > 1 ? "[" + k + "]" : "")
                        + " must be finite and >= 0, got " + schedule[k]);
            }
            if (!(max >= schedule[k])) {
                throw new IllegalArgumentException("FixedDamping: max " + max + " must be >= value " + schedule[k]);
            }
        }
        this.schedule = schedule;
    }

    private FixedDamping(FixedDamping other) {
        super(other.current(), other.max());
        this.schedule = other.schedule;
        this.index = other.index;
    }

    /**
     * A schedule: the k-th observed step moves λ to lambdas[k] (so step k uses lambdas[k]); after
     * the last entry the last value is kept. The cap of rejection raises is the largest entry.
     *
     * @param lambdas at least one λ, each finite and ≥ 0 (copied)
     */
    public static FixedDamping schedule(double... lambdas) {
        if (lambdas.length == 0) {
            throw new IllegalArgumentException("FixedDamping.schedule: empty schedule");
        }
        double max = 0;
        for (double l : lambdas) {
            max = Math.max(max, l);
        }
        return new FixedDamping(lambdas.clone(), max, "FixedDamping.schedule: λ");
    }

    @Override
    public void observe(double rho) {
        // ρ is reported but does not change λ; a schedule moves on to its next entry
        if (index + 1 < schedule.length) {
            index++;
            set(schedule[index]);
        }
    }

    @Override
    public FixedDamping copy() {
        return new FixedDamping(this);
    }

    @Override
    public String toString() {
        return "FixedDamping" + (schedule.length == 1 ? "(" + current() : Arrays.toString(schedule) + "(at " + index)
                + ", max " + max() + ")";
    }
}
