package org.natgrad.statistics;

import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Layer;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.nn.ScaleShift;
import org.natgrad.nn.StatisticsForm;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/**
 * The curvature statistics of a network on a batch: one {@link LayerStatistics} per layer, the
 * single input of every curvature representation ({@code Curvature.update}). In the sample form
 * they are the Fisher as a sum of K rank-one terms, F = Σ_k s_k s_k^T, kept per layer in
 * factored form: sample k has, for layer l, an input x̄_{l,k} (the layer's input with the bias row,
 * d_l = n_{l-1}(+1)) and an error δ_{l,k} (n_l), and its layer-l block is
 * s_{l,k} = vec(δ_{l,k} x̄_{l,k}^T) = x̄_{l,k} ⊗ δ_{l,k} (column-major, the
 * {@link ParamVector} flat order). The scale sits in the errors. Nothing of size P x K is ever
 * formed, so every structured curvature and the NTK of a wide network are built from these
 * d_l x K and n_l x K matrices and the K x K Gram matrices (X̄_l^T X̄_l) ∘ (D_l^T D_l). The same
 * statistics give the Kronecker factors of math.md Eq. 10, Λ_l = (1/M) X̄_l X̄_l^T over the M
 * distinct examples and Λ̃_l = D_l D_l^T, which is all the paper's Eq. 20 rule and K-FAC use.
 *
 * <p>Samples are ordered block by block: k = b·M + m for example m and block b (a column of the
 * output-Fisher factor, or a model draw), so every example appears equally often; each example's
 * input is stored once ({@link LayerStatistics.Samples#inputs()}), and {@link #inputs()} repeats it
 * per block on demand.
 *
 * <p>{@link #plus}, {@link #scaled} and {@link #movingAverage} combine statistics layer by layer:
 * the statistics of the union of two batches, a scaled Fisher, a moving average of the factors.
 */
public final class CurvatureStatistics {
    private final LayerStatistics[] layers;
    private final int examples;
    private Matrix[] pairedInputs;
    private Matrix[] doubleErrors;

    /**
     * Statistics from per-layer statistics ({@code examples} = M, the number of distinct examples;
     * it must match every layer's).
     */
    public CurvatureStatistics(LayerStatistics[] layers, int examples) {
        if (layers == null || layers.length == 0) {
            throw new IllegalArgumentException("CurvatureStatistics: need at least one layer");
        }
        for (int l = 0; l < layers.length; l++) {
            if (layers[l] == null || examples < 1 || layers[l].examples() % examples != 0) {
                throw new IllegalArgumentException("CurvatureStatistics: layer " + (l + 1) + " has "
                        + (layers[l] == null ? "no statistics" : layers[l].examples() + " examples") + ", expected "
                        + examples + " (or L x " + examples + " (example, location) pairs for a weight-sharing layer)");
            }
        }
        this.layers = layers.clone();
        this.examples = examples;
    }

    /**
     * Double-precision samples given as paired per-sample inputs X̄_l (d_l x K) and errors D_l
     * (n_l x K), each column one sample, F = Σ_k s_k s_k^T; {@code examples} is reported by
     * {@link #examples()} (K need not be a multiple of it).
     */
    public CurvatureStatistics(Matrix[] inputs, Matrix[] errors, int examples) {
        this(pairedSamples(inputs, errors), examples, true);
    }

    /** Unchecked: {@code examples} need not match the layers' sample counts (paired samples). */
    private CurvatureStatistics(LayerStatistics[] layers, int examples, boolean paired) {
        this.layers = layers;
        this.examples = examples;
    }

    private static LayerStatistics[] pairedSamples(Matrix[] inputs, Matrix[] errors) {
        if (inputs.length != errors.length || inputs.length == 0) {
            throw new IllegalArgumentException("CurvatureStatistics: " + inputs.length + " input blocks vs "
                    + errors.length + " error blocks");
        }
        LayerStatistics[] s = new LayerStatistics[inputs.length];
        for (int l = 0; l < inputs.length; l++) {
            if (inputs[l].cols() != errors[l].cols() || inputs[l].cols() != inputs[0].cols()) {
                throw new IllegalArgumentException("CurvatureStatistics: layer " + (l + 1) + " has " + inputs[l].cols()
                        + " input and " + errors[l].cols() + " error samples, layer 1 has " + inputs[0].cols());
            }
            s[l] = new LayerStatistics.Samples(inputs[l], 1, errors[l]);
        }
        return s;
    }

    /**
     * Statistics of the Fisher of {@code net} and {@code likelihood} on {@code batch} of the given
     * kind: F = (1/M) Σ_m J_m^T F_out J_m (exact), its Monte Carlo estimate with K draws per
     * example, or the empirical Fisher with the batch's targets.
     */
    public static CurvatureStatistics of(Network net, Likelihood likelihood, Batch batch, CurvatureKind kind) {
        Trace trace = net.forward(batch.inputs());
        if (kind instanceof CurvatureKind.Empirical) {
            likelihood.validateTargets(trace.output(), batch.targets());
        }
        return of(net, likelihood, trace, batch.targets(), kind);
    }

    /** As {@link #of(Network, Likelihood, Batch, CurvatureKind)} from a trace (targets only for the empirical kind). */
    public static CurvatureStatistics of(Network net, Likelihood likelihood, Trace trace, Matrix targets,
                                         CurvatureKind kind) {
        requireSampleForms(net);
        Matrix out = trace.output();
        int m = out.cols();
        Matrix[] errors;
        int blocks;
        if (kind instanceof CurvatureKind.Exact) {
            errors = exactErrorSamples(net, likelihood, trace);
            blocks = errors[0].cols() / m;
        } else if (kind instanceof CurvatureKind.MonteCarlo mc) {
            errors = sampledErrorSamples(net, likelihood, trace, mc.samples(), mc.rng());
            blocks = mc.samples();
        } else {
            if (targets == null) {
                throw new IllegalArgumentException("CurvatureStatistics: the empirical Fisher needs targets");
            }
            Backprop bp = net.backward(trace, likelihood.outputError(out, targets), false);
            errors = new Matrix[trace.layers()];
            for (int l = 0; l < errors.length; l++) {
                errors[l] = MatOps.scale(1.0 / Math.sqrt(m), bp.error(l), null);
            }
            blocks = 1;
        }
        LayerStatistics[] s = new LayerStatistics[trace.layers()];
        for (int l = 0; l < s.length; l++) {
            s[l] = layerSamples(net, trace, l, blocks, errors[l]);
        }
        return new CurvatureStatistics(s, m);
    }

    /**
     * As {@link #of(Network, Likelihood, Trace, Matrix, CurvatureKind)} for the Monte Carlo kind
     * with the model-sampled errors backpropagated in single precision
     * ({@link Network#backwardErrorsSingle}; targets drawn from {@code rng} exactly as the double
     * path draws them, so the two differ by round-off only). When some float32 error or input sample
     * U = X̄/√M is not finite (beyond ±3.4e38), the same draws are taken again in double precision ({@code rng} is
     * rewound), so the result is always finite where the double one is.
     */
    public static CurvatureStatistics ofSingle(Network net, Likelihood likelihood, Trace trace, CurvatureKind.MonteCarlo kind) {
        requireSampleForms(net);
        Rng rng = kind.rng();
        long[] before = rng.state();
        int k = kind.samples();
        Matrix out = trace.output();
        int m = out.cols();
        int layers = trace.layers();
        double scale = 1.0 / Math.sqrt((double) k * m);
        FloatMatrix[] e = new FloatMatrix[layers];
        for (int r = 0; r < k; r++) {
            FloatMatrix[] errors = net.backwardErrorsSingle(trace, FloatMatrix.of(likelihood.sampledOutputError(out, rng), scale));
            for (int i = 0; i < layers; i++) {
                if (k == 1) {
                    e[i] = errors[i];
                    continue;
                }
                if (e[i] == null) {
                    e[i] = new FloatMatrix(errors[i].rows(), errors[i].cols() * k);
                }
                float[] src = errors[i].data();
                System.arraycopy(src, 0, e[i].data(), r * src.length, src.length);
            }
        }
        LayerStatistics[] s = new LayerStatistics[layers];
        for (int i = 0; i < layers; i++) {
            LayerStatistics.Samples probe = layerSamples(net, trace, i, k, e[i]);
            if (!e[i].isFinite() || !fitsSingle(probe.inputs(), 1.0 / Math.sqrt(m))) {
                rng.restore(before);
                return of(net, likelihood, trace, null, kind);
            }
            s[i] = probe;
        }
        return new CurvatureStatistics(s, m);
    }

    /**
     * Refuses a network with a layer whose {@link Layer#statistics()} is {@link StatisticsForm.Diagonal}
     * but that is not a {@link ScaleShift} (the only diagonal layers whose per-example gradients are
     * built). Kronecker layers with any number of locations, scale-and-shift layers and
     * parameter-free ({@link StatisticsForm.None}) layers are accepted.
     */
    private static void requireSampleForms(Network net) {
        for (int l = 0; l < net.depth(); l++) {
            StatisticsForm form = net.layer(l).statistics();
            if (form instanceof StatisticsForm.Diagonal && !(net.layer(l) instanceof ScaleShift)) {
                throw new IllegalArgumentException("CurvatureStatistics: layer " + (l + 1) + " (" + net.layer(l).label()
                        + ") declares " + form + "; sample statistics are built for Kronecker layers (dense, Conv2d), "
                        + "scale-and-shift layers (Affine, LayerNorm) and parameter-free layers only");
            }
        }
    }

    /**
     * Layer l's sample statistics from its trace inputs and its error samples E (n·L x BM, B blocks of
     * the M examples), in the KFC "expand" form (Grosse &amp; Martens 2016): for a Kronecker layer with
     * L locations the L·M (example, location) pairs are the samples, the inputs are the factor inputs
     * X̄ (d x L·M, column m·L + l) and the errors the same data read as n x (B·L·M) (column
     * b·L·M + m·L + l). The layer's {@link LayerStatistics#examples()} is then L·M, so that
     * Λ = (1/(L·M)) Σ_{m,l} x̄ x̄^T while Λ̃ = Σ_{b,m,l} e e^T keeps the errors' 1/√(BM) scale:
     * Λ ⊗ Λ̃ = (1/L) (Σ_l E_m[x̄ x̄^T]) ⊗ (Σ_l E[δ δ^T]), the scaling that is exact when the
     * per-location terms are uncorrelated across locations, x̄ is independent of δ and both are
     * spatially homogeneous (package-info). L = 1 is the dense case unchanged. A parameter-free
     * layer gets empty (0-row) samples, so its block has size 0. A {@link StatisticsForm.Diagonal}
     * ({@link ScaleShift}) layer gets its per-example gradients as errors
     * ({@link ScaleShift#perExampleGradients}, P_l x BM) against a unit input (1 x M of ones), so that
     * s_k = g_k, Λ = [1] and Λ̃ = Σ_k g_k g_k^T is the layer's whole Fisher block; its diagonal
     * Σ_k g_kj² = (1/M) Σ_m E[g_mj²] is what K-FAC and the Eq. 20 rule use for it (the mixed
     * representation's diagonal fallback).
     */
    static LayerStatistics.Samples layerSamples(Network net, Trace trace, int l, int blocks, Matrix errors) {
        StatisticsForm form = net.layer(l).statistics();
        int m = trace.batchSize();
        if (form instanceof StatisticsForm.None) {
            return new LayerStatistics.Samples(new Matrix(0, m), blocks, new Matrix(0, blocks * m));
        }
        if (form instanceof StatisticsForm.Diagonal) {
            return new LayerStatistics.Samples(unitInputs(m), blocks,
                    ((ScaleShift) net.layer(l)).perExampleGradients(trace, l, errors));
        }
        StatisticsForm.Kronecker k = (StatisticsForm.Kronecker) form;
        if (k.locations() == 1) {
            return new LayerStatistics.Samples(trace.inputWithBias(l), blocks, errors);
        }
        return new LayerStatistics.Samples(trace.inputWithBias(l), blocks,
                new Matrix(k.outputDimension(), errors.cols() * k.locations(), errors.data()));
    }

    /** {@link #layerSamples(Network, Trace, int, int, Matrix)} with float32 errors. */
    static LayerStatistics.Samples layerSamples(Network net, Trace trace, int l, int blocks, FloatMatrix errors) {
        StatisticsForm form = net.layer(l).statistics();
        int m = trace.batchSize();
        if (form instanceof StatisticsForm.None) {
            return new LayerStatistics.Samples(new Matrix(0, m), blocks, null, new FloatMatrix(0, blocks * m));
        }
        if (form instanceof StatisticsForm.Diagonal) {
            return new LayerStatistics.Samples(unitInputs(m), blocks, null, FloatMatrix.of(
                    ((ScaleShift) net.layer(l)).perExampleGradients(trace, l, errors.toMatrix()), 1.0));
        }
        StatisticsForm.Kronecker k = (StatisticsForm.Kronecker) form;
        if (k.locations() == 1) {
            return new LayerStatistics.Samples(trace.inputWithBias(l), blocks, null, errors);
        }
        return new LayerStatistics.Samples(trace.inputWithBias(l), blocks, null,
                new FloatMatrix(k.outputDimension(), errors.cols() * k.locations(), errors.data()));
    }

    /** A 1 x m row of ones: the input of a diagonal layer's samples. */
    private static Matrix unitInputs(int m) {
        Matrix x = new Matrix(1, m);
        java.util.Arrays.fill(x.data(), 1.0);
        return x;
    }

    /** True when every c · x_ij rounds to a finite float32 (no allocation). */
    private static boolean fitsSingle(Matrix x, double c) {
        for (double v : x.data()) {
            if (!Float.isFinite((float) (c * v))) {
                return false;
            }
        }
        return true;
    }

    /** Statistics in factor form: Λ_l and Λ̃_l per layer, a mean over {@code examples} examples. */
    public static CurvatureStatistics ofFactors(Matrix[] lambda, Matrix[] lambdaTilde, int examples) {
        if (lambda.length != lambdaTilde.length || lambda.length == 0) {
            throw new IllegalArgumentException("CurvatureStatistics.ofFactors: " + lambda.length + " Lambda vs "
                    + lambdaTilde.length + " LambdaTilde factors");
        }
        LayerStatistics[] s = new LayerStatistics[lambda.length];
        for (int l = 0; l < s.length; l++) {
            s[l] = new LayerStatistics.Factors(lambda[l], lambdaTilde[l], examples);
        }
        return new CurvatureStatistics(s, examples);
    }

    /**
     * The samples of the neural tangent kernel Θ = J J^T / N on inputs x (n_0 x N): one sample
     * per (example n, output c), ordered k = c·N + n, with δ_{l,(n,c)} = ∂f_c(x_n)/∂a_l / √N, so
     * that s_k = J_{(n,c)}^T / √N and Θ = S^T S. (These are the exact-Fisher samples of a unit
     * Gaussian likelihood.)
     */
    public static CurvatureStatistics jacobian(Network net, Matrix x) {
        requireSampleForms(net);
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
        LayerStatistics[] st = new LayerStatistics[trace.layers()];
        for (int l = 0; l < st.length; l++) {
            st[l] = layerSamples(net, trace, l, c, errors[l]);
        }
        return new CurvatureStatistics(st, n);
    }

    /** Largest parameter count for which a dense P x P matrix is formed (8 P² bytes: 134 MB at this limit). */
    public static final int MAX_DENSE_PARAMETERS = 4096;

    /** Refuses a dense P x P matrix beyond {@link #MAX_DENSE_PARAMETERS}, naming {@code op}. */
    public static void requireDenseSize(String op, int p) {
        if (p > MAX_DENSE_PARAMETERS) {
            throw new IllegalArgumentException(op + ": P = " + p + " parameters; a dense P x P matrix is limited to P <= "
                    + MAX_DENSE_PARAMETERS + " (" + String.format("%.0f", 8.0 * p * p / 1e6) + " MB needed)");
        }
    }

    /** E_i from K model-sampled targets per example, each n_i x KM, scaled by 1/√(KM). */
    static Matrix[] sampledErrorSamples(Network net, Likelihood likelihood, Trace trace, int k, Rng rng) {
        if (k < 1) {
            throw new IllegalArgumentException("CurvatureStatistics: model samples must be >= 1, got " + k);
        }
        Matrix out = trace.output();
        return sampledErrorSamples(net, likelihood, trace, k, r -> likelihood.sample(out, rng));
    }

    /** E_i from K model-sampled target matrices {@code draw}(r), r = 0..K−1, each n_i x KM, scaled by 1/√(KM). */
    private static Matrix[] sampledErrorSamples(Network net, Likelihood likelihood, Trace trace, int k,
                                                java.util.function.IntFunction<Matrix> draw) {
        Matrix out = trace.output();
        int m = out.cols();
        Matrix[] parts = new Matrix[trace.layers()];
        double scale = 1.0 / Math.sqrt((double) k * m);
        for (int r = 0; r < k; r++) {
            Backprop bp = net.backward(trace, likelihood.outputError(out, draw.apply(r)), false);
            append(parts, bp, r, k, scale);
        }
        return parts;
    }

    /**
     * As {@link #of(Network, Likelihood, Trace, Matrix, CurvatureKind)} for K ≥ 1 model samples
     * per example, with example-keyed draws: column j's K targets are drawn, in order, from
     * {@link Rng#keyed Rng.keyed}(seed, step, keys[j]), so each example's draws depend only on
     * (seed, step, key) and not on which other examples share the batch or in what order. A
     * partitioned computation that gives each example the key it has on one machine (e.g. its
     * position in the step's minibatch) therefore draws exactly the same targets. This is an
     * option beside the default single stream, whose numbers it does not change.
     *
     * @param keys one key per column of the trace's output (M keys)
     */
    public static CurvatureStatistics ofKeyedSamples(Network net, Likelihood likelihood, Trace trace, int k, long seed,
                                                     long step, long[] keys) {
        Matrix out = trace.output();
        int m = out.cols();
        int n = out.rows();
        if (k < 1) {
            throw new IllegalArgumentException("CurvatureStatistics.ofKeyedSamples: model samples must be >= 1, got " + k);
        }
        if (keys == null || keys.length != m) {
            throw new IllegalArgumentException("CurvatureStatistics.ofKeyedSamples: need one key per example (" + m
                    + "), got " + (keys == null ? "none" : keys.length));
        }
        Matrix[] y = new Matrix[k];
        for (int r = 0; r < k; r++) {
            y[r] = new Matrix(n, m);
        }
        Matrix column = new Matrix(n, 1);
        for (int j = 0; j < m; j++) {
            Rng rng = Rng.keyed(seed, step, keys[j]);
            System.arraycopy(out.data(), j * n, column.data(), 0, n);
            for (int r = 0; r < k; r++) {
                System.arraycopy(likelihood.sample(column, rng).data(), 0, y[r].data(), j * n, n);
            }
        }
        Matrix[] errors = sampledErrorSamples(net, likelihood, trace, k, r -> y[r]);
        LayerStatistics[] s = new LayerStatistics[trace.layers()];
        for (int l = 0; l < s.length; l++) {
            s[l] = layerSamples(net, trace, l, k, errors[l]);
        }
        return new CurvatureStatistics(s, m);
    }

    /** E_i for the exact expectation over the model's outputs: n_i x rM, scaled by 1/√M. */
    static Matrix[] exactErrorSamples(Network net, Likelihood likelihood, Trace trace) {
        Matrix out = trace.output();
        Matrix[] factors = outputFactors(likelihood, out);
        int r = factors[0].cols();
        Matrix[] parts = new Matrix[trace.layers()];
        double scale = 1.0 / Math.sqrt(out.cols());
        for (int k = 0; k < r; k++) {
            Backprop bp = net.backward(trace, factorColumn(factors, k, out.rows()), false);
            append(parts, bp, k, r, scale);
        }
        return parts;
    }

    /** B_m per example m: the output-Fisher factor F_out(f_m) = B_m B_m^T, n_L x r each. */
    public static Matrix[] outputFactors(Likelihood likelihood, Matrix out) {
        int m = out.cols();
        Matrix[] b = new Matrix[m];
        for (int j = 0; j < m; j++) {
            b[j] = likelihood.outputFisherFactor(out, j);
            if (b[j].cols() != b[0].cols() || b[j].rows() != out.rows()) {
                throw new IllegalStateException("output-Fisher factors differ in shape: " + b[0].shape() + " vs "
                        + b[j].shape());
            }
        }
        return b;
    }

    /** An n_L x M matrix whose column m is column k of B_m. */
    public static Matrix factorColumn(Matrix[] factors, int k, int rows) {
        Matrix e = new Matrix(rows, factors.length);
        double[] ed = e.data();
        for (int j = 0; j < factors.length; j++) {
            System.arraycopy(factors[j].data(), k * rows, ed, j * rows, rows);
        }
        return e;
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


    /**
     * The Kronecker statistics of math.md Eq. 10 from a trace: {@code modelSamples} = K ≥ 1 draws
     * targets from the model with {@code rng}; K = 0 takes the expectation over the model's
     * outputs exactly (output-Fisher factor; {@code rng} unused).
     */
    public static CurvatureStatistics kronecker(Network net, Likelihood likelihood, Trace trace, int modelSamples, Rng rng) {
        return of(net, likelihood, trace, null, modelSamples == 0 ? CurvatureKind.exact()
                : CurvatureKind.monteCarlo(modelSamples, rng));
    }

    /** Λ_l = (1/M) Σ x̄ x̄^T of layer l (0-based), d_l x d_l. */
    public Matrix lambda(int l) {
        return layers[l].lambda();
    }

    /** Λ̃_l of layer l (0-based), n_l x n_l. */
    public Matrix lambdaTilde(int l) {
        return layers[l].lambdaTilde();
    }

    /** Layer l's statistics (0-based). */
    public LayerStatistics layer(int l) {
        return layers[l];
    }

    /** Layer l's statistics in sample form; a clear error when they are factors. */
    public LayerStatistics.Samples samples(int l) {
        if (layers[l] instanceof LayerStatistics.Samples s) {
            return s;
        }
        throw new IllegalArgumentException("CurvatureStatistics: layer " + (l + 1) + " holds Kronecker factors "
                + "(moments or a moving average), but this use needs per-sample inputs and errors");
    }

    /** True when every layer holds samples (not factors). */
    public boolean hasSamples() {
        for (LayerStatistics s : layers) {
            if (!(s instanceof LayerStatistics.Samples)) {
                return false;
            }
        }
        return true;
    }

    /** M, the number of distinct examples. */
    public int examples() {
        return examples;
    }

    /** X̄_l per layer, d_l x K, one column per sample (each example repeated per block). */
    public Matrix[] inputs() {
        if (pairedInputs == null) {
            pairedInputs = perLayerSamples(LayerStatistics.Samples::pairedInputs);
        }
        return pairedInputs;
    }

    /** D_l per layer, n_l x K, in double precision. */
    public Matrix[] errors() {
        if (doubleErrors == null) {
            doubleErrors = perLayerSamples(LayerStatistics.Samples::doubleErrors);
        }
        return doubleErrors;
    }

    /** {@code part} of each layer's samples ({@link #samples(int)}: throws for factor statistics), in layer order. */
    private Matrix[] perLayerSamples(java.util.function.Function<LayerStatistics.Samples, Matrix> part) {
        Matrix[] out = new Matrix[layers.length];
        for (int l = 0; l < out.length; l++) {
            out[l] = part.apply(samples(l));
        }
        return out;
    }

    /** These statistics with layer l's inputs multiplied by c_l (e.g. a change of parameter coordinates). */
    public CurvatureStatistics withScaledInputs(double[] c) {
        LayerStatistics[] s = new LayerStatistics[layers.length];
        for (int l = 0; l < s.length; l++) {
            LayerStatistics.Samples x = samples(l);
            s[l] = new LayerStatistics.Samples(MatOps.scale(c[l], x.inputs(), null), x.blocks(), x.errors(), x.errors32());
        }
        return new CurvatureStatistics(s, examples);
    }

    /**
     * These statistics in KFC's <b>reduce</b> form (Eschenhagen et al. 2023) for every weight-sharing
     * layer, i.e. every layer whose samples are L·M (example, location) pairs (L > 1, the expand form
     * of {@link #layerSamples}); other layers unchanged. Per example and block, the patches are
     * averaged over the L locations, x̂_m = (1/L) Σ_l x̄_{m,l}, and the errors summed,
     * ĝ = Σ_l e_{m,l}, so Λ = (1/M) Σ_m x̂ x̂^T and Λ̃ = Σ_{b,m} ĝ ĝ^T (= (1/M) Σ_m E[(Σ_l δ)(Σ_l δ)^T]):
     * one outer product per example, examples() back to M, errors in double precision. For L = 1
     * the two forms coincide. The reduced samples x̂ ⊗ ĝ are the reduce approximation's, not the
     * per-example gradients Σ_l δ_l x̄_l^T.
     */
    public CurvatureStatistics reduced() {
        LayerStatistics[] s = new LayerStatistics[layers.length];
        for (int l = 0; l < s.length; l++) {
            long pairs = layers[l].examples();
            if (pairs == examples) {
                s[l] = layers[l];
                continue;
            }
            LayerStatistics.Samples x = samples(l);
            int loc = Math.toIntExact(pairs / examples);
            s[l] = new LayerStatistics.Samples(sumRuns(x.inputs(), loc, 1.0 / loc), x.blocks(),
                    sumRuns(x.doubleErrors(), loc, 1.0));
        }
        return new CurvatureStatistics(s, examples);
    }

    /** c times the sums of each run of {@code run} consecutive columns of a: rows x (cols / run). */
    private static Matrix sumRuns(Matrix a, int run, double c) {
        int r = a.rows();
        Matrix out = new Matrix(r, a.cols() / run);
        double[] src = a.data();
        double[] dst = out.data();
        for (int j = 0; j < a.cols(); j++) {
            int o = (j / run) * r;
            for (int i = 0; i < r; i++) {
                dst[o + i] += c * src[j * r + i];
            }
        }
        return out;
    }

    /** The statistics of the union of this batch and {@code other}'s ({@link LayerStatistics#plus}). */
    public CurvatureStatistics plus(CurvatureStatistics other) {
        requireSameLayers(other);
        LayerStatistics[] s = new LayerStatistics[layers.length];
        for (int l = 0; l < s.length; l++) {
            s[l] = layers[l].plus(other.layers[l]);
        }
        return new CurvatureStatistics(s, Math.toIntExact((long) examples + other.examples));
    }

    /** These statistics with the represented Fisher multiplied by c ≥ 0 ({@link LayerStatistics#scaled}). */
    public CurvatureStatistics scaled(double c) {
        LayerStatistics[] s = new LayerStatistics[layers.length];
        for (int l = 0; l < s.length; l++) {
            s[l] = layers[l].scaled(c);
        }
        return new CurvatureStatistics(s, examples);
    }

    /** decay · this + (1 − decay) · newer, layer by layer in factor form ({@link LayerStatistics#movingAverage}). */
    public CurvatureStatistics movingAverage(double decay, CurvatureStatistics newer) {
        requireSameLayers(newer);
        LayerStatistics[] s = new LayerStatistics[layers.length];
        for (int l = 0; l < s.length; l++) {
            s[l] = layers[l].movingAverage(decay, newer.layers[l]);
        }
        return new CurvatureStatistics(s, newer.examples);
    }

    /** The same statistics in double precision. */
    public CurvatureStatistics toDouble() {
        LayerStatistics[] s = new LayerStatistics[layers.length];
        for (int l = 0; l < s.length; l++) {
            s[l] = layers[l].toDouble();
        }
        return new CurvatureStatistics(s, examples);
    }

    /**
     * The first non-finite statistic, as "Kronecker factor Lambda (inputs) of layer i" or
     * "Kronecker factor LambdaTilde (model-sampled errors) of layer i", or null when all are finite.
     */
    public String firstNonFinite() {
        for (int l = 0; l < layers.length; l++) {
            LayerStatistics s = layers[l];
            boolean inputs = s instanceof LayerStatistics.Samples x ? x.inputs().isFinite()
                    : ((LayerStatistics.Factors) s).lambda().isFinite();
            if (!inputs) {
                return "Kronecker factor Lambda (inputs) of layer " + (l + 1);
            }
            if (!s.isFinite()) {
                return "Kronecker factor LambdaTilde (model-sampled errors) of layer " + (l + 1);
            }
        }
        return null;
    }

    /**
     * tr F = Σ_l Σ_k |x̄_{l,k}|² |δ_{l,k}|² for samples (Σ_l tr Λ_l tr Λ̃_l for factors;
     * O(K Σ_l (d_l + n_l))). F is PSD, so |F_ij| ≤ √(F_ii F_jj) ≤ tr F: a finite trace means every
     * entry of F, and of each block a structured representation keeps, is finite; +Inf means some
     * overflow.
     */
    public double fisherTrace() {
        double t = 0;
        for (LayerStatistics s : layers) {
            if (s instanceof LayerStatistics.Samples x) {
                Matrix in = x.inputs();
                int m = in.cols();
                double[] xn = new double[m];
                for (int j = 0; j < m; j++) {
                    xn[j] = squaredNorm(in, j);
                }
                for (int k = 0; k < x.count(); k++) {
                    t += xn[k % m] * (x.errors() != null ? squaredNorm(x.errors(), k) : squaredNorm(x.errors32(), k));
                }
            } else {
                t += diagonalSum(s.lambda()) * diagonalSum(s.lambdaTilde());
            }
        }
        return t;
    }

    private static double squaredNorm(FloatMatrix a, int col) {
        float[] d = a.data();
        double s = 0;
        for (int i = col * a.rows(), end = i + a.rows(); i < end; i++) {
            s += (double) d[i] * d[i];
        }
        return s;
    }

    private static double squaredNorm(Matrix a, int col) {
        double[] d = a.data();
        double s = 0;
        for (int i = col * a.rows(), end = i + a.rows(); i < end; i++) {
            s += d[i] * d[i];
        }
        return s;
    }

    private static double diagonalSum(Matrix a) {
        double t = 0;
        for (int i = 0; i < a.rows(); i++) {
            t += a.get(i, i);
        }
        return t;
    }

    /** Bytes held by the statistics. */
    public long bytes() {
        long b = 0;
        for (LayerStatistics s : layers) {
            b += s.bytes();
        }
        return b;
    }

    private void requireSameLayers(CurvatureStatistics other) {
        if (other.layers.length != layers.length) {
            throw new IllegalArgumentException("CurvatureStatistics: cannot combine statistics of " + layers.length
                    + " and " + other.layers.length + " layers");
        }
    }

    /** Number of layers L. */
    public int layers() {
        return layers.length;
    }

    /** Number of samples K (of layer 1). */
    public int count() {
        return samples(0).count();
    }

    /** Parameters of layer l: d_l · n_l. */
    public int layerSize(int l) {
        return layers[l].inputSize() * layers[l].outputSize();
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
    public static Matrix cross(CurvatureStatistics a, int l, CurvatureStatistics b) {
        a.requireSharedSamples("cross-Gram");
        b.requireSharedSamples("cross-Gram");
        Matrix xx = MatOps.gemm(1, a.inputs()[l], true, b.inputs()[l], false, 0, null);
        Matrix dd = MatOps.gemm(1, a.errors()[l], true, b.errors()[l], false, 0, null);
        return MatOps.hadamard(xx, dd, xx);
    }

    /** S_l v: the layer-l block D_l diag(v) X̄_l^T as an n_l x d_l matrix (v of length K). */
    public Matrix apply(int l, double[] v) {
        requireSharedSamples("product S v");
        Matrix dv = errors()[l].copy();
        MatOps.scaleColumnsInPlace(dv, v);
        return MatOps.gemm(1, dv, false, inputs()[l], true, 0, null);
    }

    /** S_l^T G for a layer block G (n_l x d_l): entry k is δ_k^T G x̄_k. */
    public double[] applyT(int l, Matrix g) {
        Matrix gx = MatOps.multiply(g, inputs()[l]);
        return columnDots(gx, errors()[l]);
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

    /**
     * Refuses sample-level operations (Gram matrices, S v, the dense S) when the layers do not share
     * one sample index: a weight-sharing layer in the expand form has L·K samples
     * ({@link #layerSamples}), a parameter-free layer none of its own, so the per-sample gradients
     * s_k are not defined across layers. The factors (Λ, Λ̃) are; K-FAC and the Eq. 20 rule use them.
     */
    private void requireSharedSamples(String op) {
        int k = samples(0).count();
        for (int l = 1; l < layers.length; l++) {
            if (samples(l).count() != k) {
                throw new IllegalArgumentException("CurvatureStatistics: the " + op + " needs one sample index shared by"
                        + " all layers, but layer " + (l + 1) + " has " + samples(l).count() + " samples and layer 1 "
                        + k + " (a convolution's (example, location) pairs, KFC expand form): use K-FAC or the Eq. 20 rule");
            }
        }
    }

    /** Layer l's slice of a flat vector as an n_l x d_l matrix (a copy). */
    public Matrix block(double[] flat, int l) {
        int n = layers[l].outputSize();
        int d = layers[l].inputSize();
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
        requireDenseSize("CurvatureStatistics.fisher", parameterCount());
        return MatOps.syrk(1, dense(), false, 0, null);
    }

    /** Entry j is ⟨column j of a, column j of b⟩ (a and b of one shape). */
    public static double[] columnDots(Matrix a, Matrix b) {
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
