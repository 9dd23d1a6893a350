package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.experiment.Json;
import org.natgrad.experiment.train.TrainOptions;
import org.natgrad.linalg.Precision;
import picocli.CommandLine;

/**
 * {@code natgrad train --precision}: the step precision reaches every optimizer and the run's
 * options file, a float32 run trains like the double one (to a float32 tolerance, and not
 * bit-identically, so the flag is not silently ignored), and combinations that cannot honour it
 * are usage errors.
 */
class PrecisionCommandTest {

    private static CliRun train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("--threads", "1", "train", "--layers", "4,6,3",
                "--teacher-examples", "200", "--test-examples", "50", "--batch", "10", "--examples", "200",
                "--seed", "4", "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /**
     * 20 steps. Per step the float32 gradient is within ~4e-5 relative of the double one
     * (SinglePrecisionStepTest's bound on this shape), and the weights stay double, so after 20
     * steps the losses can differ by at most ~20 · 4e-5 · (the step's share of the loss change):
     * 1e-3 relative is a safe ceiling; float32 rounding guarantees they differ at all.
     */
    @Test
    void aSinglePrecisionRunTrainsLikeTheDoubleOneAndRecordsItsPrecision(@TempDir Path dir) throws Exception {
        for (String optimizer : List.of("sgd", "adam", "ngd")) {
            Path d = dir.resolve(optimizer + "-double");
            Path s = dir.resolve(optimizer + "-single");
            String[] common = optimizer.equals("adam") ? new String[] {"--optimizer", optimizer, "--lr", "0.01"}
                    : new String[] {"--optimizer", optimizer};
            CliRun rd = train(d, common);
            List<String> single = new ArrayList<>(List.of(common));
            single.addAll(List.of("--precision", "single"));
            CliRun rs = train(s, single.toArray(String[]::new));
            assertEquals(0, rd.code(), rd.toString());
            assertEquals(0, rs.code(), rs.toString());
            JsonNode resD = Json.readTree(d.resolve("results.json"));
            JsonNode resS = Json.readTree(s.resolve("results.json"));
            double lossD = resD.get("finalTrainLoss").doubleValue();
            double lossS = resS.get("finalTrainLoss").doubleValue();
            assertTrue(Math.abs(lossS - lossD) <= 1e-3 * lossD, optimizer + ": single " + lossS + " vs double " + lossD);
            assertNotEquals(lossD, lossS, optimizer + ": a float32 run must not equal the double run bit for bit");
            TrainOptions o = Json.read(s.resolve("options.json"), TrainOptions.class);
            assertEquals(Precision.SINGLE, o.precision());
            assertEquals(Precision.DOUBLE, Json.read(d.resolve("options.json"), TrainOptions.class).precision());
        }
    }

    @Test
    void reproduceBernacchia2018TakesThePrecisionToo() {
        CommandLine cl = ReproduceCommand.commandLine();
        cl.parseArgs("bernacchia2018", "--precision", "single");
        assertEquals(Precision.SINGLE, cl.getSubcommands().get("bernacchia2018")
                .<ReproduceCommand.Bernacchia2018Command>getCommand().precision);
        cl.parseArgs("bernacchia2018");
        assertEquals(Precision.DOUBLE, cl.getSubcommands().get("bernacchia2018")
                .<ReproduceCommand.Bernacchia2018Command>getCommand().precision);
    }

    @Test
    void keyedSamplesInSinglePrecisionIsAUsageError(@TempDir Path dir) {
        CliRun r = train(dir.resolve("run"), "--optimizer", "ngd", "--keyed-samples", "--precision", "single");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("keyedSamples") && r.err().contains("SINGLE"), r.toString());
        CliRun bad = train(dir.resolve("bad"), "--precision", "half");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--precision"), bad.toString());
    }
}
