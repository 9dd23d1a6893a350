package org.natgrad.cli;

import java.util.Locale;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.experiment.train.OptimizerChoice;
import org.natgrad.experiment.train.TrainOptions;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.PredictedDecrease;
import picocli.CommandLine.Option;

/**
 * The optimizer flags (a picocli mixin): the optimizer, its learning rate and momentum, and the
 * natural-gradient ones: α, K, λ_0 and its adaptation, the predicted decrease, pseudo-inverses,
 * the inversion strategy and refresh interval, the damping floor and interval, the factor
 * precision, the Fisher representation and the blow-up factor, mapped by {@link #options(boolean)}
 * onto {@link NaturalGradientOptions} (the paper's defaults for the rest). Also the one parser of
 * the predicted-decrease spellings ({@link #parseVariant}).
 */
final class OptimizerOptions {

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "NAME",
            description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OptimizerChoice optimizer;

    @Option(names = "--lr", defaultValue = "0.05", paramLabel = "RATE",
            description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0", paramLabel = "MU",
            description = "Heavy-ball momentum for sgd, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--alpha", defaultValue = "1", paramLabel = "A",
            description = "ngd: step size α of Eq. 20, with the 1/L scaling (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--model-samples", defaultValue = "1", paramLabel = "K",
            description = "ngd: targets sampled from the model per example for Λ̃ (0 = exact expectation; "
                    + "default: ${DEFAULT-VALUE}).")
    int modelSamples;

    @Option(names = "--damping", defaultValue = "0.01", paramLabel = "LAMBDA",
            description = "ngd: initial damping λ0; √λ is added to both Kronecker factors (default: ${DEFAULT-VALUE}).")
    double damping;

    @Option(names = "--adaptive-damping", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "ngd: adapt λ by the Levenberg-Marquardt rule of Eq. 21 (default: on).")
    boolean adaptiveDamping;

    @Option(names = "--predicted-decrease", defaultValue = "PAPER_FOOTNOTE", paramLabel = "VARIANT",
            description = "ngd: predicted decrease for ρ: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PredictedDecrease predictedDecrease;

    @Option(names = "--pinv", description = "ngd: Moore-Penrose pseudo-inverses of the factors instead of damping.")
    boolean pseudoInverse;

    @Option(names = "--inverse", defaultValue = "AUTO", paramLabel = "STRATEGY",
            description = "ngd: how factors are inverted: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    InverseStrategy inverse;

    @Option(names = "--refresh-every", defaultValue = "1", paramLabel = "T",
            description = "ngd: recompute the factors' inverses every T steps (default: ${DEFAULT-VALUE}).")
    int refreshEvery;

    @Option(names = "--min-damping", defaultValue = "1e-8", paramLabel = "LAMBDA",
            description = "ngd: floor on the adaptive damping (default: ${DEFAULT-VALUE}).")
    double minDamping;

    @Option(names = "--damping-every", defaultValue = "1", paramLabel = "T",
            description = "ngd: re-evaluate the loss and adapt the damping every T steps; other steps skip that "
                    + "forward pass and their blow-up check is deferred to the next step (default: ${DEFAULT-VALUE}).")
    int dampingEvery;

    @Option(names = "--factor-precision", defaultValue = "AUTO", paramLabel = "P",
            description = "ngd: precision of the Kronecker-factor work (factors, Cholesky, solves): "
                    + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, single precision for factors of size >= 128; "
                    + "passes, gradients and weights stay double).")
    FactorPrecision factorPrecision;

    @Option(names = "--keyed-samples",
            description = "ngd: draw each example's model samples from a stream keyed by (seed, step, position in "
                    + "the minibatch), as natgrad train --spark always does, so a local run matches a Spark run "
                    + "number for number (default: one stream over the batch).")
    boolean keyedSamples;

    @Option(names = "--curvature", paramLabel = "NAME",
            description = "ngd: Fisher representation: exact, blockdiag, tridiag, kfac, ekfac, unitwise, diag "
                    + "(default: the paper's Eq. 20 Kronecker rule, √λ added to both factors).")
    String curvature;

    @Option(names = "--blow-up", defaultValue = "10", paramLabel = "FACTOR",
            description = "ngd: reject a step whose minibatch loss grows by more than this factor "
                    + "(default: ${DEFAULT-VALUE}).")
    double blowUp;

    /** Sets the optimizer, its rates and (see {@link #options(boolean)}) the natural-gradient options on {@code b}. */
    void applyTo(TrainOptions.Builder b, boolean dampingGiven) {
        b.optimizer(optimizer).learningRate(learningRate).momentum(momentum).naturalGradient(options(dampingGiven));
    }

    /**
     * The natural-gradient flags as options. With {@code --pinv} and no explicit {@code --damping}
     * ({@code dampingGiven} false), the factors are pseudo-inverted undamped (λ = 0, no adaptation).
     */
    NaturalGradientOptions options(boolean dampingGiven) {
        boolean undamped = pseudoInverse && !dampingGiven;
        return NaturalGradientOptions.paperDefaults().withAlpha(alpha).withModelSamples(modelSamples)
                .withPredictedDecrease(predictedDecrease).withInverse(inverse).withRefreshEvery(refreshEvery)
                .withBlowUpFactor(blowUp).withPseudoInverse(pseudoInverse)
                .withCurvature(curvature == null ? null : CurvatureChoice.parse(curvature))
                .withAdaptiveDamping(adaptiveDamping && !undamped).withInitialDamping(undamped ? 0 : damping)
                .withMinDamping(minDamping).withDampingEvery(dampingEvery).withFactorPrecision(factorPrecision)
                .withKeyedSamples(keyedSamples);
    }

    /** "paper-footnote" (or "paper", "footnote") and "official-code" (or "code"), any case, '_' for '-'. */
    static PredictedDecrease parseVariant(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "paper-footnote", "paper", "footnote" -> PredictedDecrease.PAPER_FOOTNOTE;
            case "official-code", "code" -> PredictedDecrease.OFFICIAL_CODE;
            default -> throw new IllegalArgumentException("--predicted-decrease: unknown value '" + s
                    + "'; expected paper-footnote or official-code");
        };
    }
}
