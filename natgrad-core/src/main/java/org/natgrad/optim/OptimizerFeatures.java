package org.natgrad.optim;

import org.natgrad.curvature.CurvatureChoice;

/**
 * The optimizer features of kfac-jax's K-FAC for {@link NaturalGradient}, for every curvature
 * representation and for the paper's Eq. 20 rule; every one is OFF in {@link #off()} (the value
 * {@link NaturalGradient#NaturalGradient(org.natgrad.likelihood.Likelihood, NaturalGradientOptions)}
 * uses), where the optimizer steps exactly as without them. The non-trivial defaults of the builder
 * (decay 0.95, adaptation every 5 steps, ω = (19/20)^T3) are kfac-jax's, not chosen by a measurement
 * of ours. Notation: g the minibatch gradient (weight decay included), G the exact generalized
 * Gauss–Newton (= Fisher) matrix of the batch ({@link org.natgrad.matrixfree.BatchCurvature}), λ the
 * damping, c the weight decay, C = G + (λ + c) I, and the quadratic model
 * q(δ) = gᵀδ + ½ δᵀ C δ (loss units; δ in parameter units).
 *
 * @param factorDecay        β ∈ [0, 1): the statistics in use are the moving average
 *                           β · old + (1 − β) · new of the per-batch statistics, in factor form
 *                           ({@link org.natgrad.statistics.CurvatureStatistics#movingAverage}); the first
 *                           estimate is taken as is (no bias correction), so after k statistics steps the
 *                           weights are β^{k−1} on the first batch and (1 − β) β^{k−j} on batch j ≥ 2.
 *                           0: off (each statistics step replaces the statistics). Only with
 *                           representations built from Kronecker factors (EQ20, KFAC); kfac-jax: 0.95
 * @param curvatureEvery     T1 ≥ 1: statistics (and the moving average) every T1 steps; 0: the options'
 *                           {@code refreshEvery}
 * @param inverseEvery       T2 ≥ 1: the representation is rebuilt (factorized) from the current statistics
 *                           every T2 steps, reusing them between; 0: the options' {@code refreshEvery}
 *                           ({@code refreshEvery} stays the shorthand for T1 = T2)
 * @param dampingRule        {@link DampingRule#LEVENBERG_MARQUARDT} (default: the options' Eq. 21 rule with
 *                           the representation's predicted decrease) or {@link DampingRule#QUADRATIC_MODEL}
 * @param dampingAdaptEvery  T3 ≥ 1: the quadratic-model rule adapts λ on steps 0, T3, 2 T3, ... (after burn-in);
 *                           kfac-jax: 5
 * @param dampingDecay       ω ∈ (0, 1): λ ← λ ω when ρ &gt; 3/4, λ ← λ / ω when ρ &lt; 1/4; NaN: (19/20)^T3
 *                           (kfac-jax)
 * @param momentum           μ ∈ [0, 1): fixed momentum, δ = −α_eff (G + λI)^{-1} g + μ δ_prev (heavy ball on
 *                           the preconditioned direction; α_eff = α / L for Eq. 20, α otherwise); 0: off.
 *                           Not with {@code adaptiveLrMomentum}
 * @param adaptiveLrMomentum true: each step (α, μ) minimize q(α Δ + μ δ_prev), Δ = −(G + λI)^{-1} g, over
 *                           the 2-D subspace (see {@link QuadraticModel}); replaces the options' α (and
 *                           Eq. 20's 1/L). Costs two exact G products per step (G Δ and G δ_prev: each a
 *                           forward-mode pass and a backward pass over the batch)
 * @param normConstraint     C_n &gt; 0: kfac-jax's {@code norm_constraint}: with v = (G + λI)^{-1} g and the
 *                           fixed step size α_eff, the update is scaled by min(1, √(C_n / (α_eff² gᵀv)));
 *                           0 (or +∞, stored as 0): off. Not with {@code adaptiveLrMomentum} (as in kfac-jax)
 * @param weightDecay        c ≥ 0: L2 coefficient; the loss is L + (c/2)|θ|², the gradient g + c θ, and
 *                           since c I is the exact curvature of that term, the solve and the quadratic
 *                           model use λ + c (λ itself is adapted and reported without c). The blow-up check
 *                           and ρ use the loss with the L2 term
 * @param burnin             N ≥ 0: kfac-jax's {@code num_burnin_steps}: the first N steps only accumulate
 *                           statistics (equal-weight mean of the N batches), weights and λ untouched; the
 *                           periods count from the first step after burn-in
 */
public record OptimizerFeatures(double factorDecay, int curvatureEvery, int inverseEvery, DampingRule dampingRule,
                                int dampingAdaptEvery, double dampingDecay, double momentum,
                                boolean adaptiveLrMomentum, double normConstraint, double weightDecay, int burnin) {

    /** How λ is adapted. */
    public enum DampingRule {
        /** The options' rule (Eq. 21 when adaptive): ρ against the representation's predicted decrease. */
        LEVENBERG_MARQUARDT("lm"),
        /**
         * kfac-jax's rule: ρ = (L(θ + δ) − L(θ)) / q(δ) with q from EXACT G δ products on the batch
         * ({@link org.natgrad.matrixfree.BatchCurvature}), every T3 steps; thresholds 1/4 and 3/4, factor ω,
         * λ kept in the options' [minDamping, maxDamping]. Eq. 21 instead divides by the predicted decrease
         * of the representation (a K-FAC or Eq. 20 model of G), which this rule does not trust.
         */
        QUADRATIC_MODEL("quadratic");

        private final String label;

        DampingRule(String label) {
            this.label = label;
        }

        /** The CLI name. */
        public String label() {
            return label;
        }

        /** Parses a CLI name (lm or quadratic). */
        public static DampingRule parse(String s) {
            for (DampingRule r : values()) {
                if (r.label.equalsIgnoreCase(s) || r.name().equalsIgnoreCase(s)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("damping rule must be lm or quadratic, got '" + s + "'");
        }
    }

    /** kfac-jax's factor decay. */
    public static final double KFAC_JAX_DECAY = 0.95;
    /** kfac-jax's damping adaptation interval. */
    public static final int KFAC_JAX_ADAPT_EVERY = 5;

    public OptimizerFeatures {
        if (dampingRule == null) {
            dampingRule = DampingRule.LEVENBERG_MARQUARDT;
        }
        if (!(factorDecay >= 0 && factorDecay < 1)) {
            throw new IllegalArgumentException("OptimizerFeatures: factorDecay must be in [0, 1) (0 = off), got " + factorDecay);
        }
        if (curvatureEvery < 0 || inverseEvery < 0) {
            throw new IllegalArgumentException("OptimizerFeatures: curvatureEvery and inverseEvery must be >= 1 (0 = refreshEvery), got "
                    + curvatureEvery + " and " + inverseEvery);
        }
        if (dampingAdaptEvery < 1) {
            throw new IllegalArgumentException("OptimizerFeatures: dampingAdaptEvery must be >= 1, got " + dampingAdaptEvery);
        }
        if (Double.isNaN(dampingDecay)) {
            dampingDecay = Math.pow(19.0 / 20.0, dampingAdaptEvery);
        }
        if (!(dampingDecay > 0 && dampingDecay < 1)) {
            throw new IllegalArgumentException("OptimizerFeatures: dampingDecay must be in (0, 1) (NaN = (19/20)^T3), got "
                    + dampingDecay);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("OptimizerFeatures: momentum must be in [0, 1) (0 = off), got " + momentum);
        }
        if (adaptiveLrMomentum && momentum != 0) {
            throw new IllegalArgumentException("OptimizerFeatures: a fixed momentum cannot be combined with adaptiveLrMomentum "
                    + "(which chooses μ itself)");
        }
        if (normConstraint == Double.POSITIVE_INFINITY) {
            normConstraint = 0; // no constraint either way; 0 survives a JSON round trip, +Infinity does not
        }
        if (!(normConstraint >= 0)) {
            throw new IllegalArgumentException("OptimizerFeatures: normConstraint must be > 0 (0 or +Infinity = off), got "
                    + normConstraint);
        }
        if (adaptiveLrMomentum && normConstraint > 0) {
            throw new IllegalArgumentException("OptimizerFeatures: normConstraint needs a fixed step size; it cannot be "
                    + "combined with adaptiveLrMomentum (as in kfac-jax)");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("OptimizerFeatures: weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (burnin < 0) {
            throw new IllegalArgumentException("OptimizerFeatures: burnin must be >= 0, got " + burnin);
        }
    }

    /** Everything off: the optimizer as without these features. */
    public static OptimizerFeatures off() {
        return builder().build();
    }

    /** True when every feature is off (the optimizer then takes its original path, bit for bit). */
    public boolean allOff() {
        return factorDecay == 0 && curvatureEvery == 0 && inverseEvery == 0 && dampingRule == DampingRule.LEVENBERG_MARQUARDT
                && momentum == 0 && !adaptiveLrMomentum && normConstraint == 0 && weightDecay == 0
                && burnin == 0;
    }

    /** T1 under options whose refreshEvery is {@code refreshEvery}. */
    public int curvaturePeriod(int refreshEvery) {
        return curvatureEvery == 0 ? refreshEvery : curvatureEvery;
    }

    /** T2 under options whose refreshEvery is {@code refreshEvery}. */
    public int inversePeriod(int refreshEvery) {
        return inverseEvery == 0 ? refreshEvery : inverseEvery;
    }

    /** True when a step needs exact G products on its batch. */
    public boolean needsProducts() {
        return adaptiveLrMomentum || dampingRule == DampingRule.QUADRATIC_MODEL;
    }

    /**
     * Rejects combinations with {@code options} that cannot work, with a message naming both.
     *
     * @throws IllegalArgumentException on such a combination
     */
    public void validateWith(NaturalGradientOptions options) {
        CurvatureChoice c = options.curvature();
        if (factorDecay > 0 && c != CurvatureChoice.EQ20 && c != CurvatureChoice.KFAC) {
            throw new IllegalArgumentException("OptimizerFeatures: factorDecay averages Kronecker factors; curvature "
                    + c.label() + " is not built from them (use eq20 or kfac, or factorDecay 0)");
        }
        if (burnin > 0 && c != CurvatureChoice.EQ20 && c != CurvatureChoice.KFAC) {
            throw new IllegalArgumentException("OptimizerFeatures: burnin averages Kronecker factors over the burn-in "
                    + "batches; curvature " + c.label() + " is not built from them (use eq20 or kfac, or burnin 0)");
        }
        if (dampingRule == DampingRule.QUADRATIC_MODEL) {
            if (!options.adaptiveDamping() || options.pseudoInverse()) {
                throw new IllegalArgumentException("OptimizerFeatures: the quadratic-model damping rule needs adaptive "
                        + "damping on and no pseudo-inverse in the options");
            }
            if (options.dampingEvery() != 1) {
                throw new IllegalArgumentException("OptimizerFeatures: the quadratic-model damping rule needs the loss "
                        + "re-evaluated every step (options dampingEvery 1, got " + options.dampingEvery()
                        + "); its own period is dampingAdaptEvery");
            }
        }
    }

    /** A builder with everything off (and kfac-jax's T3 = 5, ω = (19/20)^T3 for when the rule is chosen). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these features. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.factorDecay = factorDecay;
        b.curvatureEvery = curvatureEvery;
        b.inverseEvery = inverseEvery;
        b.dampingRule = dampingRule;
        b.dampingAdaptEvery = dampingAdaptEvery;
        b.dampingDecay = dampingDecay;
        b.momentum = momentum;
        b.adaptiveLrMomentum = adaptiveLrMomentum;
        b.normConstraint = normConstraint;
        b.weightDecay = weightDecay;
        b.burnin = burnin;
        return b;
    }

    /** Mutable builder of {@link OptimizerFeatures}; {@link #build()} validates. */
    public static final class Builder {
        private double factorDecay = 0;
        private int curvatureEvery = 0;
        private int inverseEvery = 0;
        private DampingRule dampingRule = DampingRule.LEVENBERG_MARQUARDT;
        private int dampingAdaptEvery = KFAC_JAX_ADAPT_EVERY;
        private double dampingDecay = Double.NaN;
        private double momentum = 0;
        private boolean adaptiveLrMomentum = false;
        private double normConstraint = 0;
        private double weightDecay = 0;
        private int burnin = 0;

        private Builder() {
        }

        /** Sets {@code factorDecay} (0 = off; kfac-jax {@link #KFAC_JAX_DECAY}). */
        public Builder factorDecay(double v) {
            factorDecay = v;
            return this;
        }

        /** Sets T1 (0 = refreshEvery). */
        public Builder curvatureEvery(int v) {
            curvatureEvery = v;
            return this;
        }

        /** Sets T2 (0 = refreshEvery). */
        public Builder inverseEvery(int v) {
            inverseEvery = v;
            return this;
        }

        /** Sets the damping rule. */
        public Builder dampingRule(DampingRule v) {
            dampingRule = v;
            return this;
        }

        /** Sets T3. When ω is still NaN it follows as (19/20)^T3. */
        public Builder dampingAdaptEvery(int v) {
            dampingAdaptEvery = v;
            return this;
        }

        /** Sets ω (NaN = (19/20)^T3). */
        public Builder dampingDecay(double v) {
            dampingDecay = v;
            return this;
        }

        /** Sets the fixed momentum μ (0 = off). */
        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        /** Sets whether (α, μ) come from the quadratic model. */
        public Builder adaptiveLrMomentum(boolean v) {
            adaptiveLrMomentum = v;
            return this;
        }

        /** Sets the norm constraint (0 or +∞ = off). */
        public Builder normConstraint(double v) {
            normConstraint = v;
            return this;
        }

        /** Sets the weight decay c (0 = off). */
        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** Sets the burn-in steps N (0 = off). */
        public Builder burnin(int v) {
            burnin = v;
            return this;
        }

        /** The features (validated). */
        public OptimizerFeatures build() {
            return new OptimizerFeatures(factorDecay, curvatureEvery, inverseEvery, dampingRule, dampingAdaptEvery,
                    dampingDecay, momentum, adaptiveLrMomentum, normConstraint, weightDecay, burnin);
        }
    }
}
