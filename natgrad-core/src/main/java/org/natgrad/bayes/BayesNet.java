package org.natgrad.bayes;

import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * A directed network of stochastic units with parameters: the joint distribution
 * p_θ(x) = ∏_r k^r(x_r | x_pa(r); θ_r), with a_r = θ_r0 + Σ_j θ_rj x_pa(r)_j and the kernel of
 * the unit's {@link UnitType}. Structure is a {@link Dag}; parameters are one flat vector of
 * length P in the Dag's block layout. Parameters are mutable (learning rules update them in
 * place through {@link #parameters()} views or {@link #setParameters}); they must stay finite.
 */
public final class BayesNet {
    private final Dag dag;
    private final double[] theta;

    /** A network with all parameters zero (every unit a fair coin). */
    public BayesNet(Dag dag) {
        this.dag = dag;
        this.theta = new double[dag.parameterCount()];
    }

    /** A network with the given parameters (copied; length P, finite). */
    public BayesNet(Dag dag, double[] theta) {
        this(dag);
        setParameters(theta);
    }

    /** Parameters drawn i.i.d. N(0, scale²). */
    public static BayesNet random(Dag dag, double scale, Rng rng) {
        BayesNet net = new BayesNet(dag);
        for (int i = 0; i < net.theta.length; i++) {
            net.theta[i] = scale * rng.nextGaussian();
        }
        return net;
    }

    public Dag dag() {
        return dag;
    }

    /** The parameter vector (a copy), length P. */
    public double[] parameters() {
        return theta.clone();
    }

    /** The live parameter vector (not a copy); callers that write it must keep it finite. */
    double[] parametersView() {
        return theta;
    }

    /** Replaces the parameters (copied). */
    public void setParameters(double[] values) {
        if (values.length != theta.length) {
            throw new IllegalArgumentException("BayesNet.setParameters: expected " + theta.length
                    + " parameters for " + dag + ", got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("BayesNet.setParameters: parameter " + i + " is " + values[i]);
            }
        }
        System.arraycopy(values, 0, theta, 0, theta.length);
    }

    /** Adds {@code step · delta} to the parameters; refuses a non-finite result (nothing changed then). */
    public void addToParameters(double step, double[] delta) {
        if (delta.length != theta.length) {
            throw new IllegalArgumentException("BayesNet.addToParameters: expected " + theta.length + " entries, got " + delta.length);
        }
        double[] next = theta.clone();
        for (int i = 0; i < next.length; i++) {
            next[i] += step * delta[i];
        }
        setParameters(next);
    }

    /** Pre-activation a_r for unit values x (length ≥ n; only the parents are read). */
    public double preActivation(int r, double[] x) {
        int off = dag.offset(r);
        double a = theta[off];
        int[] pa = dag.parentsView(r);
        for (int j = 0; j < pa.length; j++) {
            a += theta[off + 1 + j] * x[pa[j]];
        }
        return a;
    }

    /** log p_θ(x) for unit values x (length n, each in its unit's state space). */
    public double logJoint(double[] x) {
        double s = 0;
        for (int r = 0; r < dag.size(); r++) {
            UnitType t = dag.type(r);
            s += t.logProb(t.bit(x[r]), preActivation(r, x));
        }
        return s;
    }

    /**
     * The full-system score s(x) = ∂ log p_θ(x) / ∂θ, length P: block r is
     * (x_r − E[x_r | a_r]) [1; x_pa(r)].
     */
    public double[] score(double[] x) {
        double[] s = new double[theta.length];
        for (int r = 0; r < dag.size(); r++) {
            double e = x[r] - dag.type(r).mean(preActivation(r, x));
            int off = dag.offset(r);
            s[off] = e;
            int[] pa = dag.parentsView(r);
            for (int j = 0; j < pa.length; j++) {
                s[off + 1 + j] = e * x[pa[j]];
            }
        }
        return s;
    }

    /** Draws one joint state by ancestral sampling into x (length n), in topological order. */
    public void sampleInto(double[] x, Rng rng) {
        for (int r : dag.orderView()) {
            UnitType t = dag.type(r);
            x[r] = t.value(rng.nextDouble() < t.probOn(preActivation(r, x)) ? 1 : 0);
        }
    }

    /** M ancestral samples as the columns of an n x M matrix of unit values. */
    public Matrix sample(int count, Rng rng) {
        if (count < 1) {
            throw new IllegalArgumentException("BayesNet.sample: count must be >= 1, got " + count);
        }
        int n = dag.size();
        Matrix out = new Matrix(n, count);
        double[] x = new double[n];
        double[] data = out.data();
        for (int m = 0; m < count; m++) {
            sampleInto(x, rng);
            System.arraycopy(x, 0, data, m * n, n);
        }
        return out;
    }

    /** A copy with the same structure and parameters. */
    public BayesNet copy() {
        return new BayesNet(dag, theta);
    }

    @Override
    public String toString() {
        return "BayesNet" + dag.toString().substring(3);
    }
}
