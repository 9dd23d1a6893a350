package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * What one forward pass over a batch of M examples (columns) leaves behind: for each layer
 * i = 1..L (indexed 0..L-1 here) its input x_{i-1} (n_{i-1} x M), its pre-activation
 * a_i = W_i x_{i-1} + b_i (n_i x M) and its output x_i = φ(a_i) (n_i x M), as each
 * {@link Layer#forward} gave them, and, built on first use, the layer's factor inputs
 * ({@link #inputWithBias}). The gradient, the Kronecker factors and the exact Fisher are all
 * computed from one Trace.
 */
public final class Trace {
    private final Layer[] layers;
    private final Matrix[] inputs;
    private final Matrix[] preActivations;
    private final Matrix[] outputs;
    private final Matrix[] inputsWithBias;

    Trace(Layer[] layers, Matrix[] inputs, Matrix[] preActivations, Matrix[] outputs) {
        this.layers = layers;
        this.inputs = inputs;
        this.preActivations = preActivations;
        this.outputs = outputs;
        this.inputsWithBias = new Matrix[inputs.length];
    }

    /** Number of layers L. */
    public int layers() {
        return inputs.length;
    }

    /** Batch size M. */
    public int batchSize() {
        return inputs[0].cols();
    }

    /** x_{i-1}, the input of layer i (0-based), n_{i-1} x M (not a copy). */
    public Matrix input(int layer) {
        return inputs[layer];
    }

    /**
     * x̄_{i-1} = [x_{i-1}; 1], the input with the bias row appended ((n_{i-1}+1) x M), or just
     * x_{i-1} for a layer without bias: in general the layer's {@link Layer#factorInputs factor
     * inputs}, d x (L·M) for its {@link StatisticsForm.Kronecker} form. Built on first use and cached.
     */
    public Matrix inputWithBias(int layer) {
        Matrix cached = inputsWithBias[layer];
        if (cached == null) {
            cached = layers[layer].factorInputs(inputs[layer]);
            inputsWithBias[layer] = cached;
        }
        return cached;
    }

    /** True when layer i (0-based) has a bias, i.e. {@link #inputWithBias} appends a row of ones. */
    public boolean hasBias(int layer) {
        return layers[layer].hasBias();
    }

    /** a_i, the pre-activation of layer i (0-based), n_i x M (not a copy). */
    public Matrix preActivation(int layer) {
        return preActivations[layer];
    }

    /** x_i = φ(a_i), the output of layer i (0-based), n_i x M (not a copy). */
    public Matrix layerOutput(int layer) {
        return outputs[layer];
    }

    /** The network output x_L, n_L x M (not a copy). */
    public Matrix output() {
        return outputs[outputs.length - 1];
    }
}
