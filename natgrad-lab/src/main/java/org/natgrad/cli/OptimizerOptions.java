package org.natgrad.cli;

import java.util.List;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.experiment.train.OptimizerChoice;
import org.natgrad.experiment.train.TrainOptions;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.linalg.Precision;
import org.natgrad.optim.NaturalGradientOptions;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The optimizer flags (a picocli mixin): the optimizer, its learning rate and momentum, and every
 * natural-gradient flag: α, K, λ_0 and its adaptation, pseudo-inverses, the inversion strategy,
 * the refresh interval, the damping floor and interval, the Fisher representation, and the flags
 * shared with the reproductions ({@link NgdStepOptions}: predicted decrease, blow-up factor,
 * linear moments, factor precision). {@link #options()} maps them onto
 * {@link NaturalGradientOptions.Builder} (the paper's defaults for the rest), the one place a
 * command line becomes natural-gradient options.
 *
 * <p>The flags that only the Eq. 20 representation reads ({@link #EQ20_ONLY}: {@code --inverse},
 * {@code --factor-precision}, {@code --[no-]linear-moments}) are refused, naming the flag and the
 * curvature, when given with another {@code --curvature}, even at their default values; the
 * builder refuses non-default values of the same components for the Java API.
 */
final class OptimizerOptions {

    /** The flags (canonical names) that apply only to {@code --curvature eq20}. */
    static final List<String> EQ20_ONLY = List.of("--inverse", "--factor-precision", "--linear-moments");

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "NAME",
            description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OptimizerChoice optimizer;

    @Option(names = "--lr", defaultValue = "0.05", paramLabel = "RATE",
            description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0", paramLabel = "MU",
            description = "Heavy-ball momentum for sgd, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--precision", defaultValue = "DOUBLE", paramLabel = "P",
            description = "Precision of every optimizer's forward and backward passes and gradient: "
                    + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; losses, the damping rule and the weights "
                    + "stay double; ngd's factor work follows --factor-precision).")
    Precision precision;

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

    @Option(names = "--pinv", description = "ngd: Moore-Penrose pseudo-inverses of the factors instead of damping.")
    boolean pseudoInverse;

    @Option(names = "--inverse", defaultValue = "AUTO", paramLabel = "STRATEGY",
            description = "ngd, Eq. 20 only: how factors are inverted: ${COMPLETION-CANDIDATES} "
                    + "(default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--curvature", defaultValue = "eq20", paramLabel = "NAME", converter = CurvatureConverter.class,
            description = "ngd: Fisher representation: eq20 (the default: the paper's Eq. 20 Kronecker rule, √λ added "
                    + "to both factors), exact, blockdiag, tridiag, kfac, ekfac, unitwise, diag.")
    CurvatureChoice curvature;

    @Option(names = "--keyed-samples",
            description = "ngd: draw each example's model samples from a stream keyed by (seed, step, position in "
                    + "the minibatch), as natgrad train --spark always does, so a local run matches a Spark run "
                    + "number for number (default: one stream over the batch).")
    boolean keyedSamples;

    @Mixin
    NgdStepOptions step;

    /** Sets the optimizer, its rates and (see {@link #options()}) the natural-gradient options on {@code b}. */
    void applyTo(TrainOptions.Builder b) {
        b.optimizer(optimizer).learningRate(learningRate).momentum(momentum).precision(precision)
                .naturalGradient(options()).features(step.features());
    }

    /**
     * The natural-gradient flags as validated options. With {@code --pinv} and no explicit
     * {@code --damping}, the factors are pseudo-inverted undamped (λ = 0, no adaptation).
     *
     * @throws IllegalArgumentException naming the flag and the curvature for an Eq. 20-only flag given
     *                                  with another {@code --curvature}, and as the builder says otherwise
     */
    NaturalGradientOptions options() {
        CommandLine.ParseResult parsed = command.commandLine().getParseResult();
        if (curvature != CurvatureChoice.EQ20) {
            for (String flag : EQ20_ONLY) {
                OptionSpec given = parsed.matchedOption(flag);
                if (given != null) {
                    throw new IllegalArgumentException(given.shortestName() + " applies only to the Eq. 20 "
                            + "representation (--curvature eq20, the default), not to --curvature " + curvature.label()
                            + "; remove it");
                }
            }
        }
        boolean undamped = pseudoInverse && !parsed.hasMatchedOption("--damping");
        return step.applyTo(NaturalGradientOptions.builder()).alpha(alpha).modelSamples(modelSamples)
                .curvature(curvature).initialDamping(undamped ? 0 : damping).adaptiveDamping(adaptiveDamping && !undamped)
                .minDamping(minDamping).dampingEvery(dampingEvery).pseudoInverse(pseudoInverse)
                .refreshEvery(refreshEvery).inverse(inverse).keyedSamples(keyedSamples).precision(precision).build();
    }

    /** {@code --curvature}'s names ({@link CurvatureChoice#parse}) as a picocli converter. */
    static final class CurvatureConverter implements CommandLine.ITypeConverter<CurvatureChoice> {
        @Override
        public CurvatureChoice convert(String value) {
            try {
                return CurvatureChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
