package org.natgrad.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Precision;
import org.natgrad.random.Rng;

/**
 * A feed-forward stack of {@link Layer}s ({@link Dense} layers, x_i = φ_i(W_i x_{i-1} + b_i)
 * for i = 1..L, math.md Eq. 1, and the image and normalization layers {@link Conv2d},
 * {@link MaxPool2d}, {@link AvgPool2d}, {@link Affine}, {@link LayerNorm}; {@link ModelSpec} builds
 * one from a model string), evaluated on batches whose examples are columns (x_0 is n_0 x M).
 * The network only chains its layers: each layer's own {@link Layer#forward} and backward steps
 * do the arithmetic. Layer indices in this API are 0-based: layer 0 is the paper's layer 1.
 */
public final class Network {
    private final List<Layer> layers;

    /**
     * A network from the given layers (kept, not copied); consecutive sizes must match (an image
     * layer's output, C·H·W rows channel fastest, is read as is by a following dense layer: no
     * flatten layer is needed).
     *
     * @throws IllegalArgumentException naming the two layers and their sizes when they do not chain
     */
    public Network(List<? extends Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("Network: need at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("Network: layer " + (i + 1) + " (" + layers.get(i).label()
                        + ") expects " + inputShape(layers.get(i)) + " inputs, layer " + i + " ("
                        + layers.get(i - 1).label() + ") outputs " + layers.get(i - 1).outputs());
            }
        }
        this.layers = List.copyOf(layers);
    }

    /** A layer's input size with its shape where it has one, e.g. "32x12x12 = 4608" or "784". */
    static String inputShape(Layer layer) {
        Geometry2d g = layer instanceof Conv2d c ? c.geometry() : layer instanceof Pool2d p ? p.geometry() : null;
        if (g != null) {
            return g.inputShape() + " = " + layer.inputs();
        }
        if (layer instanceof Affine a && a.locations() > 1) {
            return a.channels() + " channels x " + a.locations() + " locations = " + layer.inputs();
        }
        return Integer.toString(layer.inputs());
    }

    /**
     * A dense network with the given widths n_0, ..., n_L, activation {@code hidden} on layers
     * 1..L-1 and {@code output} on layer L, weights from {@code init} with the given seed, zero
     * biases (or none if {@code bias} is false).
     */
    public static Network dense(List<Integer> widths, Activation hidden, Activation output, boolean bias,
                                Init init, long seed) {
        return dense(widths, hidden, output, bias, init, new Rng(seed));
    }

    /** As {@link #dense(List, Activation, Activation, boolean, Init, long)} drawing from {@code rng}. */
    public static Network dense(List<Integer> widths, Activation hidden, Activation output, boolean bias,
                                Init init, Rng rng) {
        if (widths.size() < 2) {
            throw new IllegalArgumentException("Network.dense: need at least two widths (input and output), got " + widths);
        }
        for (int w : widths) {
            if (w <= 0) {
                throw new IllegalArgumentException("Network.dense: widths must be positive, got " + widths);
            }
        }
        List<Dense> ls = new ArrayList<>();
        int l = widths.size() - 1;
        for (int i = 0; i < l; i++) {
            Matrix w = init.weights(widths.get(i + 1), widths.get(i), rng);
            Matrix b = bias ? new Matrix(widths.get(i + 1), 1) : null;
            ls.add(new Dense(w, b, i == l - 1 ? output : hidden));
        }
        return new Network(ls);
    }

    /** Number of layers L. */
    public int depth() {
        return layers.size();
    }

    /** Layer i (0-based). */
    public Layer layer(int i) {
        return layers.get(i);
    }

    /** The layers, first to last (unmodifiable). */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Layer i (0-based) as a {@link Dense} layer, for code that needs a dense layer's activation
     * or does its arithmetic by hand (closed forms for linear and dense networks, model files).
     *
     * @throws IllegalStateException if layer i is not dense
     */
    public Dense denseLayer(int i) {
        Layer l = layers.get(i);
        if (l instanceof Dense d) {
            return d;
        }
        throw new IllegalStateException("Network: layer " + (i + 1) + " is a " + l.getClass().getSimpleName()
                + ", not a Dense layer; this operation needs a dense network");
    }

    /**
     * Every layer as a {@link Dense} layer (a new list).
     *
     * @throws IllegalStateException if some layer is not dense
     */
    public List<Dense> denseLayers() {
        List<Dense> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            out.add(denseLayer(i));
        }
        return out;
    }

    /** Widths n_0, ..., n_L. */
    public List<Integer> widths() {
        List<Integer> w = new ArrayList<>();
        w.add(layers.get(0).inputs());
        for (Layer d : layers) {
            w.add(d.outputs());
        }
        return w;
    }

    public int inputSize() {
        return layers.get(0).inputs();
    }

    public int outputSize() {
        return layers.get(layers.size() - 1).outputs();
    }

    /** Total number of parameters P. */
    public int parameterCount() {
        return layers.stream().mapToInt(Layer::parameterCount).sum();
    }

    /** A view of the parameters: its matrices are the layers' own, so updating it updates the network. */
    public ParamVector parameters() {
        Matrix[] w = new Matrix[layers.size()];
        Matrix[] b = new Matrix[layers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = layers.get(i).weights();
            b[i] = layers.get(i).bias();
        }
        return new ParamVector(w, b);
    }

    /** A deep copy. */
    public Network copy() {
        return new Network(layers.stream().map(Layer::copy).toList());
    }

    /** True if every layer is a dense layer with the identity activation (a linear network). */
    public boolean isLinear() {
        return layers.stream().allMatch(d -> d instanceof Dense dense && dense.activation().isIdentity());
    }

    /** True if no layer has a bias. */
    public boolean isBiasFree() {
        return layers.stream().noneMatch(Layer::hasBias);
    }

    /**
     * Forward pass over a batch x (n_0 x M), keeping what backward passes and curvature need.
     *
     * @throws IllegalArgumentException if x has the wrong number of rows
     */
    public Trace forward(Matrix x) {
        requireInput(x);
        int l = layers.size();
        Matrix[] inputs = new Matrix[l];
        Matrix[] pre = new Matrix[l];
        Matrix[] out = new Matrix[l];
        Matrix cur = x;
        for (int i = 0; i < l; i++) {
            inputs[i] = cur;
            Layer.Forward f = layers.get(i).forward(cur);
            pre[i] = f.preActivation();
            out[i] = f.output();
            cur = out[i];
        }
        return new Trace(layers.toArray(new Layer[0]), inputs, pre, out);
    }

    /**
     * The forward pass in the given precision. {@link Precision#DOUBLE} is {@link #forward(Matrix)}.
     * {@link Precision#SINGLE}: x and each layer's weights are rounded to float32 once (the weights
     * stay double in the network; the trace keeps the float32 copies for the backward pass), and
     * each layer's {@link Layer#forwardSingle} multiplies with {@code sgemm} and keeps its
     * activations in float32. A value beyond float32's range (about ±3.4·10³⁸) becomes ±Inf (or NaN
     * further on) rather than failing here: the optimizers check the loss and gradient and reject
     * such a step with the reason.
     *
     * @throws IllegalArgumentException if x has the wrong number of rows
     * @throws IllegalStateException    for SINGLE without native BLAS ({@code FloatOps.available()})
     */
    public Trace forward(Matrix x, Precision precision) {
        if (precision == Precision.DOUBLE) {
            return forward(x);
        }
        requireInput(x);
        int l = layers.size();
        FloatMatrix[] inputs = new FloatMatrix[l];
        FloatMatrix[] pre = new FloatMatrix[l];
        FloatMatrix[] out = new FloatMatrix[l];
        FloatMatrix[] weights = new FloatMatrix[l];
        FloatMatrix cur = FloatMatrix.of(x);
        for (int i = 0; i < l; i++) {
            inputs[i] = cur;
            weights[i] = FloatMatrix.of(layers.get(i).weights());
            Layer.SingleForward f = layers.get(i).forwardSingle(cur, weights[i]);
            pre[i] = f.preActivation();
            out[i] = f.output();
            cur = out[i];
        }
        return new Trace(layers.toArray(new Layer[0]), inputs, pre, out, weights);
    }

    private void requireInput(Matrix x) {
        if (x.rows() != inputSize()) {
            throw new IllegalArgumentException("Network.forward: input is " + x.shape() + " but the network takes "
                    + inputSize() + " inputs (examples are columns)");
        }
    }

    /** The network's output for x (n_0 x M), n_L x M. */
    public Matrix predict(Matrix x) {
        return forward(x).output();
    }

    /**
     * Backward pass (math.md Eq. 8 and Eq. 7). {@code outputError} is ∂ℓ_m/∂x_L for each example
     * m as a column (n_L x M); scale it by 1/M beforehand to get the gradient of a mean loss.
     *
     * For a single-precision trace ({@link #forward(Matrix, Precision)}) the pass runs in float32
     * (the output error rounded, then the layers' float32 steps) and the errors are returned as exact
     * double conversions; {@link #gradient} skips that conversion when only the gradient is needed.
     *
     * @param withGradients also form the summed gradients δ_i x_{i-1}^T and δ_i 1
     */
    public Backprop backward(Trace trace, Matrix outputError, boolean withGradients) {
        int l = layers.size();
        requireOutputError("Network.backward", trace, outputError.rows(), outputError.cols(), outputError.shape());
        if (trace.precision() == Precision.SINGLE) {
            FloatMatrix[] e32 = new FloatMatrix[l];
            ParamVector g = backwardSingle(trace, FloatMatrix.of(outputError), e32, withGradients);
            Matrix[] errors = new Matrix[l];
            for (int i = 0; i < l; i++) {
                errors[i] = e32[i].toMatrix();
            }
            return new Backprop(errors, g);
        }
        Matrix[] errors = new Matrix[l];
        Matrix[] gw = withGradients ? new Matrix[l] : null;
        Matrix[] gb = withGradients ? new Matrix[l] : null;
        Matrix g = outputError;
        boolean owned = false;
        for (int i = l - 1; i >= 0; i--) {
            Layer d = layers.get(i);
            Matrix delta = d.error(trace, i, g, owned);
            errors[i] = delta;
            if (withGradients) {
                Layer.Gradient grad = d.gradient(trace, i, delta);
                gw[i] = grad.weights();
                gb[i] = grad.bias();
            }
            if (i > 0) {
                g = d.inputError(trace, i, delta);
                owned = true;
            }
        }
        return new Backprop(errors, withGradients ? new ParamVector(gw, gb) : null);
    }

    /**
     * The summed gradient alone, in the trace's precision: {@code backward(trace, outputError,
     * true).gradients()} for a double-precision trace; for a single-precision one the output error is
     * rounded to float32 and the backward pass runs in float32 ({@link Layer#errorSingle},
     * {@link Layer#gradientSingle}, {@link Layer#inputErrorSingle}), without converting the errors.
     *
     * @param outputError n_L x M, ∂ℓ_m/∂x_L per column (not modified)
     */
    public ParamVector gradient(Trace trace, Matrix outputError) {
        if (trace.precision() == Precision.DOUBLE) {
            return backward(trace, outputError, true).gradients();
        }
        requireOutputError("Network.gradient", trace, outputError.rows(), outputError.cols(), outputError.shape());
        return backwardSingle(trace, FloatMatrix.of(outputError), new FloatMatrix[layers.size()], true);
    }

    private void requireOutputError(String op, Trace trace, int rows, int cols, String shape) {
        if (trace.layers() != layers.size()) {
            throw new IllegalArgumentException(op + ": trace has " + trace.layers() + " layers, network " + layers.size());
        }
        Matrix out = trace.output();
        if (rows != out.rows() || cols != out.cols()) {
            throw new IllegalArgumentException(op + ": output error is " + shape + " but the output is " + out.shape());
        }
    }

    /**
     * The float32 backward chain, from the last layer down: δ_i into {@code errors}, and the summed
     * gradient when {@code withGradients} (else null). {@code g} is overwritten.
     */
    private ParamVector backwardSingle(Trace trace, FloatMatrix g, FloatMatrix[] errors, boolean withGradients) {
        int l = layers.size();
        Matrix[] gw = withGradients ? new Matrix[l] : null;
        Matrix[] gb = withGradients ? new Matrix[l] : null;
        for (int i = l - 1; i >= 0; i--) {
            Layer d = layers.get(i);
            FloatMatrix delta = d.errorSingle(trace, i, g);
            errors[i] = delta;
            if (withGradients) {
                Layer.Gradient grad = d.gradientSingle(trace, i, delta);
                gw[i] = grad.weights();
                gb[i] = grad.bias();
            }
            if (i > 0) {
                g = d.inputErrorSingle(trace, i, delta);
            }
        }
        return withGradients ? new ParamVector(gw, gb) : null;
    }

    /**
     * The backward pass of output errors alone, in single precision: e_L = outputError ⊙ φ'_L(z_L),
     * e_{i-1} = (W_i^T e_i) ⊙ φ'_{i-1}(z_{i-1}), with the trace's float32 weights
     * ({@link Trace#weightsSingle}: a double-precision trace rounds each layer's weights once per call)
     * and the derivatives evaluated in double from the trace's values. Returns every layer's e_i
     * (n_i x M). For the curvature statistics of the natural gradient ({@code FactorPrecision}, or a
     * single-precision step), where the errors only feed a Monte Carlo estimate; the training
     * gradient comes from {@link #backward} or {@link #gradient}.
     *
     * @param outputError n_L x M (not modified)
     */
    public FloatMatrix[] backwardErrorsSingle(Trace trace, FloatMatrix outputError) {
        requireOutputError("Network.backwardErrorsSingle", trace, outputError.rows(), outputError.cols(),
                outputError.shape());
        FloatMatrix[] errors = new FloatMatrix[layers.size()];
        backwardSingle(trace, outputError.copy(), errors, false);
        return errors;
    }

    @Override
    public String toString() {
        return "Network" + widths() + " " + Arrays.toString(layers.stream().map(Layer::label).toArray());
    }
}
