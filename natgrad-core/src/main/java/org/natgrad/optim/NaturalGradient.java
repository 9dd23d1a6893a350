package org.natgrad.optim;

import java.util.Map;

import java.util.function.DoubleSupplier;
import org.natgrad.curvature.Curvature;
import org.natgrad.curvature.CurvatureKind;
import org.natgrad.curvature.FisherSamples;
import org.natgrad.curvature.KroneckerFactors;
import org.natgrad.curvature.SingleKroneckerFactors;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Dense;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

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
 * <p><b>Any curvature representation.</b> With {@link NaturalGradientOptions#withCurvature} set
 * (exact, block-diagonal, tri-diagonal, K-FAC, EK-FAC, unit-wise, diagonal) the step is instead
 * θ ← θ − α d with d = G.solve(∇L, λ) ({@link Curvature}), G built every {@code refreshEvery} steps
 * from the same forward pass, and the predicted change is that of the quadratic model along d
 * (the variants' L = 1 form). Exact, block-diagonal, tri-diagonal and unit-wise solves run in
 * data space when the sample count is below the parameter count. The cached representation is not
 * part of {@link #state()}: after {@link #restore} it is rebuilt at the next step.
 *
 * <p><b>Linear networks with a Gaussian likelihood.</b> When every layer has the identity activation,
 * the likelihood is {@link Gaussian} and no curvature representation is set, the Eq. 20 step is
 * computed from the minibatch second moment S of z = [x; 1; y] instead of forward and backward passes
 * ({@link NaturalGradientOptions#linearMoments}, on by default): Λ_i, the loss, the gradient, Λ̃_i
 * (from the same model-sampled output errors, drawn from the same random stream) and the loss after
 * the step are exact functions of S and the weights, so the step agrees with the general path up to
 * round-off; after the one syrk over the batch its cost does not depend on M. The loss after the step
 * is the loss before plus its change computed from the weight updates (no cancellation near a
 * minimum). Damping, checks, rejection, caching and {@link #state()} behave as in the general path
 * (cached factors are kept as their n x n square roots).
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
 * {@link ArithmeticException} of {@link PsdSolver} or {@link Curvature}, for every
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
    private long steps;
    private long rejected;
    private KroneckerFactors cache;
    /** The cached samples in single precision, instead of {@link #cache} (one of the two is null). */
    private SingleKroneckerFactors singleCache;
    private Curvature curvature;
    private long cacheStep = -1;
    private PsdSolver[] lambdaInverses;
    private PsdSolver[] lambdaTildeInverses;
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
        if (usesMoments(net)) {
            return stepFromMoments(net, batch);
        }
        Trace trace = net.forward(batch.inputs());
        Matrix out = trace.output();
        likelihood.validateTargets(out, batch.targets());
        int m = batch.size();
        int layers = net.depth();
        double lambda = damping.current();
        long index = steps++;
        double lossOld = likelihood.loss(out, batch.targets());
        StepReport early = checkBefore(net, lossOld, lambda);
        if (early != null) {
            return early;
        }
        Matrix err = MatOps.scaleInPlace(1.0 / m, likelihood.outputError(out, batch.targets()));
        Backprop bp = net.backward(trace, err, true);
        ParamVector grad = bp.gradients();

        ParamVector params = net.parameters();
        ParamVector saved = rollbackCopy(params);
        double sumGradDirection;
        int predictionLayers;
        if (options.curvature() != null) {
            if (curvature == null || index % options.refreshEvery() == 0) {
                CurvatureKind kind = options.modelSamples() == 0 ? CurvatureKind.exact()
                        : CurvatureKind.monteCarlo(options.modelSamples(), rng);
                FisherSamples samples = FisherSamples.of(net, likelihood, trace, batch.targets(), kind);
                String bad = nonFinite(samples);
                if (bad != null) {
                    return reject(lossOld, Double.NaN, lambda, Double.NaN, bad);
                }
                double traceF = fisherTrace(samples);
                if (!Double.isFinite(traceF)) {
                    return rejectFailedFactorization(lossOld, lambda, "the Fisher's entries overflow (its samples are "
                            + "finite but tr F = " + traceF + ")");
                }
                try {
                    curvature = Curvature.of(options.curvature(), net, samples);
                } catch (ArithmeticException e) {
                    return rejectFailedFactorization(lossOld, lambda, options.curvature().label()
                            + " curvature could not be built: " + e.getMessage());
                }
            }
            if (!grad.isFinite()) {
                return reject(lossOld, Double.NaN, lambda, Double.NaN, "the gradient has non-finite values");
            }
            ParamVector dir;
            try {
                dir = curvature.solve(grad, options.pseudoInverse() ? 0 : lambda);
            } catch (ArithmeticException e) {
                return rejectFailedFactorization(lossOld, lambda, options.curvature().label() + " solve failed: "
                        + e.getMessage());
            }
            if (!dir.isFinite()) {
                return reject(lossOld, Double.NaN, lambda, Double.NaN, options.curvature().label()
                        + " update has non-finite values");
            }
            sumGradDirection = grad.dot(dir);
            predictionLayers = 1;
            params.axpy(-options.alpha(), dir);
        } else {
            if (!hasCache() || index % options.refreshEvery() == 0) {
                String bad = refreshFactors(net, trace, index);
                if (bad != null) {
                    return reject(lossOld, Double.NaN, lambda, Double.NaN, bad);
                }
            }
            Matrix[] g = new Matrix[layers];
            for (int i = 0; i < layers; i++) {
                g[i] = KroneckerFactors.augmentedBlock(grad, i);
            }
            KroneckerStep ks = kroneckerStep(g, lambda);
            if (ks.failure() != null) {
                return rejectFailedFactorization(lossOld, lambda, ks.failure());
            }
            if (ks.nonFiniteLayer() >= 0) {
                return reject(lossOld, Double.NaN, lambda, Double.NaN,
                        "update of layer " + (ks.nonFiniteLayer() + 1) + " has non-finite values");
            }
            ks.applyTo(params, options.alpha() / layers);
            sumGradDirection = ks.sumGradDirection();
            predictionLayers = layers;
        }
        return finish(index, lossOld, () -> likelihood.loss(net.predict(batch.inputs()), batch.targets()), lambda,
                sumGradDirection, predictionLayers, params, saved);
    }

    /**
     * True when {@link #step} on {@code net} takes the minibatch-moment path: the Eq. 20 rule (no
     * curvature representation), {@link NaturalGradientOptions#linearMoments} on, every layer linear
     * and a Gaussian likelihood.
     */
    boolean usesMoments(Network net) {
        return options.curvature() == null && options.linearMoments() && LinearMoments.applies(net, likelihood);
    }

    /**
     * The Eq. 20 step of {@link #step} for a linear network with a Gaussian likelihood, from the
     * minibatch moments ({@link LinearMoments}): the same loss, gradient, factors (model samples drawn
     * from {@link #rng} identically), damping, update, checks and report, up to round-off, at a cost
     * independent of the batch size after one syrk over it.
     */
    private StepReport stepFromMoments(Network net, Batch batch) {
        Gaussian gaussian = (Gaussian) likelihood;
        LinearMoments mom = LinearMoments.of(net, gaussian, batch);
        int layers = net.depth();
        double lambda = damping.current();
        long index = steps++;
        double lossOld = mom.loss();
        StepReport early = checkBefore(net, lossOld, lambda);
        if (early != null) {
            return early;
        }
        Matrix[] grad = mom.gradients(net);
        ParamVector params = net.parameters();
        ParamVector saved = rollbackCopy(params);
        if (!hasCache() || index % options.refreshEvery() == 0) {
            Matrix[] lam = mom.lambdas(net);
            Matrix[] lamTilde = mom.lambdaTildes(net, LinearMoments.outputMoment(gaussian, net.outputSize(),
                    batch.size(), options.modelSamples(), rng));
            String bad = nonFinite(lam, lamTilde);
            if (bad != null) {
                return reject(lossOld, Double.NaN, lambda, Double.NaN, bad);
            }
            String failed = setCacheFromMoments(lam, lamTilde, index);
            if (failed != null) {
                return rejectFailedFactorization(lossOld, lambda, failed);
            }
        }
        KroneckerStep ks = kroneckerStep(grad, lambda);
        if (ks.failure() != null) {
            return rejectFailedFactorization(lossOld, lambda, ks.failure());
        }
        if (ks.nonFiniteLayer() >= 0) {
            return reject(lossOld, Double.NaN, lambda, Double.NaN,
                    "update of layer " + (ks.nonFiniteLayer() + 1) + " has non-finite values");
        }
        ks.applyTo(params, options.alpha() / layers);
        return finish(index, lossOld, () -> lossOld + mom.lossChange(saved, params), lambda, ks.sumGradDirection(),
                layers, params, saved);
    }

    /**
     * The Eq. 20 directions D_i = (Λ̃_i + √λ I)^{-1} G_i (Λ_i + √λ I)^{-1} (pseudo-inverses and no
     * damping with {@code pseudoInverse}) and Σ_i ⟨G_i, D_i⟩; {@code nonFiniteLayer} is the first layer
     * (0-based) whose D_i has a NaN/Inf, or -1; {@code failure} names the factor whose factorization
     * failed (the other fields are then meaningless), or is null.
     */
    private record KroneckerStep(Matrix[] d, double sumGradDirection, int nonFiniteLayer, String failure) {
        /** W̄_i ← W̄_i − a D_i for every layer. */
        void applyTo(ParamVector params, double a) {
            for (int i = 0; i < d.length; i++) {
                Matrix w = KroneckerFactors.augmentedBlock(params, i);
                MatOps.axpy(-a, d[i], w);
                KroneckerFactors.setAugmentedBlock(params, i, w);
            }
        }
    }

    /**
     * {@link KroneckerStep} for the gradients G_i (augmented blocks) from the cached factors. A
     * factor whose inverse cannot be prepared or applied (an {@link ArithmeticException} of
     * {@link PsdSolver}: non-finite or overflowing entries, a Cholesky, eigen- or singular value
     * decomposition that fails) gives a {@code failure} note naming the layer and the factor.
     */
    private KroneckerStep kroneckerStep(Matrix[] g, double lambda) {
        double shift = options.pseudoInverse() ? 0 : Math.sqrt(lambda);
        Matrix[] d = new Matrix[g.length];
        double sum = 0;
        for (int i = 0; i < g.length; i++) {
            String which = LAMBDA_TILDE;
            try {
                PsdSolver left = inverse(lambdaTildeInverses, i);
                which = LAMBDA;
                PsdSolver right = inverse(lambdaInverses, i);
                if (left.size() != g[i].rows() || right.size() != g[i].cols()) {
                    throw new IllegalStateException("NaturalGradient: cached factors of layer " + (i + 1) + " are "
                            + left.size() + "x" + left.size() + " and " + right.size() + "x" + right.size()
                            + " but its gradient is " + g[i].shape() + " (restored state from another network?)");
                }
                // D = L^{-1} G R^{-1}; CHOLESKY factors may solve (dpotrs) instead of forming inverses.
                which = LAMBDA_TILDE;
                Matrix half = left.solve(shift, g[i]);
                which = LAMBDA;
                d[i] = right.solveRight(shift, half);
            } catch (ArithmeticException e) {
                return new KroneckerStep(d, Double.NaN, -1, "factorization of " + which + " of layer " + (i + 1)
                        + " failed: " + e.getMessage());
            }
            if (!d[i].isFinite()) {
                return new KroneckerStep(d, Double.NaN, i, null);
            }
            sum += MatOps.dot(g[i], d[i]);
        }
        return new KroneckerStep(d, sum, -1, null);
    }

    private static final String LAMBDA = "Kronecker factor Lambda (inputs)";
    private static final String LAMBDA_TILDE = "Kronecker factor LambdaTilde (model-sampled errors)";

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

    /**
     * Rejects a step whose curvature could not be factorized ({@code why} says which and why), as
     * {@link #reject} does, and drops the cached factors, their decompositions and the cached
     * curvature representation, so that the next step recomputes them from its own minibatch.
     */
    private StepReport rejectFailedFactorization(double lossOld, double lambda, String why) {
        cache = null;
        singleCache = null;
        cacheStep = -1;
        lambdaInverses = null;
        lambdaTildeInverses = null;
        curvature = null;
        return reject(lossOld, Double.NaN, lambda, Double.NaN, why + " (cached curvature dropped)");
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

    private static String nonFinite(FisherSamples s) {
        for (int i = 0; i < s.layers(); i++) {
            if (!s.inputs()[i].isFinite() || !s.errors()[i].isFinite()) {
                return "curvature samples of layer " + (i + 1) + " have non-finite values";
            }
        }
        return null;
    }

    /**
     * tr F = Σ_k Σ_l |x̄_{l,k}|² |δ_{l,k}|² of the samples (O(K Σ_l (d_l + n_l))). F is PSD, so
     * |F_ij| ≤ √(F_ii F_jj) ≤ tr F: a finite trace means every entry of F, and of each block a
     * structured representation keeps, is finite; +Inf means some overflow.
     */
    private static double fisherTrace(FisherSamples s) {
        double t = 0;
        for (int l = 0; l < s.layers(); l++) {
            Matrix x = s.inputs()[l];
            Matrix e = s.errors()[l];
            for (int k = 0; k < x.cols(); k++) {
                t += squaredNorm(x, k) * squaredNorm(e, k);
            }
        }
        return t;
    }

    private static double squaredNorm(Matrix a, int col) {
        double[] d = a.data();
        double s = 0;
        for (int i = col * a.rows(), end = i + a.rows(); i < end; i++) {
            s += d[i] * d[i];
        }
        return s;
    }

    private static String nonFinite(KroneckerFactors kf) {
        return nonFinite(kf.inputSamples(), kf.errorSamples());
    }

    /** The first layer whose Λ (inputs) or Λ̃ (samples or factors) has a NaN/Inf, as a note; null if none. */
    private static String nonFinite(Matrix[] inputs, Matrix[] errors) {
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].isFinite()) {
                return LAMBDA + " of layer " + (i + 1) + " has non-finite values";
            }
            if (!errors[i].isFinite()) {
                return LAMBDA_TILDE + " of layer " + (i + 1) + " has non-finite values";
            }
        }
        return null;
    }

    /**
     * Caches factors computed from moments. As samples the cache holds their n x n square roots
     * ({@link PsdSolver#squareRoot}), so that {@link #state()} stores and {@link #restore}
     * rebuilds exactly the factors in use, as for sampled factors; with refreshEvery = 1 nothing
     * outlives the step, so the inverses are built from the factors directly. Returns a note naming
     * the layer and factor whose square root or inverse could not be computed, or null.
     */
    private String setCacheFromMoments(Matrix[] lambda, Matrix[] lambdaTilde, long step) {
        int layers = lambda.length;
        String which = LAMBDA;
        int i = 0;
        try {
            if (options.refreshEvery() > 1) {
                Matrix[] u = new Matrix[layers];
                Matrix[] e = new Matrix[layers];
                for (i = 0; i < layers; i++) {
                    which = LAMBDA;
                    u[i] = PsdSolver.squareRoot(lambda[i]);
                    which = LAMBDA_TILDE;
                    e[i] = PsdSolver.squareRoot(lambdaTilde[i]);
                }
                setCache(new KroneckerFactors(u, e), step);
                return null;
            }
            setCache(new KroneckerFactors(lambda, lambdaTilde), step); // factors as placeholders: inverses built below
            for (i = 0; i < layers; i++) {
                which = LAMBDA;
                lambdaInverses[i] = PsdSolver.ofGram(lambda[i], options.inverse(), options.pseudoInverse(),
                        sketchSeed(lambdaInverses, i), options.factorPrecision());
                which = LAMBDA_TILDE;
                lambdaTildeInverses[i] = PsdSolver.ofGram(lambdaTilde[i], options.inverse(), options.pseudoInverse(),
                        sketchSeed(lambdaTildeInverses, i), options.factorPrecision());
            }
            return null;
        } catch (ArithmeticException ex) {
            return "factorization of " + which + " of layer " + (i + 1) + " failed: " + ex.getMessage();
        }
    }

    private void setCache(KroneckerFactors kf, long step) {
        setCache(kf, null, step);
    }

    /** Caches the samples of step {@code step}: double-precision {@code kf} or single-precision {@code skf}. */
    private void setCache(KroneckerFactors kf, SingleKroneckerFactors skf, long step) {
        cache = kf;
        singleCache = skf;
        cacheStep = step;
        int layers = kf != null ? kf.layers() : skf.layers();
        lambdaInverses = new PsdSolver[layers];
        lambdaTildeInverses = new PsdSolver[layers];
    }

    /**
     * The inverse of layer i's Λ ({@code slots} = {@link #lambdaInverses}) or Λ̃, prepared from the
     * cached samples (single or double precision) on first use.
     */
    private PsdSolver inverse(PsdSolver[] slots, int layer) {
        if (slots[layer] == null) {
            boolean inputs = slots == lambdaInverses;
            slots[layer] = singleCache != null
                    ? PsdSolver.of((inputs ? singleCache.inputSamples() : singleCache.errorSamples())[layer],
                            options.inverse(), options.pseudoInverse(), sketchSeed(slots, layer), options.factorPrecision())
                    : PsdSolver.of((inputs ? cache.inputSamples() : cache.errorSamples())[layer],
                            options.inverse(), options.pseudoInverse(), sketchSeed(slots, layer), options.factorPrecision());
        }
        return slots[layer];
    }

    private boolean hasCache() {
        return cache != null || singleCache != null;
    }

    /**
     * Recomputes the factors' samples from the trace into the cache: in single precision
     * ({@link SingleKroneckerFactors}, model samples backpropagated in float32) when K ≥ 1 and some
     * factor of the network is handled in single precision ({@link PsdSolver#single}), in double
     * precision otherwise, and also when a single-precision sample is not finite (the same model
     * draws are then taken again in double). Returns a note naming the first layer with a
     * non-finite factor (the cache is then left as it was), or null.
     */
    private String refreshFactors(Network net, Trace trace, long index) {
        if (options.modelSamples() >= 1 && anySingleFactor(net)) {
            long[] before = rng.state();
            SingleKroneckerFactors skf = SingleKroneckerFactors.of(net, likelihood, trace, options.modelSamples(), rng);
            if (skf.isFinite()) {
                setCache(null, skf, index);
                return null;
            }
            // Some sample is NaN/Inf in float32 (e.g. errors beyond ±3.4e38 that double holds): redo
            // the refresh in double precision from the same model draws.
            rng.restore(before);
        }
        KroneckerFactors kf = KroneckerFactors.of(net, likelihood, trace, options.modelSamples(), rng);
        String bad = nonFinite(kf);
        if (bad == null) {
            setCache(kf, index);
        }
        return bad;
    }

    /** True when some Λ_i or Λ̃_i of {@code net} is handled in single precision under the options. */
    private boolean anySingleFactor(Network net) {
        for (int i = 0; i < net.depth(); i++) {
            Dense d = net.layer(i);
            for (int n : new int[] {d.inputs() + (d.hasBias() ? 1 : 0), d.outputs()}) {
                InverseStrategy s = PsdSolver.resolve(options.inverse(), n, options.pseudoInverse());
                if (PsdSolver.single(options.factorPrecision(), s, n, options.pseudoInverse())) {
                    return true;
                }
            }
        }
        return false;
    }

    private long sketchSeed(PsdSolver[] slots, int layer) {
        return options.seed() ^ (0x9E3779B97F4A7C15L * (cacheStep + 1)) ^ (layer * 0xBF58476D1CE4E5B9L)
                ^ (slots == lambdaInverses ? 1 : 2);
    }

    /** A snapshot of the state (cached factors included when refreshEvery &gt; 1). */
    public OptimizerState state() {
        boolean keep = hasCache() && options.refreshEvery() > 1;
        KroneckerFactors kept = !keep ? null : cache != null ? cache : singleCache.toDouble();
        return new OptimizerState(damping.current(), steps, rng.state(), rejected, keep ? cacheStep : -1,
                keep ? copies(kept.inputSamples()) : null, keep ? copies(kept.errorSamples()) : null);
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
        curvature = null;
        pendingCheck = false;
        if (s.cachedInputs() != null) {
            setCache(new KroneckerFactors(copies(s.cachedInputs()), copies(s.cachedErrors())), s.cacheStep());
        } else {
            cache = null;
            singleCache = null;
            cacheStep = -1;
        }
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

    private static Matrix[] copies(Matrix[] a) {
        Matrix[] c = new Matrix[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].copy();
        }
        return c;
    }
}
