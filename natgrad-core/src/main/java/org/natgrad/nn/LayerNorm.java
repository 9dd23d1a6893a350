package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * Layer normalization of each example over all its n features (for an image, over C·H·W, as
 * PyTorch's {@code LayerNorm([C, H, W])}), then an elementwise scale and shift:
 * μ = (1/n) Σ_i x_i, σ² = (1/n) Σ_i (x_i − μ)² (biased, as PyTorch), x̂ = (x − μ)/√(σ² + ε),
 * y = γ ⊙ x̂ + β. Shapes: n x M in and out; weights γ n x 1, bias β n x 1 (elementwise, in the
 * input's row order). No activation. Statistics {@link StatisticsForm.Diagonal}(2n). Backward with
 * ĝ = γ ⊙ ∂ℓ/∂y per example: ∂ℓ/∂x = (ĝ − mean(ĝ) − x̂ mean(ĝ ⊙ x̂)) / √(σ² + ε).
 */
public final class LayerNorm extends ScaleShift {
    /** PyTorch's default ε. */
    public static final double DEFAULT_EPS = 1e-5;

    private final double eps;

    /**
     * @param scale γ, n x 1 (kept)
     * @param shift β, n x 1 (kept)
     * @param eps   ε &gt; 0, added to the variance
     */
    public LayerNorm(Matrix scale, Matrix shift, double eps) {
        super(checked(scale, shift, eps), shift);
        this.eps = eps;
    }

    private static Matrix checked(Matrix scale, Matrix shift, double eps) {
        if (scale == null || shift == null || scale.cols() != 1 || scale.rows() < 2 || shift.rows() != scale.rows()
                || shift.cols() != 1) {
            throw new IllegalArgumentException("LayerNorm: scale and shift must both be n x 1 with n >= 2, got "
                    + (scale == null ? "null" : scale.shape()) + " and " + (shift == null ? "null" : shift.shape()));
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("LayerNorm: eps must be finite and > 0, got " + eps);
        }
        return scale;
    }

    /** γ = 1, β = 0 over n features. */
    public static LayerNorm of(int features, double eps) {
        if (features < 2) {
            throw new IllegalArgumentException("LayerNorm: need at least 2 features, got " + features);
        }
        return new LayerNorm(Matrix.filled(features, 1, 1.0), new Matrix(features, 1), eps);
    }

    public double eps() {
        return eps;
    }

    @Override
    public int inputs() {
        return weights().rows();
    }

    @Override
    public int outputs() {
        return weights().rows();
    }

    /** x̂ of a batch (n x M) and, in {@code inverseStd}, 1/√(σ² + ε) per example. */
    private Matrix normalized(Matrix x, double[] inverseStd) {
        int n = x.rows();
        Matrix xh = new Matrix(n, x.cols());
        double[] xd = x.data();
        double[] h = xh.data();
        for (int m = 0; m < x.cols(); m++) {
            int off = m * n;
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += xd[off + i];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double d = xd[off + i] - mean;
                var += d * d;
            }
            double r = 1.0 / Math.sqrt(var / n + eps);
            inverseStd[m] = r;
            for (int i = 0; i < n; i++) {
                h[off + i] = (xd[off + i] - mean) * r;
            }
        }
        return xh;
    }

    @Override
    public Forward forward(Matrix input) {
        LayerSupport.requireInput("LayerNorm.forward", input, inputs(), "normalized over " + inputs() + " features");
        return scaleAndShift(normalized(input, new double[input.cols()]));
    }

    @Override
    public Matrix inputError(Trace trace, int index, Matrix error) {
        LayerSupport.requireRows("LayerNorm.inputError", error, outputs());
        int n = inputs();
        double[] r = new double[error.cols()];
        double[] xh = normalized(trace.input(index), r).data();
        double[] e = error.data();
        double[] g = weights().data();
        Matrix dx = new Matrix(n, error.cols());
        double[] d = dx.data();
        for (int m = 0; m < error.cols(); m++) {
            int off = m * n;
            double mg = 0;
            double mgx = 0;
            for (int i = 0; i < n; i++) {
                double gh = g[i] * e[off + i];
                mg += gh;
                mgx += gh * xh[off + i];
            }
            mg /= n;
            mgx /= n;
            for (int i = 0; i < n; i++) {
                d[off + i] = r[m] * (g[i] * e[off + i] - mg - xh[off + i] * mgx);
            }
        }
        return dx;
    }

    /** (Σ_m δ ⊙ x̂, Σ_m δ), each n x 1. */
    @Override
    public Gradient gradient(Trace trace, int index, Matrix error) {
        return gradientOf(normalized(trace.input(index), new double[trace.input(index).cols()]).data(), error);
    }

    @Override
    Matrix scaledInput(Matrix input) {
        return normalized(input, new double[input.cols()]);
    }

    @Override
    public LayerNorm copy() {
        return new LayerNorm(weights().copy(), bias().copy(), eps);
    }

    /** "layernorm". */
    @Override
    public String label() {
        return "layernorm";
    }

    @Override
    public String toString() {
        return "LayerNorm over " + inputs() + " features, eps " + eps;
    }
}
