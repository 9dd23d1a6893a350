package org.natgrad.bayes;

/**
 * The local full-system natural gradient with the exact posterior (EM-like):
 * θ_r ← θ_r − η (G_r + εI)^-1 ∂_{θ_r} KL(p*_V ‖ p_V), where ∂_{θ_r} KL = −E_{p*(v)p(h|v)}[s_r]
 * (the completed-data gradient, by the Fisher identity) and G_r the exact local block of the
 * full-system Fisher (math.md §5.2), both from family marginals of one enumeration. The extra
 * cost over {@link PlainGradient} is one more pass of family marginals and tiny block solves.
 */
public record LocalNaturalGradient(double rate, double damping) implements LearningRule {
    public LocalNaturalGradient {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("LocalNaturalGradient: rate must be finite and > 0, got " + rate);
        }
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("LocalNaturalGradient: damping must be finite and >= 0, got " + damping);
        }
    }

    @Override
    public String name() {
        return "local-ng";
    }

    /** The direction G^-1 ∇L_V with G = blkdiag(G_r + εI) (without the minus sign or rate). */
    public static double[] direction(Enumeration e, VisibleTarget target, double damping) {
        return e.localFisher().solve(e.visibleGradient(target), damping);
    }

    @Override
    public void step(BayesNet net, VisibleTarget target) {
        net.addToParameters(-rate, direction(Enumeration.of(net), target, damping));
    }
}
