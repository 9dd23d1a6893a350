package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * What one forward pass over a batch of M examples (columns) leaves behind: for each layer
 * i = 1..L (indexed 0..L-1 here) its input x_{i-1} (n_{i-1} x M), its pre-activation
 * a_i = W_i x_{i-1} + b_i (n_i x M) and its output x_i = φ(a_i) (n_i x M). The gradient, the
 * Kronecker factors and the exact Fisher are all computed from one Trace.
 */
public final class Trace {
    private final Matrix[] inputs;
    private final Matrix[] preActivations;
    private final Matrix[] outputs;
    private final boolean[] bias;
    private final Matrix[] inputsWithBias;

    Trace(Matrix[] inputs, Matrix[] preActivations, Matrix[] outputs, boolean[] bias) {
        this.inputs = inputs;
        this.preActivations = preActivations;
        this.outputs = outputs;
        this.bias = bias;
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
     * x_{i-1} for a layer without bias. Built on first use and cached.
     */
    public Matrix inputWithBias(int layer) {
        if (!bias[layer]) {
            return inputs[layer];
        }
        Matrix cached = inputsWithBias[layer];
        if (cached == null) {
            Matrix x = inputs[layer];
            int n = x.rows();
            int m = x.cols();
            cached = new Matrix(n + 1, m);
            double[] src = x.data();
            double[] dst = cached.data();
            for (int j = 0; j < m; j++) {
                System.arraycopy(src, j * n, dst, j * (n + 1), n);
                dst[j * (n + 1) + n] = 1.0;
            }
            inputsWithBias[layer] = cached;
        }
        return cached;
    }

    /** True when layer i (0-based) has a bias, i.e. {@link #inputWithBias} appends a row of ones. */
    public boolean hasBias(int layer) {
        return bias[layer];
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
