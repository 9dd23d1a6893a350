package org.natgrad.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** What natgrad's commands share beyond their flags: running a command line, recording it. */
final class Commands {
    private Commands() {
    }

    /**
     * A command line for {@code spec} (its subcommands included) configured as every natgrad
     * command line is: enum values (strategies, precisions, choices) in any case.
     */
    static CommandLine commandLine(CommandSpec spec) {
        return new CommandLine(spec).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Executes {@code cl} with these arguments and writers, flushing both; returns the exit code. */
    static int execute(CommandLine cl, PrintWriter out, PrintWriter err, String... args) {
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command line as provenance.json records it, program name first: under {@code natgrad},
     * "natgrad" and the arguments as given (they start with the subcommand names); a command run
     * on its own (or without a parse, {@code spec} null) is recorded as {@code natgrad}, then
     * {@code path} (its subcommand names, e.g. "reproduce", "ay2020"), then its arguments.
     */
    static List<String> argv(CommandSpec spec, String... path) {
        List<String> cmd = new ArrayList<>(List.of("natgrad"));
        if (spec == null || !(spec.root().userObject() instanceof NatgradCommand)) {
            cmd.addAll(List.of(path));
        }
        if (spec != null) {
            cmd.addAll(spec.commandLine().getParseResult().originalArgs());
        }
        return cmd;
    }
}
