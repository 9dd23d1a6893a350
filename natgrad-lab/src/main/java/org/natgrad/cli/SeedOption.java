package org.natgrad.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one {@code --seed} of natgrad's commands. Under {@code natgrad} it is the root's inherited
 * global option (picocli refuses a second option of the same name in a subcommand); a command run
 * on its own gets the same option from {@link #standalone(Object)}.
 */
final class SeedOption {
    /** The seed used when no {@code --seed} option exists. */
    static final long DEFAULT = 1;

    private SeedOption() {
    }

    /** The value of the {@code --seed} option visible to {@code spec} (inherited or its own), else 1. */
    static long of(CommandSpec spec) {
        OptionSpec s = spec == null ? null : spec.findOption("--seed");
        if (s == null || s.getValue() == null) {
            return DEFAULT;
        }
        return ((Number) s.getValue()).longValue();
    }

    /** A command line for {@code command} on its own, with its own {@code --seed N} (default 1). */
    static CommandLine standalone(Object command) {
        CommandSpec cmd = CommandSpec.forAnnotatedObject(command);
        cmd.addOption(option(CommandLine.ScopeType.LOCAL));
        return Commands.commandLine(cmd);
    }

    /**
     * The {@code --seed SEED} option (default 1) with this scope: {@code INHERIT} for a parent that
     * gives it to its subcommands (as {@code natgrad} and a standalone {@code reproduce} do).
     */
    static OptionSpec option(CommandLine.ScopeType scope) {
        return OptionSpec.builder("--seed").paramLabel("SEED").type(long.class).defaultValue(String.valueOf(DEFAULT))
                .scopeType(scope).description("Master seed for everything random (default: ${DEFAULT-VALUE}).").build();
    }
}
