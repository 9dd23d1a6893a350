package org.natgrad.curvature;

import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/**
 * The Kronecker factors of math.md Eq. 10 for each layer i, kept as scaled <i>samples</i> so that
 * every factor is a plain second moment S S^T:
 * <ul>
 *   <li>Λ_i = (1/M) Σ_m x̄_{i-1}^m x̄_{i-1}^m^T = U_i U_i^T with U_i = X̄_{i-1}/√M
 *       ((n_{i-1}+1) x M, the bias row included when the layer has a bias);</li>
 *   <li>Λ̃_i = ⟨e_i e_i^T⟩ over model outputs = E_i E_i^T, where E_i holds the errors
 *       backpropagated from targets drawn from the model (K draws per example, E_i is
 *       n_i x KM, scaled by 1/√(KM); the errors are <b>not</b> divided by M as the gradient is),
 *       or, for the exact expectation, from the columns of the output-Fisher factor
 *       (E_i is n_i x rM, scaled by 1/√M).</li>
 * </ul>
 * Samples rather than moments let a Sherman–Morrison or randomized inverse work from them, and
 * keep the factors cheap to store for wide layers with small batches.
 *
 * @param inputSamples U_i per layer (0-based)
 * @param errorSamples E_i per layer (0-based)
 */
public record KroneckerFactors(Matrix[] inputSamples, Matrix[] errorSamples) {

    /** Number of layers. */
    public int layers() {
        return inputSamples.length;
    }

    /** Λ_i = U_i U_i^T, (n_{i-1}(+1)) square. */
    public Matrix lambda(int layer) {
        return MatOps.syrk(1, inputSamples[layer], false, 0, null);
    }

    /** Λ̃_i = E_i E_i^T, n_i x n_i. */
    public Matrix lambdaTilde(int layer) {
        return MatOps.syrk(1, errorSamples[layer], false, 0, null);
    }

    /**
     * Factors from a trace. {@code modelSamples} = K ≥ 1 draws targets from the model with
     * {@code rng}; K = 0 takes the expectation over the model's outputs exactly (output-Fisher
     * factor; {@code rng} unused).
     */
    public static KroneckerFactors of(Network net, Likelihood likelihood, Trace trace, int modelSamples, Rng rng) {
        int layers = trace.layers();
        Matrix[] u = new Matrix[layers];
        for (int i = 0; i < layers; i++) {
            u[i] = inputSamples(trace, i);
        }
        return new KroneckerFactors(u, modelSamples == 0 ? exactErrorSamples(net, likelihood, trace)
                : sampledErrorSamples(net, likelihood, trace, modelSamples, rng));
    }

    /** U_i = X̄_{i-1}/√M (a new matrix). */
    public static Matrix inputSamples(Trace trace, int layer) {
        Matrix x = trace.input(layer);
        double c = 1.0 / Math.sqrt(x.cols());
        if (!trace.hasBias(layer)) {
            return MatOps.scale(c, x, null);
        }
        // One pass, without building (and caching) the trace's unscaled x̄ first.
        int n = x.rows();
        int m = x.cols();
        Matrix u = new Matrix(n + 1, m);
        double[] src = x.data();
        double[] dst = u.data();
        for (int j = 0; j < m; j++) {
            int from = j * n;
            int to = j * (n + 1);
            for (int i = 0; i < n; i++) {
                dst[to + i] = c * src[from + i];
            }
            dst[to + n] = c;
        }
        return u;
    }

    /** E_i from K model-sampled targets per example, each n_i x KM, scaled by 1/√(KM). */
    public static Matrix[] sampledErrorSamples(Network net, Likelihood likelihood, Trace trace, int k, Rng rng) {
        if (k < 1) {
            throw new IllegalArgumentException("KroneckerFactors: model samples must be >= 1, got " + k);
        }
        Matrix out = trace.output();
        int m = out.cols();
        Matrix[] parts = new Matrix[trace.layers()];
        double scale = 1.0 / Math.sqrt((double) k * m);
        for (int r = 0; r < k; r++) {
            Matrix y = likelihood.sample(out, rng);
            Backprop bp = net.backward(trace, likelihood.outputError(out, y), false);
            append(parts, bp, r, k, scale);
        }
        return parts;
    }

    /** E_i for the exact expectation over the model's outputs: n_i x rM, scaled by 1/√M. */
    public static Matrix[] exactErrorSamples(Network net, Likelihood likelihood, Trace trace) {
        Matrix out = trace.output();
        Matrix[] factors = DenseFisher.outputFactors(likelihood, out);
        int r = factors[0].cols();
        Matrix[] parts = new Matrix[trace.layers()];
        double scale = 1.0 / Math.sqrt(out.cols());
        for (int k = 0; k < r; k++) {
            Backprop bp = net.backward(trace, DenseFisher.factorColumn(factors, k, out.rows()), false);
            append(parts, bp, k, r, scale);
        }
        return parts;
    }

    /**
     * Layer i's block of a parameter vector as the augmented matrix W̄_i = [W_i, b_i]
     * (n_i x (n_{i-1}+1), or n_i x n_{i-1} without bias): a new matrix whose column-major data is
     * the layer's slice of the flat order.
     */
    public static Matrix augmentedBlock(org.natgrad.nn.ParamVector v, int layer) {
        Matrix w = v.weights(layer);
        Matrix b = v.bias(layer);
        if (b == null) {
            return w.copy();
        }
        double[] d = new double[w.size() + b.size()];
        System.arraycopy(w.data(), 0, d, 0, w.size());
        System.arraycopy(b.data(), 0, d, w.size(), b.size());
        return new Matrix(w.rows(), w.cols() + 1, d);
    }

    /** Writes an augmented block [W_i, b_i] back into layer i of {@code v}. */
    public static void setAugmentedBlock(org.natgrad.nn.ParamVector v, int layer, Matrix block) {
        Matrix w = v.weights(layer);
        Matrix b = v.bias(layer);
        int cols = w.cols() + (b == null ? 0 : 1);
        if (block.rows() != w.rows() || block.cols() != cols) {
            throw new IllegalArgumentException("setAugmentedBlock: layer " + (layer + 1) + " block is " + block.shape()
                    + ", expected " + w.rows() + "x" + cols);
        }
        System.arraycopy(block.data(), 0, w.data(), 0, w.size());
        if (b != null) {
            System.arraycopy(block.data(), w.size(), b.data(), 0, b.size());
        }
    }

    private static void append(Matrix[] parts, Backprop bp, int block, int blocks, double scale) {
        for (int i = 0; i < parts.length; i++) {
            Matrix e = bp.error(i);
            if (parts[i] == null) {
                parts[i] = new Matrix(e.rows(), e.cols() * blocks);
            }
            double[] src = e.data();
            double[] dst = parts[i].data();
            int off = block * src.length;
            for (int q = 0; q < src.length; q++) {
                dst[off + q] = scale * src[q];
            }
        }
    }
}
