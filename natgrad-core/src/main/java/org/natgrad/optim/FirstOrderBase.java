package org.natgrad.optim;

import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Precision;

/**
 * What {@link Sgd} and {@link Adam} share: the likelihood they minimize and the precision of their
 * passes, checked once (given, and available: single precision needs the native BLAS).
 */
abstract class FirstOrderBase implements FirstOrderOptimizer {
    private final Likelihood likelihood;
    private final Precision precision;

    /** @param name the optimizer's name in messages ("SGD", "Adam") */
    FirstOrderBase(String name, Likelihood likelihood, Precision precision) {
        if (precision == null) {
            throw new IllegalArgumentException(name + " precision must be given (DOUBLE or SINGLE)");
        }
        NaturalGradient.requireAvailable(name, precision);
        this.likelihood = likelihood;
        this.precision = precision;
    }

    @Override
    public final Likelihood likelihood() {
        return likelihood;
    }

    /** The precision of the passes and gradient. */
    @Override
    public final Precision precision() {
        return precision;
    }
}
