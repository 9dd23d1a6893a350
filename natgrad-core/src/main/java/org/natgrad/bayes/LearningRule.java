package org.natgrad.bayes;

/**
 * One step of a learning rule that fits a network's visible marginal p_V to a target p*_V by
 * decreasing L_V = KL(p*_V ‖ p_V) (math.md §5.3–5.5):
 * <ul>
 *   <li>{@link PlainGradient}: θ ← θ − η ∇L_V;</li>
 *   <li>{@link VisibleNaturalGradient}: θ ← θ − η G_V^+ ∇L_V (dense, non-local);</li>
 *   <li>{@link LocalNaturalGradient}: θ_r ← θ_r − η (G_r + εI)^-1 ∂_r L_V with the exact
 *       posterior (EM-like: the completed-data gradient, preconditioned by the full-system
 *       metric);</li>
 *   <li>{@link WakeSleep}: a recognition model completes the data; optional local natural
 *       gradient in both phases (our reconstruction of math.md §5.4).</li>
 * </ul>
 * The exact rules enumerate the joint states (n ≤ {@value Enumeration#MAX_UNITS}); wake–sleep
 * only samples. Rules may keep state (wake–sleep holds its recognition model and random stream).
 */
public sealed interface LearningRule permits PlainGradient, VisibleNaturalGradient, LocalNaturalGradient, WakeSleep {

    /** A short name for logs and plots, e.g. {@code local-ng}. */
    String name();

    /** Updates {@code net}'s parameters in place by one step towards {@code target}. */
    void step(BayesNet net, VisibleTarget target);
}
