package org.natgrad.nn;

import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.FloatOps;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

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

    /** δ = g ⊙ φ'(a) in place, in float32 (the derivative evaluated in double from the trace). */
    @Override
    public FloatMatrix errorSingle(Trace trace, int index, FloatMatrix outputError) {
        Matrix z = preActivation("Dense.errorSingle", trace, index, outputError.rows(), outputError.cols(),
                outputError.shape());
        if (activation.isIdentity()) {
            return outputError;
        }
        double[] zd = z.data();
        double[] y = trace.layerOutput(index).data();
        float[] gd = outputError.data();
        for (int k = 0; k < gd.length; k++) {
            gd[k] = (float) (gd[k] * activation.derivative(zd[k], y[k]));
        }
        return outputError;
    }

    /** W^T δ in float32, with W rounded to float32 on each call. */
    @Override
    public FloatMatrix inputErrorSingle(Trace trace, int index, FloatMatrix error) {
        requireError("Dense.inputErrorSingle", error.rows());
        return FloatOps.multiply(FloatMatrix.of(weights), true, error, false);
    }

    /** The trace's pre-activation of this layer, checked against an output error of rows x cols. */
    private Matrix preActivation(String op, Trace trace, int index, int rows, int cols, String shape) {
        Matrix z = trace.preActivation(index);
        if (rows != z.rows() || cols != z.cols() || z.rows() != outputs()) {
            throw new IllegalArgumentException(op + ": output error is " + shape + " but layer " + (index + 1)
                    + " of the trace has pre-activation " + z.shape() + " and this layer " + outputs() + " outputs");
        }
        return z;
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
