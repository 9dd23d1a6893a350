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
import org.natgrad.matrixfree.BatchCurvature;
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
 * The optimizer features of kfac-jax ({@link OptimizerFeatures}: moving averages, separate
 * statistics and inverse periods, the quadratic-model damping rule, momentum, quadratic-model
 * learning rate and momentum, norm constraint, weight decay, burn-in) are all off by default; with
 * them off the step is the one described above, bit for bit.
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
    private final OptimizerFeatures features;
    private CurvatureStatistics average;
    private long averaged;
    private ParamVector previousUpdate;
    private long statisticsSteps;
    private long factorizations;

    /** The optimizer with every {@link OptimizerFeatures} off. */
    public NaturalGradient(Likelihood likelihood, NaturalGradientOptions options) {
        this(likelihood, options, OptimizerFeatures.off());
    }

    /**
     * The optimizer with kfac-jax's features as {@code features} says (validated against
     * {@code options}: {@link OptimizerFeatures#validateWith}).
     */
    public NaturalGradient(Likelihood likelihood, NaturalGradientOptions options, OptimizerFeatures features) {
        if (likelihood == null || options == null || features == null) {
            throw new IllegalArgumentException("NaturalGradient: likelihood, options and features must be given");
        }
        features.validateWith(options);
        requireAvailable("NaturalGradient", options.precision());
        this.likelihood = likelihood;
        this.options = options;
        this.features = features;
        boolean quadratic = features.dampingRule() == OptimizerFeatures.DampingRule.QUADRATIC_MODEL;
        this.damping = options.adaptiveDamping() && !quadratic
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
     * layers work with every representation; {@link org.natgrad.nn.Conv2d} (KFC, expand form),
     * parameter-free layers (pooling) and {@link StatisticsForm.Diagonal} layers (Affine, LayerNorm:
     * the diagonal fallback of the mixed representation) with {@link CurvatureChoice#KFAC} and
     * {@link CurvatureChoice#EQ20} only.
     *
     * @throws IllegalArgumentException naming the first such layer, its label and its form
     */
    public static void requireCurvatureLayers(Network net, CurvatureChoice choice) {
        if (choice != CurvatureChoice.KFAC && choice != CurvatureChoice.EQ20) {
            requireCurvatureLayers(net);
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

    /** The kfac-jax features in use ({@link OptimizerFeatures#off()} unless given). */
    public OptimizerFeatures features() {
        return features;
    }

    /**
     * Steps that took curvature statistics from their batch, burn-in included (counted with
     * features on; 0 with every feature off).
     */
    public long statisticsSteps() {
        return statisticsSteps;
    }

    /** The moving average of the statistics (features on), or null; a test hook. */
    CurvatureStatistics averageStatistics() {
        return average;
    }

    /** The statistics the representation in use was built from, or null; a test hook. */
    CurvatureStatistics statisticsInUse() {
        return preconditioner.statistics();
    }

    /** The previous accepted update δ_prev (features on), or null; a test hook. */
    ParamVector previousUpdateForTest() {
        return previousUpdate;
    }

    /** Representations built (factorizations) so far (counted with features on; 0 with every feature off). */
    public long factorizations() {
        return factorizations;
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
        if (!features.allOff()) {
            long t = steps - features.burnin();
            return t < 0 || average == null || t % features.curvaturePeriod(options.refreshEvery()) == 0;
        }
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
        if (!features.allOff()) {
            return featureStep(net, evaluation(net, batch), batch);
        }
        return step(net, evaluation(net, batch));
    }

    private BatchEvaluation evaluation(Network net, Batch batch) {
        return usesMoments(net) ? LinearMoments.of(net, (Gaussian) likelihood, batch)
                : options.keyedSamples() ? BatchEvaluation.keyedPasses(net, likelihood, batch, options.seed(), steps)
                : BatchEvaluation.passes(net, likelihood, batch, options.precision());
    }

    /**
     * One step with the minibatch quantities from {@code eval} (evaluated at {@code net}'s current
     * weights; its statistics are asked for only on refresh steps, its loss after the step only on
     * damping steps): the same schedules, damping, rejection and rollback as {@link #step(Network, Batch)}.
     * This is how another statistics source (a distributed engine) drives this optimizer.
     */
    public StepReport step(Network net, BatchEvaluation eval) {
        requireCurvatureLayers(net, options.curvature());
        if (!features.allOff()) {
            return featureStep(net, eval, null);
        }
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
     * One step with {@link OptimizerFeatures} on (see there for each feature): statistics into the
     * moving average every T1 steps, the representation rebuilt from it every T2 steps, the solve
     * with λ + c, the update (fixed α and momentum, or (α, μ) from {@link QuadraticModel}, then the
     * norm constraint), the options' acceptance check, and the quadratic-model damping rule every T3
     * steps. {@code batch} is needed for the exact G products (null: refused when they are needed).
     */
    private StepReport featureStep(Network net, BatchEvaluation eval, Batch batch) {
        if (batch == null && features.needsProducts()) {
            throw new IllegalStateException("NaturalGradient: adaptiveLrMomentum and the quadratic-model damping rule need "
                    + "exact curvature products on the batch; call step(Network, Batch)");
        }
        StepReport r = featureStepWith(net, eval, batch);
        return options.precision() == Precision.SINGLE ? StepReport.withFloat32Hint(r) : r;
    }

    private StepReport featureStepWith(Network net, BatchEvaluation eval, Batch batch) {
        double lambda = damping.current();
        double decay = features.weightDecay();
        long index = steps++;
        ParamVector params = net.parameters();
        double lossOld = eval.loss() + l2(params);
        StepReport early = acceptance.checkBefore(net, lossOld, lambda);
        if (early != null) {
            return early;
        }
        long t = index - features.burnin();
        if (template == null || !template.sameShapes(params)) {
            template = ParamVector.zerosLike(params);
        }
        if (pendingPrevious != null) {
            previousUpdate = params.withFlat(pendingPrevious);
            pendingPrevious = null;
        }
        try {
            if (restoredCache != null) {
                OptimizerState r = restoredCache;
                restoredCache = null;
                preconditioner.update(template, r.cached(), r.cacheStep());
            }
            if (t < 0) { // burn-in: the equal-weight mean of the burn-in batches' statistics, no update
                String bad = accumulate(eval, averaged / (averaged + 1.0));
                return bad != null ? acceptance.reject(lossOld, Double.NaN, lambda, Double.NaN, bad)
                        : new StepReport(true, lossOld, Double.NaN, lambda, Double.NaN, "burn-in: statistics only");
            }
            if (average == null || t % features.curvaturePeriod(options.refreshEvery()) == 0) {
                String bad = accumulate(eval, averaged == 0 ? 0 : features.factorDecay());
                if (bad != null) {
                    return acceptance.reject(lossOld, Double.NaN, lambda, Double.NaN, bad);
                }
            }
            if (!preconditioner.isReady() || t % features.inversePeriod(options.refreshEvery()) == 0) {
                preconditioner.update(template, average, index);
                factorizations++;
            }
            ParamVector grad = eval.gradient();
            if (decay > 0) {
                grad = grad.copy().axpy(decay, params);
            }
            if (!grad.isFinite()) {
                return acceptance.reject(lossOld, Double.NaN, lambda, Double.NaN, "the gradient has non-finite values");
            }
            preconditioner.refresh(lambda + decay);
            ParamVector dir = preconditioner.apply(grad, -1);
            int badLayer = dir.firstNonFiniteLayer();
            if (badLayer > 0) {
                return acceptance.reject(lossOld, Double.NaN, lambda, Double.NaN, "update of layer " + badLayer
                        + " has non-finite values");
            }
            boolean byLayer = options.curvature().dividesStepByDepth();
            int layers = byLayer ? parametricLayers(net) : 1;
            double sumGradDirection = byLayer ? grad.augmentedDot(dir) : grad.dot(dir);
            BatchCurvature products = features.needsProducts() ? BatchCurvature.of(net, likelihood, batch) : null;
            double kappa = lambda + decay;
            ParamVector update;
            ParamVector gUpdate = null;
            if (features.adaptiveLrMomentum()) {
                ParamVector descent = dir.copy().scale(-1);
                ParamVector gDescent = products.ggn(descent);
                ParamVector prev = previousUpdate;
                ParamVector gPrev = prev == null ? null : products.ggn(prev);
                double[] am = QuadraticModel.coefficients(descent.dot(gDescent) + kappa * descent.dot(descent),
                        prev == null ? Double.NaN : descent.dot(gPrev) + kappa * descent.dot(prev),
                        prev == null ? Double.NaN : prev.dot(gPrev) + kappa * prev.dot(prev),
                        grad.dot(descent), prev == null ? Double.NaN : grad.dot(prev));
                update = descent.copy().scale(am[0]);
                gUpdate = gDescent.copy().scale(am[0]);
                if (am[1] != 0) {
                    update.axpy(am[1], prev);
                    gUpdate.axpy(am[1], gPrev);
                }
            } else {
                double step = options.alpha() / layers;
                double sq = step * step * sumGradDirection;
                if (features.normConstraint() > 0 && sq > features.normConstraint()) {
                    step *= Math.sqrt(features.normConstraint() / sq);
                }
                update = dir.copy().scale(-step);
                if (features.momentum() > 0 && previousUpdate != null) {
                    update.axpy(features.momentum(), previousUpdate);
                }
                if (products != null) {
                    gUpdate = products.ggn(update);
                }
            }
            double q = gUpdate == null ? Double.NaN : QuadraticModel.value(grad, update, gUpdate, kappa);
            ParamVector saved = acceptance.saveWeights(params);
            params.axpy(1, update);
            StepReport report = acceptance.finish(index, lossOld, () -> eval.lossAfter(saved, params) + l2(params), lambda,
                    sumGradDirection, layers, params, saved);
            if (report.accepted()) {
                previousUpdate = update;
            }
            if (features.dampingRule() == OptimizerFeatures.DampingRule.QUADRATIC_MODEL && report.accepted()
                    && t % features.dampingAdaptEvery() == 0) {
                double rho = (report.lossAfter() - lossOld) / q;
                damping.set(QuadraticModel.adaptDamping(lambda, rho, features.dampingDecay(), options.minDamping(),
                        options.maxDamping()));
                return new StepReport(true, report.lossBefore(), report.lossAfter(), lambda, rho, report.note());
            }
            return report;
        } catch (ArithmeticException e) {
            preconditioner.clear();
            return acceptance.reject(lossOld, Double.NaN, lambda, Double.NaN, e.getMessage() + " (cached curvature dropped)");
        }
    }

    /** (c/2)|θ|² for the weight decay c (0 without it). */
    private double l2(ParamVector params) {
        double c = features.weightDecay();
        return c == 0 ? 0 : 0.5 * c * params.dot(params);
    }

    /**
     * Takes the batch's statistics into the average (weight {@code keep} on the old average; the
     * first statistics are taken as they are); a reason when they are not finite, else null.
     */
    private String accumulate(BatchEvaluation eval, double keep) {
        CurvatureStatistics s = eval.statistics(options.modelSamples(), rng, options.curvature(), solver);
        statisticsSteps++;
        String bad = s.firstNonFinite();
        if (bad != null) {
            return bad + " has non-finite values";
        }
        average = average == null || keep == 0 ? s : average.movingAverage(keep, s);
        averaged++;
        return null;
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
        boolean keep = preconditioner.isReady() && (options.refreshEvery() > 1 || !features.allOff());
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
        average = null;
        averaged = 0;
        previousUpdate = null;
        pendingPrevious = null;
        statisticsSteps = 0;
        factorizations = 0;
    }

    /** {@link #state()} as named arrays ({@link OptimizerState#toMap()}). */
    @Override
    public Map<String, double[]> saveState() {
        Map<String, double[]> m = state().toMap();
        if (features.allOff()) {
            return m;
        }
        m.put("opt_feat_counts", new double[] {averaged, statisticsSteps, factorizations});
        if (previousUpdate != null) {
            m.put("opt_feat_prev", previousUpdate.toFlat());
        }
        if (average != null) {
            new OptimizerState(0, 0, rng.state(), 0, 0, average).toMap().forEach((k, v) -> {
                if (k.startsWith("opt_cache_")) {
                    m.put(AVERAGE_PREFIX + k.substring("opt_cache_".length()), v);
                }
            });
        }
        return m;
    }

    /** Key prefix of the moving-average statistics in {@link #saveState()} (the {@code opt_cache_} layout). */
    private static final String AVERAGE_PREFIX = "opt_avg_";

    /** {@link #restore} from {@link OptimizerState#fromMap}. */
    @Override
    public void restoreState(Map<String, double[]> state) {
        restore(OptimizerState.fromMap(state));
        double[] counts = state.get("opt_feat_counts");
        if (counts == null) {
            return;
        }
        if (counts.length != 3) {
            throw new IllegalArgumentException("NaturalGradient.restoreState: opt_feat_counts must have 3 entries, got "
                    + counts.length);
        }
        averaged = (long) counts[0];
        statisticsSteps = (long) counts[1];
        factorizations = (long) counts[2];
        double[] prev = state.get("opt_feat_prev");
        previousUpdate = prev == null ? null : restoredShape(prev);
        Map<String, double[]> avg = new java.util.LinkedHashMap<>(state);
        avg.keySet().removeIf(k -> k.startsWith("opt_cache_"));
        state.forEach((k, v) -> {
            if (k.startsWith(AVERAGE_PREFIX)) {
                avg.put("opt_cache_" + k.substring(AVERAGE_PREFIX.length()), v);
            }
        });
        average = avg.containsKey("opt_cache_shapes") ? OptimizerState.fromMap(avg).cached() : null;
    }

    /** A flat saved δ_prev, shaped on the first step after the restore (the shapes come from the network). */
    private ParamVector restoredShape(double[] flat) {
        pendingPrevious = flat;
        return null;
    }

    private double[] pendingPrevious;

    /**
     * True when no deferred safety check is pending ({@code dampingEvery} &gt; 1) and the next step
     * recomputes the curvature ({@code steps} a multiple of {@code refreshEvery}), so that
     * {@link #state()} holds everything the next steps depend on. With {@link OptimizerFeatures} on,
     * {@link #saveState()} carries their state too (the moving average, δ_prev, the counters), so every
     * step without a pending check is a boundary; {@link #state()} alone does not carry it.
     */
    @Override
    public boolean atResumableBoundary() {
        return !acceptance.pending() && (!features.allOff() || steps % options.refreshEvery() == 0);
    }
}
