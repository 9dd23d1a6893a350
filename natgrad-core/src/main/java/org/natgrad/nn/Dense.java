package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * A fully connected layer x_i = φ(W x_{i-1} + b) (math.md Eq. 1).
 * Shapes: weights W is n_out x n_in, bias b is n_out x 1 (absent when {@link #hasBias()} is
 * false, as in the deep linear networks of the theory). Both are mutable: optimizers update them
 * in place. The augmented matrix W̄ = [W, b] is what the Fisher's parameter order follows:
 * vec(W) column-major, then b.
 */
public final class Dense {
    private final Matrix weights;
    private final Matrix bias;
    private final Activation activation;

    /**
     * @param weights    n_out x n_in (kept, not copied)
     * @param bias       n_out x 1, or null for a layer without bias
     * @param activation φ
     */
    public Dense(Matrix weights, Matrix bias, Activation activation) {
        if (bias != null && (bias.rows() != weights.rows() || bias.cols() != 1)) {
            throw new IllegalArgumentException("Dense: bias is " + bias.shape() + ", expected "
                    + weights.rows() + "x1 for weights " + weights.shape());
        }
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
    }

    public Matrix weights() {
        return weights;
    }

    /** The bias column, or null. */
    public Matrix bias() {
        return bias;
    }

    public boolean hasBias() {
        return bias != null;
    }

    public Activation activation() {
        return activation;
    }

    public int inputs() {
        return weights.cols();
    }

    public int outputs() {
        return weights.rows();
    }

    /** Number of parameters: n_out * n_in (+ n_out with bias). */
    public int parameterCount() {
        return weights.size() + (bias == null ? 0 : bias.size());
    }

    /** A deep copy. */
    public Dense copy() {
        return new Dense(weights.copy(), bias == null ? null : bias.copy(), activation);
    }
}
