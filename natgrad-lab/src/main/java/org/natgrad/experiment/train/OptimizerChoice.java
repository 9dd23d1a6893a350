package org.natgrad.experiment.train;

import java.util.Locale;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.optim.Adam;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.Sgd;

/**
 * The optimizers {@code natgrad train} can use, each with its factory. Adding an optimizer is
 * adding one constant here (the CLI lists the constants as the accepted values of
 * {@code --optimizer}); a constant may read any field of {@link TrainOptions} it needs, e.g.
 * <pre>{@code
 * NGD {
 *     public Optimizer create(Likelihood likelihood, TrainOptions o) {
 *         return new NaturalGradient(likelihood, NaturalGradientOptions.paperDefaults()...);
 *     }
 * },
 * }</pre>
 * and overrides {@link #usesMomentum()} if it ignores the momentum option.
 */
public enum OptimizerChoice {
    /** {@link Sgd} with learning rate {@code learningRate} and heavy-ball {@code momentum}. */
    SGD {
        @Override
        public Optimizer create(Likelihood likelihood, TrainOptions o) {
            return new Sgd(likelihood, o.learningRate(), o.momentum(), o.precision());
        }
    },
    /** {@link Adam} with learning rate {@code learningRate} and the usual β1, β2, ε. */
    ADAM {
        @Override
        public Optimizer create(Likelihood likelihood, TrainOptions o) {
            return new Adam(likelihood, o.learningRate(), 0.9, 0.999, 1e-8, o.precision());
        }

        @Override
        public boolean usesMomentum() {
            return false;
        }
    },
    /**
     * {@link NaturalGradient} (math.md Eq. 20–21) with {@link TrainOptions#naturalGradient()}; the
     * learning rate is its α, not {@code learningRate}, and its seed is the run's seed.
     */
    NGD {
        @Override
        public Optimizer create(Likelihood likelihood, TrainOptions o) {
            return new NaturalGradient(likelihood, o.naturalGradient().toBuilder().seed(o.seed()).precision(o.precision()).build(),
                    o.features());
        }

        @Override
        public boolean usesMomentum() {
            return false;
        }
    };

    /** A fresh optimizer (with fresh state) for the given likelihood and options. */
    public abstract Optimizer create(Likelihood likelihood, TrainOptions options);

    /** True if the optimizer reads {@link TrainOptions#momentum()}. */
    public boolean usesMomentum() {
        return true;
    }

    /** Lower-case name, as on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
