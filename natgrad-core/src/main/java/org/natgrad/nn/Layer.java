package org.natgrad.nn;

import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.Matrix;

/**
 * One layer of a {@link Network}: what the network chains and what the optimizer and the
 * curvature statistics see of it. Batches are column-major with one example per column: the
 * layer maps an input of {@link #inputs()} x M to an output of {@link #outputs()} x M (for an
 * image layer a column is one example's tensor, flattened with the channel fastest, so that a
 * spatial map of n channels at L locations is the same data as an n x (L·M) matrix).
 *
 * <p>A layer implements
 * <ul>
 *   <li>its parameter blocks {@link #weights()} and {@link #bias()} (the layer's part of a
 *       {@link ParamVector}: vec(weights) column-major, then the bias), mutable in place;</li>
 *   <li>{@link #forward}: the pre-activation and output of a batch, which {@link Network#forward}
 *       keeps in the {@link Trace} together with the input;</li>
 *   <li>the backward pass in three steps that {@link Network#backward} chains from the last
 *       layer down: {@link #error} (∂ℓ/∂output → δ = ∂ℓ/∂pre-activation, the error the curvature
 *       statistics use), {@link #gradient} (δ → the summed gradient of the parameter blocks) and
 *       {@link #inputError} (δ → ∂ℓ/∂input, the next layer's output error);</li>
 *   <li>{@link #statistics()}, the {@link StatisticsForm} of its curvature block, and, for the
 *       Kronecker form, {@link #factorInputs} (the columns whose second moment is Λ).</li>
 * </ul>
 * Sealed: the curvature code relies on the forms the permitted layers declare.
 */
public sealed interface Layer permits Dense, Conv2d, Pool2d, ScaleShift {

    /** Per-example input size n_in (the rows of the input batch). */
    int inputs();

    /** Per-example output size n_out (the rows of the output batch). */
    int outputs();

    /** Number of parameters: the sizes of {@link #weights()} and {@link #bias()}. */
    int parameterCount();

    /**
     * The first parameter block (not a copy; a 0 x 0 matrix for a layer without parameters),
     * shaped as its gradient is: n_out x n_in for a dense layer.
     */
    Matrix weights();

    /** The second parameter block, a column (not a copy), or null when the layer has none. */
    Matrix bias();

    /** True when {@link #bias()} is not null. */
    default boolean hasBias() {
        return bias() != null;
    }

    /** The form of the curvature statistics this layer produces; its parameters() equals {@link #parameterCount()}. */
    StatisticsForm statistics();

    /**
     * The forward pass of a batch.
     *
     * @param input n_in x M (not modified, not kept)
     * @throws IllegalArgumentException if the input does not have n_in rows
     */
    Forward forward(Matrix input);

    /**
     * The layer's factor inputs for the Kronecker statistics: d x (L·M) where d and L are those of
     * its {@link StatisticsForm.Kronecker} form ([x; 1] for a dense layer with bias, x itself
     * without). {@link Trace#inputWithBias} caches this per layer.
     *
     * @param input the layer's input as kept in the trace, n_in x M
     * @throws IllegalStateException if the layer's statistics are not Kronecker
     */
    Matrix factorInputs(Matrix input);

    /**
     * δ = ∂ℓ/∂a at the layer's pre-activation from ∂ℓ/∂x at its output (the activation's
     * derivative applied), both n_out x M. May return {@code outputError} itself when the map is
     * the identity.
     *
     * @param trace       the forward pass this layer is layer {@code index} of
     * @param outputError n_out x M
     * @param overwrite   whether {@code outputError} may be overwritten with the result
     */
    Matrix error(Trace trace, int index, Matrix outputError, boolean overwrite);

    /** ∂ℓ/∂x_in for the layer's input (n_in x M, a new matrix) from its error δ (n_out x M). */
    Matrix inputError(Trace trace, int index, Matrix error);

    /** The gradient summed over the batch, shaped as {@link #weights()} and {@link #bias()}, from δ (n_out x M). */
    Gradient gradient(Trace trace, int index, Matrix error);

    /**
     * The forward pass in single precision: {@link #forward} with float32 storage and products.
     * The default goes through the double-precision pass and rounds; a layer overrides it to stay
     * in float32.
     *
     * @param input   n_in x M (not modified, not kept)
     * @param weights {@link #weights()} rounded to float32, which {@link Network#forward(Matrix,
     *                org.natgrad.linalg.Precision)} rounds once per pass and keeps in the trace for the
     *                backward steps ({@link Trace#weightsSingle})
     * @throws IllegalArgumentException if the input does not have n_in rows
     */
    default SingleForward forwardSingle(FloatMatrix input, FloatMatrix weights) {
        Forward f = forward(input.toMatrix());
        FloatMatrix a = FloatMatrix.of(f.preActivation());
        return new SingleForward(a, f.output() == f.preActivation() ? a : FloatMatrix.of(f.output()));
    }

    /**
     * {@link #gradient} from a float32 error δ: the products in float32, the blocks returned in double
     * precision (exact conversions of the float32 results; sums over the batch that are not products
     * may be accumulated in double). The default goes through the double-precision step.
     */
    default Gradient gradientSingle(Trace trace, int index, FloatMatrix error) {
        return gradient(trace, index, error.toMatrix());
    }

    /**
     * {@link #error} in single precision, overwriting {@code outputError}. The default goes
     * through the double-precision pass; a layer overrides it to stay in float32.
     */
    default FloatMatrix errorSingle(Trace trace, int index, FloatMatrix outputError) {
        Matrix d = error(trace, index, outputError.toMatrix(), true);
        FloatMatrix r = FloatMatrix.of(d);
        System.arraycopy(r.data(), 0, outputError.data(), 0, r.data().length);
        return outputError;
    }

    /**
     * {@link #inputError} in single precision (a new matrix). The default goes through the
     * double-precision pass; a layer overrides it to stay in float32.
     */
    default FloatMatrix inputErrorSingle(Trace trace, int index, FloatMatrix error) {
        return FloatMatrix.of(inputError(trace, index, error.toMatrix()));
    }

    /** A deep copy (parameters copied). */
    Layer copy();

    /** A short label for logs ({@link Network#toString()}): a dense layer's activation. */
    String label();

    /**
     * The result of {@link #forward}: the pre-activation a (the layer's output before its
     * elementwise nonlinearity; the output itself for a layer without one) and the output, each
     * n_out x M; they may be the same matrix.
     */
    record Forward(Matrix preActivation, Matrix output) {
    }

    /**
     * The result of {@link #forwardSingle}: the float32 pre-activation and output, each n_out x M;
     * they may be the same matrix.
     */
    record SingleForward(FloatMatrix preActivation, FloatMatrix output) {
    }

    /**
     * A layer's summed gradient: the blocks shaped as {@link #weights()} and {@link #bias()}
     * (bias null when the layer has none).
     */
    record Gradient(Matrix weights, Matrix bias) {
    }
}
