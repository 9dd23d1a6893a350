package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * The result of one backward pass: per layer i the error δ_i = ∂ℓ/∂a_i (n_i x M, one column per
 * example) and, when requested, the gradient summed over the batch, ∂/∂W_i = δ_i x_{i-1}^T and
 * ∂/∂b_i = δ_i 1. Sign: δ_i = −e_i of math.md Eq. 8, where e_L = φ'∘Σ̃^{-1}(y − x_L); second
 * moments such as Λ̃_i = ⟨e_i e_i^T⟩ are the same with either sign.
 *
 * @param errors    δ_i per layer (0-based)
 * @param gradients the summed gradient, or null if only errors were requested
 */
public record Backprop(Matrix[] errors, ParamVector gradients) {
    /** δ_i for layer i (0-based). */
    public Matrix error(int layer) {
        return errors[layer];
    }
}
