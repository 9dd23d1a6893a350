package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.linalg.InverseStrategy;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.PredictedDecrease;
import picocli.CommandLine;

/**
 * The natural-gradient flags: one mapping onto {@link NaturalGradientOptions} for {@code train},
 * the same flags (and their old {@code --ngd-*} names) for {@code reproduce bernacchia2018}, and
 * the Eq. 20-only flags refused with another {@code --curvature}, naming the flag and the curvature.
 */
class NgdOptionsCommandTest {

    /** The natural-gradient options {@code natgrad train ARGS} would train with (parsed, not run). */
    private static NaturalGradientOptions trainOptions(String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--layers", "4,3", "--optimizer", "ngd", "--out", "unused"));
        all.addAll(List.of(args));
        CommandLine root = NatgradCommand.commandLine();
        CommandLine.ParseResult pr = root.parseArgs(all.toArray(String[]::new));
        TrainCommand train = pr.subcommand().commandSpec().commandLine().getCommand();
        return train.options().naturalGradient();
    }

    @Test
    void everyTrainFlagMapsOntoItsComponent() {
        NaturalGradientOptions o = trainOptions("--alpha", "0.5", "--model-samples", "3", "--damping", "0.2",
                "--no-adaptive-damping", "--predicted-decrease", "official-code", "--inverse", "eigen",
                "--refresh-every", "4", "--min-damping", "1e-6", "--damping-every", "2", "--factor-precision", "double",
                "--blow-up", "7", "--no-linear-moments");
        NaturalGradientOptions expected = NaturalGradientOptions.builder().alpha(0.5).modelSamples(3).initialDamping(0.2)
                .adaptiveDamping(false).predictedDecrease(PredictedDecrease.OFFICIAL_CODE).inverse(InverseStrategy.EIGEN)
                .refreshEvery(4).minDamping(1e-6).dampingEvery(2).factorPrecision(FactorPrecision.DOUBLE)
                .blowUpFactor(7).linearMoments(false).build();
        assertEquals(expected, o);
        // no flag: the paper's defaults; --pinv without --damping: undamped, not adapted
        assertEquals(NaturalGradientOptions.paperDefaults(), trainOptions());
        NaturalGradientOptions pinv = trainOptions("--pinv");
        assertTrue(pinv.pseudoInverse());
        assertEquals(0.0, pinv.initialDamping());
        assertFalse(pinv.adaptiveDamping());
        assertEquals(CurvatureChoice.KFAC, trainOptions("--curvature", "kfac", "--pinv", "--damping", "0.1").curvature());
    }

    @Test
    void theOldNgdNamesAreAliasesOfTheCanonicalOnes() {
        NaturalGradientOptions canonical = trainOptions("--blow-up", "5", "--no-linear-moments", "--factor-precision",
                "single", "--predicted-decrease", "OFFICIAL_CODE");
        NaturalGradientOptions old = trainOptions("--ngd-blow-up", "5", "--no-ngd-linear-moments",
                "--ngd-factor-precision", "single", "--predicted-decrease", "code");
        assertEquals(canonical, old);
        assertEquals(5.0, old.blowUpFactor());
        assertFalse(old.linearMoments());
        assertEquals(FactorPrecision.SINGLE, old.factorPrecision());
        assertEquals(PredictedDecrease.OFFICIAL_CODE, old.predictedDecrease());

        // reproduce bernacchia2018 reads the same mixin, under either name
        for (String[] args : new String[][] {
            {"bernacchia2018", "--ngd-blow-up", "Infinity", "--no-ngd-linear-moments", "--ngd-factor-precision", "double",
                "--predicted-decrease", "official-code"},
            {"bernacchia2018", "--blow-up", "Infinity", "--no-linear-moments", "--factor-precision", "DOUBLE",
                "--predicted-decrease", "official_code"}}) {
            CommandLine cl = ReproduceCommand.commandLine();
            cl.parseArgs(args);
            NgdStepOptions ngd = cl.getSubcommands().get("bernacchia2018")
                    .<ReproduceCommand.Bernacchia2018Command>getCommand().ngd;
            assertEquals(Double.POSITIVE_INFINITY, ngd.blowUp);
            assertFalse(ngd.linearMoments);
            assertEquals(FactorPrecision.DOUBLE, ngd.factorPrecision);
            assertEquals(PredictedDecrease.OFFICIAL_CODE, ngd.predictedDecrease);
        }
        CliRun help = CliRun.of("reproduce", "bernacchia2018", "--help");
        for (String name : new String[] {"--blow-up, --ngd-blow-up", "--[no-]linear-moments, --[no-]ngd-linear-moments",
                "--factor-precision, --ngd-factor-precision", "--predicted-decrease", "--force, --overwrite"}) {
            assertTrue(help.out().contains(name), name + " missing from:\n" + help.out());
        }
    }

    @Test
    void eq20OnlyFlagsAreRefusedWithAnotherCurvatureNamingBoth(@TempDir Path dir) {
        String[][] cases = {
            {"--inverse", "cholesky"}, {"--inverse", "auto"}, {"--factor-precision", "single"},
            {"--ngd-factor-precision", "auto"}, {"--linear-moments"}, {"--no-linear-moments"}, {"--no-ngd-linear-moments"}};
        String[] canonical = {"--inverse", "--inverse", "--factor-precision", "--factor-precision", "--linear-moments",
            "--linear-moments", "--linear-moments"};
        for (String curvature : List.of("kfac", "exact", "diag")) {
            for (int i = 0; i < cases.length; i++) {
                Path out = dir.resolve(curvature + i);
                List<String> args = new ArrayList<>(List.of("train", "--layers", "4,3", "--optimizer", "ngd",
                        "--curvature", curvature, "--out", out.toString()));
                args.addAll(List.of(cases[i]));
                CliRun r = CliRun.of(args.toArray(String[]::new));
                assertEquals(2, r.code(), r.toString());
                assertTrue(r.err().contains(canonical[i] + " applies only to the Eq. 20 representation (--curvature eq20, "
                        + "the default), not to --curvature " + curvature), r.toString());
                assertFalse(Files.exists(out), "nothing is written for a usage error");
            }
        }
        // with the Eq. 20 rule, given explicitly or by default, they are accepted
        NaturalGradientOptions eq20 = trainOptions("--curvature", "eq20", "--inverse", "cholesky", "--factor-precision",
                "single", "--no-linear-moments");
        assertEquals(InverseStrategy.CHOLESKY, eq20.inverse());
        assertEquals(FactorPrecision.SINGLE, eq20.factorPrecision());
        assertFalse(eq20.linearMoments());
        assertEquals(InverseStrategy.EIGEN, trainOptions("--inverse", "eigen").inverse());
    }

    @Test
    void badValuesNameTheFlag(@TempDir Path dir) {
        CliRun r = CliRun.of("train", "--layers", "4,3", "--optimizer", "ngd", "--predicted-decrease", "median",
                "--out", dir.resolve("x").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--predicted-decrease") && r.err().contains("'median'")
                && r.err().contains("paper-footnote or official-code"), r.toString());
        r = CliRun.of("reproduce", "bernacchia2018", "--panels", "A", "--ngd-blow-up", "0.5", "--out",
                dir.resolve("y").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--ngd-blow-up") && r.err().contains("0.5"), r.toString());
        r = CliRun.of("train", "--layers", "4,3", "--optimizer", "ngd", "--blow-up", "1", "--out",
                dir.resolve("z").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("blowUpFactor must be > 1"), r.toString());
        assertFalse(Files.exists(dir.resolve("x")) || Files.exists(dir.resolve("y")) || Files.exists(dir.resolve("z")));
    }

    @Test
    void everyReproductionRefusesANonEmptyFolderUnlessForced(@TempDir Path dir) throws Exception {
        for (String paper : List.of("bernacchia2018", "karakida2020", "soen2021", "ay2020")) {
            Path out = Files.createDirectories(dir.resolve(paper));
            Files.writeString(out.resolve("notes.txt"), "mine");
            CliRun r = CliRun.of("reproduce", paper, "--quick", "--out", out.toString());
            assertEquals(2, r.code(), paper + ": " + r);
            assertTrue(r.err().contains("is not empty") && r.err().contains("--force"), paper + ": " + r);
            assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        }
    }

    @Test
    void theRecordedCommandLineNamesThePaperHoweverItRuns() {
        CommandLine reproduce = ReproduceCommand.commandLine();
        CommandLine.ParseResult pr = reproduce.parseArgs("bernacchia2018", "--quick");
        PaperCommand b = pr.subcommand().commandSpec().commandLine().getCommand();
        assertEquals(List.of("natgrad", "reproduce", "bernacchia2018", "--quick"), b.argv());
        CommandLine alone = ReproduceSoen2021Command.standalone();
        alone.parseArgs("--quick", "--seed", "2");
        assertEquals(List.of("natgrad", "reproduce", "soen2021", "--quick", "--seed", "2"),
                ((PaperCommand) alone.getCommand()).argv());
        CommandLine natgrad = NatgradCommand.commandLine();
        pr = natgrad.parseArgs("--seed", "4", "reproduce", "karakida2020", "--quick");
        PaperCommand k = pr.subcommand().subcommand().commandSpec().commandLine().getCommand();
        assertEquals(List.of("natgrad", "--seed", "4", "reproduce", "karakida2020", "--quick"), k.argv());
        assertEquals(Path.of("runs", "karakida2020"), k.outDir());
        assertEquals(4, k.seed());
    }
}
