package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line recorded in provenance.json: program name first, each subcommand name once. */
class CommandsTest {

    @Test
    void underNatgradTheArgumentsAsGivenFollowTheProgramName() {
        CommandLine.ParseResult pr = NatgradCommand.commandLine().parseArgs("--seed", "3", "reproduce", "ay2020",
                "--quick");
        var ay = pr.subcommand().subcommand().commandSpec();
        assertEquals(List.of("natgrad", "--seed", "3", "reproduce", "ay2020", "--quick"),
                Commands.argv(ay, "reproduce", "ay2020"));
    }

    @Test
    void onItsOwnACommandIsRecordedUnderItsSubcommandNames() {
        CommandLine cl = ReproduceAy2020Command.commandLine();
        CommandLine.ParseResult pr = cl.parseArgs("--quick", "--seed", "4");
        assertEquals(List.of("natgrad", "reproduce", "ay2020", "--quick", "--seed", "4"),
                Commands.argv(pr.commandSpec(), "reproduce", "ay2020"));
        assertEquals(List.of("natgrad", "reproduce", "karakida2020"), Commands.argv(null, "reproduce", "karakida2020"));
    }

    @Test
    void executeFlushesBothWritersAndReturnsTheExitCode() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, Commands.execute(NatgradCommand.commandLine(), new PrintWriter(out), new PrintWriter(err),
                "no-such-command"));
        assertEquals(true, err.toString().contains("no-such-command"), err.toString());
        assertEquals(0, Commands.execute(NatgradCommand.commandLine(), new PrintWriter(out), new PrintWriter(err),
                "--help"));
        assertEquals(true, out.toString().contains("Usage: natgrad"), out.toString());
    }
}
