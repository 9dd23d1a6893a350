package org.natgrad.estimate;

import org.natgrad.curvature.DenseFisher;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;

/**
 * First and second derivatives of the network output h = x_L(x; θ) (length d = n_L) with
 * respect to the parameters θ (length P, {@link org.natgrad.nn.ParamVector}'s flat order), at one
 * input x:
 * <ul>
 *   <li>the Jacobian J = ∂h/∂θ, d x P (column a is j_a of math.md §3.1);</li>
 *   <li>the per-output Hessians ∇²h_γ, P x P for γ = 1..d, exact (no finite differences).</li>
 * </ul>
 * The Hessians come from Pearlmutter's R-operator applied to backpropagation (forward-over-reverse):
 * for each direction v = e_a, the forward pass is differentiated along v (R{a_i}, R{x_i}) and then
 * the backward pass of g = e_γ^T h is differentiated too, using φ'' from
 * {@link Activation#secondDerivative}; column a of ∇²h_γ is R{∇g}. Cost is O(d P²) time and
 * d P² doubles, so this is for small networks ({@link #MAX_ENTRIES}).
 */
public final class OutputDerivatives {
    /** Largest d·P² accepted for the Hessians (400 MB of doubles). */
    public static final long MAX_ENTRIES = 50_000_000L;

    private final double[] output;
    private final Matrix jacobian;
    private final Matrix[] hessians;

    private OutputDerivatives(double[] output, Matrix jacobian, Matrix[] hessians) {
        this.output = output;
        this.jacobian = jacobian;
        this.hessians = hessians;
    }

    /** Jacobian only (no Hessians), at input x (length n_0). */
    public static OutputDerivatives firstOrder(Network net, double[] x) {
        return new OutputDerivatives(forwardOutput(net, x), jacobian(net, x), null);
    }

    /** Jacobian and all d output Hessians at input x (length n_0). */
    public static OutputDerivatives secondOrder(Network net, double[] x) {
        int p = net.parameterCount();
        int d = net.outputSize();
        if ((long) d * p * p > MAX_ENTRIES) {
            throw new IllegalArgumentException("OutputDerivatives: " + d + " output Hessians of size " + p + " x " + p
                    + " exceed " + MAX_ENTRIES + " entries; use the per-layer trace forms (LayerVariance) instead");
        }
        return new OutputDerivatives(forwardOutput(net, x), jacobian(net, x), hessians(net, x));
    }

    /** h = x_L at the input (length d; a copy). */
    public double[] output() {
        return output.clone();
    }

    /** J = ∂h/∂θ, d x P (not a copy). */
    public Matrix jacobian() {
        return jacobian;
    }

    /** True if the Hessians were computed. */
    public boolean hasHessians() {
        return hessians != null;
    }

    /** ∇²h_γ, P x P (not a copy). */
    public Matrix hessian(int gamma) {
        if (hessians == null) {
            throw new IllegalStateException("OutputDerivatives: Hessians were not computed (use secondOrder)");
        }
        return hessians[gamma];
    }

    /** Output dimension d. */
    public int outputs() {
        return output.length;
    }

    /** Parameter count P. */
    public int parameters() {
        return jacobian.cols();
    }

    private static double[] forwardOutput(Network net, double[] x) {
        checkInput(net, x);
        return net.predict(new Matrix(x.length, 1, x.clone())).data().clone();
    }

    private static void checkInput(Network net, double[] x) {
        if (x.length != net.inputSize()) {
            throw new IllegalArgumentException("OutputDerivatives: input has length " + x.length + " but the network takes "
                    + net.inputSize());
        }
    }

    /** J (d x P): backpropagates the d unit vectors through d copies of x. */
    public static Matrix jacobian(Network net, double[] x) {
        checkInput(net, x);
        int d = net.outputSize();
        Matrix xs = new Matrix(x.length, d);
        for (int c = 0; c < d; c++) {
            System.arraycopy(x, 0, xs.data(), c * x.length, x.length);
        }
        Trace t = net.forward(xs);
        Backprop bp = net.backward(t, Matrix.identity(d), false);
        return DenseFisher.perExampleGradients(t, bp).transpose();
    }

    /** The d exact Hessians ∇²h_γ (P x P) at x, by the R-operator. */
    static Matrix[] hessians(Network net, double[] x) {
        int layers = net.depth();
        int p = net.parameterCount();
        int d = net.outputSize();
        ExampleForward f = ExampleForward.of(net, x, "OutputDerivatives");
        double[][] in = f.inputsWithBias(); // the first n_{i-1} entries are x_{i-1}
        double[][] d1 = f.firstDerivs();
        double[][] d2 = f.secondDerivs();
        int[] offset = new int[layers];
        for (int i = 1; i < layers; i++) {
            offset[i] = offset[i - 1] + net.layer(i - 1).parameterCount();
        }
        // R-forward for every direction e_q: ra[i][q] (n_i), rx[i][q] (n_i) for layer outputs
        double[][][] ra = new double[layers][p][];
        double[][][] rx = new double[layers][p][];
        for (int q = 0; q < p; q++) {
            double[] rprev = null; // R{x_{i-1}}, null = 0
            for (int i = 0; i < layers; i++) {
                Dense l = net.denseLayer(i);
                int no = l.outputs();
                int ni = l.inputs();
                double[] w = l.weights().data();
                double[] r = new double[no];
                if (rprev != null) {
                    for (int c = 0; c < ni; c++) {
                        double v = rprev[c];
                        if (v != 0) {
                            for (int k = 0; k < no; k++) {
                                r[k] += w[k + c * no] * v;
                            }
                        }
                    }
                }
                int local = q - offset[i];
                if (local >= 0 && local < l.parameterCount()) {
                    int nw = no * ni;
                    if (local < nw) {
                        r[local % no] += in[i][local / no];
                    } else {
                        r[local - nw] += 1;
                    }
                }
                double[] rxi = new double[no];
                boolean any = false;
                for (int k = 0; k < no; k++) {
                    rxi[k] = d1[i][k] * r[k];
                    any |= rxi[k] != 0 || r[k] != 0;
                }
                ra[i][q] = r;
                rx[i][q] = rxi;
                rprev = any ? rxi : null;
            }
        }
        Matrix[] hs = new Matrix[d];
        for (int gamma = 0; gamma < d; gamma++) {
            // backward of g = h_gamma: delta[i] = ∂g/∂a_i
            double[][] delta = new double[layers][];
            double[][] up = new double[layers][]; // W_{i+1}^T δ_{i+1} = ∂g/∂x_i (for i < L-1); e_γ at the top
            double[] top = new double[d];
            top[gamma] = 1;
            up[layers - 1] = top;
            for (int i = layers - 1; i >= 0; i--) {
                int no = net.layer(i).outputs();
                double[] di = new double[no];
                for (int k = 0; k < no; k++) {
                    di[k] = d1[i][k] * up[i][k];
                }
                delta[i] = di;
                if (i > 0) {
                    up[i - 1] = transposeTimes(net.denseLayer(i), di);
                }
            }
            Matrix h = new Matrix(p, p);
            double[] hd = h.data();
            for (int q = 0; q < p; q++) {
                // R-backward along direction q
                int col = q * p;
                double[] rdelta = new double[net.layer(layers - 1).outputs()];
                for (int k = 0; k < rdelta.length; k++) {
                    rdelta[k] = d2[layers - 1][k] * ra[layers - 1][q][k] * up[layers - 1][k];
                }
                for (int i = layers - 1; i >= 0; i--) {
                    Dense l = net.denseLayer(i);
                    int no = l.outputs();
                    int ni = l.inputs();
                    double[] rxPrev = i > 0 ? rx[i - 1][q] : null;
                    int base = col + offset[i];
                    for (int c = 0; c < ni; c++) {
                        double xc = in[i][c];
                        double rxc = rxPrev == null ? 0 : rxPrev[c];
                        for (int k = 0; k < no; k++) {
                            hd[base + k + c * no] = rdelta[k] * xc + delta[i][k] * rxc;
                        }
                    }
                    if (l.hasBias()) {
                        System.arraycopy(rdelta, 0, hd, base + no * ni, no);
                    }
                    if (i > 0) {
                        // R{δ_{i-1}} = φ''∘R{a}∘(W^T δ) + φ'∘(dW^T δ + W^T R{δ})
                        double[] wtr = transposeTimes(l, rdelta);
                        int local = q - offset[i];
                        if (local >= 0 && local < no * ni) {
                            wtr[local / no] += delta[i][local % no];
                        }
                        int np = ni;
                        double[] next = new double[np];
                        for (int k = 0; k < np; k++) {
                            next[k] = d2[i - 1][k] * ra[i - 1][q][k] * up[i - 1][k] + d1[i - 1][k] * wtr[k];
                        }
                        rdelta = next;
                    }
                }
            }
            // symmetrise away rounding differences between the two orders of differentiation
            for (int c = 0; c < p; c++) {
                for (int r = c + 1; r < p; r++) {
                    double m = 0.5 * (hd[r + c * p] + hd[c + r * p]);
                    hd[r + c * p] = m;
                    hd[c + r * p] = m;
                }
            }
            hs[gamma] = h;
        }
        return hs;
    }

    private static double[] transposeTimes(Dense l, double[] v) {
        int no = l.outputs();
        int ni = l.inputs();
        double[] w = l.weights().data();
        double[] out = new double[ni];
        for (int c = 0; c < ni; c++) {
            double s = 0;
            for (int k = 0; k < no; k++) {
                s += w[k + c * no] * v[k];
            }
            out[c] = s;
        }
        return out;
    }
}
