package org.natgrad.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.natgrad.experiment.Json;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.train.DataSource;
import org.natgrad.experiment.train.InitChoice;
import org.natgrad.experiment.train.LikelihoodChoice;
import org.natgrad.experiment.train.OptimizerChoice;
import org.natgrad.experiment.train.StepSource;
import org.natgrad.experiment.train.TrainExperiment;
import org.natgrad.experiment.train.TrainOptions;
import org.natgrad.experiment.train.TrainResults;
import org.natgrad.linalg.Backend;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code natgrad train}: trains a network on a synthetic teacher or an NPZ data file and writes
 * a run folder (see {@link TrainExperiment}). Flags map one-to-one onto {@link TrainOptions};
 * the defaults shown by {@code --help} are the builder's.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = NatgradCommand.Version.class,
        description = "Train a network on a synthetic teacher or a data file; write a run folder.",
        sortOptions = false,
        footer = {"", "Example:", "  natgrad train --layers 20,30,20 --examples 20000 --out runs/sgd"})
public final class TrainCommand implements Callable<Integer> {

    /** How the steps are taken ({@link StepSource#LOCAL} unless another engine's entry point says otherwise). */
    private final StepSource steps;

    /** Steps in this JVM. */
    public TrainCommand() {
        this(StepSource.LOCAL);
    }

    /** Steps taken by {@code steps} (e.g. natgrad-spark's entry point). */
    public TrainCommand(StepSource steps) {
        this.steps = steps;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the killed run in DIR from its checkpoint.npz, with the options of its "
                    + "options.json (give no other training options; use the run's --threads for bit-identical "
                    + "results).")
    Path resume;

    @Mixin
    NetworkOptions network;

    @Option(names = "--model", paramLabel = "SPEC",
            description = "The network as a model string instead of --layers/--activation/--output-activation/--bias,"
                    + " e.g. \"input 1x28x28, conv 32 5x5, relu, maxpool 2, flatten, dense 10\" (needs --data whose"
                    + " rows are images of that input size; optimizers sgd and adam).")
    String model;

    @Option(names = "--likelihood", defaultValue = "gaussian", paramLabel = "NAME",
            description = "Loss: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LikelihoodChoice likelihood;

    @Mixin
    OptimizerOptions optimizer;

    @Option(names = "--quality-every", defaultValue = "0", paramLabel = "STEPS",
            description = "Every STEPS steps, write to quality.csv the angle and relative error of each approximate "
                    + "natural gradient against the exact one on that step's batch (a dense solve up to 4096 parameters, "
                    + "conjugate gradients on matrix-free Fisher products beyond; default: off).")
    int qualityEvery;

    @Option(names = "--variance-every", defaultValue = "0", paramLabel = "STEPS",
            description = "Every STEPS steps, write to variance.csv the per-layer relative standard errors of the "
                    + "Fisher estimators I1 and I2 with the batch's sample count (default: off).")
    int varianceEvery;

    @Option(names = "--batch", defaultValue = "20", paramLabel = "M",
            description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Length length;

    static final class Length {
        @Option(names = "--epochs", required = true, paramLabel = "N",
                description = "Passes over the training set (default: 10).")
        int epochs;

        @Option(names = "--examples", required = true, paramLabel = "N",
                description = "Training examples to process (instead of --epochs).")
        long examples;
    }

    @Option(names = "--data", paramLabel = "FILE.npz|DIR",
            description = "Training data: NPZ with x (N x n0) and y (N x nL), one example per row, or a folder with the"
                    + " four MNIST/Fashion-MNIST IDX files (images 1xHxW, test set from the t10k files). Without it, a"
                    + " random teacher network of the same architecture makes the data.")
    Path data;

    @Option(names = "--test-data", paramLabel = "FILE.npz",
            description = "Test data in the same layout (default: hold out --test-fraction of --data).")
    Path testData;

    @Option(names = "--test-fraction", paramLabel = "F",
            description = "Fraction of --data held out at random for testing when there is no --test-data"
                    + " (default: 0.1).")
    Double testFraction;

    @Option(names = "--drop-nonfinite",
            description = "Drop examples of --data/--test-data holding NaN or infinity (counted in report.md) instead "
                    + "of refusing the file.")
    boolean dropNonFinite;

    @Option(names = "--teacher-examples", defaultValue = "10000", paramLabel = "N",
            description = "Teacher: training examples (default: ${DEFAULT-VALUE}).")
    int teacherExamples;

    @Option(names = "--test-examples", defaultValue = "1000", paramLabel = "N",
            description = "Teacher: test examples (default: ${DEFAULT-VALUE}).")
    int testExamples;

    @Option(names = "--noise-variance", defaultValue = "1e-6", paramLabel = "V",
            description = "Teacher: variance of the Gaussian noise added to its outputs (default: ${DEFAULT-VALUE}).")
    double noiseVariance;

    @Option(names = "--init", defaultValue = "gaussian", paramLabel = "NAME",
            description = "Weight init: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    InitChoice init;

    @Option(names = "--eval-every", defaultValue = "0", paramLabel = "STEPS",
            description = "Steps between evaluations of train/test loss (default: 0 = about 50 per run).")
    int evalEvery;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (created; required unless --resume).")
    Path out;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS",
            description = "Write checkpoint.npz (atomically) about every STEPS steps, for --resume; 0 = never "
                    + "(default: about 20 per run; a completed run removes it).")
    Long checkpointEvery;

    @Option(names = "--force", description = "Write into OUT even if it is not empty.")
    boolean force;

    /** Maps the flags onto validated options; a validation failure is a usage error (exit 2). */
    TrainOptions options() {
        try {
            var parsed = spec.commandLine().getParseResult();
            if (data != null && (parsed.hasMatchedOption("--teacher-examples") || parsed.hasMatchedOption("--test-examples")
                    || parsed.hasMatchedOption("--noise-variance"))) {
                throw new IllegalArgumentException("--teacher-examples, --test-examples and --noise-variance apply only"
                        + " without --data");
            }
            if (data == null && dropNonFinite) {
                throw new IllegalArgumentException("--drop-nonfinite applies only with --data");
            }
            if (data == null && (testData != null || testFraction != null)) {
                throw new IllegalArgumentException("--test-data and --test-fraction need --data");
            }
            if (testData != null && testFraction != null) {
                throw new IllegalArgumentException("give --test-data or --test-fraction, not both");
            }
            if (model != null) {
                for (String flag : List.of("--layers", "--activation", "--output-activation", "--bias")) {
                    if (parsed.hasMatchedOption(flag)) {
                        throw new IllegalArgumentException("give --model or " + flag + ", not both (the model string"
                                + " defines the layers, their activations and biases)");
                    }
                }
                if (data == null) {
                    throw new IllegalArgumentException("--model needs --data (the teacher builds dense networks only)");
                }
            }
            TrainOptions.Builder b = TrainOptions.builder()
                    .model(model)
                    .layers(model != null ? List.of(1, 1) : network.widths())
                    .activation(network.hidden())
                    .outputActivation(network.output())
                    .bias(network.bias)
                    .likelihood(likelihood)
                    .batchSize(batch)
                    .data(data == null ? new DataSource.Teacher(teacherExamples, testExamples, noiseVariance)
                            : Files.isDirectory(data) ? idxFolder()
                            : (testData != null ? DataSource.NpzFiles.of(data, testData)
                            : DataSource.NpzFiles.holdOut(data, testFraction != null ? testFraction : 0.1))
                            .withDropNonFinite(dropNonFinite))
                    .init(init)
                    .seed(SeedOption.of(spec))
                    .evalEvery(evalEvery)
                    .qualityEvery(qualityEvery)
                    .varianceEvery(varianceEvery);
            optimizer.applyTo(b);
            if (parsed.hasMatchedOption("--examples")) {
                if (length.examples < 1) {
                    throw new IllegalArgumentException("--examples must be >= 1, got " + length.examples);
                }
                b.examples(length.examples);
            } else if (parsed.hasMatchedOption("--epochs")) {
                if (length.epochs < 1) {
                    throw new IllegalArgumentException("--epochs must be >= 1, got " + length.epochs);
                }
                b.epochs(length.epochs);
            } else {
                b.epochs(10);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw Commands.usage(spec, "invalid option: " + e.getMessage(), e);
        }
    }

    /** {@code --data DIR}: the IDX folder; the files carry their own test set. */
    private DataSource idxFolder() {
        if (testData != null || testFraction != null || dropNonFinite) {
            throw new IllegalArgumentException("--data " + data + " is an IDX folder with its own test set (t10k files);"
                    + " --test-data, --test-fraction and --drop-nonfinite do not apply");
        }
        return new DataSource.IdxFolder(data);
    }

    @Override
    public Integer call() throws Exception {
        if (checkpointEvery != null && checkpointEvery < 0) {
            throw Commands.usage(spec, "--checkpoint-every must be >= 0 steps, got "
                    + checkpointEvery);
        }
        long every = checkpointEvery == null ? TrainExperiment.AUTO_CHECKPOINTS : checkpointEvery;
        if (resume != null) {
            return resume(every);
        }
        if (network.layers == null && model == null) {
            throw new CommandLine.MissingParameterException(spec.commandLine(), spec.findOption("--layers"),
                    "Missing required option: '--layers=N0,N1,...' or '--model=SPEC' (or --resume DIR)");
        }
        if (out == null) {
            throw new CommandLine.MissingParameterException(spec.commandLine(), spec.findOption("--out"),
                    "Missing required option: '--out=DIR' (or --resume DIR)");
        }
        TrainOptions o = options();
        try (RunFolder folder = RunFolder.create(out, force)) {
            TrainResults r;
            try (ConsoleProgress progress = ConsoleProgress.onTerminal("train", " ex")) {
                r = TrainExperiment.run(o, folder, commandLine(), progress, every, steps);
            }
            return summary(r, folder, o);
        }
    }

    private List<String> commandLine() {
        return Commands.argv(spec, "train");
    }

    /**
     * {@code --resume DIR}: only --checkpoint-every, --threads and --verbose may accompany it (the
     * rest, the seed included, comes from options.json).
     */
    private Integer resume(long every) throws Exception {
        var parsed = spec.commandLine().getParseResult();
        for (var opt : parsed.matchedOptions()) {
            String name = opt.longestName();
            if (!List.of("--resume", "--checkpoint-every", "--threads", "--verbose").contains(name)) {
                throw Commands.usage(spec, "--resume takes every training option "
                        + "from " + resume.resolve(RunFolder.OPTIONS) + "; remove " + name);
            }
        }
        if (!Files.isDirectory(resume)) {
            throw Commands.usage(spec, "--resume: no such folder: " + resume);
        }
        RunFolder folder = RunFolder.existing(resume);
        Path prov = resume.resolve(RunFolder.PROVENANCE);
        if (Files.isRegularFile(prov)) {
            var node = Json.readTree(prov).get("blasThreads");
            if (node != null && node.asInt() != Backend.threads()) {
                var err = spec.commandLine().getErr();
                err.println("warning: the run used " + node.asInt() + " BLAS threads and this resume uses "
                        + Backend.threads() + "; the result matches an uninterrupted run only up to round-off (give --threads "
                        + node.asInt() + " for bit-identical weights)");
                err.flush();
            }
        }
        TrainResults r;
        try (folder; ConsoleProgress progress = ConsoleProgress.onTerminal("train", " ex")) {
            r = TrainExperiment.resume(folder, commandLine(), progress, every, steps);
        }
        return summary(r, folder, Json.read(resume.resolve(RunFolder.OPTIONS), TrainOptions.class));
    }

    private Integer summary(TrainResults r, RunFolder folder, TrainOptions o) {
        var w = spec.commandLine().getOut();
        String rejected = o.optimizer() == OptimizerChoice.NGD || r.rejectedSteps() > 0
                ? String.format(Locale.ROOT, "; %d of %d steps rejected, final damping %.3g", r.rejectedSteps(),
                r.steps(), r.finalDamping()) : "";
        w.println(String.format(Locale.ROOT, "trained %d steps (%d examples) in %.2f s: train loss %.4g, test loss %.4g%s",
                r.steps(), r.examplesSeen(), r.trainSeconds(), r.finalTrainLoss(), r.finalTestLoss(), rejected));
        w.println("wrote " + folder.path());
        w.flush();
        if (r.status().equals("stalled")) {
            var err = spec.commandLine().getErr();
            err.println(String.format(Locale.ROOT, "warning: the run stalled: %d of %d steps (%.0f%%) were rejected, so "
                    + "only %d steps changed the weights (last rejection: %s); try a smaller --alpha or a larger "
                    + "--damping", r.rejectedSteps(), r.steps(), 100.0 * r.rejectedSteps() / r.steps(),
                    r.steps() - r.rejectedSteps(), r.lastRejection()));
            err.flush();
        }
        return 0;
    }
}
