package org.natgrad.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What natgrad's commands share beyond their flags: configuring and running a command line,
 * recording it, and usage errors (exit 2, with a hint to {@code --help}).
 */
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

    /** A usage error (exit 2) of {@code spec}'s command with this message. */
    static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** A usage error (exit 2) of {@code spec}'s command with this message and cause. */
    static CommandLine.ParameterException usage(CommandSpec spec, String message, Throwable cause) {
        return new CommandLine.ParameterException(spec.commandLine(), message, cause);
    }

    /** The usage error of a parent command run without a subcommand: "missing WHAT: choose one of a, b, ...". */
    static CommandLine.ParameterException missingSubcommand(CommandSpec spec, String what) {
        return usage(spec, "missing " + what + ": choose one of " + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * Runs a parser of {@code option}'s value, turning its IllegalArgumentException into a usage
     * error "OPTION: message".
     */
    static <T> T parse(CommandSpec spec, String option, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw usage(spec, option + ": " + e.getMessage(), e);
        }
    }
}
