package org.natgrad.optim;

/**
 * How the Levenberg–Marquardt rule (math.md Eq. 21) predicts the change in loss of a natural
 * gradient step W̄_i ← W̄_i − (α/L) D_i, from s = Σ_i ⟨G_i, D_i⟩_F (G_i the mean-loss gradient,
 * D_i the direction of math.md §2.7 step 6). Both are negative for a descent direction and
 * 0 < α < 2; they agree when L = 1.
 */
public enum PredictedDecrease {
    /**
     * The paper's footnote 1, read as the quadratic model whose Newton step is the α = 1 update:
     * (−α + α²/2) (1/L) s. For a deep linear network with exact expectations this is the exact
     * second-order prediction for any L (the step is −α F^g ∇L and F F^g ∇L = ∇L), so ρ → 1 near
     * the optimum.
     */
    PAPER_FOOTNOTE {
        @Override
        public double predicted(double alpha, int layers, double sumGradDirection) {
            return (-alpha + alpha * alpha / 2) * sumGradDirection / layers;
        }
    },
    /**
     * The official code ({@code lib/ngd.ml}): with a = α/L, (−a + a²/2) s. With α = 1 this is
     * −(1/L)(1 − 1/(2L)) s, about 2x the footnote's prediction for deep networks.
     */
    OFFICIAL_CODE {
        @Override
        public double predicted(double alpha, int layers, double sumGradDirection) {
            double a = alpha / layers;
            return (-a + a * a / 2) * sumGradDirection;
        }
    };

    /** The predicted change in loss (negative = decrease). */
    public abstract double predicted(double alpha, int layers, double sumGradDirection);
}
