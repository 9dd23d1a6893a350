package org.natgrad.nn;

import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Precision;

/**
 * What one forward pass over a batch of M examples (columns) leaves behind: for each layer
 * i = 1..L (indexed 0..L-1 here) its input x_{i-1} (n_{i-1} x M), its pre-activation
 * a_i = W_i x_{i-1} + b_i (n_i x M) and its output x_i = φ(a_i) (n_i x M), as each
 * {@link Layer#forward} gave them, and, built on first use, the layer's factor inputs
 * ({@link #inputWithBias}). The gradient, the Kronecker factors and the exact Fisher are all
 * computed from one Trace.
 *
 * <p>A trace has the {@link #precision()} of its pass. A single-precision trace
 * ({@link Network#forward(Matrix, Precision)}) holds float32 arrays ({@link #inputSingle},
 * {@link #preActivationSingle}, {@link #layerOutputSingle}) and the float32 weights the pass
 * multiplied with ({@link #weightsSingle}), which its backward pass reuses; its double-precision
 * accessors return exact conversions, made on first use and cached. A double-precision trace is
 * what it always was.
 */
public final class Trace {
    private final Layer[] layers;
    private final Precision precision;
    private final Matrix[] inputs;
    private final Matrix[] preActivations;
    private final Matrix[] outputs;
    private final Matrix[] inputsWithBias;
    private final FloatMatrix[] inputs32;
    private final FloatMatrix[] preActivations32;
    private final FloatMatrix[] outputs32;
    private final FloatMatrix[] weights32;

    Trace(Layer[] layers, Matrix[] inputs, Matrix[] preActivations, Matrix[] outputs) {
        this.layers = layers;
        this.precision = Precision.DOUBLE;
        this.inputs = inputs;
        this.preActivations = preActivations;
        this.outputs = outputs;
        this.inputsWithBias = new Matrix[inputs.length];
        this.inputs32 = null;
        this.preActivations32 = null;
        this.outputs32 = null;
        this.weights32 = null;
    }

    /** A single-precision trace; {@code weights} are the float32 weights each layer's forward pass used. */
    Trace(Layer[] layers, FloatMatrix[] inputs, FloatMatrix[] preActivations, FloatMatrix[] outputs,
          FloatMatrix[] weights) {
        this.layers = layers;
        this.precision = Precision.SINGLE;
        this.inputs32 = inputs;
        this.preActivations32 = preActivations;
        this.outputs32 = outputs;
        this.weights32 = weights;
        this.inputs = new Matrix[inputs.length];
        this.preActivations = new Matrix[inputs.length];
        this.outputs = new Matrix[inputs.length];
        this.inputsWithBias = new Matrix[inputs.length];
    }

    /** The precision of the pass that made this trace. */
    public Precision precision() {
        return precision;
    }

    /** Number of layers L. */
    public int layers() {
        return inputsWithBias.length;
    }

    /** Batch size M. */
    public int batchSize() {
        return precision == Precision.DOUBLE ? inputs[0].cols() : inputs32[0].cols();
    }

    /** x_{i-1}, the input of layer i (0-based), n_{i-1} x M (not a copy; converted once from a single-precision trace). */
    public Matrix input(int layer) {
        if (precision == Precision.SINGLE && layer > 0 && inputs32[layer] == outputs32[layer - 1]) {
            return layerOutput(layer - 1);
        }
        return converted(inputs, inputs32, layer);
    }

    /**
     * x̄_{i-1} = [x_{i-1}; 1], the input with the bias row appended ((n_{i-1}+1) x M), or just
     * x_{i-1} for a layer without bias: in general the layer's {@link Layer#factorInputs factor
     * inputs}, d x (L·M) for its {@link StatisticsForm.Kronecker} form. Built on first use and cached
     * (in double precision: exactly the float32 values for a single-precision trace).
     */
    public Matrix inputWithBias(int layer) {
        Matrix cached = inputsWithBias[layer];
        if (cached == null) {
            cached = layers[layer].factorInputs(input(layer));
            inputsWithBias[layer] = cached;
        }
        return cached;
    }

    /** True when layer i (0-based) has a bias, i.e. {@link #inputWithBias} appends a row of ones. */
    public boolean hasBias(int layer) {
        return layers[layer].hasBias();
    }

    /** a_i, the pre-activation of layer i (0-based), n_i x M (not a copy; converted once from a single-precision trace). */
    public Matrix preActivation(int layer) {
        if (precision == Precision.SINGLE && preActivations32[layer] == outputs32[layer]) {
            return layerOutput(layer);
        }
        return converted(preActivations, preActivations32, layer);
    }

    /** x_i = φ(a_i), the output of layer i (0-based), n_i x M (not a copy; converted once from a single-precision trace). */
    public Matrix layerOutput(int layer) {
        return converted(outputs, outputs32, layer);
    }

    /** The network output x_L, n_L x M (not a copy; converted once from a single-precision trace). */
    public Matrix output() {
        return layerOutput(inputsWithBias.length - 1);
    }

    /** x_{i-1} in float32 (not a copy) for a single-precision trace; the double input rounded (a new matrix) otherwise. */
    public FloatMatrix inputSingle(int layer) {
        return precision == Precision.SINGLE ? inputs32[layer] : FloatMatrix.of(inputs[layer]);
    }

    /** a_i in float32 (not a copy). Only a single-precision trace has one. */
    public FloatMatrix preActivationSingle(int layer) {
        requireSingle("preActivationSingle");
        return preActivations32[layer];
    }

    /** x_i in float32 (not a copy). Only a single-precision trace has one. */
    public FloatMatrix layerOutputSingle(int layer) {
        requireSingle("layerOutputSingle");
        return outputs32[layer];
    }

    /**
     * The float32 weights of layer i: those the single-precision forward pass multiplied with (not a
     * copy), or, for a double-precision trace, the layer's current weights rounded (a new matrix).
     */
    public FloatMatrix weightsSingle(int layer) {
        return precision == Precision.SINGLE ? weights32[layer] : FloatMatrix.of(layers[layer].weights());
    }

    private void requireSingle(String op) {
        if (precision != Precision.SINGLE) {
            throw new IllegalStateException("Trace." + op + ": this is a double-precision trace");
        }
    }

    private static Matrix converted(Matrix[] cache, FloatMatrix[] single, int layer) {
        Matrix m = cache[layer];
        if (m == null) {
            m = single[layer].toMatrix();
            cache[layer] = m;
        }
        return m;
    }
}
