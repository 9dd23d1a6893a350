package org.natgrad.experiment.training;

/**
 * When a {@link Trainer} stops: checked before every step (a reached budget takes no step) and
 * after it (a reached budget ends with an evaluation).
 */
@FunctionalInterface
public interface Budget {

    /** True once the run has used its budget. */
    boolean reached(Progress p);

    /** After {@code steps} steps. */
    static Budget steps(long steps) {
        return p -> p.step() >= steps;
    }

    /** Once at least {@code examples} examples were processed (whole minibatches). */
    static Budget examples(long examples) {
        return p -> p.examples() >= examples;
    }

    /** After {@code epochs} epochs of {@code stepsPerEpoch} steps each. */
    static Budget epochs(long epochs, long stepsPerEpoch) {
        return steps(epochs * stepsPerEpoch);
    }

    /** Reached when this one or {@code other} is (e.g. a step cap or a time budget). */
    default Budget or(Budget other) {
        return p -> reached(p) || other.reached(p);
    }
}
