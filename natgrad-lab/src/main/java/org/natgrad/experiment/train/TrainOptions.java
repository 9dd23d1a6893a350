package org.natgrad.experiment.train;

import java.util.List;
import java.util.Objects;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.ModelSpec;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.OptimizerFeatures;

/**
 * Everything that defines a training run, validated once (every problem names the option).
 * Written to {@code options.json} so the run can be repeated from it. Where the run is written
 * is not an option of the experiment and lives outside this record.
 *
 * @param layers           widths n_0, ..., n_L (input first; at least two)
 * @param activation       activation of the hidden layers 1..L-1
 * @param outputActivation activation of layer L (identity for Gaussian regression and for the
 *                         categorical/Bernoulli likelihoods, which take logits)
 * @param bias             whether layers have (trainable, zero-initialised) biases
 * @param likelihood       the output model, i.e. the loss
 * @param optimizer        which optimizer
 * @param learningRate     step size η (finite, > 0)
 * @param momentum         heavy-ball momentum μ in [0, 1); must be 0 for optimizers that do not use it
 * @param batchSize        examples per step M (>= 1, at most the number of training examples)
 * @param epochs           passes over the training set, or 0 when {@code examples} is given
 * @param examples         training examples to process, or 0 when {@code epochs} is given
 *                         (exactly one of the two is positive)
 * @param data             where the examples come from
 * @param init             weight initialiser
 * @param seed             master seed: teacher, initial weights and minibatch order derive from it
 * @param evalEvery        optimizer steps between evaluations of the train and test loss (>= 1),
 *                         or 0 for about 50 evaluations per run
 * @param qualityEvery     steps between measurements of each approximate natural gradient against
 *                         the exact one ({@code quality.csv}); 0 = off; the exact direction is a dense solve up to
 *                         4096 parameters and conjugate gradients on matrix-free Fisher products beyond
 * @param varianceEvery    steps between measurements of the Fisher estimators' per-layer noise
 *                         ({@code variance.csv}); 0 = off
 * @param naturalGradient  settings of the natural-gradient optimizer (used by {@code ngd} only; its
 *                         seed is replaced by {@code seed} when the optimizer is made)
 * @param precision        precision of every optimizer's passes and gradient ({@link Precision}; default
 *                         DOUBLE, also when null, as in options files written before it existed); for
 *                         {@code ngd} it replaces {@code naturalGradient}'s own, as the seed does. Losses,
 *                         ρ, the update and the weights stay double either way
 * @param features         kfac-jax's optimizer features of {@code ngd} ({@link OptimizerFeatures}); null (also in
 *                         options files written before it existed) means all off
 * @param model            a model string ({@link ModelSpec}, e.g. {@code input 1x28x28, conv 8 3x3, relu, maxpool 2,
 *                         dense 10}) defining the network instead of {@code layers}, {@code activation},
 *                         {@code outputActivation} and {@code bias}, or null for the dense network of
 *                         {@code layers}. With a model, {@code layers} is replaced by (input size, output size),
 *                         the data must come from files, the optimizer must suit every layer (sgd and adam
 *                         do; ngd with eq20 or kfac takes dense, conv and pooling layers (KFC), other
 *                         representations dense layers only) and quality/variance diagnostics are off
 */
public record TrainOptions(List<Integer> layers, Activation activation, Activation outputActivation, boolean bias,
                           LikelihoodChoice likelihood, OptimizerChoice optimizer, double learningRate, double momentum,
                           int batchSize, int epochs, long examples, DataSource data, InitChoice init, long seed,
                           int evalEvery, int qualityEvery, int varianceEvery,
                           NaturalGradientOptions naturalGradient, Precision precision, OptimizerFeatures features,
                           String model) {

    public TrainOptions {
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(outputActivation, "output activation");
        Objects.requireNonNull(likelihood, "likelihood");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(naturalGradient, "natural-gradient options");
        if (features == null) {
            features = OptimizerFeatures.off();
        }
        if (precision == null) {
            precision = Precision.DOUBLE;
        }
        if (model != null) {
            ModelSpec spec = ModelSpec.parse(model);
            model = spec.toString();
            var net = spec.build(new Init.Zero(), 0);
            layers = List.of(net.inputSize(), net.outputSize());
            if (optimizer == OptimizerChoice.NGD) {
                NaturalGradient.requireCurvatureLayers(net, naturalGradient.curvature());
            }
            if (data instanceof DataSource.Teacher) {
                throw new IllegalArgumentException("model '" + model + "': the teacher builds dense networks only;"
                        + " give a data file");
            }
            if (qualityEvery != 0 || varianceEvery != 0) {
                throw new IllegalArgumentException("quality-every and variance-every measure the natural-gradient"
                        + " curvature of dense layers; they do not apply to model '" + model + "'");
            }
        }
        layers = List.copyOf(layers);
        if (layers.size() < 2) {
            throw new IllegalArgumentException("layers: need at least two widths (input and output), got " + layers);
        }
        for (int w : layers) {
            if (w < 1) {
                throw new IllegalArgumentException("layers: widths must be >= 1, got " + layers);
            }
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (momentum != 0 && !optimizer.usesMomentum()) {
            throw new IllegalArgumentException("momentum applies to sgd only; optimizer " + optimizer.label()
                    + " does not use it (got momentum " + momentum + ")");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (epochs < 0 || examples < 0 || (epochs > 0) == (examples > 0)) {
            throw new IllegalArgumentException("give exactly one positive training length: epochs (" + epochs
                    + ") or examples (" + examples + ")");
        }
        if (qualityEvery < 0 || varianceEvery < 0) {
            throw new IllegalArgumentException("quality-every and variance-every must be >= 0 steps (0 = off), got "
                    + qualityEvery + " and " + varianceEvery);
        }
        if (evalEvery < 0) {
            throw new IllegalArgumentException("eval-every must be >= 0 steps (0 = automatic), got " + evalEvery);
        }
        if (data instanceof DataSource.Teacher t) {
            if (likelihood != LikelihoodChoice.GAUSSIAN) {
                throw new IllegalArgumentException("the teacher makes real-valued targets: use likelihood gaussian, or"
                        + " give a data file for " + likelihood.label());
            }
            if (batchSize > t.trainExamples()) {
                throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + t.trainExamples()
                        + " training examples");
            }
        }
    }

    /** A builder starting from {@link Builder the defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().layers(layers).activation(activation).outputActivation(outputActivation).bias(bias)
                .likelihood(likelihood).optimizer(optimizer).learningRate(learningRate).momentum(momentum)
                .batchSize(batchSize).epochs(epochs).examples(examples).data(data).init(init).seed(seed)
                .evalEvery(evalEvery).qualityEvery(qualityEvery).varianceEvery(varianceEvery)
                .naturalGradient(naturalGradient).precision(precision).features(features).model(model);
    }

    /** The parsed {@link #model()}, or null for a dense network of {@link #layers()}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public ModelSpec modelSpec() {
        return model == null ? null : ModelSpec.parse(model);
    }

    /**
     * Mutable builder. Defaults: layers 20,30,20; tanh hidden, identity output; biases; Gaussian
     * likelihood; SGD with learning rate 0.05 and no momentum; batch 20; 10 epochs; the paper's
     * teacher (10 000 / 1 000 examples, noise variance 1e-6); Gaussian init; seed 1; automatic
     * evaluation interval. Setting epochs clears examples and vice versa.
     */
    public static final class Builder {
        private List<Integer> layers = List.of(20, 30, 20);
        private Activation activation = Activation.TANH;
        private Activation outputActivation = Activation.IDENTITY;
        private boolean bias = true;
        private LikelihoodChoice likelihood = LikelihoodChoice.GAUSSIAN;
        private OptimizerChoice optimizer = OptimizerChoice.SGD;
        private double learningRate = 0.05;
        private double momentum = 0;
        private int batchSize = 20;
        private int epochs = 10;
        private long examples = 0;
        private DataSource data = DataSource.Teacher.paper();
        private InitChoice init = InitChoice.GAUSSIAN;
        private long seed = 1;
        private int evalEvery = 0;
        private int qualityEvery = 0;
        private int varianceEvery = 0;
        private NaturalGradientOptions naturalGradient = NaturalGradientOptions.paperDefaults();
        private Precision precision = Precision.DOUBLE;
        private OptimizerFeatures features = OptimizerFeatures.off();
        private String model = null;

        private Builder() {
        }

        public Builder layers(List<Integer> v) { layers = v; return this; }
        public Builder activation(Activation v) { activation = v; return this; }
        public Builder outputActivation(Activation v) { outputActivation = v; return this; }
        public Builder bias(boolean v) { bias = v; return this; }
        public Builder likelihood(LikelihoodChoice v) { likelihood = v; return this; }
        public Builder optimizer(OptimizerChoice v) { optimizer = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder data(DataSource v) { data = v; return this; }
        public Builder init(InitChoice v) { init = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder evalEvery(int v) { evalEvery = v; return this; }
        public Builder naturalGradient(NaturalGradientOptions v) { naturalGradient = v; return this; }
        public Builder qualityEvery(int v) { qualityEvery = v; return this; }
        public Builder varianceEvery(int v) { varianceEvery = v; return this; }
        public Builder precision(Precision v) { precision = v; return this; }
        /** Sets kfac-jax's optimizer features of {@code ngd} (default: all off). */
        public Builder features(OptimizerFeatures v) { features = v; return this; }
        /** A model string ({@link ModelSpec}) instead of the dense layers; null for none. */
        public Builder model(String v) { model = v; return this; }

        /** Trains for {@code v} epochs (clears a previous examples setting when v > 0). */
        public Builder epochs(int v) {
            epochs = v;
            if (v > 0) {
                examples = 0;
            }
            return this;
        }

        /** Trains on {@code v} examples (clears a previous epochs setting when v > 0). */
        public Builder examples(long v) {
            examples = v;
            if (v > 0) {
                epochs = 0;
            }
            return this;
        }

        /** Validates and builds. */
        public TrainOptions build() {
            return new TrainOptions(layers, activation, outputActivation, bias, likelihood, optimizer, learningRate,
                    momentum, batchSize, epochs, examples, data, init, seed, evalEvery, qualityEvery, varianceEvery, naturalGradient,
                    precision, features, model);
        }
    }
}
