package org.natgrad.bayes;

import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * Wake–sleep with a {@link RecognitionNet}, with or without local natural-gradient
 * preconditioning in both phases. This is OUR reconstruction of math.md §5.4 from the abstract
 * and keywords of Ay (2020), not the paper's verified algorithm. One step, with batch size B:
 * <ol>
 *   <li><b>Sleep samples:</b> draw B joint states (v, h) ~ p_θ by ancestral sampling.</li>
 *   <li><b>Wake:</b> draw v ~ p*_V and complete it with h ~ q_ξ(h|v), B times. Per generative
 *       unit r, g_r = (1/B) Σ_b (x_r − E[x_r|a_r]) x̄_pa(r) (the ascent direction of the
 *       completed-data log-likelihood). Update θ_r ← θ_r + η g_r, or, preconditioned,
 *       θ_r ← θ_r + η (G_r + εI)^-1 g_r with G_r the {@link WakeMetric} chosen: the model Fisher
 *       estimated from the sleep samples with the analytic weight Var(x_r|a_r), or the
 *       data-completed Fisher, the same weight averaged over the wake samples.</li>
 *   <li><b>Sleep:</b> per recognition unit, ascend (1/B) Σ_b log q_ξ(h^b | v^b) on the sleep
 *       samples: ξ_r ← ξ_r + η_q g^q_r, or preconditioned by (G^q_r + εI)^-1 with
 *       G^q_r = E_{p_θ(v) q_ξ(h|v)}[Var x̄ x̄ᵀ], estimated on the sleep samples' v completed by
 *       fresh h ~ q_ξ(h|v).</li>
 * </ol>
 * If q_ξ equals the exact posterior p_θ(h|v), the expected wake direction equals −∇L_V (check
 * A8; {@link #wakeGradientExact}). Cost per step is O(B · P), independent of 2^n.
 */
public final class WakeSleep implements LearningRule {

    /** Which metric preconditions the wake phase (math.md §5.4 leaves it open; both are offered). */
    public enum WakeMetric {
        /** G_r = E_{p_θ}[Var(x_r|a_r) x̄ x̄ᵀ], estimated from the sleep samples. */
        MODEL,
        /** G_r = E_{p*(v) q(h|v)}[Var(x_r|a_r) x̄ x̄ᵀ], estimated from the wake samples. */
        DATA_COMPLETED
    }

    /**
     * @param rate            generative step η
     * @param recognitionRate recognition step η_q
     * @param batch           samples per phase B
     * @param preconditioned  local natural gradient in both phases
     * @param wakeMetric      the wake metric when preconditioned
     * @param damping         ε added to every local block
     */
    public record Options(double rate, double recognitionRate, int batch, boolean preconditioned,
                          WakeMetric wakeMetric, double damping) {
        public Options {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("WakeSleep: rate must be finite and > 0, got " + rate);
            }
            if (!(recognitionRate > 0) || Double.isInfinite(recognitionRate)) {
                throw new IllegalArgumentException("WakeSleep: recognitionRate must be finite and > 0, got " + recognitionRate);
            }
            if (batch < 1) {
                throw new IllegalArgumentException("WakeSleep: batch must be >= 1, got " + batch);
            }
            if (wakeMetric == null) {
                throw new IllegalArgumentException("WakeSleep: wakeMetric must be given");
            }
            if (!(damping >= 0) || Double.isInfinite(damping)) {
                throw new IllegalArgumentException("WakeSleep: damping must be finite and >= 0, got " + damping);
            }
        }
    }

    private final Options options;
    private final RecognitionNet recognition;
    private final Rng rng;

    public WakeSleep(Options options, RecognitionNet recognition, Rng rng) {
        this.options = options;
        this.recognition = recognition;
        this.rng = rng;
    }

    public Options options() {
        return options;
    }

    public RecognitionNet recognition() {
        return recognition;
    }

    @Override
    public String name() {
        if (!options.preconditioned()) {
            return "wake-sleep";
        }
        return options.wakeMetric() == WakeMetric.MODEL ? "wake-sleep-ng" : "wake-sleep-ng-data";
    }

    @Override
    public void step(BayesNet net, VisibleTarget target) {
        Dag dag = net.dag();
        requireSame(dag);
        int b = options.batch();
        Matrix sleep = net.sample(b, rng);
        Matrix wake = completedSamples(dag, recognition, target, b, rng);
        int[] all = allUnits(dag.size());
        double[] g = RecognitionNet.meanLocalScore(dag, net.parametersView(), all, wake);
        if (options.preconditioned()) {
            LocalFisher gm = options.wakeMetric() == WakeMetric.MODEL
                    ? LocalFisher.fromSamples(dag, net.parametersView(), all, sleep)
                    : LocalFisher.fromSamples(dag, net.parametersView(), all, wake);
            g = gm.solve(g, options.damping());
        }
        // sleep phase on the samples drawn before the wake update (from the p_θ of this step)
        double[] gq = recognition.meanScore(sleep);
        if (options.preconditioned()) {
            Matrix recompleted = sleep.copy();
            double[] x = new double[dag.size()];
            for (int m = 0; m < b; m++) {
                System.arraycopy(recompleted.data(), m * dag.size(), x, 0, dag.size());
                recognition.sampleHidden(x, rng);
                System.arraycopy(x, 0, recompleted.data(), m * dag.size(), dag.size());
            }
            gq = recognition.localFisher(recompleted).solve(gq, options.damping());
        }
        net.addToParameters(options.rate(), g);
        recognition.addToParameters(options.recognitionRate(), gq);
    }

    private void requireSame(Dag dag) {
        Dag gen = recognition.generative();
        if (gen.size() != dag.size() || !java.util.Arrays.equals(gen.visibleView(), dag.visibleView())) {
            throw new IllegalArgumentException("WakeSleep: recognition model was built for " + gen + ", network is " + dag);
        }
    }

    private static int[] allUnits(int n) {
        int[] a = new int[n];
        for (int r = 0; r < n; r++) {
            a[r] = r;
        }
        return a;
    }

    /** B completed data vectors: v ~ p*_V, h ~ q(h|v); an n x B matrix of unit values. */
    public static Matrix completedSamples(Dag dag, RecognitionNet q, VisibleTarget target, int count, Rng rng) {
        int[] vis = dag.visibleView();
        if (target.units() != vis.length) {
            throw new IllegalArgumentException("WakeSleep: target is over " + target.units() + " visible units but the network has "
                    + vis.length);
        }
        int n = dag.size();
        Matrix out = new Matrix(n, count);
        double[] x = new double[n];
        for (int m = 0; m < count; m++) {
            int v = target.sample(rng);
            for (int j = 0; j < vis.length; j++) {
                x[vis[j]] = dag.type(vis[j]).value((v >>> j) & 1);
            }
            q.sampleHidden(x, rng);
            System.arraycopy(x, 0, out.data(), m * n, n);
        }
        return out;
    }

    /**
     * The wake-phase gradient of the loss, −E_{p*(v) q(h|v)}[s(x)], estimated from B completed
     * samples (length P). Equals ∇L_V in expectation when q is the exact posterior.
     */
    public static double[] wakeGradientSampled(BayesNet net, RecognitionNet q, VisibleTarget target, int count, Rng rng) {
        Matrix wake = completedSamples(net.dag(), q, target, count, rng);
        double[] g = RecognitionNet.meanLocalScore(net.dag(), net.parametersView(), allUnits(net.dag().size()), wake);
        for (int i = 0; i < g.length; i++) {
            g[i] = -g[i];
        }
        return g;
    }

    /** The wake-phase gradient of the loss, −E_{p*(v) q(h|v)}[s(x)], exactly by enumeration (length P). */
    public static double[] wakeGradientExact(BayesNet net, RecognitionNet q, VisibleTarget target) {
        Dag dag = net.dag();
        Enumeration e = Enumeration.of(net);
        double[] logq = q.logConditionalAll();
        double[] w = new double[e.stateCount()];
        for (int x = 0; x < w.length; x++) {
            double pv = target.probability(e.visibleConfig(x));
            if (pv > 0) {
                w[x] = pv * Math.exp(logq[x]);
            }
        }
        int[] all = allUnits(dag.size());
        double[][] m = FamilyTables.marginals(dag, all, w);
        double[] g = FamilyTables.expectedScore(dag, net.parametersView(), all, m);
        for (int i = 0; i < g.length; i++) {
            g[i] = -g[i];
        }
        return g;
    }
}
