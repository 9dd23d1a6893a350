package org.natgrad.experiment.train;

import java.util.Locale;
import org.natgrad.nn.Init;

/** Weight initialisers by name (biases start at zero). */
public enum InitChoice {
    /** W_ij ~ N(0, 1/n_in). */
    GAUSSIAN {
        @Override
        public Init create() {
            return Init.gaussian();
        }
    },
    /** Haar-random (semi-)orthogonal weights, gain 1. */
    ORTHOGONAL {
        @Override
        public Init create() {
            return Init.orthogonal();
        }
    };

    public abstract Init create();

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
