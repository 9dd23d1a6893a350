package org.natgrad.optim;

import org.natgrad.statistics.Gradients;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;

/**
 * Adam (Kingma and Ba 2015) with bias correction: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g²,
 * θ ← θ − η m̂ / (√v̂ + ε).
 */
public final class Adam extends FirstOrderBase {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double[] m;
    private double[] v;
    private long t;

    /**
     * Adam with its passes and gradient in {@code precision} (moments, update and weights in double;
     * in SINGLE a non-finite loss or gradient rejects the step, weights and moments untouched, as
     * {@link Sgd} does).
     */
    public Adam(Likelihood likelihood, double learningRate, double beta1, double beta2, double epsilon,
                Precision precision) {
        super("Adam", likelihood, precision);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Adam learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam epsilon must be > 0, got " + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Adam in double precision. */
    public Adam(Likelihood likelihood, double learningRate, double beta1, double beta2, double epsilon) {
        this(likelihood, learningRate, beta1, beta2, epsilon, Precision.DOUBLE);
    }

    /** Adam with the usual defaults β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public Adam(Likelihood likelihood, double learningRate) {
        this(likelihood, learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public StepReport step(Network net, Gradients g) {
        ParamVector params = net.parameters();
        double[] grad = g.gradient().toFlat();
        if (m == null) {
            m = new double[grad.length];
            v = new double[grad.length];
        }
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double[] theta = params.toFlat();
        for (int k = 0; k < grad.length; k++) {
            m[k] = beta1 * m[k] + (1 - beta1) * grad[k];
            v[k] = beta2 * v[k] + (1 - beta2) * grad[k] * grad[k];
            theta[k] -= learningRate * (m[k] / c1) / (Math.sqrt(v[k] / c2) + epsilon);
        }
        params.setFromFlat(theta);
        return StepReport.firstOrder(g.loss());
    }

    @Override
    public String name() {
        return "adam";
    }

    /** {@code opt_adam_t} [steps], and once a step was taken {@code opt_adam_m}, {@code opt_adam_v} (P values each). */
    @Override
    public Map<String, double[]> saveState() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("opt_adam_t", new double[] {t});
        if (m != null) {
            s.put("opt_adam_m", m.clone());
            s.put("opt_adam_v", v.clone());
        }
        return s;
    }

    @Override
    public void restoreState(Map<String, double[]> state) {
        double[] tt = state.get("opt_adam_t");
        if (tt == null || tt.length != 1 || !(tt[0] >= 0) || tt[0] != Math.rint(tt[0])) {
            throw new IllegalArgumentException("Adam state: 'opt_adam_t' must be one integer >= 0, got "
                    + (tt == null ? "nothing" : Arrays.toString(tt)));
        }
        double[] mm = state.get("opt_adam_m");
        double[] vv = state.get("opt_adam_v");
        if ((mm == null) != (vv == null) || (mm != null && mm.length != vv.length) || (mm == null) != (tt[0] == 0)) {
            throw new IllegalArgumentException("Adam state: 'opt_adam_m' and 'opt_adam_v' must both be present, of "
                    + "equal length, exactly when 'opt_adam_t' > 0");
        }
        t = (long) tt[0];
        m = mm == null ? null : mm.clone();
        v = vv == null ? null : vv.clone();
    }
}
