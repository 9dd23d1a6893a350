package org.natgrad.cli;

import java.util.Locale;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.optim.NaturalGradientOptions;
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
