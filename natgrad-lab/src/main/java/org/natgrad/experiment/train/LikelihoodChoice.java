package org.natgrad.experiment.train;

import java.util.Locale;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;

/** The output model the network is trained under (its loss), by name. */
public enum LikelihoodChoice {
    /** Unit-variance Gaussian: loss ½‖y − f‖² per example. */
    GAUSSIAN {
        @Override
        public Likelihood create() {
            return Gaussian.unit();
        }
    },
    /** Softmax over the outputs; targets are one-hot columns. */
    CATEGORICAL {
        @Override
        public Likelihood create() {
            return new Categorical();
        }
    },
    /** Independent logistic outputs; targets in {0, 1}. */
    BERNOULLI {
        @Override
        public Likelihood create() {
            return new Bernoulli();
        }
    };

    public abstract Likelihood create();

    /** True for classification likelihoods (a misclassification rate is logged). */
    public boolean classifies() {
        return this != GAUSSIAN;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
