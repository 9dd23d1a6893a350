package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Option wiring of the ay2020 command, alone and under natgrad's inherited global --seed. */
class ReproduceAy2020CommandTest {

    @Test
    void underNatgradTheGlobalSeedIsUsedWithoutAClash() {
        CommandLine root = NatgradCommand.commandLine();
        var pr = root.parseArgs("reproduce", "ay2020", "--seed", "5", "--quick", "--out", "x");
        ReproduceAy2020Command c = pr.subcommand().subcommand().commandSpec().commandLine().getCommand();
        assertEquals(5L, c.seed());
        assertTrue(c.quick);
        var pr2 = NatgradCommand.commandLine().parseArgs("--seed", "9", "reproduce", "ay2020");
        ReproduceAy2020Command c2 = pr2.subcommand().subcommand().commandSpec().commandLine().getCommand();
        assertEquals(9L, c2.seed());
    }

    @Test
    void aloneItHasItsOwnSeedOption() {
        CommandLine cl = ReproduceAy2020Command.commandLine();
        cl.parseArgs("--seed", "7");
        assertEquals(7L, ((ReproduceAy2020Command) cl.getCommand()).seed());
        CommandLine d = ReproduceAy2020Command.commandLine();
        d.parseArgs();
        assertEquals(1L, ((ReproduceAy2020Command) d.getCommand()).seed());
        StringWriter help = new StringWriter();
        CommandLine h = ReproduceAy2020Command.commandLine();
        h.setOut(new PrintWriter(help));
        assertEquals(0, h.execute("--help"));
        for (String opt : new String[] {"--quick", "--out", "--seed", "--force"}) {
            assertTrue(help.toString().contains(opt), help.toString());
        }
        StringWriter err = new StringWriter();
        CommandLine bad = ReproduceAy2020Command.commandLine();
        bad.setErr(new PrintWriter(err));
        assertEquals(2, bad.execute("--seed", "abc"));
        assertTrue(err.toString().contains("--seed"), err.toString());
    }
}
