package org.natgrad.bayes;

import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.Matrix;

/**
 * θ ← θ − η G_V^+ ∇_θ KL(p*_V ‖ p_V): the natural gradient of the visible geometry, with the
 * Moore-Penrose pseudo-inverse of the dense visible Fisher G_V (rank ≤ 2^|V| − 1, so singular
 * whenever P ≥ 2^|V|), eigenvalues at or below {@code relTol} times the largest dropped. Cost
 * per step: the explicit scores of all 2^n joint states (2^n · P) plus a P x P eigensolve.
 */
public record VisibleNaturalGradient(double rate, double relTol) implements LearningRule {
    public VisibleNaturalGradient {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("VisibleNaturalGradient: rate must be finite and > 0, got " + rate);
        }
        if (!(relTol > 0) || relTol >= 1) {
            throw new IllegalArgumentException("VisibleNaturalGradient: relTol must be in (0, 1), got " + relTol);
        }
    }

    @Override
    public String name() {
        return "visible-ng";
    }

    /** The direction G_V^+ ∇L_V (without the minus sign or rate). */
    public static double[] direction(Enumeration e, VisibleTarget target, double relTol) {
        double[] g = e.visibleGradient(target);
        Matrix pinv = Inverses.pseudoInverse(e.visibleFisher(), relTol);
        int p = g.length;
        double[] d = new double[p];
        for (int j = 0; j < p; j++) {
            double gj = g[j];
            for (int i = 0; i < p; i++) {
                d[i] += pinv.get(i, j) * gj;
            }
        }
        return d;
    }

    @Override
    public void step(BayesNet net, VisibleTarget target) {
        net.addToParameters(-rate, direction(Enumeration.of(net), target, relTol));
    }
}
