package org.natgrad.optim;

import java.util.Map;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.curvature.FactorSolverOptions;
import org.natgrad.curvature.Preconditioner;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.Backend;
import org.natgrad.linalg.FloatOps;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Layer;
import org.natgrad.nn.Network;
import org.natgrad.nn.StatisticsForm;
import org.natgrad.nn.ParamVector;
import org.natgrad.random.Rng;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * The natural-gradient optimizer of math.md §2.7: per step, on a minibatch, the loss and gradient,
 * curvature statistics every {@code refreshEvery} steps, d = (G + λI)^{-1} ∇L through the
 * {@link Preconditioner} of the chosen {@link CurvatureChoice}, θ ← θ − α d, the loss re-evaluated
 * (every {@code dampingEvery} steps) for ρ = (L_new − L_old)/Δ_pred ({@link PredictedDecrease}) and
 * the damping rule ({@link Damping}: {@link LevenbergMarquardt}, Eq. 21, or fixed).
 * <ul>
 *   <li>The default representation is the paper's Eq. 20 rule ({@link CurvatureChoice#EQ20}):
 *       D_i = (Λ̃_i + √λ I)^{-1} G_i (Λ_i + √λ I)^{-1}, W̄_i ← W̄_i − (α/L) D_i, with Λ̃_i from K
 *       model-sampled targets per example (K = 0: exactly from the output-Fisher factor). Every
 *       other representation steps θ ← θ − α (G + λI)^{-1} ∇L (the variants' L = 1 form).</li>
 *   <li>Statistics come from a {@link BatchEvaluation}: forward and backward passes, or, for a
 *       linear network with a Gaussian likelihood and the Eq. 20 rule, the minibatch moments
 *       ({@link LinearMoments}; {@link NaturalGradientOptions#linearMoments}), which agree up to
 *       round-off at a cost independent of M.</li>
 *   <li>The passes run in {@link NaturalGradientOptions#precision} (float32 with SINGLE; the
 *       losses, ρ, Σ⟨G_i, D_i⟩ and the update in double either way).</li>
 *   <li>This class holds no linear algebra: it orchestrates the schedules, the damping, step
 *       rejection and bit-for-bit rollback, and the state ({@link #state()}: with refreshEvery
 *       &gt; 1 the statistics in use, rebuilt into the representation after {@link #restore}).</li>
 * </ul>
 * A step is rejected, never thrown, for numerical failures (non-finite statistics, gradient, update
 * or loss, a blown-up loss, a failed factorization, which also drops the cached curvature): see
 * the package documentation for the full contract. Malformed input (shapes, targets) still throws.
 */
public final class NaturalGradient implements Optimizer {
    private final Likelihood likelihood;
    private final NaturalGradientOptions options;
    private final Damping damping;
    private final Rng rng;
    private final FactorSolverOptions solver;
    private final Preconditioner preconditioner;
    private final StepAcceptance acceptance;
    private long steps;
    private OptimizerState restoredCache;
    private ParamVector template;

    public NaturalGradient(Likelihood likelihood, NaturalGradientOptions options) {
        if (likelihood == null || options == null) {
            throw new IllegalArgumentException("NaturalGradient: likelihood and options must be given");
        }
        requireAvailable("NaturalGradient", options.precision());
        this.likelihood = likelihood;
        this.options = options;
        this.damping = options.adaptiveDamping()
                ? new LevenbergMarquardt(options.initialDamping(), options.minDamping(), options.maxDamping())
                : new FixedDamping(options.initialDamping(), options.maxDamping());
        this.rng = new Rng(options.seed());
        this.solver = new FactorSolverOptions(options.inverse(), options.pseudoInverse(), options.factorPrecision());
        this.preconditioner = new Preconditioner(options.curvature(), solver, options.seed());
        this.acceptance = new StepAcceptance(options, damping);
    }

    /**
     * Refuses, before any pass, a network with a layer the curvature representations cannot take yet:
     * every layer must declare a {@link StatisticsForm.Kronecker} form with one location per example
     * (a {@link org.natgrad.nn.Dense} layer). Convolutions (KFC), pooling and normalization layers
     * (the mixed representation) are issue 17's curvature item; until then such networks train with
     * {@link Sgd} or {@link Adam}.
     *
     * @throws IllegalArgumentException naming the first such layer, its label and its form
     */
    public static void requireCurvatureLayers(Network net) {
        for (int i = 0; i < net.depth(); i++) {
            Layer layer = net.layer(i);
            StatisticsForm form = layer.statistics();
            if (!(form instanceof StatisticsForm.Kronecker k) || k.locations() != 1) {
                throw new IllegalArgumentException("NaturalGradient: layer " + (i + 1) + " (" + layer.label() + ") is a "
                        + layer.getClass().getSimpleName() + " with statistics " + form
                        + "; the curvature representations take dense layers only for now (KFC for convolutions and"
                        + " the per-layer fallback for other layers are not built yet); train this network with SGD or Adam");
            }
        }
    }

    /**
     * Refuses, before any pass, a network with a layer that {@code choice} cannot take: dense
     * layers work with every representation; {@link org.natgrad.nn.Conv2d} (KFC, expand form) and
     * parameter-free layers (pooling) with {@link CurvatureChoice#KFAC} and {@link CurvatureChoice#EQ20}
     * only; {@link StatisticsForm.Diagonal} layers (Affine, LayerNorm) with none yet.
     *
     * @throws IllegalArgumentException naming the first such layer, its label and its form
     */
    public static void requireCurvatureLayers(Network net, CurvatureChoice choice) {
        if (choice != CurvatureChoice.KFAC && choice != CurvatureChoice.EQ20) {
            requireCurvatureLayers(net);
            return;
        }
        for (int i = 0; i < net.depth(); i++) {
            Layer layer = net.layer(i);
            StatisticsForm form = layer.statistics();
            if (form instanceof StatisticsForm.Diagonal) {
                throw new IllegalArgumentException("NaturalGradient: layer " + (i + 1) + " (" + layer.label() + ") is a "
                        + layer.getClass().getSimpleName() + " with statistics " + form + "; " + choice
                        + " takes dense, Conv2d and pooling layers (the diagonal fallback for scale-and-shift and"
                        + " normalization layers is not built yet); train this network with SGD or Adam");
            }
        }
    }

    /** Refuses {@link Precision#SINGLE} without native BLAS (the float32 products have no Java fallback). */
    static void requireAvailable(String who, Precision precision) {
        if (precision == Precision.SINGLE && !FloatOps.available()) {
            throw new IllegalStateException(who + ": single precision needs native OpenBLAS, which did not load ("
                    + Backend.describe() + "); use precision DOUBLE");
        }
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

    /**
     * True when the next {@link #step} will ask its {@link BatchEvaluation} for curvature
     * statistics (a refresh step, or no curvature in use yet): a distributed source reduces the
     * factors only then.
     */
    public boolean refreshesNextStep() {
        boolean ready = preconditioner.isReady() || restoredCache != null;
        return !ready || steps % options.refreshEvery() == 0;
    }

    /** Steps rejected so far. */
    public long rejectedSteps() {
        return acceptance.rejected();
    }

    @Override
    public String name() {
        return "ngd";
    }

    @Override
    public StepReport step(Network net, Batch batch) {
        requireCurvatureLayers(net, options.curvature());
        BatchEvaluation eval = usesMoments(net) ? LinearMoments.of(net, (Gaussian) likelihood, batch)
                : options.keyedSamples() ? BatchEvaluation.keyedPasses(net, likelihood, batch, options.seed(), steps)
                : BatchEvaluation.passes(net, likelihood, batch, options.precision());
        return step(net, eval);
    }

    /**
     * One step with the minibatch quantities from {@code eval} (evaluated at {@code net}'s current
     * weights; its statistics are asked for only on refresh steps, its loss after the step only on
     * damping steps): the same schedules, damping, rejection and rollback as {@link #step(Network, Batch)}.
     * This is how another statistics source (a distributed engine) drives this optimizer.
     */
    public StepReport step(Network net, BatchEvaluation eval) {
        requireCurvatureLayers(net, options.curvature());
        StepReport r = stepWith(net, eval);
        return options.precision() == Precision.SINGLE ? StepReport.withFloat32Hint(r) : r;
    }

    private StepReport stepWith(Network net, BatchEvaluation eval) {
        double lambda = damping.current();
        long index = steps++;
        double lossOld = eval.loss();
        StepReport early = acceptance.checkBefore(net, lossOld, lambda);
        if (early != null) {
            return early;
        }
        ParamVector grad = eval.gradient();
        ParamVector params = net.parameters();
        ParamVector saved = acceptance.saveWeights(params);
        if (template == null || !template.sameShapes(params)) {
            template = ParamVector.zerosLike(params); // reused: a P-vector of zeros per step costs a pass over memory
        }
        try {
            if (restoredCache != null) {
                OptimizerState r = restoredCache;
                restoredCache = null;
                preconditioner.update(template, r.cached(), r.cacheStep());
            }
            if (!preconditioner.isReady() || index % options.refreshEvery() == 0) {
                CurvatureStatistics s = eval.statistics(options.modelSamples(), rng, options.curvature(), solver);
                if (options.kfcReduce()) {
                    s = s.reduced();
                }
                String bad = s.firstNonFinite();
                if (bad != null) {
                    return acceptance.reject(lossOld, Double.NaN, lambda, Double.NaN, bad + " has non-finite values");
                }
                preconditioner.update(template, s, index);
            }
            if (!grad.isFinite()) {
                return acceptance.reject(lossOld, Double.NaN, lambda, Double.NaN, "the gradient has non-finite values");
            }
            preconditioner.refresh(lambda);
            ParamVector dir = preconditioner.apply(grad, -1);
            int bad = dir.firstNonFiniteLayer();
            if (bad > 0) {
                return acceptance.reject(lossOld, Double.NaN, lambda, Double.NaN, "update of layer " + bad + " has non-finite values");
            }
            // the Eq. 20 rule: W̄_i ← W̄_i − (α/L) D_i and Σ_i ⟨G_i, D_i⟩ on augmented blocks, as the paper writes it
            boolean byLayer = options.curvature().dividesStepByDepth();
            int layers = byLayer ? parametricLayers(net) : 1;
            double sumGradDirection = byLayer ? grad.augmentedDot(dir) : grad.dot(dir);
            params.axpy(-options.alpha() / layers, dir); // element by element, the same on augmented blocks
            return acceptance.finish(index, lossOld, () -> eval.lossAfter(saved, params), lambda, sumGradDirection, layers,
                    params, saved);
        } catch (ArithmeticException e) {
            preconditioner.clear();
            return acceptance.reject(lossOld, Double.NaN, lambda, Double.NaN, e.getMessage() + " (cached curvature dropped)");
        }
    }

    /**
     * True when {@link #step} on {@code net} takes its statistics from minibatch moments: the Eq. 20
     * rule, {@link NaturalGradientOptions#linearMoments} on, every layer linear and a Gaussian likelihood.
     */
    /** The number of layers with parameters (the paper's L in α/L; {@link Network#depth()} for a dense network). */
    static int parametricLayers(Network net) {
        int n = 0;
        for (int i = 0; i < net.depth(); i++) {
            if (net.layer(i).parameterCount() > 0) {
                n++;
            }
        }
        return n;
    }

    boolean usesMoments(Network net) {
        return options.curvature() == CurvatureChoice.EQ20 && options.linearMoments() && !options.keyedSamples()
                && LinearMoments.applies(net, likelihood);
    }

    /** ρ of the last step that re-evaluated the loss, under either variant ({@link StepAcceptance#rho}). */
    public double rho(PredictedDecrease variant) {
        return acceptance.rho(variant);
    }

    /** A snapshot of the state (the curvature statistics in use included when refreshEvery &gt; 1). */
    public OptimizerState state() {
        if (restoredCache != null) {
            return new OptimizerState(damping.current(), steps, rng.state(), acceptance.rejected(), restoredCache.cacheStep(),
                    restoredCache.cached());
        }
        boolean keep = preconditioner.isReady() && options.refreshEvery() > 1;
        return new OptimizerState(damping.current(), steps, rng.state(), acceptance.rejected(), keep ? preconditioner.step() : -1,
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
        acceptance.reset(s.rejectedSteps());
        rng.restore(s.rngState());
        preconditioner.clear();
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
        return !acceptance.pending() && steps % options.refreshEvery() == 0;
    }
}
