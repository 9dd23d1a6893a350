package org.natgrad.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.FloatOps;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * A feed-forward stack of {@link Dense} layers, x_i = φ_i(W_i x_{i-1} + b_i) for i = 1..L
 * (math.md Eq. 1), evaluated on batches whose examples are columns (x_0 is n_0 x M).
 * Layer indices in this API are 0-based: layer 0 is the paper's layer 1.
 */
public final class Network {
    private final List<Dense> layers;

    /** A network from the given layers (kept, not copied); consecutive widths must match. */
    public Network(List<Dense> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("Network: need at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("Network: layer " + (i + 1) + " takes " + layers.get(i).inputs()
                        + " inputs but layer " + i + " gives " + layers.get(i - 1).outputs());
            }
        }
        this.layers = List.copyOf(layers);
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
    public Dense layer(int i) {
        return layers.get(i);
    }

    public List<Dense> layers() {
        return layers;
    }

    /** Widths n_0, ..., n_L. */
    public List<Integer> widths() {
        List<Integer> w = new ArrayList<>();
        w.add(layers.get(0).inputs());
        for (Dense d : layers) {
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
        return layers.stream().mapToInt(Dense::parameterCount).sum();
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
        return new Network(layers.stream().map(Dense::copy).toList());
    }

    /** True if every layer is linear (identity activation). */
    public boolean isLinear() {
        return layers.stream().allMatch(d -> d.activation().isIdentity());
    }

    /** True if no layer has a bias. */
    public boolean isBiasFree() {
        return layers.stream().noneMatch(Dense::hasBias);
    }

    /**
     * Forward pass over a batch x (n_0 x M), keeping what backward passes and curvature need.
     *
     * @throws IllegalArgumentException if x has the wrong number of rows
     */
    public Trace forward(Matrix x) {
        if (x.rows() != inputSize()) {
            throw new IllegalArgumentException("Network.forward: input is " + x.shape() + " but the network takes "
                    + inputSize() + " inputs (examples are columns)");
        }
        int l = layers.size();
        Matrix[] inputs = new Matrix[l];
        Matrix[] pre = new Matrix[l];
        Matrix[] out = new Matrix[l];
        boolean[] bias = new boolean[l];
        Matrix cur = x;
        for (int i = 0; i < l; i++) {
            Dense d = layers.get(i);
            inputs[i] = cur;
            bias[i] = d.hasBias();
            Matrix a = MatOps.gemm(1, d.weights(), false, cur, false, 0, null);
            if (d.hasBias()) {
                addColumnToEach(a, d.bias().data());
            }
            pre[i] = a;
            if (d.activation().isIdentity()) {
                out[i] = a;
            } else {
                Matrix y = new Matrix(a.rows(), a.cols());
                d.activation().apply(a.data(), y.data());
                out[i] = y;
            }
            cur = out[i];
        }
        return new Trace(inputs, pre, out, bias);
    }

    /** The network's output for x (n_0 x M), n_L x M. */
    public Matrix predict(Matrix x) {
        return forward(x).output();
    }

    private static void addColumnToEach(Matrix a, double[] col) {
        double[] d = a.data();
        int r = a.rows();
        for (int j = 0; j < a.cols(); j++) {
            int off = j * r;
            for (int i = 0; i < r; i++) {
                d[off + i] += col[i];
            }
        }
    }

    /**
     * Backward pass (math.md Eq. 8 and Eq. 7). {@code outputError} is ∂ℓ_m/∂x_L for each example
     * m as a column (n_L x M); scale it by 1/M beforehand to get the gradient of a mean loss.
     *
     * @param withGradients also form the summed gradients δ_i x_{i-1}^T and δ_i 1
     */
    public Backprop backward(Trace trace, Matrix outputError, boolean withGradients) {
        int l = layers.size();
        if (trace.layers() != l) {
            throw new IllegalArgumentException("Network.backward: trace has " + trace.layers() + " layers, network " + l);
        }
        Matrix out = trace.output();
        if (outputError.rows() != out.rows() || outputError.cols() != out.cols()) {
            throw new IllegalArgumentException("Network.backward: output error is " + outputError.shape()
                    + " but the output is " + out.shape());
        }
        Matrix[] errors = new Matrix[l];
        Matrix[] gw = withGradients ? new Matrix[l] : null;
        Matrix[] gb = withGradients ? new Matrix[l] : null;
        Matrix delta = multiplyByDerivative(layers.get(l - 1).activation(), trace, l - 1, outputError);
        for (int i = l - 1; i >= 0; i--) {
            errors[i] = delta;
            Dense d = layers.get(i);
            if (withGradients) {
                gw[i] = MatOps.gemm(1, delta, false, trace.input(i), true, 0, null);
                gb[i] = d.hasBias() ? MatOps.rowSums(delta) : null;
            }
            if (i > 0) {
                Matrix back = MatOps.gemm(1, d.weights(), true, delta, false, 0, null);
                delta = multiplyByDerivativeInPlace(layers.get(i - 1).activation(), trace, i - 1, back);
            }
        }
        return new Backprop(errors, withGradients ? new ParamVector(gw, gb) : null);
    }

    /**
     * The backward pass of output errors alone, in single precision: e_L = outputError ⊙ φ'_L(z_L),
     * e_{i-1} = (W_i^T e_i) ⊙ φ'_{i-1}(z_{i-1}), with the weights rounded to float32 once per call and
     * the derivatives evaluated in double from the trace. Returns every layer's e_i (n_i x M). For the
     * curvature statistics of the natural gradient ({@code FactorPrecision}), where the errors only
     * feed a Monte Carlo estimate; the training gradient always comes from {@link #backward}.
     *
     * @param outputError n_L x M (not modified)
     */
    public FloatMatrix[] backwardErrorsSingle(Trace trace, FloatMatrix outputError) {
        int l = layers.size();
        if (trace.layers() != l) {
            throw new IllegalArgumentException("Network.backwardErrorsSingle: trace has " + trace.layers()
                    + " layers, network " + l);
        }
        Matrix out = trace.output();
        if (outputError.rows() != out.rows() || outputError.cols() != out.cols()) {
            throw new IllegalArgumentException("Network.backwardErrorsSingle: output error is " + outputError.shape()
                    + " but the output is " + out.shape());
        }
        FloatMatrix[] errors = new FloatMatrix[l];
        FloatMatrix delta = multiplyByDerivativeInPlace(layers.get(l - 1).activation(), trace, l - 1,
                outputError.copy());
        for (int i = l - 1; i >= 0; i--) {
            errors[i] = delta;
            if (i > 0) {
                FloatMatrix back = FloatOps.multiply(FloatMatrix.of(layers.get(i).weights()), true, delta, false);
                delta = multiplyByDerivativeInPlace(layers.get(i - 1).activation(), trace, i - 1, back);
            }
        }
        return errors;
    }

    private static FloatMatrix multiplyByDerivativeInPlace(Activation act, Trace trace, int layer, FloatMatrix g) {
        if (act.isIdentity()) {
            return g;
        }
        double[] z = trace.preActivation(layer).data();
        double[] y = trace.layerOutput(layer).data();
        float[] gd = g.data();
        for (int k = 0; k < gd.length; k++) {
            gd[k] = (float) (gd[k] * act.derivative(z[k], y[k]));
        }
        return g;
    }

    private static Matrix multiplyByDerivative(Activation act, Trace trace, int layer, Matrix upstream) {
        if (act.isIdentity()) {
            return upstream;
        }
        return multiplyByDerivativeInPlace(act, trace, layer, upstream.copy());
    }

    private static Matrix multiplyByDerivativeInPlace(Activation act, Trace trace, int layer, Matrix g) {
        if (act.isIdentity()) {
            return g;
        }
        double[] z = trace.preActivation(layer).data();
        double[] y = trace.layerOutput(layer).data();
        double[] gd = g.data();
        for (int k = 0; k < gd.length; k++) {
            gd[k] *= act.derivative(z[k], y[k]);
        }
        return g;
    }

    @Override
    public String toString() {
        return "Network" + widths() + " " + Arrays.toString(layers.stream().map(d -> d.activation().label()).toArray());
    }
}
