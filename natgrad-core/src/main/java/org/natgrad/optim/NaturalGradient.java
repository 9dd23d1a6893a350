package org.natgrad.optim;

import java.util.Map;
import java.util.function.DoubleSupplier;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.curvature.FactorSolverOptions;
import org.natgrad.curvature.Preconditioner;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * The Kronecker-factored natural gradient of math.md Eq. 10 with the damping of Eq. 20 and the
 * Levenberg–Marquardt rule of Eq. 21, following the step-by-step algorithm of §2.7. Per step, on
 * a minibatch of M examples:
 * <ol>
 *   <li>one forward pass; Λ_i = (1/M) Σ x̄ x̄^T (bias row included when layer i has a bias);</li>
 *   <li>Λ̃_i from K backward passes of targets sampled from the model (errors not divided by M),
 *       or exactly from the output-Fisher factor when K = 0;</li>
 *   <li>G_i, the gradient of the mean loss with the true targets (same forward pass);</li>
 *   <li>D_i = (Λ̃_i + √λ I)^{-1} G_i (Λ_i + √λ I)^{-1} (Moore–Penrose inverses and no damping
 *       with {@code pseudoInverse});</li>
 *   <li>W̄_i ← W̄_i − (α/L) D_i; the loss is re-evaluated on the same minibatch and
 *       ρ = (L_new − L_old)/Δ_pred with Δ_pred from {@link PredictedDecrease};</li>
 *   <li>with adaptive damping, λ follows Eq. 21 ({@link LevenbergMarquardt}).</li>
 * </ol>
 * Factors (and their decompositions) are recomputed every {@code refreshEvery} steps; in between
 * the cached ones are used with the current damping.
 *
 * <p><b>Any curvature representation.</b> The Eq. 20 rule is one representation
 * ({@link CurvatureChoice#EQ20}, the default) of one lifecycle ({@link Preconditioner}: update the
 * statistics every {@code refreshEvery} steps, refresh the damping every step, apply the inverse).
 * With {@link NaturalGradientOptions#withCurvature} set to another (exact, block-diagonal,
 * tri-diagonal, K-FAC, EK-FAC, unit-wise, diagonal) the step is θ ← θ − α d with
 * d = (G + λI)^{-1} ∇L, and the predicted change is that of the quadratic model along d (the
 * variants' L = 1 form). Exact, block-diagonal, tri-diagonal and unit-wise solves run in data space
 * when the sample count is below the parameter count. The statistics in use are part of
 * {@link #state()} when refreshEvery &gt; 1; the representation is rebuilt from them after {@link #restore}.
 * This class holds no linear algebra of its own: statistics come from a {@link BatchEvaluation}
 * (passes, or moments), solves from the {@link Preconditioner}.
 *
 * <p><b>Linear networks with a Gaussian likelihood.</b> When every layer has the identity activation,
 * the likelihood is {@link Gaussian} and no curvature representation is set, the Eq. 20 step is
 * computed from the minibatch second moment S of z = [x; 1; y] instead of forward and backward passes
 * ({@link NaturalGradientOptions#linearMoments}, on by default): Λ_i, the loss, the gradient, Λ̃_i
 * (from the same model-sampled output errors, drawn from the same random stream) and the loss after
 * the step are exact functions of S and the weights, so the step agrees with the general path up to
 * round-off; after the one syrk over the batch its cost does not depend on M. The loss after the step
 * is the loss before plus its change computed from the weight updates (no cancellation near a
 * minimum). This is a statistics source ({@link LinearMoments}, statistics in factor form), not a
 * step path of its own: damping, checks, rejection, caching and {@link #state()} are the same.
 *
 * <p><b>Precision.</b> With {@link NaturalGradientOptions#factorPrecision} AUTO (the default) or
 * SINGLE, large damped CHOLESKY factors are formed, factored and applied in single precision, and
 * the model-sampled backward pass feeding Λ̃ runs in single precision ({@link FactorPrecision});
 * the forward pass, the gradient, the losses, the update and the weights are always double.
 *
 * <p>With {@link NaturalGradientOptions#dampingEvery} T_damp &gt; 1 the loss is re-evaluated (and
 * λ adapted) only every T_damp steps; see there for how the safety check is then deferred to the
 * next step.
 *
 * <p><b>Safety</b> (an addition to the paper, whose code keeps every step): a step is
 * <i>rejected</i> when a Kronecker factor's samples have a NaN/Inf (the note names the layer and
 * factor, and the cache is not replaced), when the update has a NaN/Inf (the note names the
 * layer), when the new loss is NaN/Inf or exceeds {@code blowUpFactor} x the old loss, and when a
 * <b>factorization fails</b>: a factor (cached or new) with NaN/Inf entries or entries that
 * overflow (e.g. Λ_i = U_i U_i^T for inputs of order 1e300, whose samples are finite), a Cholesky
 * factorization that finds no positive-definite matrix and whose eigendecomposition fallback fails,
 * an eigen- or singular value decomposition that does not converge, an inverse with NaN/Inf
 * entries, or a {@link Curvature} representation that cannot be built or solved with (any
 * {@link ArithmeticException} of {@link FactorInverse} or {@link Curvature}, for every
 * {@link InverseStrategy}, {@link FactorPrecision}, with or without pseudo-inverses). A failed
 * factorization also drops the cached factors, their decompositions and the cached curvature
 * representation, so the next step recomputes them (the note names the layer and factor, or the
 * representation, and ends "(cached curvature dropped)"). A rejected step leaves or restores the
 * weights bit-for-bit, multiplies λ by {@link Damping#REJECTION_FACTOR} (capped at
 * {@code maxDamping}; fixed and adaptive damping alike), counts in {@link #rejectedSteps()} and
 * returns a {@link StepReport} with {@code accepted = false} and the reason in its note. No
 * exception is thrown for these numerical failures; malformed input (shapes, targets) still throws.
 */
public final class NaturalGradient implements Optimizer {
    private final Likelihood likelihood;
    private final NaturalGradientOptions options;
    private final Damping damping;
    private final Rng rng;
    private final Preconditioner preconditioner;
    private long steps;
    private long rejected;
    private OptimizerState restoredCache;
    private double lastLossChange = Double.NaN;
    private double lastSumGradDirection = Double.NaN;
    private int lastLayers;
    private ParamVector rollback;
    private boolean pendingCheck;
    private double pendingLossBefore;

    public NaturalGradient(Likelihood likelihood, NaturalGradientOptions options) {
        if (likelihood == null || options == null) {
            throw new IllegalArgumentException("NaturalGradient: likelihood and options must be given");
        }
        this.likelihood = likelihood;
        this.options = options;
        this.damping = options.adaptiveDamping()
                ? new LevenbergMarquardt(options.initialDamping(), options.minDamping(), options.maxDamping())
                : new FixedDamping(options.initialDamping(), options.maxDamping());
        this.rng = new Rng(options.seed());
        this.preconditioner = new Preconditioner(options.curvature(), new FactorSolverOptions(options.inverse(),
                options.pseudoInverse(), options.factorPrecision()), options.seed());
    }

    public NaturalGradientOptions options() {
        return options;
    }

    /** The damping λ that the next step will use. */
    public double damping() {
        return damping.current();
    }

    /** Steps taken, accepted or not. */
    public long steps() {
        return steps;
    }

    /** Steps rejected so far. */
    public long rejectedSteps() {
        return rejected;
    }

    @Override
    public String name() {
        return "ngd";
    }

    @Override
    public StepReport step(Network net, Batch batch) {
        BatchEvaluation eval = usesMoments(net) ? LinearMoments.of(net, (Gaussian) likelihood, batch)
                : BatchEvaluation.passes(net, likelihood, batch);
        double lambda = damping.current();
        long index = steps++;
        double lossOld = eval.loss();
        StepReport early = checkBefore(net, lossOld, lambda);
        if (early != null) {
            return early;
        }
        ParamVector grad = eval.gradient();
        ParamVector params = net.parameters();
        ParamVector saved = rollbackCopy(params);
        ParamVector template = ParamVector.zerosLike(params);
        try {
            if (restoredCache != null) {
                OptimizerState r = restoredCache;
                restoredCache = null;
                preconditioner.update(template, r.cached(), r.cacheStep());
            }
            if (!preconditioner.isReady() || index % options.refreshEvery() == 0) {
                CurvatureStatistics s = eval.statistics(options.modelSamples(), rng, options.curvature(),
                        preconditionerSolver());
                String bad = s.firstNonFinite();
                if (bad != null) {
                    return reject(lossOld, Double.NaN, lambda, Double.NaN, bad + " has non-finite values");
                }
                preconditioner.update(template, s, index);
            }
            if (!grad.isFinite()) {
                return reject(lossOld, Double.NaN, lambda, Double.NaN, "the gradient has non-finite values");
            }
            preconditioner.refresh(lambda);
            ParamVector dir = preconditioner.apply(grad, -1);
            int bad = firstNonFiniteLayer(dir);
            if (bad > 0) {
                return reject(lossOld, Double.NaN, lambda, Double.NaN, "update of layer " + bad + " has non-finite values");
            }
            int layers = options.curvature().dividesStepByDepth() ? net.depth() : 1;
            double sumGradDirection = update(params, grad, dir, options.alpha() / layers, layers > 1);
            return finish(index, lossOld, () -> eval.lossAfter(saved, params), lambda, sumGradDirection, layers,
                    params, saved);
        } catch (ArithmeticException e) {
            preconditioner.clear();
            return reject(lossOld, Double.NaN, lambda, Double.NaN, e.getMessage() + " (cached curvature dropped)");
        }
    }

    /**
     * True when {@link #step} on {@code net} takes its statistics from minibatch moments: the Eq. 20
     * rule, {@link NaturalGradientOptions#linearMoments} on, every layer linear and a Gaussian likelihood.
     */
    boolean usesMoments(Network net) {
        return options.curvature() == CurvatureChoice.EQ20 && options.linearMoments()
                && LinearMoments.applies(net, likelihood);
    }

    private FactorSolverOptions preconditionerSolver() {
        return new FactorSolverOptions(options.inverse(), options.pseudoInverse(), options.factorPrecision());
    }

    /**
     * θ ← θ − a d, and ⟨∇L, d⟩. By blocks ({@code byBlocks}, the Eq. 20 rule): W̄_i ← W̄_i − a D_i on
     * each augmented block [W_i, b_i] and Σ_i ⟨G_i, D_i⟩, in the paper's per-layer form.
     */
    private static double update(ParamVector params, ParamVector grad, ParamVector dir, double a, boolean byBlocks) {
        if (!byBlocks) {
            double gd = grad.dot(dir);
            params.axpy(-a, dir);
            return gd;
        }
        double sum = 0;
        for (int i = 0; i < params.layers(); i++) {
            Matrix d = dir.augmentedBlock(i);
            sum += MatOps.dot(grad.augmentedBlock(i), d);
            Matrix w = params.augmentedBlock(i);
            MatOps.axpy(-a, d, w);
            params.setAugmentedBlock(i, w);
        }
        return sum;
    }

    private static int firstNonFiniteLayer(ParamVector v) {
        for (int i = 0; i < v.layers(); i++) {
            if (!v.weights(i).isFinite() || (v.bias(i) != null && !v.bias(i).isFinite())) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * Before a step, with the minibatch loss at the current weights: the deferred safety check of a
     * previous unchecked step ({@code dampingEvery} &gt; 1), then the finite-loss check. A rejection
     * report, or null to go on.
     */
    private StepReport checkBefore(Network net, double lossOld, double lambda) {
        if (pendingCheck) {
            // Deferred safety check of the previous step, which did not re-evaluate the loss.
            pendingCheck = false;
            if (!Double.isFinite(lossOld) || lossOld > options.blowUpFactor() * pendingLossBefore) {
                net.parameters().setTo(rollback);
                return reject(lossOld, Double.NaN, lambda, Double.NaN, "the previous step (loss not re-evaluated) "
                        + "was undone: the loss at its weights is " + lossOld + " on this minibatch, against "
                        + pendingLossBefore + " before it (limit " + options.blowUpFactor() + "x)");
            }
        }
        if (!Double.isFinite(lossOld)) {
            return reject(lossOld, Double.NaN, lambda, Double.NaN, "loss before the step is " + lossOld);
        }
        return null;
    }

    /**
     * After the update: re-evaluates the loss ({@code lossAfter}) on steps 0, T_damp, 2 T_damp, ...,
     * forms ρ, rejects a blown-up step (restoring {@code saved} into {@code params}) or adapts λ.
     */
    private StepReport finish(long index, double lossOld, DoubleSupplier lossAfter, double lambda,
                              double sumGradDirection, int predictionLayers, ParamVector params, ParamVector saved) {
        if (index % options.dampingEvery() != 0) {
            // No re-evaluation on this step: λ is kept and the safety check deferred to the next step.
            pendingCheck = true;
            pendingLossBefore = lossOld;
            return new StepReport(true, lossOld, Double.NaN, lambda, Double.NaN, "");
        }
        double lossNew = lossAfter.getAsDouble();
        lastLossChange = lossNew - lossOld;
        lastSumGradDirection = sumGradDirection;
        lastLayers = predictionLayers;
        double predicted = options.predictedDecrease().predicted(options.alpha(), predictionLayers, sumGradDirection);
        double rho = (lossNew - lossOld) / predicted;
        if (!Double.isFinite(lossNew) || lossNew > options.blowUpFactor() * lossOld) {
            params.setTo(saved);
            return reject(lossOld, lossNew, lambda, rho, !Double.isFinite(lossNew)
                    ? "loss after the step is " + lossNew
                    : "loss blew up from " + lossOld + " to " + lossNew + " (more than " + options.blowUpFactor() + "x)");
        }
        if (options.adaptiveDamping()) {
            damping.observe(rho);
        }
        return new StepReport(true, lossOld, lossNew, lambda, rho, "");
    }

    /**
     * ρ of the last step that got as far as re-evaluating the loss, under either predicted-decrease
     * variant (the options' variant is the one reported and used by the damping rule); NaN before that.
     */
    public double rho(PredictedDecrease variant) {
        if (Double.isNaN(lastSumGradDirection)) {
            return Double.NaN;
        }
        return lastLossChange / variant.predicted(options.alpha(), lastLayers, lastSumGradDirection);
    }

    private StepReport reject(double lossOld, double lossNew, double lambda, double rho, String why) {
        rejected++;
        damping.onRejectedStep();
        if (Double.isNaN(lossNew)) {
            lastSumGradDirection = Double.NaN;
        }
        return new StepReport(false, lossOld, lossNew, lambda, rho, "rejected: " + why);
    }

    /** The weights before the step, in a buffer reused across steps (a new one when the shapes change). */
    private ParamVector rollbackCopy(ParamVector params) {
        if (rollback != null && rollback.size() == params.size() && rollback.layers() == params.layers()) {
            try {
                return rollback.setTo(params);
            } catch (IllegalArgumentException shapesDiffer) {
                // another network with as many parameters: allocate below
            }
        }
        rollback = params.copy();
        return rollback;
    }

    /** A snapshot of the state (the curvature statistics in use included when refreshEvery &gt; 1). */
    public OptimizerState state() {
        if (restoredCache != null) {
            return new OptimizerState(damping.current(), steps, rng.state(), rejected, restoredCache.cacheStep(),
                    restoredCache.cached());
        }
        boolean keep = preconditioner.isReady() && options.refreshEvery() > 1;
        return new OptimizerState(damping.current(), steps, rng.state(), rejected, keep ? preconditioner.step() : -1,
                keep ? preconditioner.statistics() : null);
    }

    /** Restores a snapshot from {@link #state()} (typically into a new optimizer with the same options). */
    public void restore(OptimizerState s) {
        if (!(s.damping() >= 0) || s.steps() < 0 || s.rejectedSteps() < 0) {
            throw new IllegalArgumentException("NaturalGradient.restore: invalid state (damping " + s.damping()
                    + ", steps " + s.steps() + ", rejected " + s.rejectedSteps() + ")");
        }
        damping.set(s.damping());
        steps = s.steps();
        rejected = s.rejectedSteps();
        rng.restore(s.rngState());
        preconditioner.clear();
        pendingCheck = false;
        restoredCache = s.cached() != null ? s : null;
    }

    /** {@link #state()} as named arrays ({@link OptimizerState#toMap()}). */
    @Override
    public Map<String, double[]> saveState() {
        return state().toMap();
    }

    /** {@link #restore} from {@link OptimizerState#fromMap}. */
    @Override
    public void restoreState(Map<String, double[]> state) {
        restore(OptimizerState.fromMap(state));
    }

    /**
     * True when no deferred safety check is pending ({@code dampingEvery} &gt; 1) and the next step
     * recomputes the curvature ({@code steps} a multiple of {@code refreshEvery}), so that
     * {@link #state()} holds everything the next steps depend on.
     */
    @Override
    public boolean atResumableBoundary() {
        return !pendingCheck && steps % options.refreshEvery() == 0;
    }
}
