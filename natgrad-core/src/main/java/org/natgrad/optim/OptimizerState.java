package org.natgrad.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.natgrad.linalg.FloatMatrix;
import org.natgrad.linalg.Matrix;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.statistics.LayerStatistics;

/**
 * The resumable state of a {@link NaturalGradient} optimizer: with the weights, enough to continue
 * a run bit-for-bit. Convertible to and from a {@code Map<String, double[]>} (keys prefixed
 * {@code opt_}) so it can be stored as extra arrays of a model {@code .npz}:
 * <ul>
 *   <li>{@code opt_damping} [λ], {@code opt_step} [steps taken], {@code opt_rejected} [rejected steps];</li>
 *   <li>{@code opt_rng}: the 6 words of {@link org.natgrad.random.Rng#state()} as 12 doubles, each the
 *       unsigned high or low 32 bits of a word (exact in a double);</li>
 *   <li>only when curvature statistics are kept between refreshes (refreshEvery &gt; 1):
 *       {@code opt_cache_step} [step at which they were computed], {@code opt_cache_shapes}
 *       [L, rows, cols of A_1, rows, cols of B_1, ...], {@code opt_cache_form} [per layer 0: double
 *       samples, 1: single-precision samples (stored exactly as doubles), 2: factors],
 *       {@code opt_cache_examples} [M] and {@code opt_cache_lambda_i}, {@code opt_cache_lambdatilde_i}
 *       (i = 0..L-1, column-major A_i and B_i: the inputs X̄_i and errors E_i of
 *       {@link LayerStatistics.Samples}, or Λ_i and Λ̃_i of {@link LayerStatistics.Factors}).
 *       Decompositions are recomputed on restore, deterministically.</li>
 * </ul>
 *
 * @param damping          λ
 * @param steps            steps taken (accepted and rejected)
 * @param rngState         the optimizer's {@link org.natgrad.random.Rng} state (6 words)
 * @param rejectedSteps    rejected steps so far
 * @param cacheStep        step at which the cached factors were computed, or -1 if none
 * @param cached           the curvature statistics in use, or null
 */
public record OptimizerState(double damping, long steps, long[] rngState, long rejectedSteps, long cacheStep,
                             CurvatureStatistics cached) {

    public OptimizerState {
        if (rngState == null || rngState.length != 6) {
            throw new IllegalArgumentException("OptimizerState: rng state must have 6 words");
        }
        rngState = rngState.clone();
    }

    /**
     * A state whose cached statistics are double-precision samples: inputs X̄_i (d_i x M) and errors
     * E_i (n_i x BM) per layer (both null for none).
     */
    public OptimizerState(double damping, long steps, long[] rngState, long rejectedSteps, long cacheStep,
                          Matrix[] cachedInputs, Matrix[] cachedErrors) {
        this(damping, steps, rngState, rejectedSteps, cacheStep, samples(cachedInputs, cachedErrors));
    }

    private static CurvatureStatistics samples(Matrix[] inputs, Matrix[] errors) {
        if ((inputs == null) != (errors == null) || (inputs != null && inputs.length != errors.length)) {
            throw new IllegalArgumentException("OptimizerState: cached inputs and errors must both be present with one "
                    + "matrix per layer, or both absent");
        }
        if (inputs == null) {
            return null;
        }
        LayerStatistics[] s = new LayerStatistics[inputs.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = new LayerStatistics.Samples(inputs[i], errors[i].cols() / Math.max(1, inputs[i].cols()), errors[i]);
        }
        return new CurvatureStatistics(s, inputs[0].cols());
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
        if (cached != null) {
            int l = cached.layers();
            double[] shapes = new double[1 + 4 * l];
            double[] form = new double[l];
            shapes[0] = l;
            for (int i = 0; i < l; i++) {
                LayerStatistics st = cached.layer(i);
                Matrix a;
                Matrix b;
                if (st instanceof LayerStatistics.Samples x) {
                    a = x.inputs();
                    b = x.doubleErrors();
                    form[i] = x.errors32() != null ? 1 : 0;
                } else {
                    LayerStatistics.Factors f = (LayerStatistics.Factors) st;
                    a = f.lambda();
                    b = f.lambdaTilde();
                    form[i] = 2;
                }
                shapes[1 + 4 * i] = a.rows();
                shapes[2 + 4 * i] = a.cols();
                shapes[3 + 4 * i] = b.rows();
                shapes[4 + 4 * i] = b.cols();
                m.put("opt_cache_lambda_" + i, a.data().clone());
                m.put("opt_cache_lambdatilde_" + i, b.data().clone());
            }
            m.put("opt_cache_step", new double[] {cacheStep});
            m.put("opt_cache_shapes", shapes);
            m.put("opt_cache_form", form);
            m.put("opt_cache_examples", new double[] {cached.examples()});
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
        double[] form = require(m, "opt_cache_form", l);
        int examples = Math.toIntExact(integer(m, "opt_cache_examples"));
        LayerStatistics[] st = new LayerStatistics[l];
        for (int i = 0; i < l; i++) {
            int ar = (int) shapes[1 + 4 * i];
            int ac = (int) shapes[2 + 4 * i];
            int br = (int) shapes[3 + 4 * i];
            int bc = (int) shapes[4 + 4 * i];
            if (ar < 0 || ac < 0 || br < 0 || bc < 0) {
                throw new IllegalArgumentException("OptimizerState: opt_cache_shapes has a negative size for layer " + i);
            }
            Matrix a = new Matrix(ar, ac, require(m, "opt_cache_lambda_" + i, Math.multiplyExact(ar, ac)).clone());
            Matrix b = new Matrix(br, bc, require(m, "opt_cache_lambdatilde_" + i, Math.multiplyExact(br, bc)).clone());
            int kind = (int) form[i];
            if (form[i] != kind || kind < 0 || kind > 2) {
                throw new IllegalArgumentException("OptimizerState: opt_cache_form[" + i + "] is " + form[i]
                        + ", expected 0, 1 or 2");
            }
            if (kind == 2) {
                st[i] = new LayerStatistics.Factors(a, b, examples);
            } else {
                int blocks = ac == 0 ? 0 : bc / ac;
                st[i] = kind == 0 ? new LayerStatistics.Samples(a, blocks, b)
                        : new LayerStatistics.Samples(a, blocks, null, FloatMatrix.of(b));
            }
        }
        return new OptimizerState(damping, steps, words, rejected, integer(m, "opt_cache_step"),
                new CurvatureStatistics(st, examples));
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

    /** Equal when {@link #toMap()} gives the same keys with the same arrays (cached statistics included). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OptimizerState s)) {
            return false;
        }
        Map<String, double[]> a = toMap();
        Map<String, double[]> b = s.toMap();
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rngState) * 31 + Long.hashCode(steps);
    }
}
