package org.natgrad.bayes;

import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * A bottom-up recognition model q_ξ(h | v) for a generative {@link Dag} (math.md §5.4): a
 * directed network over the same units in which the visible units are roots without
 * parameters (they are conditioned on) and every hidden unit r has its own kernel
 * k(h_r | x_rpa(r); ξ_r) of the same {@link UnitType}, with recognition parents rpa(r).
 * q(h|v) = ∏_{r hidden} k(h_r | x_rpa(r); ξ_r).
 *
 * <p>Parameters use the layout of {@link #dag()} (a Dag over all n units); the blocks of the
 * visible units exist there but are never read and stay zero.
 */
public final class RecognitionNet {
    private final Dag generative;
    private final Dag dag;
    private final BayesNet params;
    private final int[] hiddenOrder;

    /**
     * @param generative    the generative structure (gives the unit types and the visible set)
     * @param recParents    recParents[r] = recognition parents of hidden unit r; must be empty or
     *                      null for visible units; the recognition graph must be acyclic
     */
    public RecognitionNet(Dag generative, int[][] recParents) {
        this.generative = generative;
        int n = generative.size();
        if (recParents.length != n) {
            throw new IllegalArgumentException("RecognitionNet: expected " + n + " parent sets, got " + recParents.length);
        }
        int[][] pa = new int[n][];
        for (int r = 0; r < n; r++) {
            pa[r] = recParents[r] == null ? new int[0] : recParents[r];
            if (generative.isVisible(r) && pa[r].length > 0) {
                throw new IllegalArgumentException("RecognitionNet: visible unit " + r
                        + " is conditioned on and cannot have recognition parents");
            }
        }
        UnitType[] types = new UnitType[n];
        for (int r = 0; r < n; r++) {
            types[r] = generative.type(r);
        }
        try {
            this.dag = new Dag(types, pa, generative.visible());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RecognitionNet: " + e.getMessage(), e);
        }
        this.params = new BayesNet(dag);
        int[] order = dag.orderView();
        this.hiddenOrder = new int[n - generative.visibleView().length];
        int k = 0;
        for (int r : order) {
            if (!generative.isVisible(r)) {
                hiddenOrder[k++] = r;
            }
        }
    }

    /**
     * The recognition network with the generative edges reversed: the recognition parents of a
     * hidden unit are its generative children.
     */
    public static RecognitionNet reversed(Dag generative) {
        int n = generative.size();
        int[][] pa = new int[n][];
        for (int r = 0; r < n; r++) {
            pa[r] = generative.isVisible(r) ? new int[0] : generative.children(r);
        }
        return new RecognitionNet(generative, pa);
    }

    /** The recognition structure (all n units; visible units are parameter-free roots). */
    public Dag dag() {
        return dag;
    }

    public Dag generative() {
        return generative;
    }

    /** Hidden units in the order they are sampled (a topological order of the recognition graph). */
    public int[] hiddenOrder() {
        return hiddenOrder.clone();
    }

    /** The parameter vector ξ (a copy), in the layout of {@link #dag()}. */
    public double[] parameters() {
        return params.parameters();
    }

    double[] parametersView() {
        return params.parametersView();
    }

    /** Replaces ξ (copied); visible units' blocks must be zero. */
    public void setParameters(double[] xi) {
        for (int r : dag.visibleView()) {
            for (int i = 0; i < dag.blockSize(r); i++) {
                if (xi.length == dag.parameterCount() && xi[dag.offset(r) + i] != 0) {
                    throw new IllegalArgumentException("RecognitionNet.setParameters: visible unit " + r
                            + " has no recognition kernel; its block must be zero");
                }
            }
        }
        params.setParameters(xi);
    }

    /** Adds step · delta to ξ (visible blocks of delta must be zero; they are ignored). */
    public void addToParameters(double step, double[] delta) {
        double[] d = delta.clone();
        for (int r : dag.visibleView()) {
            for (int i = 0; i < dag.blockSize(r); i++) {
                d[dag.offset(r) + i] = 0;
            }
        }
        params.addToParameters(step, d);
    }

    /** Fills the hidden entries of x (length n; visible entries already set) with h ~ q(h | v). */
    public void sampleHidden(double[] x, Rng rng) {
        for (int r : hiddenOrder) {
            UnitType t = dag.type(r);
            x[r] = t.value(rng.nextDouble() < t.probOn(params.preActivation(r, x)) ? 1 : 0);
        }
    }

    /** log q(h | v) for unit values x = (v, h). */
    public double logConditional(double[] x) {
        double s = 0;
        for (int r : hiddenOrder) {
            UnitType t = dag.type(r);
            s += t.logProb(t.bit(x[r]), params.preActivation(r, x));
        }
        return s;
    }

    /** log q(h | v) for every joint state of n ≤ {@value Enumeration#MAX_UNITS} units. */
    public double[] logConditionalAll() {
        Enumeration.requireEnumerable(dag, "RecognitionNet.logConditionalAll");
        return FamilyTables.logKernelSum(dag, params.parametersView(), hiddenOrder);
    }

    /**
     * Mean recognition score (1/M) Σ_m ∂ log q(h^m | v^m)/∂ξ over the columns of {@code samples}
     * (n x M unit values): the sleep-phase ascent direction. Length = ξ's length.
     */
    public double[] meanScore(Matrix samples) {
        return meanLocalScore(dag, params.parametersView(), hiddenOrder, samples);
    }

    /** Recognition Fisher blocks G^q_r = (1/M) Σ_m Var(h_r | a) x̄ x̄ᵀ over the columns of samples. */
    public LocalFisher localFisher(Matrix samples) {
        return LocalFisher.fromSamples(dag, params.parametersView(), hiddenOrder, samples);
    }

    /**
     * (1/M) Σ_m (x_r − E[x_r|a_r]) x̄_pa for r in units, over the columns of samples; length P of dag.
     */
    static double[] meanLocalScore(Dag dag, double[] theta, int[] units, Matrix samples) {
        int n = dag.size();
        if (samples.rows() != n) {
            throw new IllegalArgumentException("mean score: samples must be " + n + " x M, got " + samples.shape());
        }
        double[] g = new double[dag.parameterCount()];
        double[] d = samples.data();
        int count = samples.cols();
        for (int m = 0; m < count; m++) {
            int base = m * n;
            for (int r : units) {
                int off = dag.offset(r);
                int[] pa = dag.parentsView(r);
                double a = theta[off];
                for (int j = 0; j < pa.length; j++) {
                    a += theta[off + 1 + j] * d[base + pa[j]];
                }
                double e = (d[base + r] - dag.type(r).mean(a)) / count;
                g[off] += e;
                for (int j = 0; j < pa.length; j++) {
                    g[off + 1 + j] += e * d[base + pa[j]];
                }
            }
        }
        return g;
    }
}
