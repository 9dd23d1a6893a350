package org.natgrad.spark;

import java.io.Serializable;
import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;

/**
 * A {@link Likelihood} as two serializable values, rebuilt on the partitions: an isotropic
 * Gaussian (with its variance σ²), categorical or Bernoulli. A Gaussian with a full covariance is
 * refused with a clear message.
 */
record LikelihoodSpec(String kind, double variance) implements Serializable {

    static LikelihoodSpec of(Likelihood likelihood) {
        if (likelihood instanceof Gaussian g) {
            if (!g.isIsotropic()) {
                throw new IllegalArgumentException("natgrad-spark: a Gaussian likelihood with a full covariance is not "
                        + "supported on Spark; use an isotropic one (sigma^2 I)");
            }
            return new LikelihoodSpec("gaussian", g.variance());
        }
        if (likelihood instanceof Categorical) {
            return new LikelihoodSpec("categorical", Double.NaN);
        }
        if (likelihood instanceof Bernoulli) {
            return new LikelihoodSpec("bernoulli", Double.NaN);
        }
        throw new IllegalArgumentException("natgrad-spark: unsupported likelihood " + likelihood);
    }

    Likelihood build() {
        return switch (kind) {
            case "gaussian" -> Gaussian.isotropic(variance);
            case "categorical" -> new Categorical();
            case "bernoulli" -> new Bernoulli();
            default -> throw new IllegalStateException("unknown likelihood " + kind);
        };
    }
}
