package org.natgrad.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.ay2020.Ay2020;
import org.natgrad.experiment.ay2020.Ay2020Options;
import org.natgrad.experiment.ay2020.Ay2020Results;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code natgrad reproduce ay2020 [--quick] [--out DIR] [--seed N]}: the learning rules of Ay
 * (2020) on the 7-unit network of math.md §5.5 and on 3x3 bars and stripes (see
 * {@link Ay2020} and docs/ay2020.md). Writes a run folder with options.json, provenance.json,
 * log.csv, results.json, kl.png/svg and report.md. Standalone; register the class as a
 * subcommand of {@code reproduce}, where {@code --seed} is natgrad's global option (see
 * {@link #commandLine()}).
 */
@Command(name = "ay2020", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ay (2020), natural gradient in deep Bayesian networks: plain gradient, visible natural gradient, "
                + "local (full-system) natural gradient with the exact posterior, and wake-sleep with and without local "
                + "natural-gradient preconditioning, on the 7-unit network of math.md 5.5 and on 3x3 bars and stripes. "
                + "KL(p*_V || p_V) against iterations and seconds; cost per step."},
        footer = {"", "Examples:", "  natgrad reproduce ay2020 --quick --out runs/ay2020-quick",
                "  natgrad reproduce ay2020 --seed 3 --out runs/ay2020"})
public final class ReproduceAy2020Command extends PaperCommand {

    @Option(names = "--quick", description = "Short run (one rate per rule, short bars-and-stripes budget; under a minute).")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        Ay2020Options o = quick ? Ay2020Options.quick(seed()) : Ay2020Options.full(seed());
        try (RunFolder folder = createFolder()) {
            var w = out();
            PrintStream progress = System.console() != null ? System.err : null;
            Ay2020Results r = Ay2020.run(o, folder, argv(), progress);
            for (var p : r.problems()) {
                for (var rr : p.rules()) {
                    w.println(String.format(Locale.ROOT, "%-16s %-18s rate %-6s KL after %d iterations %.4g   %.3g ms/step (%.2fx plain)",
                            p.name(), rr.rule(), rr.bestRate(), p.fixedIterations(), rr.klAtFixed(), rr.msPerStep(), rr.costVsPlain()));
                }
            }
            w.println(String.format(Locale.ROOT, "local NG cost per step on bars and stripes: %.2fx plain (bar <= 3x: %s)",
                    r.localCostRatioBars(), r.localCostWithin3x() ? "met" : "NOT met"));
            w.println("wrote " + folder.path());
            w.flush();
            return 0;
        }
    }

    /**
     * This command on its own, with its own {@code --seed N} option (default 1). Registered as a
     * subcommand of {@code natgrad reproduce} (add the class, not this command line), it has no
     * {@code --seed} of its own and uses natgrad's inherited global {@code --seed} instead: two
     * options named {@code --seed} would clash in picocli.
     */
    public static CommandLine commandLine() {
        return SeedOption.standalone(new ReproduceAy2020Command());
    }
}
