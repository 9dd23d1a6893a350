package org.natgrad.optim;

import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.linalg.FactorPrecision;
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
 *                          representation, {@code modelSamples} picks its {@link org.natgrad.curvature.CurvatureKind}
 *                          (0 exact, K ≥ 1 Monte Carlo), {@code pseudoInverse} solves with λ = 0
 *                          (Moore–Penrose), and {@code inverse} is not used (each representation has
 *                          its own solver, in data space where that is cheaper)
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
 *                          double below and for every other strategy). Passes, gradient, losses, update
 *                          and weights are double precision whatever this says. Not used by the
 *                          {@code curvature} representations, which work in double
 */
public record NaturalGradientOptions(double alpha, int modelSamples, double initialDamping, boolean adaptiveDamping,
                                     PredictedDecrease predictedDecrease, boolean pseudoInverse,
                                     InverseStrategy inverse, int refreshEvery, double blowUpFactor,
                                     double maxDamping, long seed, CurvatureChoice curvature, int dampingEvery,
                                     double minDamping, boolean linearMoments, FactorPrecision factorPrecision) {

    /** {@code modelSamples} value meaning "exact expectation over the model's outputs". */
    public static final int EXACT_MODEL_EXPECTATION = 0;

    public NaturalGradientOptions {
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
        if (dampingEvery < 1) {
            throw new IllegalArgumentException("NaturalGradientOptions: dampingEvery must be >= 1, got " + dampingEvery);
        }
        if (!(maxDamping >= initialDamping) || !(maxDamping > 0)) {
            throw new IllegalArgumentException("NaturalGradientOptions: maxDamping must be > 0 and >= initialDamping "
                    + initialDamping + ", got " + maxDamping);
        }
    }

    /** The floor on λ of {@link #paperDefaults()} (kfac-jax's default minimum damping). */
    public static final double DEFAULT_MIN_DAMPING = 1e-8;

    /** Options with {@link FactorPrecision#AUTO} factor precision (the default). */
    public NaturalGradientOptions(double alpha, int modelSamples, double initialDamping, boolean adaptiveDamping,
                                  PredictedDecrease predictedDecrease, boolean pseudoInverse, InverseStrategy inverse,
                                  int refreshEvery, double blowUpFactor, double maxDamping, long seed,
                                  CurvatureChoice curvature, int dampingEvery, double minDamping, boolean linearMoments) {
        this(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease, pseudoInverse, inverse,
                refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments,
                FactorPrecision.AUTO);
    }

    /** Options with the {@link #linearMoments} path on (the default). */
    public NaturalGradientOptions(double alpha, int modelSamples, double initialDamping, boolean adaptiveDamping,
                                  PredictedDecrease predictedDecrease, boolean pseudoInverse, InverseStrategy inverse,
                                  int refreshEvery, double blowUpFactor, double maxDamping, long seed,
                                  CurvatureChoice curvature, int dampingEvery, double minDamping) {
        this(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease, pseudoInverse, inverse,
                refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, true);
    }

    /** Options with the default floor {@link #DEFAULT_MIN_DAMPING} on the adaptive damping. */
    public NaturalGradientOptions(double alpha, int modelSamples, double initialDamping, boolean adaptiveDamping,
                                  PredictedDecrease predictedDecrease, boolean pseudoInverse, InverseStrategy inverse,
                                  int refreshEvery, double blowUpFactor, double maxDamping, long seed,
                                  CurvatureChoice curvature, int dampingEvery) {
        this(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease, pseudoInverse, inverse,
                refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, DEFAULT_MIN_DAMPING);
    }

    /** Options re-evaluating the loss and adapting the damping every step ({@code dampingEvery} = 1). */
    public NaturalGradientOptions(double alpha, int modelSamples, double initialDamping, boolean adaptiveDamping,
                                  PredictedDecrease predictedDecrease, boolean pseudoInverse, InverseStrategy inverse,
                                  int refreshEvery, double blowUpFactor, double maxDamping, long seed,
                                  CurvatureChoice curvature) {
        this(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease, pseudoInverse, inverse,
                refreshEvery, blowUpFactor, maxDamping, seed, curvature, 1);
    }

    /** Options with the paper's Eq. 20 Kronecker rule (no {@link CurvatureChoice}). */
    public NaturalGradientOptions(double alpha, int modelSamples, double initialDamping, boolean adaptiveDamping,
                                  PredictedDecrease predictedDecrease, boolean pseudoInverse, InverseStrategy inverse,
                                  int refreshEvery, double blowUpFactor, double maxDamping, long seed) {
        this(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease, pseudoInverse, inverse,
                refreshEvery, blowUpFactor, maxDamping, seed, null);
    }

    /**
     * The same options with curvature representation {@code v} (null: the paper's Eq. 20 rule):
     * the one argument that switches a user's optimizer between exact, block-diagonal,
     * tri-diagonal, K-FAC, EK-FAC, unit-wise and diagonal natural gradient.
     */
    public NaturalGradientOptions withCurvature(CurvatureChoice v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, v, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

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
        return new NaturalGradientOptions(1.0, 1, 0.01, true, PredictedDecrease.PAPER_FOOTNOTE, false,
                InverseStrategy.AUTO, 1, 10.0, 1e8, 0L);
    }

    public NaturalGradientOptions withAlpha(double v) {
        return new NaturalGradientOptions(v, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    public NaturalGradientOptions withModelSamples(int v) {
        return new NaturalGradientOptions(alpha, v, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    public NaturalGradientOptions withInitialDamping(double v) {
        return new NaturalGradientOptions(alpha, modelSamples, v, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    public NaturalGradientOptions withAdaptiveDamping(boolean v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, v, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    public NaturalGradientOptions withPredictedDecrease(PredictedDecrease v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, v,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    public NaturalGradientOptions withPseudoInverse(boolean v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                v, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    public NaturalGradientOptions withInverse(InverseStrategy v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, v, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    public NaturalGradientOptions withRefreshEvery(int v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, v, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    public NaturalGradientOptions withBlowUpFactor(double v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, v, maxDamping, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    public NaturalGradientOptions withMaxDamping(double v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, v, seed, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }

    /** The same options with damping interval {@code v} ≥ 1 (see {@code dampingEvery}). */
    public NaturalGradientOptions withDampingEvery(int v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, v, minDamping, linearMoments, factorPrecision);
    }

    /** The same options with floor {@code v} (0 ≤ v ≤ maxDamping) on the adaptive damping λ. */
    public NaturalGradientOptions withMinDamping(double v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, v, linearMoments, factorPrecision);
    }

    /**
     * The same options with the minibatch-moment path for linear networks with a Gaussian
     * likelihood switched on (the default) or off (see {@code linearMoments}); the steps agree up to
     * round-off either way.
     */
    public NaturalGradientOptions withLinearMoments(boolean v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping, v, factorPrecision);
    }

    /**
     * The same options with the precision of the Kronecker-factor work ({@link FactorPrecision};
     * AUTO by default: single precision for damped CHOLESKY factors of size ≥
     * {@link PsdSolver#AUTO_SINGLE_MIN_SIZE}).
     */
    public NaturalGradientOptions withFactorPrecision(FactorPrecision v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, seed, curvature, dampingEvery, minDamping,
                linearMoments, v);
    }

    public NaturalGradientOptions withSeed(long v) {
        return new NaturalGradientOptions(alpha, modelSamples, initialDamping, adaptiveDamping, predictedDecrease,
                pseudoInverse, inverse, refreshEvery, blowUpFactor, maxDamping, v, curvature, dampingEvery, minDamping, linearMoments, factorPrecision);
    }
}
