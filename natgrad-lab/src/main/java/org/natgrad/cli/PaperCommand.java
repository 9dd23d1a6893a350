package org.natgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.natgrad.experiment.RunFolder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every {@code natgrad reproduce PAPER} command shares: the master seed (natgrad's global
 * {@code --seed}, or the one {@link SeedOption#standalone} adds), the run folder
 * ({@code --out DIR}, default {@code runs/PAPER}; {@code --force}, alias {@code --overwrite}, to
 * write into a non-empty one), and the command line recorded in provenance.json.
 * A subclass declares its paper's own flags and runs the experiment in {@code call()}.
 */
abstract class PaperCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: runs/${COMMAND-NAME}); a non-empty one is refused unless --force.")
    Path out;

    @Option(names = {"--force", "--overwrite"},
            description = "Write into a non-empty output folder, replacing an earlier run's files as a set.")
    boolean force;

    /** The master seed: the inherited global --seed, or the standalone one; 1 when neither exists. */
    long seed() {
        return SeedOption.of(spec);
    }

    /** The output folder: {@code --out}, else {@code runs/PAPER}. */
    Path outDir() {
        return out != null ? out : Path.of("runs", spec.name());
    }

    /** Creates (or, with {@code --force}, reuses) the output folder. */
    RunFolder createFolder() throws IOException {
        return RunFolder.create(outDir(), force);
    }

    /**
     * The command line for provenance.json: {@code natgrad reproduce PAPER ARGS}, however the
     * command was run (under natgrad, under a standalone {@code reproduce}, or on its own).
     */
    List<String> argv() {
        return spec.root() == spec ? Commands.argv(spec, "reproduce", spec.name()) : Commands.argv(spec, "reproduce");
    }

    /** Progress lines to the command's error stream, flushed line by line. */
    java.util.function.Consumer<String> progress() {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    /** The writer of the command's results. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
