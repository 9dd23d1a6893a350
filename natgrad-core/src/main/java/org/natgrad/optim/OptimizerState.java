package org.natgrad.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.natgrad.linalg.Matrix;

/**
 * The resumable state of a {@link NaturalGradient} optimizer: with the weights, enough to continue
 * a run bit-for-bit. Convertible to and from a {@code Map<String, double[]>} (keys prefixed
 * {@code opt_}) so it can be stored as extra arrays of a model {@code .npz}:
 * <ul>
 *   <li>{@code opt_damping} [λ], {@code opt_step} [steps taken], {@code opt_rejected} [rejected steps];</li>
 *   <li>{@code opt_rng}: the 6 words of {@link org.natgrad.random.Rng#state()} as 12 doubles, each the
 *       unsigned high or low 32 bits of a word (exact in a double);</li>
 *   <li>only when factors are cached between refreshes (refreshEvery &gt; 1):
 *       {@code opt_cache_step} [step at which they were computed], {@code opt_cache_shapes}
 *       [L, rows, cols of U_1, rows, cols of E_1, ...] and {@code opt_cache_lambda_i},
 *       {@code opt_cache_lambdatilde_i} (i = 0..L-1, column-major samples U_i and E_i of
 *       {@link org.natgrad.curvature.KroneckerFactors}). Their decompositions are recomputed on
 *       restore, deterministically.</li>
 * </ul>
 *
 * @param damping          λ
 * @param steps            steps taken (accepted and rejected)
 * @param rngState         the optimizer's {@link org.natgrad.random.Rng} state (6 words)
 * @param rejectedSteps    rejected steps so far
 * @param cacheStep        step at which the cached factors were computed, or -1 if none
 * @param cachedInputs     cached U_i per layer, or null
 * @param cachedErrors     cached E_i per layer, or null
 */
public record OptimizerState(double damping, long steps, long[] rngState, long rejectedSteps, long cacheStep,
                             Matrix[] cachedInputs, Matrix[] cachedErrors) {

    public OptimizerState {
        if (rngState == null || rngState.length != 6) {
            throw new IllegalArgumentException("OptimizerState: rng state must have 6 words");
        }
        if ((cachedInputs == null) != (cachedErrors == null)
                || (cachedInputs != null && cachedInputs.length != cachedErrors.length)) {
            throw new IllegalArgumentException("OptimizerState: cached inputs and errors must both be present with one "
                    + "matrix per layer, or both absent");
        }
        rngState = rngState.clone();
    }

    /** The state as named arrays (see the class comment for the keys). */
    public Map<String, double[]> toMap() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("opt_damping", new double[] {damping});
        m.put("opt_step", new double[] {steps});
        m.put("opt_rejected", new double[] {rejectedSteps});
        double[] rng = new double[12];
        for (int i = 0; i < 6; i++) {
            rng[2 * i] = rngState[i] >>> 32;
            rng[2 * i + 1] = rngState[i] & 0xFFFFFFFFL;
        }
        m.put("opt_rng", rng);
        if (cachedInputs != null) {
            int l = cachedInputs.length;
            double[] shapes = new double[1 + 4 * l];
            shapes[0] = l;
            for (int i = 0; i < l; i++) {
                shapes[1 + 4 * i] = cachedInputs[i].rows();
                shapes[2 + 4 * i] = cachedInputs[i].cols();
                shapes[3 + 4 * i] = cachedErrors[i].rows();
                shapes[4 + 4 * i] = cachedErrors[i].cols();
                m.put("opt_cache_lambda_" + i, cachedInputs[i].data().clone());
                m.put("opt_cache_lambdatilde_" + i, cachedErrors[i].data().clone());
            }
            m.put("opt_cache_step", new double[] {cacheStep});
            m.put("opt_cache_shapes", shapes);
        }
        return m;
    }

    /**
     * Reads a state written by {@link #toMap()} (other keys are ignored).
     *
     * @throws IllegalArgumentException naming the missing or malformed key
     */
    public static OptimizerState fromMap(Map<String, double[]> m) {
        double damping = scalar(m, "opt_damping");
        long steps = integer(m, "opt_step");
        long rejected = integer(m, "opt_rejected");
        double[] rng = require(m, "opt_rng", 12);
        long[] words = new long[6];
        for (int i = 0; i < 6; i++) {
            words[i] = (word(rng[2 * i], "opt_rng") << 32) | word(rng[2 * i + 1], "opt_rng");
        }
        if (!m.containsKey("opt_cache_shapes")) {
            return new OptimizerState(damping, steps, words, rejected, -1, null, null);
        }
        double[] shapes = m.get("opt_cache_shapes");
        int l = shapes.length == 0 ? -1 : (int) shapes[0];
        if (l < 1 || shapes.length != 1 + 4 * l) {
            throw new IllegalArgumentException("OptimizerState: opt_cache_shapes has length " + shapes.length
                    + ", expected 1 + 4 L with L = " + l);
        }
        Matrix[] u = new Matrix[l];
        Matrix[] e = new Matrix[l];
        for (int i = 0; i < l; i++) {
            int ur = (int) shapes[1 + 4 * i];
            int uc = (int) shapes[2 + 4 * i];
            int er = (int) shapes[3 + 4 * i];
            int ec = (int) shapes[4 + 4 * i];
            u[i] = new Matrix(ur, uc, require(m, "opt_cache_lambda_" + i, ur * uc).clone());
            e[i] = new Matrix(er, ec, require(m, "opt_cache_lambdatilde_" + i, er * ec).clone());
        }
        return new OptimizerState(damping, steps, words, rejected, integer(m, "opt_cache_step"), u, e);
    }

    private static double[] require(Map<String, double[]> m, String key, int length) {
        double[] v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("OptimizerState: missing '" + key + "'");
        }
        if (v.length != length) {
            throw new IllegalArgumentException("OptimizerState: '" + key + "' has " + v.length + " values, expected "
                    + length);
        }
        return v;
    }

    private static double scalar(Map<String, double[]> m, String key) {
        return require(m, key, 1)[0];
    }

    private static long integer(Map<String, double[]> m, String key) {
        double v = scalar(m, key);
        if (v != Math.rint(v) || Math.abs(v) > 0x1p53) {
            throw new IllegalArgumentException("OptimizerState: '" + key + "' must be an integer, got " + v);
        }
        return (long) v;
    }

    private static long word(double v, String key) {
        if (!(v >= 0 && v <= 0xFFFFFFFFL) || v != Math.rint(v)) {
            throw new IllegalArgumentException("OptimizerState: '" + key + "' holds " + v
                    + ", expected an integer in [0, 2^32)");
        }
        return (long) v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerState s && Double.compare(s.damping, damping) == 0 && s.steps == steps
                && Arrays.equals(s.rngState, rngState) && s.rejectedSteps == rejectedSteps && s.cacheStep == cacheStep
                && Arrays.equals(s.cachedInputs, cachedInputs) && Arrays.equals(s.cachedErrors, cachedErrors);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rngState) * 31 + Long.hashCode(steps);
    }
}
