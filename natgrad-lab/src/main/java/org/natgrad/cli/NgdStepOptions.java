package org.natgrad.cli;

import java.util.Locale;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.OptimizerFeatures;
import org.natgrad.optim.PredictedDecrease;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The natural-gradient flags of every command that runs NGD (a picocli mixin: {@code train}
 * through {@link OptimizerOptions}, {@code reproduce bernacchia2018} directly): the predicted
 * decrease of ρ, the blow-up factor of the step-rejection rule, the linear-moment step path and
 * the precision of the Kronecker-factor work. Each maps onto one component of
 * {@link NaturalGradientOptions} in {@link #applyTo}. The canonical names are
 * {@code --predicted-decrease}, {@code --blow-up}, {@code --[no-]linear-moments} and
 * {@code --factor-precision}; {@code --ngd-blow-up}, {@code --[no-]ngd-linear-moments} and
 * {@code --ngd-factor-precision} (the names {@code reproduce bernacchia2018} had) are aliases.
 * kfac-jax's optimizer features ({@link OptimizerFeatures}: {@code --factor-decay},
 * {@code --curvature-every}, {@code --inverse-every}, {@code --damping-rule},
 * {@code --damping-adapt-every}, {@code --momentum-ngd}, {@code --adaptive-lr-momentum},
 * {@code --norm-constraint}, {@code --weight-decay}, {@code --burnin}) map onto {@link #features()};
 * all off by default. {@code train} uses them; a command that does not must call
 * {@link #requireNoFeatures}.
 */
final class NgdStepOptions {

    @Option(names = "--predicted-decrease", defaultValue = "paper-footnote", paramLabel = "VARIANT",
            converter = VariantConverter.class,
            description = "ngd: predicted decrease in ρ of the damping rule: paper-footnote or official-code "
                    + "(default: ${DEFAULT-VALUE}).")
    PredictedDecrease predictedDecrease;

    @Option(names = {"--blow-up", "--ngd-blow-up"}, defaultValue = "10", paramLabel = "FACTOR",
            description = "ngd: reject a step that multiplies the minibatch loss by more than this, raising the "
                    + "damping (default: ${DEFAULT-VALUE}; Infinity applies every finite step, as the official 2018 "
                    + "code).")
    double blowUp;

    @Option(names = {"--linear-moments", "--ngd-linear-moments"}, negatable = true, defaultValue = "true",
            fallbackValue = "true",
            description = "ngd, Eq. 20 only: on a linear network with a Gaussian likelihood, compute each step exactly "
                    + "from the minibatch moments instead of forward and backward passes (same steps up to round-off, "
                    + "faster; default: on).")
    boolean linearMoments;

    @Option(names = {"--factor-precision", "--ngd-factor-precision"}, defaultValue = "AUTO", paramLabel = "P",
            description = "ngd, Eq. 20 only: precision of the Kronecker-factor work (factors, Cholesky, solves): "
                    + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, single precision for factors of size "
                    + ">= 128; passes, gradients and weights stay double).")
    FactorPrecision factorPrecision;

    @Option(names = "--factor-decay", defaultValue = "0", paramLabel = "BETA",
            description = "ngd, eq20/kfac: moving average of the Kronecker factors, BETA * old + (1 - BETA) * new, "
                    + "first estimate as is (default: ${DEFAULT-VALUE} = off; kfac-jax: 0.95).")
    double factorDecay;

    @Option(names = "--curvature-every", defaultValue = "0", paramLabel = "T1",
            description = "ngd: statistics (and the moving average) every T1 steps (default: 0 = --refresh-every).")
    int curvatureEvery;

    @Option(names = "--inverse-every", defaultValue = "0", paramLabel = "T2",
            description = "ngd: rebuild (factorize) the curvature from the current statistics every T2 steps "
                    + "(default: 0 = --refresh-every).")
    int inverseEvery;

    @Option(names = "--damping-rule", defaultValue = "lm", paramLabel = "RULE",
            description = "ngd: lm (Levenberg-Marquardt, Eq. 21, the representation's predicted decrease) or quadratic "
                    + "(kfac-jax: rho against the exact quadratic model from matrix-free G products; needs adaptive "
                    + "damping and --damping-every 1) (default: ${DEFAULT-VALUE}).")
    String dampingRule;

    @Option(names = "--damping-adapt-every", defaultValue = "5", paramLabel = "T3",
            description = "ngd, --damping-rule quadratic: adapt the damping every T3 steps by the factor (19/20)^T3 "
                    + "(default: ${DEFAULT-VALUE}, kfac-jax's).")
    int dampingAdaptEvery;

    @Option(names = "--momentum-ngd", defaultValue = "0", paramLabel = "MU",
            description = "ngd: fixed momentum on the preconditioned update, delta = -alpha d + MU delta_prev "
                    + "(default: ${DEFAULT-VALUE} = off).")
    double ngdMomentum;

    @Option(names = "--adaptive-lr-momentum", defaultValue = "false",
            description = "ngd: choose the step size and momentum each step by minimizing the exact quadratic model "
                    + "over the update and the previous step (two matrix-free G products per step; replaces --alpha).")
    boolean adaptiveLrMomentum;

    @Option(names = "--norm-constraint", defaultValue = "0", paramLabel = "C",
            description = "ngd: kfac-jax's norm constraint, scale the update so that alpha^2 g'(G + lambda I)^-1 g <= C "
                    + "(default: ${DEFAULT-VALUE} = off).")
    double normConstraint;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "C",
            description = "ngd: L2 coefficient, loss + (C/2)|theta|^2; the solve and quadratic model use damping + C "
                    + "(default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--burnin", defaultValue = "0", paramLabel = "N",
            description = "ngd, eq20/kfac: the first N steps only accumulate curvature statistics (default: ${DEFAULT-VALUE}).")
    int burnin;

    /**
     * kfac-jax's features from the flags, validated.
     *
     * @throws IllegalArgumentException naming the flag for a bad value
     */
    OptimizerFeatures features() {
        OptimizerFeatures.DampingRule rule;
        try {
            rule = OptimizerFeatures.DampingRule.parse(dampingRule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--damping-rule: " + e.getMessage());
        }
        try {
            return OptimizerFeatures.builder().factorDecay(factorDecay).curvatureEvery(curvatureEvery)
                    .inverseEvery(inverseEvery).dampingRule(rule).dampingAdaptEvery(dampingAdaptEvery).momentum(ngdMomentum)
                    .adaptiveLrMomentum(adaptiveLrMomentum).normConstraint(normConstraint).weightDecay(weightDecay)
                    .burnin(burnin).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("NGD feature flags (--factor-decay ... --burnin): " + e.getMessage());
        }
    }

    /** Refuses the feature flags in a command ({@code who}) that does not use them. */
    void requireNoFeatures(String who) {
        if (!features().allOff() || dampingAdaptEvery != OptimizerFeatures.KFAC_JAX_ADAPT_EVERY) {
            throw new IllegalArgumentException(who + " does not use kfac-jax's optimizer features (--factor-decay, "
                    + "--curvature-every, --inverse-every, --damping-rule, --damping-adapt-every, --momentum-ngd, "
                    + "--adaptive-lr-momentum, --norm-constraint, --weight-decay, --burnin); use natgrad train");
        }
    }

    /** Sets these four components on {@code b}; returns {@code b}. */
    NaturalGradientOptions.Builder applyTo(NaturalGradientOptions.Builder b) {
        return b.predictedDecrease(predictedDecrease).blowUpFactor(blowUp).linearMoments(linearMoments)
                .factorPrecision(factorPrecision);
    }

    /**
     * {@code --predicted-decrease}'s spellings: "paper-footnote" (or "paper", "footnote") and
     * "official-code" (or "code"), any case, '_' for '-' (so the enum names work too).
     */
    static final class VariantConverter implements CommandLine.ITypeConverter<PredictedDecrease> {
        @Override
        public PredictedDecrease convert(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "paper-footnote", "paper", "footnote" -> PredictedDecrease.PAPER_FOOTNOTE;
                case "official-code", "code" -> PredictedDecrease.OFFICIAL_CODE;
                default -> throw new CommandLine.TypeConversionException("unknown value '" + s
                        + "'; expected paper-footnote or official-code");
            };
        }
    }
}
