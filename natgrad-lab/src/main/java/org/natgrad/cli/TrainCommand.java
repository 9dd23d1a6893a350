package org.natgrad.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.train.DataSource;
import org.natgrad.experiment.train.InitChoice;
import org.natgrad.experiment.train.LikelihoodChoice;
import org.natgrad.experiment.train.OptimizerChoice;
import org.natgrad.experiment.train.TrainExperiment;
import org.natgrad.experiment.train.TrainListener;
import org.natgrad.experiment.train.TrainOptions;
import org.natgrad.experiment.train.TrainResults;
import org.natgrad.nn.Activation;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

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

    @ParentCommand
    NatgradCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--layers", required = true, paramLabel = "N0,N1,...",
            description = "Widths, input first, e.g. 20,30,20.")
    String layers;

    @Option(names = "--activation", defaultValue = "tanh", paramLabel = "NAME",
            description = "Hidden activation: identity, tanh, relu, sigmoid, softplus (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--output-activation", defaultValue = "identity", paramLabel = "NAME",
            description = "Output activation (default: ${DEFAULT-VALUE}).")
    String outputActivation;

    @Option(names = "--bias", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Trainable biases (default: on; --no-bias for none).")
    boolean bias;

    @Option(names = "--likelihood", defaultValue = "gaussian", paramLabel = "NAME",
            description = "Loss: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LikelihoodChoice likelihood;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "NAME",
            description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OptimizerChoice optimizer;

    @Option(names = "--lr", defaultValue = "0.05", paramLabel = "RATE",
            description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0", paramLabel = "MU",
            description = "Heavy-ball momentum for sgd, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

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

    @Option(names = "--data", paramLabel = "FILE.npz",
            description = "Data file (NPZ). Without it, a random teacher network of the same architecture makes the data.")
    Path data;

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

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    Path out;

    @Option(names = "--force", description = "Write into OUT even if it is not empty.")
    boolean force;

    /** Maps the flags onto validated options; a validation failure is a usage error (exit 2). */
    TrainOptions options() {
        try {
            if (data != null && (spec.commandLine().getParseResult().hasMatchedOption("--teacher-examples")
                    || spec.commandLine().getParseResult().hasMatchedOption("--test-examples")
                    || spec.commandLine().getParseResult().hasMatchedOption("--noise-variance"))) {
                throw new IllegalArgumentException("--teacher-examples, --test-examples and --noise-variance apply only"
                        + " without --data");
            }
            TrainOptions.Builder b = TrainOptions.builder()
                    .layers(parseLayers(layers))
                    .activation(Activation.parse(activation))
                    .outputActivation(Activation.parse(outputActivation))
                    .bias(bias)
                    .likelihood(likelihood)
                    .optimizer(optimizer)
                    .learningRate(learningRate)
                    .momentum(momentum)
                    .batchSize(batch)
                    .data(data != null ? new DataSource.NpzFile(data)
                            : new DataSource.Teacher(teacherExamples, testExamples, noiseVariance))
                    .init(init)
                    .seed(parent.seed())
                    .evalEvery(evalEvery);
            if (length != null && length.examples != 0) {
                b.examples(length.examples);
            } else if (length != null) {
                b.epochs(length.epochs);
            } else {
                b.epochs(10);
            }
            if (length != null && length.examples == 0 && length.epochs <= 0) {
                throw new IllegalArgumentException("--epochs must be >= 1, got " + length.epochs);
            }
            if (length != null && length.epochs == 0 && length.examples <= 0) {
                throw new IllegalArgumentException("--examples must be >= 1, got " + length.examples);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid option: " + e.getMessage(), e);
        }
    }

    /** "20,30,20" as widths, naming the bad entry. */
    static List<Integer> parseLayers(String s) {
        List<Integer> w = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            try {
                w.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--layers: '" + part + "' in '" + s
                        + "' is not an integer width (expected e.g. 20,30,20)");
            }
        }
        return w;
    }

    @Override
    public Integer call() throws Exception {
        TrainOptions o = options();
        RunFolder folder = RunFolder.create(out, force);
        List<String> cmd = new ArrayList<>();
        cmd.add("natgrad");
        cmd.addAll(spec.commandLine().getParseResult().originalArgs());
        boolean terminal = System.console() != null;
        TrainListener listener = terminal ? new Bar() : TrainListener.NONE;
        TrainResults r = TrainExperiment.run(o, folder, cmd, listener);
        var w = spec.commandLine().getOut();
        w.println(String.format(Locale.ROOT, "trained %d steps (%d examples) in %.2f s: train loss %.4g, test loss %.4g",
                r.steps(), r.examplesSeen(), r.trainSeconds(), r.finalTrainLoss(), r.finalTestLoss()));
        w.println("wrote " + folder.path());
        w.flush();
        return 0;
    }

    /** A terminal progress bar over training examples, showing the latest test loss. */
    private static final class Bar implements TrainListener {
        private ProgressBar bar;

        @Override
        public void started(long totalExamples) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalExamples)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" ex", 1)
                    .showSpeed().build();
        }

        @Override
        public void stepped(long examplesSeen, double batchLoss) {
            bar.stepTo(examplesSeen);
        }

        @Override
        public void evaluated(long examplesSeen, double trainLoss, double testLoss) {
            bar.setExtraMessage(String.format(Locale.ROOT, "test loss %.3g", testLoss));
        }

        @Override
        public void finished() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
