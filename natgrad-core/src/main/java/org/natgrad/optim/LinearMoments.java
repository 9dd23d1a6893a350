package org.natgrad.optim;

import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.curvature.FactorSolverOptions;
import org.natgrad.nn.Batch;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.random.Rng;

/**
 * Everything one Eq. 20 step of {@link NaturalGradient} needs, for a network whose layers are all
 * linear (identity activation) and a Gaussian likelihood N(y; f, Σ̃) with a fixed covariance, as
 * exact functions of the minibatch second moment of z = [x̄; y]:
 * S = (1/M) Σ_m z_m z_m^T, d x d with d = n_0 + 1 + n_L, x̄ = [x_0; 1] (the bias coordinate is
 * always there; a layer without bias just does not use it). One syrk over the M examples per step;
 * all else costs O(L d³), independent of M.
 * <ul>
 *   <li>x_l = T_l x̄ exactly for a linear network, with the n_l x (n_0+1) maps T_0 = [I 0],
 *       T_l = W_l T_{l-1} + b_l e^T (e the bias coordinate), so layer l's input second moment
 *       (bias row included when the layer has one, as {@link org.natgrad.statistics.CurvatureStatistics})
 *       is Λ_l = X̂ S_xx X̂^T with X̂ = [T_{l-1}; e^T];</li>
 *   <li>the mean loss ½ tr(Π (T_L S_xx T_L^T − T_L S_xy − S_yx T_L^T + S_yy)), Π = Σ̃^{-1}, the
 *       {@link Gaussian#loss} convention;</li>
 *   <li>the mean-loss gradient G_l = B_l^T R X̂^T with R = Π (T_L S_xx − S_yx) (n_L x (n_0+1)) and
 *       B_l = W_L…W_{l+1}, in the [W_l, b_l] layout of
 *       {@link org.natgrad.nn.ParamVector#augmentedBlock};</li>
 *   <li>Λ̃_l = B_l^T Λ̃_L B_l with Λ̃_L the second moment of the K model-sampled output errors,
 *       drawn by {@link Gaussian#sample} from the same {@link Rng} in the same order as
 *       {@link org.natgrad.statistics.CurvatureStatistics#kronecker} (the output errors of a
 *       Gaussian do not depend on the output, so both paths use the same draws), or Π for K = 0;</li>
 *   <li>the change of the loss after a step, from the layer updates directly (no cancellation of
 *       two nearly equal losses): see {@link #lossChange}.</li>
 * </ul>
 * The object holds the moments and maps at the weights it was built from; it does not follow later
 * changes of the network.
 */
final class LinearMoments implements BatchEvaluation {
    private final int layers;
    private final int n0;
    private final Matrix sxx;       // (n0+1) x (n0+1)
    private final Matrix syx;       // nL x (n0+1)
    private final Matrix[] maps;    // T_0..T_L, n_l x (n0+1)
    private final Matrix residual;  // R = Π (T_L S_xx − S_yx), nL x (n0+1)
    private final Matrix precision; // Π for a full covariance; null when isotropic
    private final double invVariance; // 1/σ² when isotropic
    private final double loss;
    private final Network net;
    private final Gaussian gaussian;
    private final int examples;
    private ParamVector gradient;

    /** True when the moment form is exact for this network and likelihood: all layers linear, Gaussian output. */
    static boolean applies(Network net, Likelihood likelihood) {
        return likelihood instanceof Gaussian && net.isLinear();
    }

    /**
     * The moments of {@code batch} (inputs n_0 x M, targets n_L x M) at the current weights.
     *
     * @throws IllegalArgumentException for inputs or targets of the wrong shape and non-finite targets
     *                                  (the messages of the general path); non-finite inputs give a
     *                                  non-finite {@link #loss()}, as they do there
     */
    static LinearMoments of(Network net, Gaussian likelihood, Batch batch) {
        Matrix x = batch.inputs();
        Matrix y = batch.targets();
        if (x.rows() != net.inputSize()) {
            throw new IllegalArgumentException("Network.forward: input is " + x.shape() + " but the network takes "
                    + net.inputSize() + " inputs (examples are columns)");
        }
        if (y.rows() != net.outputSize() || y.cols() != x.cols()) {
            throw new IllegalArgumentException("Gaussian targets: output is " + net.outputSize() + "x" + x.cols()
                    + " but target is " + y.shape());
        }
        likelihood.validateTargets(y, y); // covariance size and finite targets
        return new LinearMoments(net, likelihood, x, y);
    }

    private LinearMoments(Network net, Gaussian likelihood, Matrix x, Matrix y) {
        this.net = net;
        this.gaussian = likelihood;
        this.examples = x.cols();
        this.layers = net.depth();
        this.n0 = x.rows();
        int nL = y.rows();
        int m = x.cols();
        int a = n0 + 1;
        int d = a + nL;
        Matrix z = new Matrix(d, m);
        double[] zd = z.data();
        double[] xd = x.data();
        double[] yd = y.data();
        for (int j = 0; j < m; j++) {
            System.arraycopy(xd, j * n0, zd, j * d, n0);
            zd[j * d + n0] = 1;
            System.arraycopy(yd, j * nL, zd, j * d + a, nL);
        }
        Matrix s = MatOps.syrk(1.0 / m, z, false, 0, null);
        this.sxx = block(s, 0, a, 0, a);
        this.syx = block(s, a, d, 0, a);
        Matrix syy = block(s, a, d, a, d);
        if (likelihood.isIsotropic()) {
            this.precision = null;
            this.invVariance = 1 / likelihood.variance();
        } else {
            this.precision = likelihood.precision(nL);
            this.invVariance = Double.NaN;
        }

        maps = new Matrix[layers + 1];
        Matrix t = new Matrix(n0, a);
        for (int i = 0; i < n0; i++) {
            t.set(i, i, 1);
        }
        maps[0] = t;
        for (int l = 0; l < layers; l++) {
            Dense layer = net.denseLayer(l);
            Matrix next = MatOps.multiply(layer.weights(), maps[l]);
            if (layer.hasBias()) {
                double[] b = layer.bias().data();
                double[] nd = next.data();
                int off = n0 * next.rows();
                for (int i = 0; i < b.length; i++) {
                    nd[off + i] += b[i];
                }
            }
            maps[l + 1] = next;
        }
        Matrix out = maps[layers];
        // R_raw = T_L S_xx − S_yx; loss = ½ <Π, R_raw T_L^T + (S_yy − T_L S_xy)>.
        Matrix raw = MatOps.gemm(1, out, false, sxx, false, -1, syx.copy());
        Matrix inner = MatOps.gemm(-1, out, false, syx, true, 1, syy);
        MatOps.gemm(1, raw, false, out, true, 1, inner);
        this.loss = 0.5 * weighted(inner);
        this.residual = precision == null ? MatOps.scaleInPlace(invVariance, raw) : MatOps.multiply(precision, raw);
    }

    /** The minibatch mean loss at the weights the moments were built from (NaN/Inf for non-finite inputs). */
    @Override
    public double loss() {
        return loss;
    }

    /** Number of layers L. */
    int layers() {
        return layers;
    }

    /**
     * The mean-loss gradient of every layer as augmented blocks [W_l, b_l] (n_l x (n_{l-1}+1), or
     * n_l x n_{l-1} without bias); {@code net} must hold the weights the moments were built from.
     */
    Matrix[] gradients(Network net) {
        Matrix[] g = new Matrix[layers];
        Matrix delta = residual; // B_l^T R, n_l x (n0+1)
        for (int l = layers - 1; l >= 0; l--) {
            Dense layer = net.denseLayer(l);
            Matrix gw = MatOps.gemm(1, delta, false, maps[l], true, 0, null);
            g[l] = layer.hasBias() ? appendColumn(gw, delta, n0) : gw;
            if (l > 0) {
                delta = MatOps.gemm(1, layer.weights(), true, delta, false, 0, null);
            }
        }
        return g;
    }

    /** Λ_l for every layer: (n_{l-1}+1) square with bias, n_{l-1} square without (new matrices). */
    Matrix[] lambdas(Network net) {
        Matrix[] lam = new Matrix[layers];
        for (int l = 0; l < layers; l++) {
            Matrix t = maps[l];
            Matrix ts = MatOps.multiply(t, sxx); // n x (n0+1); its column n0 is T s, s = S_xx e
            Matrix top = MatOps.symmetrizeInPlace(MatOps.gemm(1, ts, false, t, true, 0, null));
            if (!net.denseLayer(l).hasBias()) {
                lam[l] = top;
                continue;
            }
            int n = t.rows();
            Matrix full = new Matrix(n + 1, n + 1);
            for (int j = 0; j < n; j++) {
                System.arraycopy(top.data(), j * n, full.data(), j * (n + 1), n);
                double c = ts.get(j, n0);
                full.set(n, j, c);
                full.set(j, n, c);
            }
            full.set(n, n, sxx.get(n0, n0));
            lam[l] = full;
        }
        return lam;
    }

    /**
     * Λ̃_l = W_{l+1}^T Λ̃_{l+1} W_{l+1} down from Λ̃_L = {@code outputMoment} (n_L x n_L): n_l x n_l per
     * layer (new matrices; the last one is {@code outputMoment} itself).
     */
    Matrix[] lambdaTildes(Network net, Matrix outputMoment) {
        Matrix[] lt = new Matrix[layers];
        lt[layers - 1] = outputMoment;
        for (int l = layers - 1; l > 0; l--) {
            Matrix w = net.denseLayer(l).weights();
            Matrix tw = MatOps.multiply(lt[l], w);
            lt[l - 1] = MatOps.symmetrizeInPlace(MatOps.gemm(1, w, true, tw, false, 0, null));
        }
        return lt;
    }

    /**
     * Λ̃_L (n_L x n_L): for K ≥ 1, (1/(KM)) Σ ε ε^T over K x M output errors ε = Π (f − y) of targets
     * y ~ N(f, Σ̃) drawn with {@code rng} exactly as {@link org.natgrad.statistics.CurvatureStatistics}
     * draws them (one {@link Gaussian#sample} of an n_L x M output per draw; ε does not depend on f,
     * so f = 0 is used); for K = 0 the exact expectation Π.
     */
    static Matrix outputMoment(Gaussian likelihood, int outputs, int examples, int k, Rng rng) {
        if (k == 0) {
            return likelihood.precision(outputs);
        }
        Matrix zero = new Matrix(outputs, examples);
        Matrix acc = new Matrix(outputs, outputs);
        double c = 1.0 / ((double) k * examples);
        for (int r = 0; r < k; r++) {
            Matrix e = likelihood.outputError(zero, likelihood.sample(zero, rng));
            MatOps.syrk(c, e, false, r == 0 ? 0 : 1, acc);
        }
        return acc;
    }

    /**
     * L(after) − L(before) on this minibatch, where {@code before} holds the weights the moments
     * were built from and {@code after} the weights after a step (same shapes). With
     * D = T_L(after) − T_L(before) = Σ_l B_l(after) C_l, C_l = (W̄_l(after) − W̄_l(before)) X̂_{l-1}(before)
     * (telescoping, so D is accurate even when the step is tiny; summed by Horner's rule
     * D = C_L + W_L(after)(C_{L-1} + W_{L-1}(after)(…))) the change is <R, D> + ½ <Π D S_xx, D>:
     * exact for the quadratic loss and free of the cancellation of two nearly equal losses near a
     * minimum.
     */
    double lossChange(ParamVector before, ParamVector after) {
        Matrix acc = null; // Σ_{k ≤ l} W_l…W_{k+1} C_k, n_l x (n0+1)
        for (int l = 0; l < layers; l++) {
            Matrix dw = MatOps.subtract(after.weights(l), before.weights(l), null);
            Matrix term = MatOps.multiply(dw, maps[l]); // C_l
            Matrix bias = after.bias(l);
            if (bias != null) {
                double[] ab = bias.data();
                double[] bb = before.bias(l).data();
                double[] td = term.data();
                int off = n0 * term.rows();
                for (int i = 0; i < ab.length; i++) {
                    td[off + i] += ab[i] - bb[i];
                }
            }
            acc = acc == null ? term : MatOps.gemm(1, after.weights(l), false, acc, false, 1, term);
        }
        Matrix ds = MatOps.multiply(acc, sxx);
        double quad = precision == null ? invVariance * MatOps.dot(ds, acc)
                : MatOps.dot(MatOps.multiply(precision, ds), acc);
        return MatOps.dot(residual, acc) + 0.5 * quad;
    }

    /** <Π, A> for a square n_L x n_L matrix A. */
    private double weighted(Matrix a) {
        return precision == null ? invVariance * a.trace() : MatOps.dot(precision, a);
    }

    private static Matrix block(Matrix s, int r0, int r1, int c0, int c1) {
        Matrix out = new Matrix(r1 - r0, c1 - c0);
        for (int j = c0; j < c1; j++) {
            System.arraycopy(s.data(), j * s.rows() + r0, out.data(), (j - c0) * out.rows(), r1 - r0);
        }
        return out;
    }

    /** [a, column c of b] (a new matrix; a and b have as many rows). */
    private static Matrix appendColumn(Matrix a, Matrix b, int c) {
        int r = a.rows();
        double[] d = new double[a.size() + r];
        System.arraycopy(a.data(), 0, d, 0, a.size());
        System.arraycopy(b.data(), c * r, d, a.size(), r);
        return new Matrix(r, a.cols() + 1, d);
    }

    /** {@link #loss()} + {@link #lossChange}: no cancellation of two nearly equal losses. */
    @Override
    public double lossAfter(ParamVector before, ParamVector after) {
        return loss + lossChange(before, after);
    }

    /** The gradient ({@link #gradients}) as a parameter vector shaped like the network's. */
    @Override
    public ParamVector gradient() {
        if (gradient == null) {
            Matrix[] g = gradients(net);
            gradient = ParamVector.zerosLike(net.parameters());
            for (int l = 0; l < g.length; l++) {
                gradient.setAugmentedBlock(l, g[l]);
            }
        }
        return gradient;
    }

    /** Λ_i and Λ̃_i in factor form, Λ̃ from {@code modelSamples} output draws of {@code rng} ({@link #outputMoment}). */
    @Override
    public CurvatureStatistics statistics(int modelSamples, Rng rng, CurvatureChoice choice, FactorSolverOptions solver) {
        return CurvatureStatistics.ofFactors(lambdas(net), lambdaTildes(net, outputMoment(gaussian, net.outputSize(),
                examples, modelSamples, rng)), examples);
    }
}
