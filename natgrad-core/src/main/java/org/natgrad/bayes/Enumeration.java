package org.natgrad.bayes;

import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.MatOps;

/**
 * Exact computations on a {@link BayesNet} by enumerating all 2^n joint states, for
 * n ≤ {@link #MAX_UNITS} units, at the parameters the network had when {@link #of} was called
 * (later changes to the network are not seen). Probabilities are kept as logarithms; marginals
 * use log-sum-exp, so states of probability underflowing to 0 give −∞ logs and zero weights,
 * never NaN.
 *
 * <p>What it computes (math.md §5.2–5.3), with s(x) = ∂ log p(x)/∂θ (length P):
 * <ul>
 *   <li>log p(x), log p_V(v), log p(h|v);</li>
 *   <li>the full-system Fisher G = E_p[s sᵀ] densely ({@link #fullFisher()}) and through its
 *       local blocks G_r = E[Var(x_r|a_r) x̄_pa x̄_paᵀ] ({@link #localFisher()});</li>
 *   <li>the visible scores s̄(v) = E_{p(h|v)} s (Fisher identity), the visible Fisher
 *       G_V = E_{p_V}[s̄ s̄ᵀ] and the missing information E_{p_V} Cov_{p(h|v)}(s);</li>
 *   <li>for a target p*_V: KL(p*_V ‖ p_V) and its gradient −E_{p*(v) p(h|v)}[s].</li>
 * </ul>
 */
public final class Enumeration {
    /** Largest number of units enumerated (2^20 joint states). */
    public static final int MAX_UNITS = 20;

    private final Dag dag;
    private final double[] theta;
    private final int n;
    private final int[] visible;
    private final int[] allUnits;
    private final double[] logp;
    private final int[] configOf;
    private final double[] logpV;

    private Enumeration(BayesNet net) {
        this.dag = net.dag();
        requireEnumerable(dag, "Enumeration");
        this.theta = net.parameters();
        this.n = dag.size();
        this.visible = dag.visibleView();
        this.allUnits = new int[n];
        for (int r = 0; r < n; r++) {
            allUnits[r] = r;
        }
        int states = 1 << n;
        this.logp = FamilyTables.logKernelSum(dag, theta, allUnits);
        this.configOf = new int[states];
        for (int x = 0; x < states; x++) {
            int v = 0;
            for (int j = 0; j < visible.length; j++) {
                v |= ((x >>> visible[j]) & 1) << j;
            }
            configOf[x] = v;
        }
        this.logpV = logSumExpBy(logp, configOf, 1 << visible.length);
    }

    /** Enumerates {@code net} at its current parameters. */
    public static Enumeration of(BayesNet net) {
        return new Enumeration(net);
    }

    /** Throws an IllegalArgumentException naming the size when the Dag has more than MAX_UNITS units. */
    public static void requireEnumerable(Dag dag, String what) {
        if (dag.size() > MAX_UNITS) {
            throw new IllegalArgumentException(what + ": exact enumeration of " + dag.size() + " units needs 2^" + dag.size()
                    + " joint states; the limit is " + MAX_UNITS + " units (2^" + MAX_UNITS
                    + " states); use the sampling estimates for larger networks");
        }
    }

    /** out[c] = log Σ_{x: key[x] = c} exp(logw[x]), with −∞ for empty or all-zero groups. */
    static double[] logSumExpBy(double[] logw, int[] key, int groups) {
        double[] max = new double[groups];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int x = 0; x < logw.length; x++) {
            if (logw[x] > max[key[x]]) {
                max[key[x]] = logw[x];
            }
        }
        double[] sum = new double[groups];
        for (int x = 0; x < logw.length; x++) {
            double m = max[key[x]];
            if (m != Double.NEGATIVE_INFINITY) {
                sum[key[x]] += Math.exp(logw[x] - m);
            }
        }
        double[] out = new double[groups];
        for (int c = 0; c < groups; c++) {
            out[c] = max[c] == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : max[c] + Math.log(sum[c]);
        }
        return out;
    }

    public Dag dag() {
        return dag;
    }

    /** Number of joint states 2^n. */
    public int stateCount() {
        return logp.length;
    }

    /** Number of visible configurations 2^|V|. */
    public int configCount() {
        return logpV.length;
    }

    /** The visible configuration of joint state x. */
    public int visibleConfig(int x) {
        return configOf[x];
    }

    /** Unit values of joint state x (length n). */
    public double[] values(int x) {
        double[] v = new double[n];
        for (int r = 0; r < n; r++) {
            v[r] = dag.type(r).value((x >>> r) & 1);
        }
        return v;
    }

    /** log p(x) for joint state x. */
    public double logJoint(int x) {
        return logp[x];
    }

    /** log p(x) for every joint state (a copy). */
    public double[] logJoint() {
        return logp.clone();
    }

    /** p(x) for every joint state. */
    public double[] joint() {
        return exp(logp);
    }

    /** log p_V(v) for every visible configuration (a copy). */
    public double[] logVisible() {
        return logpV.clone();
    }

    /** p_V(v) for every visible configuration. */
    public double[] visible() {
        return exp(logpV);
    }

    /** exp of each entry, a new array. */
    private static double[] exp(double[] logs) {
        double[] p = new double[logs.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp(logs[k]);
        }
        return p;
    }

    /** log p(h | v) for joint state x = (v, h). */
    public double logPosterior(int x) {
        return logp[x] - logpV[configOf[x]];
    }

    /** KL(p*_V ‖ p_V) in nats; configurations with p*(v) = 0 contribute 0. */
    public double kl(VisibleTarget target) {
        requireTarget(target);
        double s = 0;
        for (int v = 0; v < logpV.length; v++) {
            double q = target.probability(v);
            if (q > 0) {
                s += q * (Math.log(q) - logpV[v]);
            }
        }
        return Math.max(s, 0);
    }

    private void requireTarget(VisibleTarget target) {
        if (target.units() != visible.length) {
            throw new IllegalArgumentException("target is over " + target.units() + " visible units but the network has "
                    + visible.length);
        }
    }

    /** Weights of the completed data distribution p*(v) p(h|v) over joint states. */
    public double[] completedWeights(VisibleTarget target) {
        requireTarget(target);
        double[] w = new double[logp.length];
        for (int x = 0; x < w.length; x++) {
            double q = target.probability(configOf[x]);
            if (q > 0) {
                w[x] = q * Math.exp(logp[x] - logpV[configOf[x]]);
            }
        }
        return w;
    }

    /**
     * ∇_θ KL(p*_V ‖ p_V) = −E_{p*(v) p(h|v)}[s(x)], length P, computed from family marginals of
     * the completed data distribution (the exact-posterior "wake" statistics).
     */
    public double[] visibleGradient(VisibleTarget target) {
        double[][] m = FamilyTables.marginals(dag, allUnits, completedWeights(target));
        double[] g = FamilyTables.expectedScore(dag, theta, allUnits, m);
        for (int i = 0; i < g.length; i++) {
            g[i] = -g[i];
        }
        return g;
    }

    /** The full-system Fisher metric through its local blocks G_r (exact, from the parents' marginals). */
    public LocalFisher localFisher() {
        double[][] m = FamilyTables.marginals(dag, allUnits, joint());
        return new LocalFisher(dag, FamilyTables.fisherBlocks(dag, theta, allUnits, m));
    }

    /**
     * The data-completed local metric: G_r = E_{p*(v) p(h|v)}[Var(x_r|a_r) x̄_pa x̄_paᵀ], the
     * local Fisher blocks with the parents distributed as in the completed data (an option of
     * the wake phase, math.md §5.4).
     */
    public LocalFisher dataCompletedFisher(VisibleTarget target) {
        double[][] m = FamilyTables.marginals(dag, allUnits, completedWeights(target));
        return new LocalFisher(dag, FamilyTables.fisherBlocks(dag, theta, allUnits, m));
    }

    /** The score s(x) of every joint state as the columns of a P x 2^n matrix (direct formula). */
    public Matrix scores() {
        Matrix s = new Matrix(dag.parameterCount(), logp.length);
        fillScores(0, logp.length, s.data());
        return s;
    }

    /** Writes s(x) for states [from, from + count) as consecutive columns of length P into out. */
    private void fillScores(int from, int count, double[] out) {
        int p = dag.parameterCount();
        double[] x = new double[n];
        for (int c = 0; c < count; c++) {
            int st = from + c;
            for (int r = 0; r < n; r++) {
                x[r] = dag.type(r).value((st >>> r) & 1);
            }
            int base = c * p;
            for (int r = 0; r < n; r++) {
                int off = dag.offset(r);
                int[] pa = dag.parentsView(r);
                double a = theta[off];
                for (int j = 0; j < pa.length; j++) {
                    a += theta[off + 1 + j] * x[pa[j]];
                }
                double e = x[r] - dag.type(r).mean(a);
                out[base + off] = e;
                for (int j = 0; j < pa.length; j++) {
                    out[base + off + 1 + j] = e * x[pa[j]];
                }
            }
        }
    }

    private static final int CHUNK = 2048;

    /** What to do with the scores of one chunk of joint states. */
    @FunctionalInterface
    private interface ScoreChunk {
        /** @param scores s(x) for states from..from+count-1, consecutive columns of length P (count of them) */
        void accept(int from, int count, double[] scores);
    }

    /** Runs {@code body} over all joint states in chunks of {@link #CHUNK}, each with its scores filled in. */
    private void forEachScoreChunk(ScoreChunk body) {
        int p = dag.parameterCount();
        int states = logp.length;
        double[] buf = new double[p * Math.min(CHUNK, states)];
        for (int from = 0; from < states; from += CHUNK) {
            int count = Math.min(CHUNK, states - from);
            fillScores(from, count, buf);
            body.accept(from, count, buf);
        }
    }

    /**
     * Σ_x p(x) (s(x) − c(v(x))) (s(x) − c(v(x)))ᵀ, P x P, accumulated over chunks of states with
     * a symmetric rank-k update; c = null means no centring.
     */
    private Matrix scoreGram(Matrix centre) {
        int p = dag.parameterCount();
        Matrix g = new Matrix(p, p);
        forEachScoreChunk((from, count, buf) -> {
            for (int c = 0; c < count; c++) {
                int x = from + c;
                double f = Math.exp(0.5 * logp[x]);
                int base = c * p;
                int cb = centre == null ? -1 : configOf[x] * p;
                for (int i = 0; i < p; i++) {
                    double v = centre == null ? buf[base + i] : buf[base + i] - centre.data()[cb + i];
                    buf[base + i] = f * v;
                }
            }
            Matrix chunk = new Matrix(p, count, count * p == buf.length ? buf : java.util.Arrays.copyOf(buf, count * p));
            MatOps.syrk(1.0, chunk, false, 1.0, g);
        });
        return MatOps.symmetrizeInPlace(g);
    }

    /** G = Σ_x p(x) s(x) s(x)ᵀ, P x P, from the explicit scores (no locality assumed). */
    public Matrix fullFisher() {
        return scoreGram(null);
    }

    private static Matrix weightedGram(Matrix cols, double[] w) {
        Matrix scaled = cols.copy();
        int p = cols.rows();
        double[] d = scaled.data();
        for (int c = 0; c < w.length; c++) {
            double f = Math.sqrt(w[c]);
            for (int i = 0; i < p; i++) {
                d[c * p + i] *= f;
            }
        }
        Matrix g = MatOps.syrk(1.0, scaled, false, 0.0, null);
        return MatOps.symmetrizeInPlace(g);
    }

    /**
     * The visible scores s̄(v) = E_{p(h|v)}[s(v, h)] as the columns of a P x 2^|V| matrix. By the
     * Fisher identity s̄(v) = ∂ log p_V(v)/∂θ.
     */
    public Matrix visibleScores() {
        int p = dag.parameterCount();
        Matrix out = new Matrix(p, logpV.length);
        double[] od = out.data();
        forEachScoreChunk((from, count, buf) -> {
            for (int c = 0; c < count; c++) {
                int x = from + c;
                double w = Math.exp(logPosterior(x));
                if (w == 0) {
                    continue;
                }
                int base = configOf[x] * p;
                for (int i = 0; i < p; i++) {
                    od[base + i] += w * buf[c * p + i];
                }
            }
        });
        return out;
    }

    /** G_V = Σ_v p_V(v) s̄(v) s̄(v)ᵀ, P x P. */
    public Matrix visibleFisher() {
        return weightedGram(visibleScores(), visible());
    }

    /** E_{p_V} Cov_{p(h|v)}(s) = Σ_x p(x) (s(x) − s̄(v)) (s(x) − s̄(v))ᵀ, P x P, computed directly. */
    public Matrix expectedPosteriorCovariance() {
        return scoreGram(visibleScores());
    }
}
