package org.natgrad.nn;

import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.FloatOps;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Precision;

/**
 * A fully connected layer x_i = φ(W x_{i-1} + b) (math.md Eq. 1).
 * Shapes: weights W is n_out x n_in, bias b is n_out x 1 (absent when {@link #hasBias()} is
 * false, as in the deep linear networks of the theory). Both are mutable: optimizers update them
 * in place. The augmented matrix W̄ = [W, b] is what the Fisher's parameter order follows:
 * vec(W) column-major, then b.
 *
 * <p>As a {@link Layer}: forward a = W x + b (one gemm), x_out = φ(a); backward δ = g ⊙ φ'(a),
 * ∂ℓ/∂x_in = W^T δ (one gemm), gradient (δ x^T, δ 1). Its statistics are
 * {@link StatisticsForm.Kronecker} with d = n_in (+1 with bias), n = n_out and one location.
 */
public final class Dense implements Layer {
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

    @Override
    public Matrix weights() {
        return weights;
    }

    /** The bias column, or null. */
    @Override
    public Matrix bias() {
        return bias;
    }

    @Override
    public boolean hasBias() {
        return bias != null;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public int inputs() {
        return weights.cols();
    }

    @Override
    public int outputs() {
        return weights.rows();
    }

    /** Number of parameters: n_out * n_in (+ n_out with bias). */
    @Override
    public int parameterCount() {
        return weights.size() + (bias == null ? 0 : bias.size());
    }

    /** Kronecker with d = n_in (+1 with bias), n = n_out, one location. */
    @Override
    public StatisticsForm statistics() {
        return new StatisticsForm.Kronecker(inputs() + (hasBias() ? 1 : 0), outputs(), 1);
    }

    /** a = W x + b and φ(a); the output is a itself for the identity. */
    @Override
    public Forward forward(Matrix input) {
        if (input.rows() != inputs()) {
            throw new IllegalArgumentException("Dense.forward: input is " + input.shape() + " but the layer takes "
                    + inputs() + " inputs (weights " + weights.shape() + "; examples are columns)");
        }
        Matrix a = MatOps.gemm(1, weights, false, input, false, 0, null);
        if (bias != null) {
            addColumnToEach(a, bias.data());
        }
        if (activation.isIdentity()) {
            return new Forward(a, a);
        }
        Matrix y = new Matrix(a.rows(), a.cols());
        activation.apply(a.data(), y.data());
        return new Forward(a, y);
    }

    /**
     * a = W x + b with {@code sgemm} (W the float32 weights given, b rounded to float32) and φ(a)
     * evaluated in double and rounded to float32; the output is a itself for the identity.
     */
    @Override
    public SingleForward forwardSingle(FloatMatrix input, FloatMatrix weights32) {
        if (input.rows() != inputs()) {
            throw new IllegalArgumentException("Dense.forwardSingle: input is " + input.shape() + " but the layer takes "
                    + inputs() + " inputs (weights " + weights.shape() + "; examples are columns)");
        }
        if (weights32.rows() != outputs() || weights32.cols() != inputs()) {
            throw new IllegalArgumentException("Dense.forwardSingle: float32 weights are " + weights32.shape()
                    + " but the layer's are " + weights.shape());
        }
        FloatMatrix a = FloatOps.multiply(weights32, false, input, false);
        if (bias != null) {
            float[] d = a.data();
            double[] b = bias.data();
            int r = a.rows();
            float[] col = new float[r];
            for (int i = 0; i < r; i++) {
                col[i] = (float) b[i];
            }
            for (int j = 0; j < a.cols(); j++) {
                int off = j * r;
                for (int i = 0; i < r; i++) {
                    d[off + i] += col[i];
                }
            }
        }
        if (activation.isIdentity()) {
            return new SingleForward(a, a);
        }
        FloatMatrix y = new FloatMatrix(a.rows(), a.cols());
        activation.apply(a.data(), y.data());
        return new SingleForward(a, y);
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

    /** x̄ = [x; 1] ((n_in + 1) x M) with a bias, x itself (not a copy) without. */
    @Override
    public Matrix factorInputs(Matrix input) {
        if (input.rows() != inputs()) {
            throw new IllegalArgumentException("Dense.factorInputs: input is " + input.shape() + " but the layer takes "
                    + inputs() + " inputs");
        }
        if (bias == null) {
            return input;
        }
        int n = input.rows();
        int m = input.cols();
        Matrix x = new Matrix(n + 1, m);
        double[] src = input.data();
        double[] dst = x.data();
        for (int j = 0; j < m; j++) {
            System.arraycopy(src, j * n, dst, j * (n + 1), n);
            dst[j * (n + 1) + n] = 1.0;
        }
        return x;
    }

    /** δ = g ⊙ φ'(a) (g itself for the identity; a copy of g unless {@code overwrite}). */
    @Override
    public Matrix error(Trace trace, int index, Matrix outputError, boolean overwrite) {
        Matrix z = preActivation("Dense.error", trace, index, outputError.rows(), outputError.cols(), outputError.shape());
        if (activation.isIdentity()) {
            return outputError;
        }
        Matrix g = overwrite ? outputError : outputError.copy();
        double[] zd = z.data();
        double[] y = trace.layerOutput(index).data();
        double[] gd = g.data();
        for (int k = 0; k < gd.length; k++) {
            gd[k] *= activation.derivative(zd[k], y[k]);
        }
        return g;
    }

    /** W^T δ, n_in x M. */
    @Override
    public Matrix inputError(Trace trace, int index, Matrix error) {
        requireError("Dense.inputError", error.rows());
        return MatOps.gemm(1, weights, true, error, false, 0, null);
    }

    /** (δ x^T, δ 1): n_out x n_in and n_out x 1 (no bias block without a bias). */
    @Override
    public Gradient gradient(Trace trace, int index, Matrix error) {
        requireError("Dense.gradient", error.rows());
        Matrix gw = MatOps.gemm(1, error, false, trace.input(index), true, 0, null);
        return new Gradient(gw, bias != null ? MatOps.rowSums(error) : null);
    }

    /**
     * δ = g ⊙ φ'(a) in place, in float32: the derivative evaluated in double from the trace's a and
     * φ(a) (its float32 values for a single-precision trace), the product rounded once.
     */
    @Override
    public FloatMatrix errorSingle(Trace trace, int index, FloatMatrix outputError) {
        boolean single = trace.precision() == Precision.SINGLE;
        FloatMatrix z32 = single ? trace.preActivationSingle(index) : null;
        Matrix z = single ? null : trace.preActivation(index);
        requirePreActivation("Dense.errorSingle", index, outputError.rows(), outputError.cols(), outputError.shape(),
                single ? z32.rows() : z.rows(), single ? z32.cols() : z.cols());
        if (activation.isIdentity()) {
            return outputError;
        }
        float[] gd = outputError.data();
        if (single) {
            float[] zf = z32.data();
            float[] yf = trace.layerOutputSingle(index).data();
            for (int k = 0; k < gd.length; k++) {
                gd[k] = (float) (gd[k] * activation.derivative(zf[k], yf[k]));
            }
        } else {
            double[] zd = z.data();
            double[] y = trace.layerOutput(index).data();
            for (int k = 0; k < gd.length; k++) {
                gd[k] = (float) (gd[k] * activation.derivative(zd[k], y[k]));
            }
        }
        return outputError;
    }

    /**
     * W^T δ in float32 ({@code sgemm}), with the trace's float32 weights ({@link Trace#weightsSingle}:
     * those of a single-precision forward pass, else W rounded on each call).
     */
    @Override
    public FloatMatrix inputErrorSingle(Trace trace, int index, FloatMatrix error) {
        requireError("Dense.inputErrorSingle", error.rows());
        return FloatOps.multiply(trace.weightsSingle(index), true, error, false);
    }

    /**
     * (δ x^T, δ 1) from a float32 δ: δ x^T by {@code sgemm} with the trace's float32 input
     * ({@link Trace#inputSingle}), the bias block's row sums accumulated in double; both returned in
     * double precision.
     */
    @Override
    public Gradient gradientSingle(Trace trace, int index, FloatMatrix error) {
        requireError("Dense.gradientSingle", error.rows());
        Matrix gw = FloatOps.multiply(error, false, trace.inputSingle(index), true).toMatrix();
        Matrix gb = null;
        if (bias != null) {
            gb = new Matrix(error.rows(), 1);
            double[] s = gb.data();
            float[] e = error.data();
            int r = error.rows();
            for (int j = 0; j < error.cols(); j++) {
                for (int i = 0, off = j * r; i < r; i++) {
                    s[i] += e[off + i];
                }
            }
        }
        return new Gradient(gw, gb);
    }

    /** The trace's pre-activation of this layer, checked against an output error of rows x cols. */
    private Matrix preActivation(String op, Trace trace, int index, int rows, int cols, String shape) {
        Matrix z = trace.preActivation(index);
        requirePreActivation(op, index, rows, cols, shape, z.rows(), z.cols());
        return z;
    }

    /** An output error of rows x cols against layer {@code index}'s pre-activation of zRows x zCols and this layer. */
    private void requirePreActivation(String op, int index, int rows, int cols, String shape, int zRows, int zCols) {
        if (rows != zRows || cols != zCols || zRows != outputs()) {
            throw new IllegalArgumentException(op + ": output error is " + shape + " but layer " + (index + 1)
                    + " of the trace has pre-activation " + zRows + "x" + zCols + " and this layer " + outputs() + " outputs");
        }
    }

    private void requireError(String op, int rows) {
        if (rows != outputs()) {
            throw new IllegalArgumentException(op + ": error has " + rows + " rows but the layer has " + outputs()
                    + " outputs");
        }
    }

    /** The activation's label. */
    @Override
    public String label() {
        return activation.label();
    }

    /** A deep copy. */
    @Override
    public Dense copy() {
        return new Dense(weights.copy(), bias == null ? null : bias.copy(), activation);
    }

    /** E.g. "Dense 3x4 tanh with bias". */
    @Override
    public String toString() {
        return "Dense " + outputs() + "x" + inputs() + " " + activation.label() + (bias != null ? " with bias" : " without bias");
    }
}
