package org.natgrad.nn;

import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * A 2-D convolution (cross-correlation, as PyTorch's {@code Conv2d}) with K output channels,
 * zero padding and a stride, then an elementwise {@link Activation}:
 * a(k, l) = Σ_{c,i,j} W(k, c, i, j) x(c, y_l·s − p + i, x_l·s − p + j) + b_k, output φ(a).
 *
 * <p>Shapes (one example per column, channel fastest, locations row-major over (y, x); see
 * {@link Geometry2d}): input C·H·W x M, output K·L x M (L = H_out·W_out), which is the same data as
 * a K x (L·M) matrix with column m·L + l. Weights: a K x (C·kh·kw) block, shaped as its gradient,
 * whose column p = c + C·(i·kw + j) is input channel c at kernel offset (i, j) (channel fastest, as
 * the patches are); bias K x 1 (optional). <b>PyTorch's layout</b> {@code weight[k][c][i][j]}
 * ({@code out x in x kh x kw}, row-major) is this block's entry (k, c + C·(i·kw + j)):
 * {@link #toPytorchLayout} and {@link #fromPytorchLayout} apply that permutation.
 *
 * <p>Passes: im2col ({@link #factorInputs}: the (C·kh·kw (+1)) x (L·M) patches X̄ with a bias row),
 * then one gemm a = W X̄ (+ b); backward δ = g ⊙ φ'(a) (n = K per location), gradient
 * [∂W, ∂b] = δ X̄^T as one gemm with δ read as K x (L·M) (the trace's cached patches), and
 * ∂ℓ/∂x = col2im(W^T δ) (one gemm, then the patch entries summed back onto the input). Statistics:
 * {@link StatisticsForm.Kronecker}(C·kh·kw (+1), K, L) (KFC). The float32 steps use the
 * {@link Layer} defaults (the double pass, rounded) for now.
 */
public final class Conv2d implements Layer {
    private final Geometry2d geometry;
    private final Matrix weights;
    private final Matrix bias;
    private final Activation activation;

    /**
     * @param geometry   input C x H x W, kernel, stride, padding
     * @param weights    K x (C·kh·kw), column order c + C·(i·kw + j) (kept, not copied)
     * @param bias       K x 1, or null for no bias (kept)
     * @param activation φ
     */
    public Conv2d(Geometry2d geometry, Matrix weights, Matrix bias, Activation activation) {
        if (geometry == null || weights == null || activation == null) {
            throw new IllegalArgumentException("Conv2d: geometry, weights and activation must be given");
        }
        if (weights.rows() < 1 || weights.cols() != geometry.patchSize()) {
            throw new IllegalArgumentException("Conv2d: weights are " + weights.shape() + ", expected K x "
                    + geometry.patchSize() + " (C·kh·kw = " + geometry.channels() + "·" + geometry.kernelH() + "·"
                    + geometry.kernelW() + ") with K >= 1");
        }
        if (bias != null && (bias.rows() != weights.rows() || bias.cols() != 1)) {
            throw new IllegalArgumentException("Conv2d: bias is " + bias.shape() + ", expected " + weights.rows() + "x1");
        }
        Math.multiplyExact(weights.rows(), geometry.locations());
        this.geometry = geometry;
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
    }

    /** The geometry (input shape, kernel, stride, padding). */
    public Geometry2d geometry() {
        return geometry;
    }

    /** K, the output channels. */
    public int outChannels() {
        return weights.rows();
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public int inputs() {
        return geometry.inputSize();
    }

    /** K · L. */
    @Override
    public int outputs() {
        return weights.rows() * geometry.locations();
    }

    @Override
    public int parameterCount() {
        return weights.size() + (bias == null ? 0 : bias.size());
    }

    @Override
    public Matrix weights() {
        return weights;
    }

    @Override
    public Matrix bias() {
        return bias;
    }

    /** Kronecker(C·kh·kw (+1 with bias), K, L). */
    @Override
    public StatisticsForm statistics() {
        return new StatisticsForm.Kronecker(geometry.patchSize() + (bias != null ? 1 : 0), weights.rows(),
                geometry.locations());
    }

    /** im2col, one gemm W X (K x L·M, i.e. K·L x M), the bias added per channel, φ. */
    @Override
    public Forward forward(Matrix input) {
        LayerSupport.requireInput("Conv2d.forward", input, inputs(), "input " + geometry.inputShape());
        int m = input.cols();
        Matrix patches = geometry.patches(input.data(), m, false);
        Matrix a = MatOps.gemm(1, weights, false, patches, false, 0, null);
        if (bias != null) {
            double[] ad = a.data();
            double[] b = bias.data();
            int k = b.length;
            for (int t = 0; t < ad.length; t++) {
                ad[t] += b[t % k];
            }
        }
        return LayerSupport.activate(new Matrix(outputs(), m, a.data()), activation);
    }

    /** The patches X̄, (C·kh·kw (+1)) x (L·M), the bias row of ones last. */
    @Override
    public Matrix factorInputs(Matrix input) {
        LayerSupport.requireInput("Conv2d.factorInputs", input, inputs(), "input " + geometry.inputShape());
        return geometry.patches(input.data(), input.cols(), bias != null);
    }

    @Override
    public Matrix error(Trace trace, int index, Matrix outputError, boolean overwrite) {
        return LayerSupport.activationError("Conv2d.error", trace, index, outputError, overwrite, activation, outputs());
    }

    /** col2im(W^T δ), C·H·W x M. */
    @Override
    public Matrix inputError(Trace trace, int index, Matrix error) {
        LayerSupport.requireRows("Conv2d.inputError", error, outputs());
        int m = error.cols();
        Matrix e = new Matrix(weights.rows(), geometry.locations() * m, error.data());
        Matrix dp = MatOps.gemm(1, weights, true, e, false, 0, null);
        return new Matrix(inputs(), m, geometry.accumulatePatches(dp.data(), m));
    }

    /** [∂W, ∂b] = δ X̄^T (one gemm on the trace's cached patches), split into K x C·kh·kw and K x 1. */
    @Override
    public Gradient gradient(Trace trace, int index, Matrix error) {
        LayerSupport.requireRows("Conv2d.gradient", error, outputs());
        int k = weights.rows();
        Matrix patches = trace.inputWithBias(index);
        if (patches.cols() != geometry.locations() * error.cols()) {
            throw new IllegalArgumentException("Conv2d.gradient: error is " + error.shape() + " but the trace holds "
                    + patches.cols() / geometry.locations() + " examples");
        }
        Matrix e = new Matrix(k, patches.cols(), error.data());
        Matrix g = MatOps.gemm(1, e, false, patches, true, 0, null);
        if (bias == null) {
            return new Gradient(g, null);
        }
        int nw = weights.size();
        double[] gw = new double[nw];
        double[] gb = new double[k];
        System.arraycopy(g.data(), 0, gw, 0, nw);
        System.arraycopy(g.data(), nw, gb, 0, k);
        return new Gradient(new Matrix(k, weights.cols(), gw), new Matrix(k, 1, gb));
    }

    /**
     * The weights in PyTorch's {@code out x in x kh x kw} order, flattened row-major (C order):
     * element ((k·C + c)·kh + i)·kw + j is this layer's W(k, c + C·(i·kw + j)).
     */
    public double[] toPytorchLayout() {
        return permute(true);
    }

    /**
     * A K x (C·kh·kw) weight block (natgrad's column order) from PyTorch's {@code out x in x kh x kw}
     * array flattened row-major, for a layer of this geometry with K output channels.
     *
     * @throws IllegalArgumentException if the array does not have K·C·kh·kw elements
     */
    public static Matrix fromPytorchLayout(Geometry2d geometry, int outChannels, double[] torch) {
        int d = geometry.patchSize();
        if (outChannels < 1 || torch.length != (long) outChannels * d) {
            throw new IllegalArgumentException("Conv2d.fromPytorchLayout: " + torch.length + " values for "
                    + outChannels + " x " + geometry.channels() + " x " + geometry.kernelH() + " x "
                    + geometry.kernelW() + " weights");
        }
        Matrix w = new Matrix(outChannels, d);
        permute(geometry, outChannels, w.data(), torch, false);
        return w;
    }

    private double[] permute(boolean toTorch) {
        double[] torch = new double[weights.size()];
        permute(geometry, weights.rows(), weights.data(), torch, toTorch);
        return torch;
    }

    /** Copies between natgrad's column-major K x (C·kh·kw) block and PyTorch's row-major K x C x kh x kw. */
    private static void permute(Geometry2d g, int k, double[] ours, double[] torch, boolean toTorch) {
        int c = g.channels();
        int kh = g.kernelH();
        int kw = g.kernelW();
        for (int o = 0; o < k; o++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int t = ((o * c + ch) * kh + i) * kw + j;
                        int n = o + k * (ch + c * (i * kw + j));
                        if (toTorch) {
                            torch[t] = ours[n];
                        } else {
                            ours[n] = torch[t];
                        }
                    }
                }
            }
        }
    }

    @Override
    public Conv2d copy() {
        return new Conv2d(geometry, weights.copy(), bias == null ? null : bias.copy(), activation);
    }

    /** E.g. "conv 8 3x3 relu". */
    @Override
    public String label() {
        return "conv " + weights.rows() + " " + geometry.kernelH() + "x" + geometry.kernelW() + " "
                + activation.label();
    }

    /** E.g. "Conv2d 1x28x28 -> 8x26x26, kernel 3x3, stride 1, padding 0, relu, with bias". */
    @Override
    public String toString() {
        return "Conv2d " + geometry.inputShape() + " -> " + weights.rows() + "x" + geometry.outHeight() + "x"
                + geometry.outWidth() + ", kernel " + geometry.kernelH() + "x" + geometry.kernelW() + ", stride "
                + geometry.stride() + ", padding " + geometry.padding() + ", " + activation.label()
                + (bias != null ? ", with bias" : ", without bias");
    }
}
