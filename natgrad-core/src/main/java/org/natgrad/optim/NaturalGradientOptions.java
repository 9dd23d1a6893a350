package org.natgrad.optim;

import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.Precision;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.linalg.PsdSolver;

/**
 * Options of {@link NaturalGradient} (math.md §2.7), validated on construction.
 *
 * @param alpha             step size α &gt; 0; the update is W̄_i ← W̄_i − (α/L) D_i
 * @param modelSamples      K: model-sampled targets per example for Λ̃_i; 0 means the exact
 *                          expectation over the model's outputs (output-Fisher factor, no sampling)
 * @param initialDamping    λ_0 (√λ is added to both factors); &gt; 0 unless {@code pseudoInverse}
 * @param adaptiveDamping   true: Levenberg–Marquardt (Eq. 21); false: λ stays fixed (except that a
 *                          rejected step raises it)
 * @param predictedDecrease the predicted change used by ρ
 * @param pseudoInverse     true: Moore–Penrose pseudo-inverses of the factors and no damping at all
 *                          (λ is still tracked and reported but not applied)
 * @param inverse           how factors are inverted
 * @param refreshEvery      T ≥ 1: the factors and their decompositions are recomputed every T steps
 *                          (steps 0, T, 2T, ...); between refreshes the stale ones are used with the
 *                          current damping
 * @param blowUpFactor      a step is rejected when the new minibatch loss exceeds this times the old
 *                          one (&gt; 1; +∞ disables the check; NaN/Inf losses are always rejected)
 * @param maxDamping        cap on λ (≥ λ_0; may be +∞)
 * @param seed              seed of the optimizer's random stream (model samples, sketches)
 * @param curvature         the curvature representation G of the step θ ← θ − α (G + λI)^{-1} ∇L
 *                          ({@link CurvatureChoice}; K-FAC splits √λ between its factors), or null
 *                          (the default) for the paper's Eq. 20 Kronecker rule
 *                          W̄_i ← W̄_i − (α/L)(Λ̃_i + √λ I)^{-1} G_i (Λ_i + √λ I)^{-1}. With a
 *                          representation, {@code modelSamples} picks its {@link org.natgrad.statistics.CurvatureKind}
 *                          (0 exact, K ≥ 1 Monte Carlo), {@code pseudoInverse} solves with λ = 0
 *                          (Moore–Penrose), and {@code inverse}, {@code factorPrecision} and
 *                          {@code linearMoments} must keep their defaults (each representation has
 *                          its own solver, in data space where that is cheaper; see below)
 * @param dampingEvery      T_damp ≥ 1 (default 1, the paper): the loss is re-evaluated after the step,
 *                          ρ formed and λ adapted only on steps 0, T_damp, 2 T_damp, ... (like
 *                          kfac-jax's damping adaptation interval); the other steps skip that
 *                          forward pass and keep λ (so CHOLESKY factors of the damped Kronecker
 *                          factors are reused). Their report has {@code lossAfter} = ρ = NaN.
 *                          Safety on such an unchecked step is <b>deferred</b>: its update is still
 *                          rejected at once when it has a NaN/Inf; otherwise the weights before it
 *                          are kept, and the next step's forward pass (on that step's minibatch)
 *                          checks the loss at the new weights first: when it is NaN/Inf or exceeds
 *                          {@code blowUpFactor} x the loss before the unchecked step (measured on
 *                          the earlier minibatch), the unchecked step is undone bit-for-bit, λ is
 *                          raised as for any rejection, and that next step returns rejected without
 *                          moving. Weaker than T_damp = 1: the comparison is across minibatches, and
 *                          the last step before the caller stops (or before {@code restore}) is not
 *                          checked
 * @param minDamping        floor on the adaptive λ (≥ 0; default {@link #DEFAULT_MIN_DAMPING}). Without
 *                          it the Levenberg–Marquardt rule keeps shrinking λ once the loss sits at its
 *                          noise floor (ρ &gt; 3/4 from noise), down to 1e-17…1e-30 in our Figure 1 runs,
 *                          where near-singular damped factors made NGD leave the minimum; the official
 *                          2018 code avoids this by truncating its pseudo-inverses
 * @param linearMoments     true (the default): when every layer is linear (identity activation), the
 *                          likelihood is {@link org.natgrad.likelihood.Gaussian} and {@code curvature}
 *                          is null, {@link NaturalGradient} computes the Eq. 20 step from the minibatch
 *                          second moment of [x; 1; y] (one syrk over the batch, then O(L d³) with
 *                          d = n_0 + 1 + n_L, independent of M): for a linear network the loss, gradient,
 *                          Λ_i, Λ̃_i (same model samples, same random stream) and the loss after the
 *                          step are exact functions of it, so the step equals the general one up to
 *                          round-off. false: always the general path (forward and K + 1 backward
 *                          passes over the batch)
 * @param factorPrecision   precision of the Eq. 20 factor work: Λ_i, Λ̃_i, their Cholesky factors and
 *                          the products of D_i ({@link FactorPrecision}; default AUTO = single precision
 *                          for damped CHOLESKY factors of size ≥ {@link PsdSolver#AUTO_SINGLE_MIN_SIZE},
 *                          double below and for every other strategy). The passes and the gradient
 *                          follow {@code precision}; losses, update and weights are double whatever
 *                          this says. Not used by the
 *                          {@code curvature} representations, which work in double
 * @param keyedSamples      false (the default): the K model-sampled targets of a step come from the
 *                          optimizer's one random stream, column after column. true: column j of step
 *                          t draws from {@code Rng.keyed(seed, t, j)} ({@link BatchEvaluation#keyedPasses}),
 *                          so that the draws do not depend on how the minibatch is split, which is how
 *                          natgrad-spark always draws; a local run with it matches a Spark run to
 *                          round-off. Not with {@code linearMoments} (the moments path then steps aside). Keyed draws are double precision: not with {@code precision} SINGLE
 * @param precision         precision of the passes and the gradient ({@link Precision}; default
 *                          DOUBLE, also when null, as in options files written before it existed): SINGLE runs the forward pass, the backward pass of the true
 *                          targets and the K model-sampled backward passes in float32 (sgemm), so the
 *                          gradient and the statistics' errors are float32 values; the losses, ρ,
 *                          Σ⟨G_i, D_i⟩, the update and the weights stay double precision (the update
 *                          θ ← θ − α d is applied in double to the float32-derived direction), and
 *                          {@code factorPrecision} still decides the factor work. A float32 overflow
 *                          (NaN/Inf in the loss, gradient, statistics or direction) rejects the step
 *                          with a reason that names single precision. The linear-moment path
 *                          ({@code linearMoments}) has no passes and stays double
 * @param kfcReduce         for a convolution (a Kronecker layer with L > 1 locations), K-FAC and the
 *                          Eq. 20 rule use KFC's reduce factors (mean patch, summed error per
 *                          example, Eschenhagen et al. 2023) instead of the expand ones (the L·M
 *                          (example, location) pairs as samples); default false; no effect on a
 *                          dense network
 *
 * <p>{@code inverse}, {@code factorPrecision} and {@code linearMoments} apply only to the Eq. 20
 * representation ({@link CurvatureChoice#EQ20}): with any other {@code curvature} they must keep their
 * defaults (AUTO, AUTO, true), and a different value is rejected with a message naming the
 * component and the representation, rather than silently ignored.
 */
public record NaturalGradientOptions(double alpha, int modelSamples, double initialDamping, boolean adaptiveDamping,
                                     PredictedDecrease predictedDecrease, boolean pseudoInverse,
                                     InverseStrategy inverse, int refreshEvery, double blowUpFactor,
                                     double maxDamping, long seed, CurvatureChoice curvature, int dampingEvery,
                                     double minDamping, boolean linearMoments, FactorPrecision factorPrecision,
                                     boolean keyedSamples, Precision precision, boolean kfcReduce) {

    /** {@code modelSamples} value meaning "exact expectation over the model's outputs". */
    public static final int EXACT_MODEL_EXPECTATION = 0;

    public NaturalGradientOptions {
        if (curvature == null) {
            curvature = CurvatureChoice.EQ20;
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("NaturalGradientOptions: alpha must be finite and > 0, got " + alpha);
        }
        if (modelSamples < 0) {
            throw new IllegalArgumentException("NaturalGradientOptions: modelSamples must be >= 0 (0 = exact), got "
                    + modelSamples);
        }
        if (!(initialDamping >= 0) || Double.isInfinite(initialDamping)) {
            throw new IllegalArgumentException("NaturalGradientOptions: initialDamping must be finite and >= 0, got "
                    + initialDamping);
        }
        if (initialDamping == 0 && !pseudoInverse) {
            throw new IllegalArgumentException("NaturalGradientOptions: initialDamping must be > 0 unless pseudoInverse "
                    + "is set (the damped factors would be singular)");
        }
        if (initialDamping == 0 && adaptiveDamping) {
            throw new IllegalArgumentException("NaturalGradientOptions: adaptive damping needs initialDamping > 0");
        }
        if (predictedDecrease == null || inverse == null) {
            throw new IllegalArgumentException("NaturalGradientOptions: predictedDecrease and inverse must be set");
        }
        if (pseudoInverse && inverse == InverseStrategy.SHERMAN_MORRISON) {
            throw new IllegalArgumentException("NaturalGradientOptions: SHERMAN_MORRISON needs damping > 0 and cannot "
                    + "give pseudo-inverses; use EIGEN, CHOLESKY, RANDOMIZED_SVD or AUTO");
        }
        if (refreshEvery < 1) {
            throw new IllegalArgumentException("NaturalGradientOptions: refreshEvery must be >= 1, got " + refreshEvery);
        }
        if (!(blowUpFactor > 1)) {
            throw new IllegalArgumentException("NaturalGradientOptions: blowUpFactor must be > 1 (or +Infinity), got "
                    + blowUpFactor);
        }
        if (!(minDamping >= 0) || !(minDamping <= maxDamping)) {
            throw new IllegalArgumentException("NaturalGradientOptions: minDamping must be in [0, maxDamping " + maxDamping
                    + "], got " + minDamping);
        }
        if (factorPrecision == null) {
            throw new IllegalArgumentException("NaturalGradientOptions: factorPrecision must be given (AUTO, DOUBLE or SINGLE)");
        }
        if (precision == null) {
            precision = Precision.DOUBLE; // options files written before the option have none
        }
        if (keyedSamples && precision == Precision.SINGLE) {
            throw new IllegalArgumentException("NaturalGradientOptions: keyedSamples draws in double precision; "
                    + "it cannot be combined with precision = SINGLE");
        }
        if (dampingEvery < 1) {
            throw new IllegalArgumentException("NaturalGradientOptions: dampingEvery must be >= 1, got " + dampingEvery);
        }
        if (!(maxDamping >= initialDamping) || !(maxDamping > 0)) {
            throw new IllegalArgumentException("NaturalGradientOptions: maxDamping must be > 0 and >= initialDamping "
                    + initialDamping + ", got " + maxDamping);
        }
        if (curvature != CurvatureChoice.EQ20) {
            eq20Only(inverse != InverseStrategy.AUTO, "inverse", inverse, curvature,
                    "it solves with its own factorizations");
            eq20Only(factorPrecision != FactorPrecision.AUTO, "factorPrecision", factorPrecision, curvature,
                    "it works in double precision");
            eq20Only(!linearMoments, "linearMoments", false, curvature,
                    "it always takes its statistics from forward and backward passes");
        }
    }

    /** Rejects an Eq. 20-only component set away from its default under another representation. */
    private static void eq20Only(boolean set, String component, Object value, CurvatureChoice curvature, String why) {
        if (set) {
            throw new IllegalArgumentException("NaturalGradientOptions: " + component + " = " + value
                    + " applies only to the Eq. 20 representation (curvature eq20), not to curvature "
                    + curvature.label() + ": " + why + "; leave " + component + " at its default");
        }
    }

    /** The floor on λ of {@link #paperDefaults()} (kfac-jax's default minimum damping). */
    public static final double DEFAULT_MIN_DAMPING = 1e-8;

    /**
     * The paper's NGD settings (math.md §2.7–2.8): α = 1, K = 1, λ_0 = 0.01 (the official code's
     * value for the linear networks), adaptive damping with the {@link PredictedDecrease#PAPER_FOOTNOTE}
     * prediction. Why the footnote rather than the official code's constant: for a deep linear network
     * with exact expectations the step is −α F^g ∇L with F F^g ∇L = ∇L, so the footnote's
     * (−α + α²/2)(1/L) Σ⟨G_i, D_i⟩ is exactly the quadratic model's change and ρ → 1 near the optimum
     * for every depth, whereas the code's constant gives ρ ≈ 1/(2 − 1/L) (0.52 for L = 16) and so a
     * rule that is biased towards raising λ. They agree for L = 1. Also: AUTO inverses, refresh every
     * step (T = 1), reject steps that multiply the loss by more than 10, λ kept in [1e-8, 1e8], seed 0.
     */
    public static NaturalGradientOptions paperDefaults() {
        return builder().build();
    }

    /** A builder starting from {@link #paperDefaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.alpha = alpha;
        b.modelSamples = modelSamples;
        b.initialDamping = initialDamping;
        b.adaptiveDamping = adaptiveDamping;
        b.predictedDecrease = predictedDecrease;
        b.pseudoInverse = pseudoInverse;
        b.inverse = inverse;
        b.refreshEvery = refreshEvery;
        b.blowUpFactor = blowUpFactor;
        b.maxDamping = maxDamping;
        b.seed = seed;
        b.curvature = curvature;
        b.dampingEvery = dampingEvery;
        b.minDamping = minDamping;
        b.linearMoments = linearMoments;
        b.factorPrecision = factorPrecision;
        b.keyedSamples = keyedSamples;
        b.precision = precision;
        b.kfcReduce = kfcReduce;
        return b;
    }

    /** The same options with {@code alpha} = v (validated as the record says). */
    public NaturalGradientOptions withAlpha(double v) {
        return toBuilder().alpha(v).build();
    }

    /** The same options with {@code modelSamples} = v (validated as the record says). */
    public NaturalGradientOptions withModelSamples(int v) {
        return toBuilder().modelSamples(v).build();
    }

    /** The same options with {@code initialDamping} = v (validated as the record says). */
    public NaturalGradientOptions withInitialDamping(double v) {
        return toBuilder().initialDamping(v).build();
    }

    /** The same options with {@code adaptiveDamping} = v (validated as the record says). */
    public NaturalGradientOptions withAdaptiveDamping(boolean v) {
        return toBuilder().adaptiveDamping(v).build();
    }

    /** The same options with {@code predictedDecrease} = v (validated as the record says). */
    public NaturalGradientOptions withPredictedDecrease(PredictedDecrease v) {
        return toBuilder().predictedDecrease(v).build();
    }

    /** The same options with {@code pseudoInverse} = v (validated as the record says). */
    public NaturalGradientOptions withPseudoInverse(boolean v) {
        return toBuilder().pseudoInverse(v).build();
    }

    /** The same options with {@code inverse} = v (validated as the record says). */
    public NaturalGradientOptions withInverse(InverseStrategy v) {
        return toBuilder().inverse(v).build();
    }

    /** The same options with {@code refreshEvery} = v (validated as the record says). */
    public NaturalGradientOptions withRefreshEvery(int v) {
        return toBuilder().refreshEvery(v).build();
    }

    /** The same options with {@code blowUpFactor} = v (validated as the record says). */
    public NaturalGradientOptions withBlowUpFactor(double v) {
        return toBuilder().blowUpFactor(v).build();
    }

    /** The same options with {@code maxDamping} = v (validated as the record says). */
    public NaturalGradientOptions withMaxDamping(double v) {
        return toBuilder().maxDamping(v).build();
    }

    /** The same options with {@code seed} = v (validated as the record says). */
    public NaturalGradientOptions withSeed(long v) {
        return toBuilder().seed(v).build();
    }

    /**
     * The same options with curvature representation {@code v} (null: the paper's Eq. 20 rule):
     * the one argument that switches a user's optimizer between the Eq. 20 rule, exact,
     * block-diagonal, tri-diagonal, K-FAC, EK-FAC, unit-wise and diagonal natural gradient.
     */
    public NaturalGradientOptions withCurvature(CurvatureChoice v) {
        return toBuilder().curvature(v).build();
    }

    /** The same options with {@code dampingEvery} = v (validated as the record says). */
    public NaturalGradientOptions withDampingEvery(int v) {
        return toBuilder().dampingEvery(v).build();
    }

    /** The same options with {@code minDamping} = v (validated as the record says). */
    public NaturalGradientOptions withMinDamping(double v) {
        return toBuilder().minDamping(v).build();
    }

    /** The same options with {@code linearMoments} = v (validated as the record says). */
    public NaturalGradientOptions withLinearMoments(boolean v) {
        return toBuilder().linearMoments(v).build();
    }

    /** The same options with {@code keyedSamples} = v. */
    public NaturalGradientOptions withKeyedSamples(boolean v) {
        return toBuilder().keyedSamples(v).build();
    }

    /** The same options with {@code factorPrecision} = v (validated as the record says). */
    public NaturalGradientOptions withFactorPrecision(FactorPrecision v) {
        return toBuilder().factorPrecision(v).build();
    }

    /** The same options with {@code precision} = v (validated as the record says). */
    public NaturalGradientOptions withPrecision(Precision v) {
        return toBuilder().precision(v).build();
    }

    /**
     * Mutable builder of {@link NaturalGradientOptions}: every component starts at its
     * {@link #paperDefaults()} value; {@link #build()} validates.
     */
    public static final class Builder {
        private double alpha = 1.0;
        private int modelSamples = 1;
        private double initialDamping = 0.01;
        private boolean adaptiveDamping = true;
        private PredictedDecrease predictedDecrease = PredictedDecrease.PAPER_FOOTNOTE;
        private boolean pseudoInverse = false;
        private InverseStrategy inverse = InverseStrategy.AUTO;
        private int refreshEvery = 1;
        private double blowUpFactor = 10.0;
        private double maxDamping = 1e8;
        private long seed = 0L;
        private CurvatureChoice curvature = CurvatureChoice.EQ20;
        private int dampingEvery = 1;
        private double minDamping = DEFAULT_MIN_DAMPING;
        private boolean linearMoments = true;
        private FactorPrecision factorPrecision = FactorPrecision.AUTO;
        private boolean keyedSamples = false;
        private Precision precision = Precision.DOUBLE;
        private boolean kfcReduce = false;

        private Builder() {
        }

        /** Sets {@code alpha}. */
        public Builder alpha(double v) {
            alpha = v;
            return this;
        }

        /** Sets {@code modelSamples}. */
        public Builder modelSamples(int v) {
            modelSamples = v;
            return this;
        }

        /** Sets {@code initialDamping}. */
        public Builder initialDamping(double v) {
            initialDamping = v;
            return this;
        }

        /** Sets {@code adaptiveDamping}. */
        public Builder adaptiveDamping(boolean v) {
            adaptiveDamping = v;
            return this;
        }

        /** Sets {@code predictedDecrease}. */
        public Builder predictedDecrease(PredictedDecrease v) {
            predictedDecrease = v;
            return this;
        }

        /** Sets {@code pseudoInverse}. */
        public Builder pseudoInverse(boolean v) {
            pseudoInverse = v;
            return this;
        }

        /** Sets {@code inverse}. */
        public Builder inverse(InverseStrategy v) {
            inverse = v;
            return this;
        }

        /** Sets {@code refreshEvery}. */
        public Builder refreshEvery(int v) {
            refreshEvery = v;
            return this;
        }

        /** Sets {@code blowUpFactor}. */
        public Builder blowUpFactor(double v) {
            blowUpFactor = v;
            return this;
        }

        /** Sets {@code maxDamping}. */
        public Builder maxDamping(double v) {
            maxDamping = v;
            return this;
        }

        /** Sets {@code seed}. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Sets {@code curvature}. */
        public Builder curvature(CurvatureChoice v) {
            curvature = v;
            return this;
        }

        /** Sets {@code dampingEvery}. */
        public Builder dampingEvery(int v) {
            dampingEvery = v;
            return this;
        }

        /** Sets {@code minDamping}. */
        public Builder minDamping(double v) {
            minDamping = v;
            return this;
        }

        /** Sets {@code linearMoments}. */
        public Builder linearMoments(boolean v) {
            linearMoments = v;
            return this;
        }

        /** Sets {@code factorPrecision}. */
        public Builder factorPrecision(FactorPrecision v) {
            factorPrecision = v;
            return this;
        }

        /** Sets {@code keyedSamples}. */
        public Builder keyedSamples(boolean v) {
            keyedSamples = v;
            return this;
        }

        /** Sets {@code precision} (of the passes and gradient; default DOUBLE). */
        public Builder precision(Precision v) {
            precision = v;
            return this;
        }

        /**
         * Sets {@code kfcReduce}: a convolution's K-FAC / Eq. 20 factors in KFC's reduce form (mean
         * patch, summed error per example; {@link CurvatureStatistics#reduced()}) instead of the expand
         * form (default false; no effect on a network without convolutions).
         */
        public Builder kfcReduce(boolean v) {
            kfcReduce = v;
            return this;
        }

        /** The options (validated). */
        public NaturalGradientOptions build() {
            return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease, pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision, keyedSamples, precision, kfcReduce);
        }
    }
}
