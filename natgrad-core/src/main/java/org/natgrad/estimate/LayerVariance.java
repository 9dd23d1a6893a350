package org.natgrad.estimate;

import static org.natgrad.estimate.DiagonalScaling.scaleCols;
import static org.natgrad.estimate.DiagonalScaling.scaleRows;

import java.util.ArrayList;
import java.util.List;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;

/**
 * Per-layer trace forms of the estimators' variances (math.md §3.3), matrix-free: nothing of size
 * P x P is formed, so this works for networks of any size. For each layer l the sums run over the
 * parameter pairs (a, b) both in layer l (the diagonal block that block-diagonal and Kronecker
 * curvatures use):
 * <ul>
 *   <li>Σ_ab Var(Î1)_ab = (E[(ε^T G_l ε)²] − tr(G_l 𝓘 G_l 𝓘)) / N with G_l = J_l J_l^T (d x d),
 *       and G_l = ‖x̄_{l−1}‖² Δ_l^T Δ_l where Δ_l = ∂h/∂a_l (n_l x d);</li>
 *   <li>Σ_ab Var(Î2)_ab = (1/N) Σ_k ‖∇²_{θ_l}(b_k^T h)‖_F² (B B^T = 𝓘). The block Hessian is
 *       (x̄ x̄^T) ⊗ Ĥ_l with Ĥ_l(c) = Σ_{m≥l} A_lm^T diag(φ''_m ∘ T_m c) A_lm the Hessian with
 *       respect to the pre-activation a_l (A_lm = ∂a_m/∂a_l, T_m = (∂h/∂x_m)^T), so
 *       Σ_k ‖Ĥ_l(b_k)‖² = Σ_{m,m'} ⟨(A_lm A_lm'^T)^{∘2}, Ω_mm'⟩ with
 *       Ω_mm' = diag(φ''_m) T_m 𝓘 T_m'^T diag(φ''_m');</li>
 *   <li>the bounds of §3.5 summed over the block: m4 (tr G_l)² and λ_max(𝓘) Σ_γ ‖∇²_{θ_l} h_γ‖²;</li>
 *   <li>the Fisher block's trace and Frobenius norm, and for joint sampling of inputs the extra
 *       term Σ_ab Var_x(I_ab(θ|x)) = mean_x ‖I_ll(x)‖² − ‖Ī_ll‖², with
 *       ‖Ī_ll‖² = (1/M²) Σ_{m,m'} (x̄_m·x̄_m')² ⟨S_m, S_m'⟩ and S_m = Δ_m 𝓘 Δ_m^T.</li>
 * </ul>
 * Also the whole-network total of Var(Î1) (all pairs), from G = Σ_l G_l, for up to
 * {@link #TOTAL_MAX_OUTPUTS} outputs (NaN above). For independent outputs and layers narrower
 * than the output, the layer figures use S_l = Δ_l 𝓘 Δ_l^T (n_l x n_l) instead of G_l:
 * tr(G_l𝓘G_l𝓘) = ‖x̄‖⁴ ‖S_l‖_F².
 */
public final class LayerVariance {
    /** Largest number of doubles kept for the input-covariance term (M Σ_l n_l²). */
    public static final long MAX_STORED = 80_000_000L;
    /** The whole-network Var(Î1) total needs d x d Gram matrices; it is computed only up to this d. */
    public static final int TOTAL_MAX_OUTPUTS = 64;

    private LayerVariance() {
    }

    /**
     * Per-sample (N = 1) figures for one layer's diagonal block, averaged over the inputs.
     *
     * @param layer           0-based layer index
     * @param parameters      parameters in the layer
     * @param fisherTrace     tr(Ī_ll)
     * @param fisherFrobenius ‖Ī_ll‖_F (Ī = mean over the inputs)
     * @param var1            mean_x Σ_ab N Var(Î1)_ab at fixed x
     * @param var2            mean_x Σ_ab N Var(Î2)_ab at fixed x
     * @param inputVariance   Σ_ab Var_x(I_ab(θ|x)) (0 with a single input)
     * @param bound1          mean_x Σ_ab of the §3.5 bound on N Var(Î1)_ab
     * @param bound2          mean_x Σ_ab of the §3.5 bound on N Var(Î2)_ab
     */
    public record Layer(int layer, int parameters, double fisherTrace, double fisherFrobenius, double var1, double var2,
                        double inputVariance, double bound1, double bound2) {
        /** Σ_ab Var(Î_k)_ab for N joint (x, y) samples; k = 1 or 2. */
        public double jointVariance(int k, long n) {
            return ((k == 1 ? var1 : var2) + inputVariance) / n;
        }

        /** Relative standard error sqrt(Σ Var)/‖Ī_ll‖_F for N joint samples. */
        public double relativeError(int k, long n) {
            return Math.sqrt(jointVariance(k, n)) / fisherFrobenius;
        }

        /** Smallest N with relative standard error at most {@code target}. */
        public long samplesFor(int k, double target) {
            double v = (k == 1 ? var1 : var2) + inputVariance;
            double need = v / (target * target * fisherFrobenius * fisherFrobenius);
            return need <= 1 ? 1 : (long) Math.ceil(need);
        }
    }

    /** Per-layer results plus the whole-network Var(Î1) total (all pairs, per sample, mean over inputs). */
    public record Result(List<Layer> layers, double totalVar1, int inputs) {
    }

    /**
     * Per-layer figures at the inputs (columns of {@code inputs}, n_0 x M). With M > 1 the
     * Frobenius norm of the mean Fisher and the input-covariance term need M Σ_l n_l² doubles
     * ({@link #MAX_STORED}).
     */
    public static Result compute(Network net, ExponentialFamily family, Matrix inputs) {
        if (inputs.rows() != net.inputSize()) {
            throw new IllegalArgumentException("LayerVariance: inputs are " + inputs.shape() + " but the network takes "
                    + net.inputSize() + " inputs (examples are columns)");
        }
        int mCount = inputs.cols();
        if (mCount == 0) {
            throw new IllegalArgumentException("LayerVariance: no inputs");
        }
        int layers = net.depth();
        long stored = 0;
        for (Dense d : net.denseLayers()) {
            stored += (long) d.outputs() * d.outputs();
        }
        stored *= mCount;
        boolean joint = mCount > 1;
        if (joint && stored > MAX_STORED) {
            throw new IllegalArgumentException("LayerVariance: the input-covariance term for " + mCount + " inputs needs "
                    + stored + " doubles (limit " + MAX_STORED + "); use fewer inputs");
        }
        Sums mean = new Sums(layers); // its frob2 is mean_x ‖I_ll(x)‖²
        double total1 = 0;
        Matrix[][] s = joint ? new Matrix[layers][mCount] : null;
        double[][][] xs = joint ? new double[layers][mCount][] : null;
        double w = 1.0 / mCount;
        for (int m = 0; m < mCount; m++) {
            PerInput pi = perInput(net, family, inputs.column(m), joint);
            mean.addScaled(w, pi.sums);
            for (int l = 0; l < layers; l++) {
                if (joint) {
                    s[l][m] = pi.s[l];
                    xs[l][m] = pi.xbar[l];
                }
            }
            total1 += w * pi.total1;
        }
        List<Layer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            double frob2;
            if (joint) {
                double acc = 0;
                for (int m = 0; m < mCount; m++) {
                    for (int k = m; k < mCount; k++) {
                        double xx = dot(xs[l][m], xs[l][k]);
                        double term = xx * xx * MatOps.dot(s[l][m], s[l][k]);
                        acc += k == m ? term : 2 * term;
                    }
                }
                frob2 = acc / ((double) mCount * mCount);
            } else {
                frob2 = mean.frob2[l];
            }
            double inputVar = joint ? Math.max(0, mean.frob2[l] - frob2) : 0;
            out.add(new Layer(l, net.layer(l).parameterCount(), mean.trace[l], Math.sqrt(frob2), mean.var1[l],
                    mean.var2[l], inputVar, mean.bound1[l], mean.bound2[l]));
        }
        return new Result(out, total1, mCount);
    }

    /** Per-layer figures at one input (or their mean over inputs): tr I_ll, ‖I_ll‖², the two variances and bounds. */
    private static final class Sums {
        final double[] trace;
        final double[] frob2;
        final double[] var1;
        final double[] var2;
        final double[] bound1;
        final double[] bound2;

        Sums(int layers) {
            trace = new double[layers];
            frob2 = new double[layers];
            var1 = new double[layers];
            var2 = new double[layers];
            bound1 = new double[layers];
            bound2 = new double[layers];
        }

        /** this += w · o, figure by figure. */
        void addScaled(double w, Sums o) {
            for (int l = 0; l < trace.length; l++) {
                trace[l] += w * o.trace[l];
                frob2[l] += w * o.frob2[l];
                var1[l] += w * o.var1[l];
                var2[l] += w * o.var2[l];
                bound1[l] += w * o.bound1[l];
                bound2[l] += w * o.bound2[l];
            }
        }
    }

    private record PerInput(Sums sums, double total1, Matrix[] s, double[][] xbar) {
    }

    private static boolean curved(Activation a) {
        return a != Activation.IDENTITY && a != Activation.RELU;
    }

    private static PerInput perInput(Network net, ExponentialFamily family, double[] x, boolean keepS) {
        int layers = net.depth();
        int d = net.outputSize();
        ExampleForward f = ExampleForward.of(net, x, "LayerVariance");
        double[][] d1 = f.firstDerivs();
        double[][] d2 = f.secondDerivs();
        double[] h = f.output();
        // T_l = (∂h/∂x_l)^T (n_l x d), Δ_l = diag(φ'_l) T_l
        Matrix[] t = new Matrix[layers];
        Matrix[] delta = new Matrix[layers];
        t[layers - 1] = Matrix.identity(d);
        for (int l = layers - 1; l >= 0; l--) {
            if (l < layers - 1) {
                t[l] = MatOps.gemm(1, net.layer(l + 1).weights(), true, delta[l + 1], false, 0, null);
            }
            delta[l] = scaleRows(t[l].copy(), d1[l]);
        }
        double[] nu = new double[layers];
        double[][] xbar = f.inputsWithBias();
        for (int l = 0; l < layers; l++) {
            nu[l] = dot(xbar[l], xbar[l]);
        }
        Matrix fisher = family.fisher(h);
        boolean independent = family instanceof ExponentialFamily.Independent;
        double[] fdiag = new double[d];
        for (int i = 0; i < d; i++) {
            fdiag[i] = fisher.get(i, i);
        }
        double m4 = family.m4Bound(h);
        double lmax = family.maxFisherEigenvalue(h);
        Sums fig = new Sums(layers);
        Matrix[] s = keepS ? new Matrix[layers] : null;
        boolean wantTotal = d <= TOTAL_MAX_OUTPUTS;
        Matrix gTotal = wantTotal ? new Matrix(d, d) : null;
        double[] k4 = null;
        if (independent) {
            ExponentialFamily.Independent ind = (ExponentialFamily.Independent) family;
            k4 = new double[d];
            for (int i = 0; i < d; i++) {
                k4[i] = ind.kappa4(h[i]);
            }
        }
        for (int l = 0; l < layers; l++) {
            int nl = net.layer(l).outputs();
            Matrix sl = null;
            if (keepS || (independent && nl < d)) {
                Matrix di = independent ? scaleCols(delta[l].copy(), fdiag)
                        : MatOps.gemm(1, delta[l], false, fisher, false, 0, null);
                sl = MatOps.gemm(1, di, false, delta[l], true, 0, null);
                if (keepS) {
                    s[l] = sl;
                }
            }
            Matrix g = null;
            if (wantTotal || !(independent && nl < d)) {
                g = MatOps.syrk(nu[l], delta[l], true, 0, null);
                MatOps.symmetrizeInPlace(g);
                if (wantTotal) {
                    MatOps.axpy(1, g, gTotal);
                }
            }
            if (independent && nl < d) {
                // G = ν Δ^T Δ is d x d; use S = Δ 𝓘 Δ^T (n_l x n_l) instead: tr(G𝓘G𝓘) = ν²‖S‖², G_αα = ν‖Δ_α‖²
                double[] dd = delta[l].data();
                double trI = 0;
                double trG = 0;
                double kappa = 0;
                for (int al = 0; al < d; al++) {
                    double c = 0;
                    for (int r = 0; r < nl; r++) {
                        double v = dd[r + al * nl];
                        c += v * v;
                    }
                    double gaa = nu[l] * c;
                    trI += fdiag[al] * gaa;
                    trG += gaa;
                    kappa += k4[al] * gaa * gaa;
                }
                double sn = sl.frobeniusNorm();
                fig.trace[l] = trI;
                fig.frob2[l] = nu[l] * nu[l] * sn * sn;
                fig.var1[l] = kappa + trI * trI + fig.frob2[l];
                fig.bound1[l] = m4 * trG * trG;
            } else {
                fig.trace[l] = family.traceWith(h, g);
                fig.frob2[l] = family.fisherInner(h, g, g);
                fig.var1[l] = family.quadMoment(h, g, g) - fig.frob2[l];
                double tg = g.trace();
                fig.bound1[l] = m4 * tg * tg;
            }
        }
        double total1 = wantTotal ? family.quadMoment(h, gTotal, gTotal) - family.fisherInner(h, gTotal, gTotal)
                : Double.NaN;
        // Var(Î2): Ω_mm' over curved layers m <= m'
        List<Integer> curvedLayers = new ArrayList<>();
        for (int m = 0; m < layers; m++) {
            if (curved(net.denseLayer(m).activation())) {
                curvedLayers.add(m);
            }
        }
        if (!curvedLayers.isEmpty()) {
            int c = curvedLayers.size();
            double constantFisher = -1; // v when 𝓘 = v I (Gaussian), so that Ω^I = Ω / v
            if (independent) {
                constantFisher = fdiag[0];
                for (double v : fdiag) {
                    if (v != fdiag[0] || !(v > 0)) {
                        constantFisher = -1;
                        break;
                    }
                }
            }
            Matrix[] tf = new Matrix[layers];
            for (int m : curvedLayers) {
                tf[m] = independent ? scaleCols(t[m].copy(), fdiag) : MatOps.gemm(1, t[m], false, fisher, false, 0, null);
            }
            Matrix[][] omega = new Matrix[c][c];
            Matrix[][] omegaI = new Matrix[c][c];
            for (int i = 0; i < c; i++) {
                int m = curvedLayers.get(i);
                for (int j = i; j < c; j++) {
                    int mm = curvedLayers.get(j);
                    Matrix o = MatOps.gemm(1, tf[m], false, t[mm], true, 0, null);
                    Matrix oi = constantFisher > 0 ? MatOps.scale(1 / constantFisher, o, null)
                            : MatOps.gemm(1, t[m], false, t[mm], true, 0, null);
                    scaleRows(o, d2[m]);
                    scaleCols(o, d2[mm]);
                    scaleRows(oi, d2[m]);
                    scaleCols(oi, d2[mm]);
                    omega[i][j] = o;
                    omegaI[i][j] = oi;
                }
            }
            for (int l = 0; l < layers; l++) {
                // A_lm for curved m >= l
                Matrix[] alm = new Matrix[c];
                Matrix acur = Matrix.identity(net.layer(l).outputs());
                int next = 0;
                for (int m = l; m < layers; m++) {
                    if (m > l) {
                        Matrix dA = scaleRows(acur.copy(), d1[m - 1]);
                        acur = MatOps.gemm(1, net.layer(m).weights(), false, dA, false, 0, null);
                    }
                    while (next < c && curvedLayers.get(next) < m) {
                        next++;
                    }
                    if (next < c && curvedLayers.get(next) == m) {
                        alm[next] = acur;
                    }
                }
                double acc = 0;
                double accI = 0;
                for (int i = 0; i < c; i++) {
                    if (alm[i] == null) {
                        continue;
                    }
                    for (int j = i; j < c; j++) {
                        if (alm[j] == null) {
                            continue;
                        }
                        Matrix prod = MatOps.gemm(1, alm[i], false, alm[j], true, 0, null);
                        double[] pd = prod.data();
                        double[] od = omega[i][j].data();
                        double[] oid = omegaI[i][j].data();
                        double sum = 0;
                        double sumI = 0;
                        for (int k = 0; k < pd.length; k++) {
                            double p2 = pd[k] * pd[k];
                            sum += p2 * od[k];
                            sumI += p2 * oid[k];
                        }
                        double mult = i == j ? 1 : 2;
                        acc += mult * sum;
                        accI += mult * sumI;
                    }
                }
                fig.var2[l] = nu[l] * nu[l] * acc;
                fig.bound2[l] = lmax * nu[l] * nu[l] * accI;
            }
        }
        return new PerInput(fig, total1, s, xbar);
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }
}
