package org.natgrad.experiment.bernacchia2018;

/**
 * How the SGD learning rate α is applied to the gradient of the mean minibatch loss
 * (math.md §2.8).
 */
public enum SgdStep {
    /**
     * The official code: W ← W − (α/M) ∇L̂_mean, i.e. the gradient is divided by M twice, so the
     * effective step on the mean-loss gradient is α/M. This is how the paper's reported α values
     * (0.08 for A and B, 0.02 for C, 0.04 for D) were applied, so it is the default.
     */
    OFFICIAL_CODE,
    /** The textbook rule W ← W − α ∇L̂_mean. */
    MEAN_GRADIENT;

    /** The step size applied to the mean-loss gradient for grid value α and minibatch M. */
    public double effectiveRate(double alpha, int batchSize) {
        return this == OFFICIAL_CODE ? alpha / batchSize : alpha;
    }

    /** Parses "official-code" or "mean-gradient". */
    public static SgdStep parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
            case "official-code", "code" -> OFFICIAL_CODE;
            case "mean-gradient", "mean" -> MEAN_GRADIENT;
            default -> throw new IllegalArgumentException("--sgd-step: unknown value '" + s
                    + "'; expected official-code or mean-gradient");
        };
    }

    /** The command-line spelling. */
    public String label() {
        return this == OFFICIAL_CODE ? "official-code" : "mean-gradient";
    }
}
