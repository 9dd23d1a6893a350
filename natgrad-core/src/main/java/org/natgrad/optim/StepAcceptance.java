package org.natgrad.optim;

import java.util.function.DoubleSupplier;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;

/**
 * Whether a natural-gradient step stands: the safety rule of {@link NaturalGradient} (see the
 * package documentation). It keeps the weights before each step for a bit-for-bit rollback,
 * re-evaluates the loss every {@code dampingEvery} steps and forms ρ = (L_new − L_old)/Δ_pred, feeds
 * ρ to the damping rule, rejects blown-up steps (raising λ), and carries the deferred check of a step
 * that did not re-evaluate the loss over to the next one.
 */
final class StepAcceptance {
    private final NaturalGradientOptions options;
    private final Damping damping;
    private long rejected;
    private double lastLossChange = Double.NaN;
    private double lastSumGradDirection = Double.NaN;
    private int lastLayers;
    private ParamVector rollback;
    private boolean pendingCheck;
    private double pendingLossBefore;

    StepAcceptance(NaturalGradientOptions options, Damping damping) {
        this.options = options;
        this.damping = damping;
    }

    /** Steps rejected so far. */
    long rejected() {
        return rejected;
    }

    /** True while the check of an unchecked step is deferred to the next one. */
    boolean pending() {
        return pendingCheck;
    }

    /** After a restore: {@code rejectedSteps} so far and no deferred check. */
    void reset(long rejectedSteps) {
        rejected = rejectedSteps;
        pendingCheck = false;
    }

    /** The weights before the step, in a buffer reused across steps. */
    ParamVector saveWeights(ParamVector params) {
        rollback = params.copyInto(rollback);
        return rollback;
    }

    /**
     * Before a step, with the minibatch loss at the current weights: the deferred safety check of a
     * previous unchecked step ({@code dampingEvery} &gt; 1), then the finite-loss check. A rejection
     * report, or null to go on.
     */
    StepReport checkBefore(Network net, double lossOld, double lambda) {
        if (pendingCheck) {
            // Deferred safety check of the previous step, which did not re-evaluate the loss.
            pendingCheck = false;
            if (!Double.isFinite(lossOld) || lossOld > options.blowUpFactor() * pendingLossBefore) {
                net.parameters().setTo(rollback);
                return reject(lossOld, Double.NaN, lambda, Double.NaN, "the previous step (loss not re-evaluated) "
                        + "was undone: the loss at its weights is " + lossOld + " on this minibatch, against "
                        + pendingLossBefore + " before it (limit " + options.blowUpFactor() + "x)");
            }
        }
        if (!Double.isFinite(lossOld)) {
            return reject(lossOld, Double.NaN, lambda, Double.NaN, "loss before the step is " + lossOld);
        }
        return null;
    }

    /**
     * After the update: re-evaluates the loss ({@code lossAfter}) on steps 0, T_damp, 2 T_damp, ...,
     * forms ρ, rejects a blown-up step (restoring {@code saved} into {@code params}) or adapts λ.
     */
    StepReport finish(long index, double lossOld, DoubleSupplier lossAfter, double lambda,
                              double sumGradDirection, int predictionLayers, ParamVector params, ParamVector saved) {
        if (index % options.dampingEvery() != 0) {
            // No re-evaluation on this step: λ is kept and the safety check deferred to the next step.
            pendingCheck = true;
            pendingLossBefore = lossOld;
            return new StepReport(true, lossOld, Double.NaN, lambda, Double.NaN, "");
        }
        double lossNew = lossAfter.getAsDouble();
        lastLossChange = lossNew - lossOld;
        lastSumGradDirection = sumGradDirection;
        lastLayers = predictionLayers;
        double predicted = options.predictedDecrease().predicted(options.alpha(), predictionLayers, sumGradDirection);
        double rho = (lossNew - lossOld) / predicted;
        if (!Double.isFinite(lossNew) || lossNew > options.blowUpFactor() * lossOld) {
            params.setTo(saved);
            return reject(lossOld, lossNew, lambda, rho, !Double.isFinite(lossNew)
                    ? "loss after the step is " + lossNew
                    : "loss blew up from " + lossOld + " to " + lossNew + " (more than " + options.blowUpFactor() + "x)");
        }
        if (options.adaptiveDamping()) {
            damping.observe(rho);
        }
        return new StepReport(true, lossOld, lossNew, lambda, rho, "");
    }

    /**
     * ρ of the last step that got as far as re-evaluating the loss, under either predicted-decrease
     * variant (the options' variant is the one reported and used by the damping rule); NaN before that.
     */
    double rho(PredictedDecrease variant) {
        if (Double.isNaN(lastSumGradDirection)) {
            return Double.NaN;
        }
        return lastLossChange / variant.predicted(options.alpha(), lastLayers, lastSumGradDirection);
    }

    StepReport reject(double lossOld, double lossNew, double lambda, double rho, String why) {
        rejected++;
        damping.onRejectedStep();
        if (Double.isNaN(lossNew)) {
            lastSumGradDirection = Double.NaN;
        }
        return new StepReport(false, lossOld, lossNew, lambda, rho, "rejected: " + why);
    }

}
