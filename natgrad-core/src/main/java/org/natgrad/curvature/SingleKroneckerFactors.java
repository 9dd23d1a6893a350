package org.natgrad.curvature;

import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/**
 * {@link KroneckerFactors} with the samples in single precision (float32): U_i = X̄_{i-1}/√M
 * rounded once from the trace, and E_i from K model-sampled targets per example backpropagated in
 * single precision ({@link Network#backwardErrorsSingle}), scaled by 1/√(KM). The targets are drawn
 * from {@code rng} exactly as {@link KroneckerFactors#of} draws them (their output errors through
 * {@link Likelihood#sampledOutputError}), so the two differ by round-off only. For the natural gradient's single-precision factor work
 * ({@link org.natgrad.linalg.FactorPrecision}).
 *
 * @param inputSamples U_i per layer (0-based), (n_{i-1}(+1)) x M
 * @param errorSamples E_i per layer (0-based), n_i x KM
 */
public record SingleKroneckerFactors(FloatMatrix[] inputSamples, FloatMatrix[] errorSamples) {

    /** Number of layers. */
    public int layers() {
        return inputSamples.length;
    }

    /**
     * Samples from a trace with K = {@code modelSamples} ≥ 1 model-sampled targets per example
     * (the exact expectation, K = 0, is {@link KroneckerFactors#of} only).
     */
    public static SingleKroneckerFactors of(Network net, Likelihood likelihood, Trace trace, int modelSamples, Rng rng) {
        if (modelSamples < 1) {
            throw new IllegalArgumentException("SingleKroneckerFactors: model samples must be >= 1, got " + modelSamples);
        }
        int layers = trace.layers();
        FloatMatrix[] u = new FloatMatrix[layers];
        for (int i = 0; i < layers; i++) {
            u[i] = inputSamples(trace, i);
        }
        Matrix out = trace.output();
        int m = out.cols();
        double scale = 1.0 / Math.sqrt((double) modelSamples * m);
        FloatMatrix[] e = new FloatMatrix[layers];
        for (int r = 0; r < modelSamples; r++) {
            FloatMatrix[] errors = net.backwardErrorsSingle(trace,
                    FloatMatrix.of(likelihood.sampledOutputError(out, rng), scale));
            for (int i = 0; i < layers; i++) {
                if (modelSamples == 1) {
                    e[i] = errors[i];
                    continue;
                }
                if (e[i] == null) {
                    e[i] = new FloatMatrix(errors[i].rows(), errors[i].cols() * modelSamples);
                }
                float[] src = errors[i].data();
                System.arraycopy(src, 0, e[i].data(), r * src.length, src.length);
            }
        }
        return new SingleKroneckerFactors(u, e);
    }

    /** U_i = X̄_{i-1}/√M in single precision (bias row of 1/√M when layer i has a bias; one pass). */
    public static FloatMatrix inputSamples(Trace trace, int layer) {
        Matrix x = trace.input(layer);
        double c = 1.0 / Math.sqrt(x.cols());
        if (!trace.hasBias(layer)) {
            return FloatMatrix.of(x, c);
        }
        int n = x.rows();
        int m = x.cols();
        FloatMatrix u = new FloatMatrix(n + 1, m);
        double[] src = x.data();
        float[] dst = u.data();
        float cf = (float) c;
        for (int j = 0; j < m; j++) {
            int from = j * n;
            int to = j * (n + 1);
            for (int i = 0; i < n; i++) {
                dst[to + i] = (float) (c * src[from + i]);
            }
            dst[to + n] = cf;
        }
        return u;
    }

    /** True when every sample is finite (float32 overflow shows as infinity). */
    public boolean isFinite() {
        for (int i = 0; i < inputSamples.length; i++) {
            if (!inputSamples[i].isFinite() || !errorSamples[i].isFinite()) {
                return false;
            }
        }
        return true;
    }

    /** The same samples in double precision (exact conversion; new matrices). */
    public KroneckerFactors toDouble() {
        Matrix[] u = new Matrix[inputSamples.length];
        Matrix[] e = new Matrix[errorSamples.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = inputSamples[i].toMatrix();
            e[i] = errorSamples[i].toMatrix();
        }
        return new KroneckerFactors(u, e);
    }
}
