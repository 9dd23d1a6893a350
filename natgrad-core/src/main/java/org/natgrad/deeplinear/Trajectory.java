package org.natgrad.deeplinear;

import java.util.List;

/**
 * A population excess-loss trajectory of a deep linear network.
 *
 * @param time       time points: the iteration index k for discrete NGD (0 = start), or the flow
 *                   time t for the continuous flow; length n+1
 * @param excessLoss L − L* at each time point, length n+1
 * @param damping    the damping λ used for each discrete step (length n; all 0 for the flow)
 * @param outcomes   what each discrete step did (length n), from which the damping rule's ρ
 *                   follows; empty for the flow
 * @param last       the model at the final time point
 */
public record Trajectory(double[] time, double[] excessLoss, double[] damping, List<StepOutcome> outcomes,
                         DeepLinearModel last) {

    public Trajectory {
        if (time.length != excessLoss.length || damping.length != time.length - 1
                || !(outcomes.isEmpty() || outcomes.size() == damping.length)) {
            throw new IllegalArgumentException("Trajectory: " + time.length + " times, " + excessLoss.length
                    + " losses, " + damping.length + " damping values, " + outcomes.size()
                    + " step outcomes (expected n+1, n+1, n, n or 0)");
        }
        outcomes = List.copyOf(outcomes);
    }

    /** Number of steps n. */
    public int steps() {
        return damping.length;
    }

    /**
     * The test error at each time point: excess loss + noise floor, where the floor is the
     * irreducible loss ½ tr(Σ̃^{-1} N) of the target noise (see {@link PredictedCurve#noiseFloor}).
     */
    public double[] testError(double noiseFloor) {
        if (!(noiseFloor >= 0) || Double.isInfinite(noiseFloor)) {
            throw new IllegalArgumentException("Trajectory.testError: noise floor must be finite and >= 0, got " + noiseFloor);
        }
        double[] out = excessLoss.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] += noiseFloor;
        }
        return out;
    }

    /** Per-step ratios excess[k+1] / excess[k], length n. */
    public double[] ratios() {
        double[] r = new double[steps()];
        for (int k = 0; k < r.length; k++) {
            r[k] = excessLoss[k + 1] / excessLoss[k];
        }
        return r;
    }
}
