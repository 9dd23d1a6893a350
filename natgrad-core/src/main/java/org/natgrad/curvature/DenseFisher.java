package org.natgrad.curvature;

import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/**
 * The Fisher information matrix of a network with a likelihood on a batch of inputs, as a dense
 * P x P matrix (P = number of parameters, in {@link org.natgrad.nn.ParamVector}'s flat order:
 * per layer vec(W_i) column-major, then b_i). Three estimates, clearly distinct:
 * <ul>
 *   <li>{@link #exact}: F = (1/M) Σ_m J_m^T F_out(f_m) J_m, the true Fisher with the expectation
 *       over the model's outputs taken exactly (math.md Eq. 5 with inputs from the batch). It
 *       backpropagates the r columns of the output-Fisher factor B_m (B_m B_m^T = F_out(f_m)), so
 *       J_m^T F_out J_m = Σ_k (J_m^T b_k)(J_m^T b_k)^T; no sampling.</li>
 *   <li>{@link #monteCarlo}: (1/(S M)) Σ_{s,m} ∇ℓ(y_s) ∇ℓ(y_s)^T with targets y_s ~ q(y | f_m)
 *       drawn from the model: an unbiased estimate of the exact Fisher.</li>
 *   <li>{@link #empirical}: (1/M) Σ_m ∇ℓ(y_m) ∇ℓ(y_m)^T with the data targets: the "empirical
 *       Fisher", which is not the Fisher in general.</li>
 * </ul>
 * Memory is P² doubles for F plus P x M for the per-example gradients, so P is limited to
 * {@link #MAX_PARAMETERS}.
 */
public final class DenseFisher {
    /** Largest parameter count accepted (F takes 8 P² bytes: 134 MB at this limit). */
    public static final int MAX_PARAMETERS = CurvatureStatistics.MAX_DENSE_PARAMETERS;

    private DenseFisher() {
    }

    /** The exact Fisher on the batch's inputs (targets are not used), P x P. */
    public static Matrix exact(Network net, Likelihood likelihood, Batch batch) {
        return exact(net, likelihood, batch.inputs());
    }

    /** The exact Fisher on inputs x (n_0 x M), P x P. */
    public static Matrix exact(Network net, Likelihood likelihood, Matrix inputs) {
        requireSmall("DenseFisher.exact", net);
        Trace trace = net.forward(inputs);
        Matrix out = trace.output();
        int m = out.cols();
        int p = net.parameterCount();
        Matrix f = new Matrix(p, p);
        Matrix[] factors = CurvatureStatistics.outputFactors(likelihood, out);
        int r = factors[0].cols();
        for (int k = 0; k < r; k++) {
            Matrix err = CurvatureStatistics.factorColumn(factors, k, out.rows());
            Backprop bp = net.backward(trace, err, false);
            MatOps.syrk(1.0 / m, perExampleGradients(trace, bp), false, 1, f);
        }
        return f;
    }

    /**
     * Monte Carlo estimate from {@code samples} model-sampled targets per input:
     * (1/(S M)) Σ ∇ℓ ∇ℓ^T with y ~ q(y | f_m). Unbiased for {@link #exact}; its error shrinks like
     * 1/√S.
     */
    public static Matrix monteCarlo(Network net, Likelihood likelihood, Batch batch, int samples, Rng rng) {
        return monteCarlo(net, likelihood, batch.inputs(), samples, rng);
    }

    /** As {@link #monteCarlo(Network, Likelihood, Batch, int, Rng)} on inputs x (n_0 x M). */
    public static Matrix monteCarlo(Network net, Likelihood likelihood, Matrix inputs, int samples, Rng rng) {
        requireSmall("DenseFisher.monteCarlo", net);
        if (samples < 1) {
            throw new IllegalArgumentException("DenseFisher.monteCarlo: samples must be >= 1, got " + samples);
        }
        Trace trace = net.forward(inputs);
        Matrix out = trace.output();
        int p = net.parameterCount();
        Matrix f = new Matrix(p, p);
        double scale = 1.0 / ((double) samples * out.cols());
        for (int s = 0; s < samples; s++) {
            Matrix y = likelihood.sample(out, rng);
            Backprop bp = net.backward(trace, likelihood.outputError(out, y), false);
            MatOps.syrk(scale, perExampleGradients(trace, bp), false, 1, f);
        }
        return f;
    }

    /** The empirical Fisher (1/M) Σ_m ∇ℓ(y_m) ∇ℓ(y_m)^T with the batch's own targets, P x P. */
    public static Matrix empirical(Network net, Likelihood likelihood, Batch batch) {
        requireSmall("DenseFisher.empirical", net);
        Trace trace = net.forward(batch.inputs());
        Matrix out = trace.output();
        likelihood.validateTargets(out, batch.targets());
        Backprop bp = net.backward(trace, likelihood.outputError(out, batch.targets()), false);
        return MatOps.syrk(1.0 / out.cols(), perExampleGradients(trace, bp), false, 0, null);
    }

    /**
     * Per-example gradients as the columns of a P x M matrix: column m holds, per layer,
     * vec(δ_i^m x̄_{i-1}^m^T) = x̄_{i-1}^m ⊗ δ_i^m (weights column-major, then the bias δ_i^m),
     * from the errors δ_i of {@code bp} (one column per example) and the trace's inputs.
     */
    public static Matrix perExampleGradients(Trace trace, Backprop bp) {
        int layers = trace.layers();
        int m = trace.batchSize();
        int p = 0;
        for (int i = 0; i < layers; i++) {
            p += trace.inputWithBias(i).rows() * bp.error(i).rows();
        }
        Matrix g = new Matrix(p, m);
        double[] gd = g.data();
        int off = 0;
        for (int i = 0; i < layers; i++) {
            Matrix x = trace.inputWithBias(i);
            Matrix d = bp.error(i);
            int nin = x.rows();
            int nout = d.rows();
            double[] xd = x.data();
            double[] dd = d.data();
            for (int col = 0; col < m; col++) {
                int base = col * p + off;
                int xo = col * nin;
                int dO = col * nout;
                for (int c = 0; c < nin; c++) {
                    double xv = xd[xo + c];
                    int o = base + c * nout;
                    for (int r = 0; r < nout; r++) {
                        gd[o + r] = xv * dd[dO + r];
                    }
                }
            }
            off += nin * nout;
        }
        return g;
    }

    /** The output-Fisher factor B_m (n_L x r) of every column, checking they share r. */
    static void requireSmall(String op, Network net) {
        int p = net.parameterCount();
        if (p > MAX_PARAMETERS) {
            throw new IllegalArgumentException(op + ": the network has " + p + " parameters; a dense P x P Fisher is "
                    + "limited to " + MAX_PARAMETERS + " (" + String.format("%.0f", 8.0 * p * p / 1e6)
                    + " MB would be needed); use a Kronecker-factored curvature instead");
        }
    }
}
