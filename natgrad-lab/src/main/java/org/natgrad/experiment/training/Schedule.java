package org.natgrad.experiment.training;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When a {@link Trainer} evaluates, asked once after every step (except a step whose minibatch
 * loss diverged, which is always evaluated). Besides the schedule, a run is evaluated before its
 * first step and after its last. A schedule may keep state (e.g. the next examples threshold);
 * each {@link Trainer} needs its own instance of such a one.
 */
@FunctionalInterface
public interface Schedule {

    /** True if the run is to be evaluated now, after step {@code p.step()}. */
    boolean due(Progress p);

    /** After every {@code k}-th step (steps k, 2k, ...). */
    static Schedule everySteps(long k) {
        if (k <= 0) {
            throw new IllegalArgumentException("Schedule: evaluation interval must be positive, got " + k + " steps");
        }
        return p -> p.step() % k == 0;
    }

    /**
     * The first time the examples seen reach each multiple of {@code k} (k, 2k, ...); a step that
     * passes several multiples gives one evaluation, and the next threshold is the first multiple
     * above the examples then seen. Keeps state.
     */
    static Schedule everyExamples(long k) {
        if (k <= 0) {
            throw new IllegalArgumentException("Schedule: evaluation interval must be positive, got " + k + " examples");
        }
        return new Schedule() {
            private long next = k;

            @Override
            public boolean due(Progress p) {
                if (p.examples() < next) {
                    return false;
                }
                next = (p.examples() / k + 1) * k;
                return true;
            }
        };
    }

    /** After exactly the given step counts (0 stands for the evaluation before the first step). */
    static Schedule atSteps(Collection<? extends Number> steps) {
        Set<Long> at = steps.stream().map(Number::longValue).collect(Collectors.toUnmodifiableSet());
        return p -> at.contains(p.step());
    }

    /** Only before the first and after the last step. */
    static Schedule never() {
        return p -> false;
    }
}
