package org.natgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.data.Dataset;
import org.natgrad.data.DatasetFiles;
import org.natgrad.experiment.training.Budget;
import org.natgrad.io.FileFormatException;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/**
 * NPZ shards as input: the 240 examples of {@link SparkExactnessTest} written as three shards of
 * 70, 100 and 70 rows (file-name order = data-set order) train on local[2] to the weights of the
 * single machine on the one concatenated file, to 1e-10 relative; a malformed shard fails the job
 * with the reader's one-line message naming that shard.
 */
class SparkShardsTest {
    static final int[] CUTS = {0, 70, 170, 240};

    static void writeShards(Path dir) throws IOException {
        Dataset d = SparkExactnessTest.DATA;
        for (int k = 0; k + 1 < CUTS.length; k++) {
            int[] cols = new int[CUTS[k + 1] - CUTS[k]];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = CUTS[k] + i;
            }
            Batch b = d.select(cols);
            DatasetFiles.write(dir.resolve("part-" + k + ".npz"), new Dataset(b.inputs(), b.targets()));
        }
    }

    @Test
    void threeShardsTrainAsTheConcatenatedFile(@TempDir Path dir) throws IOException {
        Path shards = Files.createDirectories(dir.resolve("shards"));
        writeShards(shards);
        DatasetFiles.write(dir.resolve("all.npz"), SparkExactnessTest.DATA);
        Dataset whole = DatasetFiles.read(dir.resolve("all.npz")); // the single-machine run reads one file
        assertArrayEquals(SparkExactnessTest.DATA.inputs().data(), whole.inputs().data(), 0);
        double[] eq20 = SparkExactnessTest.keyedReference(SparkExactnessTest.eq20Keyed());
        double[] sgd = SparkExactnessTest.sgdReference();

        NpzShards listed = NpzShards.list(shards.resolve("*.npz").toString());
        assertEquals(3, listed.count());
        assertEquals(240, listed.size());
        for (int k = 0; k < 3; k++) { // offsets and rows from the headers alone
            assertEquals(CUTS[k], listed.files().get(k).offset());
            assertEquals(CUTS[k + 1] - CUTS[k], listed.files().get(k).rows());
        }
        assertEquals(3, NpzShards.list(shards.toString()).count(), "a folder lists its .npz files");
        try (JavaSparkContext sc = SparkFixtures.context("local[2]")) {
            SparkData data = SparkData.of(sc, listed);
            assertEquals(240, data.size());
            assertEquals(3, data.partitions());
            Network a = SparkFixtures.network(SparkExactnessTest.NET_SEED);
            SparkTraining.train(SparkExactnessTest.cases().get("eq20-keyed").apply(data), a, SparkExactnessTest.M,
                    new Rng(SparkExactnessTest.BATCH_SEED), true, Budget.steps(SparkExactnessTest.STEPS));
            Network b = SparkFixtures.network(SparkExactnessTest.NET_SEED);
            SparkTraining.train(SparkOptimizer.sgd(data, SparkExactnessTest.LIK, 0.05, 0.9), b, SparkExactnessTest.M,
                    new Rng(SparkExactnessTest.BATCH_SEED), true, Budget.steps(SparkExactnessTest.STEPS));
            double d1 = SparkFixtures.relative(a.parameters().toFlat(), eq20);
            double d2 = SparkFixtures.relative(b.parameters().toFlat(), sgd);
            System.out.printf("natgrad-spark 3 NPZ shards vs the concatenated file: eq20-keyed %.2e, sgd %.2e%n", d1, d2);
            assertTrue(d1 <= 1e-10, "eq20-keyed over shards: " + d1);
            assertTrue(d2 <= 1e-10, "sgd over shards: " + d2);

            // hostile: a shard whose header is fine but whose data are cut short fails on its executor
            Path bad = Files.createDirectories(dir.resolve("bad"));
            writeShards(bad);
            Path victim = bad.resolve("part-1.npz");
            byte[] bytes = Files.readAllBytes(victim);
            flipDataByte(bytes);
            Files.write(victim, bytes);
            NpzShards hostile = NpzShards.list(bad.toString()); // the headers still read
            FileFormatException e = assertThrows(FileFormatException.class, () -> SparkData.of(sc, hostile));
            System.out.println("natgrad-spark malformed shard: " + e.getMessage());
            assertTrue(e.getMessage().contains(victim.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            assertFalse(e.getMessage().contains("Exception"), "no Spark wrapper: " + e.getMessage());
        }
    }

    /** Flips a byte in the middle of the archive (inside x's data: the CRC check of the member fails). */
    static void flipDataByte(byte[] zip) {
        zip[zip.length / 3] ^= 0x5A;
    }

    @Test
    void badPatternsSayWhy(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpzShards.list(dir.resolve("*.npz").toString()));
        assertTrue(e.getMessage().contains("no .npz shards match"), e.getMessage());
        Files.writeString(dir.resolve("junk.npz"), "not a zip");
        FileFormatException f = assertThrows(FileFormatException.class, () -> NpzShards.list(dir.toString()));
        assertTrue(f.getMessage().contains("junk.npz") && f.getMessage().contains("not a readable .npz"), f.getMessage());
    }
}
