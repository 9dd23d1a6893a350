package org.natgrad.deeplinear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.optim.Damping;
import org.natgrad.optim.FixedDamping;
import org.natgrad.optim.LevenbergMarquardt;
import org.natgrad.optim.PredictedDecrease;

/**
 * Predicted loss curves of natural-gradient descent on a deep linear network with exact
 * population statistics (math.md §2.4, §2.7).
 *
 * <p><b>Test error.</b> For targets y = W_T x + ξ with noise ξ of covariance N (independent of x),
 * the population loss of the model is ½ E[(ŷ − y)^T Σ̃^{-1} (ŷ − y)] = excess loss + ½ tr(Σ̃^{-1} N),
 * with W* = W_T. For Σ̃ = I and N = σ² I this is the paper's squared test error
 * ½ E‖ŷ − y‖² = excess + ½ n_L σ² ({@link #noiseFloor(DeepLinearModel, double)}).
 */
public final class PredictedCurve {

    /** The predicted decrease of the steps' ρ where a fixed damping does not use it. */
    private static final PredictedDecrease FIXED_RHO = PredictedDecrease.PAPER_FOOTNOTE;

    private PredictedCurve() {
    }

    /** Continuous-time NGD (Eq. 18, rate constant 1): (L − L*)(t) = (L0 − L*) e^{−2t}. */
    public static double continuousExcess(double excess0, double t) {
        return excess0 * Math.exp(-2 * t);
    }

    /** Continuous-time NGD: L(t) = L* + (L0 − L*) e^{−2t}. */
    public static double continuousLoss(double lossStar, double loss0, double t) {
        return lossStar + (loss0 - lossStar) * Math.exp(-2 * t);
    }

    /**
     * The per-step excess-loss ratio (1 − α)² of undamped discrete NGD near W* in a square network
     * (check B12): the end-to-end map moves as W ← W + α (W* − W) to first order.
     */
    public static double perStepRatio(double alpha) {
        return (1 - alpha) * (1 - alpha);
    }

    /** The linearized discrete prediction excess0 (1 − α)^{2k}. */
    public static double linearizedDiscreteExcess(double excess0, double alpha, int k) {
        return excess0 * Math.pow(perStepRatio(alpha), k);
    }

    /** The irreducible loss ½ tr(Σ̃^{-1} N) for target noise of covariance N (n_L x n_L). */
    public static double noiseFloor(DeepLinearModel m, Matrix noiseCovariance) {
        int nl = m.width(m.depth());
        if (noiseCovariance.rows() != nl || noiseCovariance.cols() != nl) {
            throw new IllegalArgumentException("noiseFloor: noise covariance is " + noiseCovariance.shape() + ", expected "
                    + nl + "x" + nl);
        }
        return 0.5 * MatOps.dot(m.outputPrecisionRef(), noiseCovariance);
    }

    /** The irreducible loss ½ σ² tr(Σ̃^{-1}) for isotropic target noise N(0, σ² I); ½ n_L σ² when Σ̃ = I. */
    public static double noiseFloor(DeepLinearModel m, double noiseVariance) {
        if (!(noiseVariance >= 0) || Double.isInfinite(noiseVariance)) {
            throw new IllegalArgumentException("noiseFloor: noise variance must be finite and >= 0, got " + noiseVariance);
        }
        return 0.5 * noiseVariance * m.outputPrecisionRef().trace();
    }

    /**
     * Discrete NGD (Eq. 20) with exact population statistics:
     * W_i ← W_i + (α/L)(Λ̃_i + √λ_k I)^{-1} ⟨e_i x_{i-1}^T⟩ (Λ_i + √λ_k I)^{-1}, every step applied,
     * λ_0 = damping.current() and λ_{k+1} the damping after it has observed the step's
     * ρ = {@link StepOutcome#rho}(variant). One iteration corresponds to one minibatch of the
     * simulated algorithm. The policy passed in is not changed (a copy runs the trajectory).
     *
     * <p>With the adaptive rule λ keeps shrinking while steps succeed; once the excess loss reaches
     * the round-off level of the (possibly very ill-conditioned) layer products, ρ becomes noise and
     * nearly undamped steps can blow up. Pass {@code stopBelow} > 0 to end the trajectory at the first
     * iterate whose excess loss is at or below it (the returned trajectory is then shorter than
     * {@code steps}); e.g. 1e-3 times the noise floor when the curve is drawn as a test error.
     *
     * @param damping       the damping rule and λ_0 ({@link FixedDamping}: constant or scheduled;
     *                      {@link LevenbergMarquardt}: Eq. 21)
     * @param variant       the predicted decrease of ρ
     * @param pseudoInverse used only for steps with λ_k = 0 (pseudo-inverses instead of inverses)
     * @param stopBelow     stop once the excess loss is ≤ this (0: never stop early)
     * @throws ArithmeticException if the excess loss becomes non-finite (naming the step)
     */
    public static Trajectory discreteNgd(DeepLinearModel m, double alpha, Damping damping, PredictedDecrease variant,
                                         int steps, boolean pseudoInverse, double stopBelow) {
        if (steps < 0) {
            throw new IllegalArgumentException("discreteNgd: steps must be >= 0, got " + steps);
        }
        Damping rule = damping.copy();
        double[] time = new double[steps + 1];
        double[] excess = new double[steps + 1];
        double[] lambdas = new double[steps];
        List<StepOutcome> outcomes = new ArrayList<>();
        excess[0] = m.excessLoss();
        if (!(stopBelow >= 0)) {
            throw new IllegalArgumentException("discreteNgd: stopBelow must be >= 0, got " + stopBelow);
        }
        DeepLinearModel cur = m;
        int done = 0;
        for (int k = 0; k < steps && excess[k] > stopBelow; k++) {
            double lambda = rule.current();
            List<Matrix> d = NaturalGradientUpdate.dampedDirection(cur, lambda, pseudoInverse);
            List<Matrix> g = cur.gradients();
            double gd = 0;
            List<Matrix> w = new ArrayList<>();
            for (int i = 1; i <= cur.depth(); i++) {
                gd += MatOps.dot(g.get(i - 1), d.get(i - 1));
                w.add(MatOps.axpy(-alpha / cur.depth(), d.get(i - 1), cur.weight(i)));
            }
            DeepLinearModel next = cur.withWeights(w);
            double e = next.excessLoss();
            if (!Double.isFinite(e)) {
                throw new ArithmeticException("discreteNgd: excess loss became " + e + " at step " + (k + 1)
                        + " (α = " + alpha + ", λ = " + lambda + "); add damping or reduce α");
            }
            lambdas[k] = lambda;
            time[k + 1] = k + 1;
            excess[k + 1] = e;
            StepOutcome outcome = new StepOutcome(alpha, cur.depth(), e - excess[k], gd);
            outcomes.add(outcome);
            rule.observe(outcome.rho(variant));
            cur = next;
            done = k + 1;
        }
        if (done < steps) {
            return new Trajectory(Arrays.copyOf(time, done + 1), Arrays.copyOf(excess, done + 1),
                    Arrays.copyOf(lambdas, done), outcomes, cur);
        }
        return new Trajectory(time, excess, lambdas, outcomes, cur);
    }

    /**
     * As {@link #discreteNgd(DeepLinearModel, double, Damping, PredictedDecrease, int, boolean, double)}
     * without early stop.
     */
    public static Trajectory discreteNgd(DeepLinearModel m, double alpha, Damping damping, PredictedDecrease variant,
                                         int steps, boolean pseudoInverse) {
        return discreteNgd(m, alpha, damping, variant, steps, pseudoInverse, 0);
    }

    /**
     * Discrete NGD with a fixed damping λ. For λ = 0 (undamped) the factors are inverted exactly when
     * all widths are equal and pseudo-inverted otherwise.
     */
    public static Trajectory discreteNgd(DeepLinearModel m, double alpha, double lambda, int steps) {
        boolean pinv = !m.isSquare();
        return discreteNgd(m, alpha, new FixedDamping(lambda, lambda), FIXED_RHO, steps, pinv);
    }

    /**
     * Discrete NGD with a damping schedule: step k uses lambdas[k]; lambdas.length steps (undamped
     * steps as in {@link #discreteNgd(DeepLinearModel, double, double, int)}).
     */
    public static Trajectory discreteNgd(DeepLinearModel m, double alpha, double[] lambdas) {
        Damping schedule = lambdas.length == 0 ? new FixedDamping(0, 0) : FixedDamping.schedule(lambdas);
        return discreteNgd(m, alpha, schedule, FIXED_RHO, lambdas.length, !m.isSquare());
    }

    /**
     * The continuous natural-gradient flow dW_i/dt = ΔW_i of Eq. 10 (with Eq. 16 as its square
     * special case), integrated by classical RK4 with step dt for the given number of steps.
     * For a square network the excess loss follows e^{−2t} (check B11).
     */
    public static Trajectory flow(DeepLinearModel m, double dt, int steps, boolean pseudoInverse) {
        if (!(dt > 0) || Double.isInfinite(dt) || steps < 0) {
            throw new IllegalArgumentException("flow: need dt > 0 and steps >= 0, got dt = " + dt + ", steps = " + steps);
        }
        double[] time = new double[steps + 1];
        double[] excess = new double[steps + 1];
        excess[0] = m.excessLoss();
        DeepLinearModel cur = m;
        for (int k = 0; k < steps; k++) {
            List<Matrix> k1 = NaturalGradientUpdate.eq10(cur, pseudoInverse);
            List<Matrix> k2 = NaturalGradientUpdate.eq10(shifted(cur, k1, dt / 2), pseudoInverse);
            List<Matrix> k3 = NaturalGradientUpdate.eq10(shifted(cur, k2, dt / 2), pseudoInverse);
            List<Matrix> k4 = NaturalGradientUpdate.eq10(shifted(cur, k3, dt), pseudoInverse);
            List<Matrix> w = new ArrayList<>();
            for (int i = 0; i < cur.depth(); i++) {
                Matrix wi = cur.weight(i + 1);
                MatOps.axpy(dt / 6, k1.get(i), wi);
                MatOps.axpy(dt / 3, k2.get(i), wi);
                MatOps.axpy(dt / 3, k3.get(i), wi);
                MatOps.axpy(dt / 6, k4.get(i), wi);
                w.add(wi);
            }
            cur = cur.withWeights(w);
            time[k + 1] = (k + 1) * dt;
            excess[k + 1] = cur.excessLoss();
            if (!Double.isFinite(excess[k + 1])) {
                throw new ArithmeticException("flow: excess loss became " + excess[k + 1] + " at t = " + time[k + 1]);
            }
        }
        return new Trajectory(time, excess, new double[steps], List.of(), cur);
    }

    private static DeepLinearModel shifted(DeepLinearModel m, List<Matrix> rate, double h) {
        List<Matrix> w = new ArrayList<>();
        for (int i = 0; i < m.depth(); i++) {
            w.add(MatOps.axpy(h, rate.get(i), m.weight(i + 1)));
        }
        return m.withWeights(w);
    }
}
