package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * What {@link Affine} and {@link LayerNorm} share: the map y = γ ⊙ u + β of some u computed from the
 * input (u = x for Affine, the normalized x̂ for LayerNorm), γ and β each a P/2 x 1 column repeated
 * down the rows of an example (row k uses entry k mod P/2). Weights γ, bias β; statistics
 * {@link StatisticsForm.Diagonal}(P); no activation (the pre-activation is the output; {@link #error}
 * passes ∂ℓ/∂y through); gradient (Σ δ ⊙ u, Σ δ) summed per entry over examples and repeats.
 */
public sealed abstract class ScaleShift implements Layer permits Affine, LayerNorm {
    private final Matrix scale;
    private final Matrix shift;

    /** @param scale γ and {@code shift} β, equal-length columns (kept; checked by the subclass) */
    ScaleShift(Matrix scale, Matrix shift) {
        this.scale = scale;
        this.shift = shift;
    }

    @Override
    public final int parameterCount() {
        return 2 * scale.rows();
    }

    /** γ, a column. */
    @Override
    public final Matrix weights() {
        return scale;
    }

    /** β, a column. */
    @Override
    public final Matrix bias() {
        return shift;
    }

    @Override
    public final StatisticsForm statistics() {
        return new StatisticsForm.Diagonal(parameterCount());
    }

    /** @throws IllegalStateException always: the statistics are diagonal */
    @Override
    public final Matrix factorInputs(Matrix input) {
        throw new IllegalStateException(getClass().getSimpleName() + " has diagonal statistics, no Kronecker factor inputs");
    }

    @Override
    public final Matrix error(Trace trace, int index, Matrix outputError, boolean overwrite) {
        LayerSupport.preActivation(getClass().getSimpleName() + ".error", trace, index, outputError, outputs());
        return outputError;
    }

    /** u replaced in place by γ ⊙ u + β; the forward result (u, u). */
    final Forward scaleAndShift(Matrix u) {
        double[] d = u.data();
        double[] g = scale.data();
        double[] b = shift.data();
        int n = g.length;
        for (int k = 0; k < d.length; k++) {
            d[k] = g[k % n] * d[k] + b[k % n];
        }
        return new Forward(u, u);
    }

    /** u of a batch (rows x M, a new matrix): the input itself (Affine) or x̂ (LayerNorm). */
    abstract Matrix scaledInput(Matrix input);

    /**
     * The per-example gradients of (γ, β) for K error columns: column k of the result (P x K, rows
     * γ_0..γ_{P/2-1} then β_0..β_{P/2-1}, the {@link ParamVector} flat order) is
     * (Σ_r δ_{r,k} u_{r,m}, Σ_r δ_{r,k}) summed over the rows r with r mod P/2 = the entry
     * (all locations of a channel), where m = k mod M is the example that error column k belongs to.
     * These are the samples of this layer's diagonal curvature block (K-FAC and Eq. 20 fallback).
     *
     * @param trace  a forward trace of a batch of M examples
     * @param index  this layer's index in the trace
     * @param errors ∂/∂y error samples, outputs() x K with K a multiple of M
     */
    public final Matrix perExampleGradients(Trace trace, int index, Matrix errors) {
        LayerSupport.requireRows(getClass().getSimpleName() + ".perExampleGradients", errors, outputs());
        int m = trace.batchSize();
        if (errors.cols() % m != 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".perExampleGradients: " + errors.cols()
                    + " error columns is not a multiple of the batch's " + m + " examples");
        }
        double[] u = scaledInput(trace.input(index)).data();
        double[] e = errors.data();
        int rows = outputs();
        int c = scale.rows();
        Matrix g = new Matrix(2 * c, errors.cols());
        double[] gd = g.data();
        for (int k = 0; k < errors.cols(); k++) {
            int eo = k * rows;
            int uo = (k % m) * rows;
            int go = k * 2 * c;
            for (int r = 0; r < rows; r++) {
                double d = e[eo + r];
                gd[go + r % c] += d * u[uo + r];
                gd[go + c + r % c] += d;
            }
        }
        return g;
    }

    /** (Σ δ ⊙ u, Σ δ) per entry of γ and β; u is overwritten. */
    final Gradient gradientOf(double[] u, Matrix error) {
        LayerSupport.requireRows(getClass().getSimpleName() + ".gradient", error, outputs());
        double[] e = error.data();
        for (int k = 0; k < u.length; k++) {
            u[k] *= e[k];
        }
        return new Gradient(LayerSupport.sumOverColumns(u, scale.rows()), LayerSupport.sumOverColumns(e, scale.rows()));
    }
}
