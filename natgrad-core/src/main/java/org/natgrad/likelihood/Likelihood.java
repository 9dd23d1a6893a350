package org.natgrad.likelihood;

import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * The output model q(y | x) = q(y | f) given the network output f = x_L (n_L x M, examples as
 * columns). It gives the loss, the output error that starts backpropagation, samples from the
 * model (how the <i>true</i> Fisher is estimated, as opposed to the empirical one), and the
 * output-space Fisher F_out(f) = E_{y~q}[∇_f log q ∇_f log q^T].
 */
public sealed interface Likelihood permits Gaussian, Categorical, Bernoulli {

    /**
     * Mean over the M columns of the negative log-likelihood −log q(y_m | f_m), up to a constant
     * that does not depend on f (see each implementation).
     */
    double loss(Matrix output, Matrix target);

    /** ∂(−log q(y_m|f_m))/∂f_m for each column m (n_L x M): not divided by M. */
    Matrix outputError(Matrix output, Matrix target);

    /** A draw y_m ~ q(· | f_m) for each column (n_L x M). */
    Matrix sample(Matrix output, Rng rng);

    /**
     * The output error of a target drawn from the model, {@code outputError(output, sample(output, rng))}
     * (n_L x M), drawing from {@code rng} exactly as {@link #sample} does. An implementation may skip
     * forming the target; the result then agrees up to round-off.
     */
    default Matrix sampledOutputError(Matrix output, Rng rng) {
        return outputError(output, sample(output, rng));
    }

    /** The output-space Fisher at column m of {@code output} (n_L x n_L). */
    Matrix outputFisher(Matrix output, int column);

    /**
     * A factor B (n_L x r) of the output-space Fisher at column m: B B^T = F_out(f_m). Lets exact
     * Fisher computations backpropagate r vectors instead of forming F_out.
     */
    Matrix outputFisherFactor(Matrix output, int column);

    /** Checks that a target batch is valid for this likelihood (shape and support), naming the problem. */
    void validateTargets(Matrix output, Matrix target);

    /** A short name for logs, e.g. "gaussian". */
    String label();

    /** Parses "gaussian", "categorical" or "bernoulli" (unit-variance Gaussian). */
    static Likelihood parse(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "gaussian", "squared", "mse" -> Gaussian.unit();
            case "categorical", "softmax" -> new Categorical();
            case "bernoulli", "logistic" -> new Bernoulli();
            default -> throw new IllegalArgumentException("unknown likelihood '" + name
                    + "'; expected gaussian, categorical or bernoulli");
        };
    }

    /** Throws if shapes differ. */
    static void requireSameShape(String who, Matrix output, Matrix target) {
        if (output.rows() != target.rows() || output.cols() != target.cols()) {
            throw new IllegalArgumentException(who + ": output is " + output.shape() + " but target is " + target.shape());
        }
    }
}
