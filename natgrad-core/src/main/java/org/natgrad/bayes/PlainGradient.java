package org.natgrad.bayes;

/** θ ← θ − η ∇_θ KL(p*_V ‖ p_V), with the exact gradient by enumeration. */
public record PlainGradient(double rate) implements LearningRule {
    public PlainGradient {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("PlainGradient: rate must be finite and > 0, got " + rate);
        }
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public void step(BayesNet net, VisibleTarget target) {
        double[] g = Enumeration.of(net).visibleGradient(target);
        net.addToParameters(-rate, g);
    }
}
