package org.natgrad.matrixfree;

import org.natgrad.likelihood.Bernoulli;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.nn.Trace;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * Exact curvature-vector products of a network and likelihood on one batch of M examples, without
 * forming any P x P matrix:
 * <ul>
 *   <li>{@link #ggn}: G v = (1/M) Σ_m J_m^T F_out(f_m) J_m v, the generalized Gauss–Newton matrix,
 *       which for these likelihoods is the exact Fisher of {@code curvature.DenseFisher.exact}
 *       (same normalisation). J v comes from a forward-mode pass (the R-operator: the tangent of every
 *       pre-activation a_i, R{a_i} = V_i x_{i-1} + c_i + W_i R{x_{i-1}}, R{x_i} = φ'(a_i) ⊙ R{a_i}),
 *       F_out is applied per example (Gaussian Σ̃^{-1} u; categorical p ⊙ u − p (p^T u); Bernoulli
 *       σ(1 − σ) ⊙ u) and the transposed product is one backward pass. Cost: about three passes over
 *       the batch, O(M Σ_i n_i n_{i-1}).</li>
 *   <li>{@link #hessian}: H v, the Hessian of the mean batch loss L = (1/M) Σ_m ℓ_m (needs targets),
 *       by Pearlmutter's R-operator through the backward pass: with g_i = ∂L/∂x_i and δ_i = ∂L/∂a_i,
 *       R{δ_i} = R{g_i} ⊙ φ'(a_i) + g_i ⊙ φ''(a_i) ⊙ R{a_i}, R{g_{i-1}} = V_i^T δ_i + W_i^T R{δ_i},
 *       and the product is R{δ_i} x_{i-1}^T + δ_i R{x_{i-1}}^T for W_i and R{δ_i} 1 for b_i, starting
 *       from R{g_L} = (1/M) ∇²_f ℓ R{x_L}. For the three likelihoods (natural parameters) the output
 *       loss Hessian ∇²_f ℓ equals F_out and does not depend on the target.</li>
 * </ul>
 * The forward trace is taken once, at construction; the weights are read from the network's
 * layers ({@link Network#layer}) at each product, so do not change the network while using this.
 * Directions are {@link ParamVector}s shaped like {@link Network#parameters()} or flat vectors in
 * its order. Not thread-safe (it counts products).
 */
public final class BatchCurvature {
    private final Network net;
    private final Likelihood likelihood;
    private final Matrix targets;
    private final Trace trace;
    private final int examples;
    private final OutputFisher outputFisher;
    private final ParamVector template;
    private final double[][] slopes;
    private long products;

    private BatchCurvature(Network net, Likelihood likelihood, Matrix inputs, Matrix targets) {
        this.net = net;
        this.likelihood = likelihood;
        this.trace = net.forward(inputs);
        this.examples = inputs.cols();
        if (examples == 0) {
            throw new IllegalArgumentException("BatchCurvature: the batch has no examples");
        }
        if (targets != null) {
            likelihood.validateTargets(trace.output(), targets);
        }
        this.targets = targets;
        this.outputFisher = OutputFisher.of(likelihood, trace.output());
        this.template = ParamVector.zerosLike(net.parameters());
        this.slopes = new double[net.depth()][];
        for (int i = 0; i < slopes.length; i++) {
            Activation act = net.denseLayer(i).activation(); // dense layers only for now (named otherwise)
            if (!act.isIdentity()) {
                double[] z = trace.preActivation(i).data();
                double[] y = trace.layerOutput(i).data();
                double[] d = new double[z.length];
                for (int k = 0; k < d.length; k++) {
                    d[k] = act.derivative(z[k], y[k]);
                }
                slopes[i] = d;
            }
        }
    }

    /** Products on {@code batch} (inputs n_0 x M, targets n_L x M, checked against the likelihood). */
    public static BatchCurvature of(Network net, Likelihood likelihood, Batch batch) {
        return new BatchCurvature(net, likelihood, batch.inputs(), batch.targets());
    }

    /** GGN products on inputs x (n_0 x M) alone; {@link #hessian} and {@link #gradient} then refuse. */
    public static BatchCurvature ofInputs(Network net, Likelihood likelihood, Matrix inputs) {
        return new BatchCurvature(net, likelihood, inputs, null);
    }

    /** P. */
    public int size() {
        return template.size();
    }

    /** M. */
    public int examples() {
        return examples;
    }

    /** Number of GGN, Hessian and Jacobian products taken so far. */
    public long products() {
        return products;
    }

    /** The forward trace the products linearize around (not a copy). */
    public Trace trace() {
        return trace;
    }

    /** The gradient of the mean batch loss (1/M) Σ_m ℓ_m, shaped like the parameters. */
    public ParamVector gradient() {
        return net.backward(trace, scaledOutputError(), true).gradients();
    }

    /**
     * J v: the tangent of the network output along the parameter direction v, n_L x M (column m is
     * J_m v for example m).
     */
    public Matrix jacobianProduct(ParamVector v) {
        products++;
        return tangents(v)[1][net.depth() - 1];
    }

    /**
     * J^T u summed over the batch: Σ_m J_m^T u_m for output-space vectors u (n_L x M), shaped like
     * the parameters (one backward pass).
     */
    public ParamVector jacobianTransposeProduct(Matrix u) {
        products++;
        return net.backward(trace, u, true).gradients();
    }

    /** G v = (1/M) Σ_m J_m^T F_out(f_m) J_m v. */
    public ParamVector ggn(ParamVector v) {
        products++;
        Matrix jv = tangents(v)[1][net.depth() - 1];
        Matrix u = outputFisher.apply(jv);
        MatOps.scaleInPlace(1.0 / examples, u);
        return net.backward(trace, u, true).gradients();
    }

    /** G v for a flat v of length P. */
    public double[] ggn(double[] v) {
        return ggn(flat(v)).toFlat();
    }

    /**
     * The exact diagonal of G (length P, flat order): with F_out(f_m) = B_m B_m^T (r columns,
     * {@link Likelihood#outputFisherFactor}), one backward pass per column k of the factors gives the
     * errors δ_{i,k} (n_i x M), and the layer-i block of the diagonal is (1/M) Σ_k (δ_{i,k} ∘ δ_{i,k})
     * (x̄_{i-1} ∘ x̄_{i-1})^T. Cost r backward passes; memory one pass's errors at a time.
     */
    public double[] diagonal() {
        Matrix out = trace.output();
        Matrix[] factors = CurvatureStatistics.outputFactors(likelihood, out);
        int r = factors[0].cols();
        int l = net.depth();
        Matrix[] squaredInputs = new Matrix[l];
        Matrix[] blocks = new Matrix[l];
        for (int i = 0; i < l; i++) {
            Matrix x = trace.inputWithBias(i);
            squaredInputs[i] = MatOps.hadamard(x, x, null);
            blocks[i] = new Matrix(net.layer(i).outputs(), x.rows());
        }
        for (int k = 0; k < r; k++) {
            Backprop bp = net.backward(trace, CurvatureStatistics.factorColumn(factors, k, out.rows()), false);
            for (int i = 0; i < l; i++) {
                Matrix d = bp.error(i);
                MatOps.gemm(1.0 / examples, MatOps.hadamard(d, d, null), false, squaredInputs[i], true, 1, blocks[i]);
            }
        }
        return MatOps.concatenate(java.util.Arrays.asList(blocks));
    }

    /** H v, the Hessian of the mean batch loss times v (needs targets). */
    public ParamVector hessian(ParamVector v) {
        Matrix err = scaledOutputError();
        products++;
        int l = net.depth();
        Matrix[][] t = tangents(v);
        Matrix[] ra = t[0];
        Matrix[] rx = t[1];
        Backprop primal = net.backward(trace, err, false);
        Matrix[] hw = new Matrix[l];
        Matrix[] hb = new Matrix[l];
        Matrix g = err;                                     // g_i = ∂L/∂x_i, from the output down
        Matrix rg = outputFisher.apply(rx[l - 1]);          // R{g_L} = (1/M) ∇²ℓ R{x_L}
        MatOps.scaleInPlace(1.0 / examples, rg);
        for (int i = l - 1; i >= 0; i--) {
            Activation act = net.denseLayer(i).activation(); // dense layers only for now (named otherwise)
            Matrix delta = primal.error(i);
            Matrix rd = rDelta(act, i, g, rg, ra[i]);
            hw[i] = MatOps.gemm(1, rd, false, trace.input(i), true, 0, null);
            if (i > 0) {
                MatOps.gemm(1, delta, false, rx[i - 1], true, 1, hw[i]);
            }
            hb[i] = net.layer(i).hasBias() ? MatOps.rowSums(rd) : null;
            if (i > 0) {
                Matrix w = net.layer(i).weights();
                Matrix next = MatOps.gemm(1, v.weights(i), true, delta, false, 0, null);
                MatOps.gemm(1, w, true, rd, false, 1, next);
                rg = next;
                g = MatOps.gemm(1, w, true, delta, false, 0, null);
            }
        }
        return new ParamVector(hw, hb);
    }

    /** H v for a flat v of length P. */
    public double[] hessian(double[] v) {
        return hessian(flat(v)).toFlat();
    }

    /** The GGN as an operator on flat vectors. */
    public LinearOperator ggnOperator() {
        return LinearOperator.of("BatchCurvature", template.size(), this::ggn);
    }

    /** The loss Hessian as an operator on flat vectors (symmetric, indefinite in general; needs targets). */
    public LinearOperator hessianOperator() {
        requireTargets("BatchCurvature.hessianOperator");
        return LinearOperator.of("BatchCurvature", template.size(), this::hessian);
    }

    /** R{δ_i} = R{g_i} ⊙ φ'(a_i) + g_i ⊙ φ''(a_i) ⊙ R{a_i} (a new matrix). */
    private Matrix rDelta(Activation act, int layer, Matrix g, Matrix rg, Matrix ra) {
        if (act.isIdentity()) {
            return rg.copy();
        }
        double[] z = trace.preActivation(layer).data();
        double[] slope = slopes[layer];
        double[] gd = g.data();
        double[] rgd = rg.data();
        double[] rad = ra.data();
        Matrix out = new Matrix(rg.rows(), rg.cols());
        double[] od = out.data();
        for (int k = 0; k < od.length; k++) {
            od[k] = rgd[k] * slope[k] + gd[k] * act.secondDerivative(z[k]) * rad[k];
        }
        return out;
    }

    /**
     * The forward tangents along v: [0][i] = R{a_i} (n_i x M), [1][i] = R{x_i} (n_i x M, the same
     * matrix when φ_i is the identity).
     */
    private Matrix[][] tangents(ParamVector v) {
        if (!v.sameShapes(template)) {
            throw new IllegalArgumentException("BatchCurvature: direction " + v + " is not shaped like the network's "
                    + "parameters " + template);
        }
        int l = net.depth();
        Matrix[] ra = new Matrix[l];
        Matrix[] rx = new Matrix[l];
        Matrix prev = null;
        for (int i = 0; i < l; i++) {
            Matrix a = MatOps.gemm(1, v.weights(i), false, trace.input(i), false, 0, null);
            if (v.bias(i) != null) {
                double[] c = v.bias(i).data();
                double[] ad = a.data();
                int r = a.rows();
                for (int k = 0; k < ad.length; k++) {
                    ad[k] += c[k % r];
                }
            }
            if (prev != null) {
                MatOps.gemm(1, net.layer(i).weights(), false, prev, false, 1, a);
            }
            ra[i] = a;
            double[] slope = slopes[i];
            if (slope == null) {
                rx[i] = a;
            } else {
                Matrix x = new Matrix(a.rows(), a.cols());
                double[] xd = x.data();
                double[] ad = a.data();
                for (int k = 0; k < xd.length; k++) {
                    xd[k] = slope[k] * ad[k];
                }
                rx[i] = x;
            }
            prev = rx[i];
        }
        return new Matrix[][]{ra, rx};
    }

    private Matrix scaledOutputError() {
        requireTargets("BatchCurvature: the loss gradient and Hessian");
        return MatOps.scaleInPlace(1.0 / examples, likelihood.outputError(trace.output(), targets));
    }

    private void requireTargets(String who) {
        if (targets == null) {
            throw new IllegalArgumentException(who + " need targets; build with BatchCurvature.of(net, likelihood, batch)");
        }
    }

    private ParamVector flat(double[] v) {
        LinearOperator.requireLength("BatchCurvature", v, template.size());
        return template.withFlat(v);
    }

    /** F_out(f_m) applied to each column of an output-space matrix, per likelihood. */
    private interface OutputFisher {
        /** A new n_L x M matrix whose column m is F_out(f_m) u_m. */
        Matrix apply(Matrix u);

        static OutputFisher of(Likelihood likelihood, Matrix output) {
            int n = output.rows();
            if (likelihood instanceof Gaussian g) {
                if (g.isIsotropic()) {
                    double s = 1 / g.variance();
                    return u -> MatOps.scale(s, u, null);
                }
                Matrix precision = g.precision(n);
                return u -> MatOps.multiply(precision, u);
            }
            if (likelihood instanceof Categorical) {
                Matrix p = Categorical.softmax(output);
                double[] pd = p.data();
                return u -> {
                    Matrix out = new Matrix(n, u.cols());
                    double[] ud = u.data();
                    double[] od = out.data();
                    for (int j = 0; j < u.cols(); j++) {
                        int o = j * n;
                        double pu = 0;
                        for (int i = 0; i < n; i++) {
                            pu += pd[o + i] * ud[o + i];
                        }
                        for (int i = 0; i < n; i++) {
                            od[o + i] = pd[o + i] * (ud[o + i] - pu);
                        }
                    }
                    return out;
                };
            }
            if (likelihood instanceof Bernoulli) {
                double[] var = new double[output.size()];
                double[] f = output.data();
                for (int k = 0; k < var.length; k++) {
                    double s = Activation.sigmoid(f[k]);
                    var[k] = s * (1 - s);
                }
                return u -> {
                    Matrix out = u.copy();
                    double[] od = out.data();
                    for (int k = 0; k < od.length; k++) {
                        od[k] *= var[k];
                    }
                    return out;
                };
            }
            Matrix[] blocks = new Matrix[output.cols()];
            for (int j = 0; j < blocks.length; j++) {
                blocks[j] = likelihood.outputFisher(output, j);
            }
            return u -> {
                Matrix out = new Matrix(n, u.cols());
                for (int j = 0; j < u.cols(); j++) {
                    double[] col = MatOps.gemv(1, blocks[j], false, u.column(j), 0, null);
                    System.arraycopy(col, 0, out.data(), j * n, n);
                }
                return out;
            };
        }
    }
}
