package org.natgrad.curvature;

import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.nn.Trace;

/**
 * The Fisher of a network as a sum of K rank-one terms, F = Σ_k s_k s_k^T, kept per layer in
 * factored form: sample k has, for layer l, an input x̄_{l,k} (the layer's input with the bias row,
 * d_l = n_{l-1}(+1)) and an error δ_{l,k} (n_l), and its layer-l block is
 * s_{l,k} = vec(δ_{l,k} x̄_{l,k}^T) = x̄_{l,k} ⊗ δ_{l,k} (column-major, the
 * {@link ParamVector} flat order). The scale sits in the errors. Nothing of size P x K is ever
 * formed, so every structured curvature and the NTK of a wide network are built from these
 * d_l x K and n_l x K matrices and the K x K Gram matrices (X̄_l^T X̄_l) ∘ (D_l^T D_l).
 *
 * <p>Samples are ordered block by block: k = b·M + m for example m and block b (a column of the
 * output-Fisher factor, or a model draw), so every example appears equally often.
 *
 * @param inputs   X̄_l per layer, d_l x K (a column per sample; the same example repeats)
 * @param errors   D_l per layer, n_l x K (scaled so that F = Σ_k s_k s_k^T)
 * @param examples M, the number of distinct examples (K is a multiple of M)
 */
public record FisherSamples(Matrix[] inputs, Matrix[] errors, int examples) {

    public FisherSamples {
        if (inputs.length != errors.length || inputs.length == 0) {
            throw new IllegalArgumentException("FisherSamples: " + inputs.length + " input blocks vs " + errors.length
                    + " error blocks");
        }
        for (int l = 0; l < inputs.length; l++) {
            if (inputs[l].cols() != errors[l].cols() || inputs[l].cols() != inputs[0].cols()) {
                throw new IllegalArgumentException("FisherSamples: layer " + (l + 1) + " has " + inputs[l].cols()
                        + " input and " + errors[l].cols() + " error samples, layer 1 has " + inputs[0].cols());
            }
        }
    }

    /**
     * Samples of the Fisher of {@code net} and {@code likelihood} on {@code batch} of the given
     * kind: F = (1/M) Σ_m J_m^T F_out J_m (exact), its Monte Carlo estimate with K draws per
     * example, or the empirical Fisher with the batch's targets.
     */
    public static FisherSamples of(Network net, Likelihood likelihood, Batch batch, CurvatureKind kind) {
        Trace trace = net.forward(batch.inputs());
        if (kind instanceof CurvatureKind.Empirical) {
            likelihood.validateTargets(trace.output(), batch.targets());
        }
        return of(net, likelihood, trace, batch.targets(), kind);
    }

    /** As {@link #of(Network, Likelihood, Batch, CurvatureKind)} from a trace (targets only for the empirical kind). */
    public static FisherSamples of(Network net, Likelihood likelihood, Trace trace, Matrix targets, CurvatureKind kind) {
        Matrix out = trace.output();
        int m = out.cols();
        Matrix[] errors;
        int blocks;
        if (kind instanceof CurvatureKind.Exact) {
            errors = KroneckerFactors.exactErrorSamples(net, likelihood, trace);
            blocks = errors[0].cols() / m;
        } else if (kind instanceof CurvatureKind.MonteCarlo mc) {
            errors = KroneckerFactors.sampledErrorSamples(net, likelihood, trace, mc.samples(), mc.rng());
            blocks = mc.samples();
        } else {
            if (targets == null) {
                throw new IllegalArgumentException("FisherSamples: the empirical Fisher needs targets");
            }
            Backprop bp = net.backward(trace, likelihood.outputError(out, targets), false);
            errors = new Matrix[trace.layers()];
            for (int l = 0; l < errors.length; l++) {
                errors[l] = MatOps.scale(1.0 / Math.sqrt(m), bp.error(l), null);
            }
            blocks = 1;
        }
        Matrix[] inputs = new Matrix[trace.layers()];
        for (int l = 0; l < inputs.length; l++) {
            inputs[l] = repeatColumns(trace.inputWithBias(l), blocks);
        }
        return new FisherSamples(inputs, errors, m);
    }

    /**
     * The samples of the neural tangent kernel Θ = J J^T / N on inputs x (n_0 x N): one sample
     * per (example n, output c), ordered k = c·N + n, with δ_{l,(n,c)} = ∂f_c(x_n)/∂a_l / √N, so
     * that s_k = J_{(n,c)}^T / √N and Θ = S^T S. (These are the exact-Fisher samples of a unit
     * Gaussian likelihood.)
     */
    public static FisherSamples jacobian(Network net, Matrix x) {
        Trace trace = net.forward(x);
        int n = x.cols();
        int c = net.outputSize();
        Matrix[] errors = new Matrix[trace.layers()];
        for (int l = 0; l < errors.length; l++) {
            errors[l] = new Matrix(net.layer(l).outputs(), n * c);
        }
        double s = 1.0 / Math.sqrt(n);
        for (int cc = 0; cc < c; cc++) {
            Matrix unit = new Matrix(c, n);
            for (int j = 0; j < n; j++) {
                unit.set(cc, j, s);
            }
            Backprop bp = net.backward(trace, unit, false);
            for (int l = 0; l < errors.length; l++) {
                double[] src = bp.error(l).data();
                System.arraycopy(src, 0, errors[l].data(), cc * src.length, src.length);
            }
        }
        Matrix[] inputs = new Matrix[trace.layers()];
        for (int l = 0; l < inputs.length; l++) {
            inputs[l] = repeatColumns(trace.inputWithBias(l), c);
        }
        return new FisherSamples(inputs, errors, n);
    }

    static Matrix repeatColumns(Matrix x, int times) {
        if (times == 1) {
            return x;
        }
        Matrix r = new Matrix(x.rows(), x.cols() * times);
        for (int t = 0; t < times; t++) {
            System.arraycopy(x.data(), 0, r.data(), t * x.size(), x.size());
        }
        return r;
    }

    /** Number of layers L. */
    public int layers() {
        return inputs.length;
    }

    /** Number of samples K. */
    public int count() {
        return inputs[0].cols();
    }

    /** Parameters of layer l: d_l · n_l. */
    public int layerSize(int l) {
        return inputs[l].rows() * errors[l].rows();
    }

    /** Total number of parameters P. */
    public int parameterCount() {
        int p = 0;
        for (int l = 0; l < layers(); l++) {
            p += layerSize(l);
        }
        return p;
    }

    /** Offset of layer l in the flat order. */
    public int offset(int l) {
        int o = 0;
        for (int i = 0; i < l; i++) {
            o += layerSize(i);
        }
        return o;
    }

    /** The per-layer Gram matrix S_l^T S_l = (X̄_l^T X̄_l) ∘ (D_l^T D_l), K x K. */
    public Matrix gram(int l) {
        return cross(this, l, this);
    }

    /** S^T S = Σ_l S_l^T S_l, K x K. */
    public Matrix gram() {
        Matrix g = gram(0);
        for (int l = 1; l < layers(); l++) {
            MatOps.axpy(1, gram(l), g);
        }
        return g;
    }

    /** The cross-Gram S_{a,l}^T S_{b,l} = (X̄_a^T X̄_b) ∘ (D_a^T D_b), K_a x K_b. */
    public static Matrix cross(FisherSamples a, int l, FisherSamples b) {
        Matrix xx = MatOps.gemm(1, a.inputs[l], true, b.inputs[l], false, 0, null);
        Matrix dd = MatOps.gemm(1, a.errors[l], true, b.errors[l], false, 0, null);
        return MatOps.hadamard(xx, dd, xx);
    }

    /** S_l v: the layer-l block D_l diag(v) X̄_l^T as an n_l x d_l matrix (v of length K). */
    public Matrix apply(int l, double[] v) {
        Matrix dv = errors[l].copy();
        scaleColumns(dv, v);
        return MatOps.gemm(1, dv, false, inputs[l], true, 0, null);
    }

    /** S_l^T G for a layer block G (n_l x d_l): entry k is δ_k^T G x̄_k. */
    public double[] applyT(int l, Matrix g) {
        Matrix gx = MatOps.multiply(g, inputs[l]);
        return columnDots(gx, errors[l]);
    }

    /** Σ_k v_k s_k as a flat vector of length P. */
    public double[] apply(double[] v) {
        double[] out = new double[parameterCount()];
        for (int l = 0; l < layers(); l++) {
            Matrix b = apply(l, v);
            System.arraycopy(b.data(), 0, out, offset(l), b.size());
        }
        return out;
    }

    /** S^T g for a flat g of length P. */
    public double[] applyT(double[] g) {
        double[] out = new double[count()];
        for (int l = 0; l < layers(); l++) {
            double[] t = applyT(l, block(g, l));
            for (int k = 0; k < out.length; k++) {
                out[k] += t[k];
            }
        }
        return out;
    }

    /** Layer l's slice of a flat vector as an n_l x d_l matrix (a copy). */
    public Matrix block(double[] flat, int l) {
        int n = errors[l].rows();
        int d = inputs[l].rows();
        double[] b = new double[n * d];
        System.arraycopy(flat, offset(l), b, 0, b.length);
        return new Matrix(n, d, b);
    }

    /** S (P x K) as a dense matrix: only for small networks and tests. */
    public Matrix dense() {
        Matrix s = new Matrix(parameterCount(), count());
        double[] e = new double[count()];
        for (int k = 0; k < count(); k++) {
            java.util.Arrays.fill(e, 0);
            e[k] = 1;
            System.arraycopy(apply(e), 0, s.data(), k * s.rows(), s.rows());
        }
        return s;
    }

    /** The dense Fisher S S^T (P x P): only for small networks and tests. */
    public Matrix fisher() {
        DenseCurvature.requireDenseSize("FisherSamples.fisher", parameterCount());
        return MatOps.syrk(1, dense(), false, 0, null);
    }

    static void scaleColumns(Matrix a, double[] v) {
        MatOps.scaleColumnsInPlace(a, v);
    }

    static double[] columnDots(Matrix a, Matrix b) {
        int r = a.rows();
        double[] out = new double[a.cols()];
        double[] ad = a.data();
        double[] bd = b.data();
        for (int j = 0; j < out.length; j++) {
            double s = 0;
            int o = j * r;
            for (int i = 0; i < r; i++) {
                s += ad[o + i] * bd[o + i];
            }
            out[j] = s;
        }
        return out;
    }
}
