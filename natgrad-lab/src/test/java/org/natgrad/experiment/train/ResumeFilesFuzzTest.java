package org.natgrad.experiment.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.experiment.Json;
import org.natgrad.experiment.RunFolder;
import org.natgrad.io.FileFormatException;
import org.natgrad.io.Fuzz;
import org.natgrad.io.ModelFiles;
import org.natgrad.io.NpyArray;
import org.natgrad.io.Npz;
import org.natgrad.io.ZipFuzz;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;

/**
 * Fuzzing the run-folder files that {@code natgrad train --resume DIR} reads, with the core's
 * seeded runner {@link Fuzz} (from natgrad-core's test jar):
 * <ul>
 *   <li>{@code options.json} through {@link TrainExperiment#resume} itself (the folder has no
 *       checkpoint, so an accepted options file ends in "no such file" for checkpoint.npz and no
 *       training starts): JSON-tree mutations (a value replaced by null, a wrong type, huge, negative
 *       or non-finite numbers, unknown enum names; a key dropped, renamed or added) and the generic
 *       byte mutations. Contract: "no such file" naming the checkpoint (the options were read and
 *       validated), or an IOException naming options.json.</li>
 *   <li>{@code provenance.json}, which the command reads for the thread count, by
 *       {@link Json#readTree}: a tree, or an IOException naming it.</li>
 *   <li>{@code checkpoint.npz} by {@link TrainCheckpoint#load} and then
 *       {@link ModelFiles#fromArrays} (what resume does with it): the member mutations of
 *       {@link ZipFuzz}, the zip's bytes, and the loop-state members ({@code ckpt_*}) replaced
 *       by arrays of other lengths holding fractions, negatives, NaN, 2^31, 2^32 + 1 or 2^53 + 2.
 *       Contract: a checkpoint whose every counter is exactly the value stored in the file (no
 *       silent wrap-around), with consistent counters, and a network; or an IOException naming
 *       the file.</li>
 * </ul>
 */
class ResumeFilesFuzzTest {
    @TempDir
    Path dir;

    static TrainOptions options() {
        return TrainOptions.builder().layers(List.of(3, 4, 2)).optimizer(OptimizerChoice.NGD).batchSize(5)
                .examples(40).data(new DataSource.Teacher(20, 10, 1e-6)).seed(7).build();
    }

    static final String[] TOKENS = {"null", "true", "false", "0", "-1", "1", "0.5", "1e400", "-1e400", "1e-400",
        "2147483648", "-2147483649", "9223372036854775808", "99999999999999999999999999", "\"\"", "\"x\"",
        "\"TANH\"", "\"tanh\"", "\"NaN\"", "\"Infinity\"", "[]", "{}", "[1, 2]", "[0]", "[3, -4, 2]",
        "[3, 2147483647, 2]", "{\"kind\": \"file\"}", "{\"kind\": \"teacher\"}", "{\"kind\": \"nope\"}",
        "[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]", "\"\\u0000\"", "\"\\ud800\""};

    private static final String MARK = "@@fuzz@@";

    /** Every value slot of a JSON tree: (container, key or index). */
    static void slots(JsonNode n, List<Object[]> out) {
        if (n instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                out.add(new Object[] {o, k});
                slots(o.get(k), out);
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Object[] {a, i});
                slots(a.get(i), out);
            }
        }
    }

    /** One to three edits of the JSON tree of a valid file, written back as text. */
    static Fuzz.Mutator jsonTree(byte[] valid) {
        return r -> {
            JsonNode root;
            try {
                root = Json.mapper().readTree(valid);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            StringBuilder what = new StringBuilder();
            List<String> tokens = new ArrayList<>();
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits; e++) {
                List<Object[]> s = new ArrayList<>();
                slots(root, s);
                if (s.isEmpty()) {
                    break;
                }
                Object[] slot = s.get(r.nextInt(s.size()));
                String where = slot[1].toString();
                switch (r.nextInt(4)) {
                    case 0, 1 -> { // value := token (spliced in as text after writing)
                        String t = TOKENS[r.nextInt(TOKENS.length)];
                        tokens.add(t);
                        TextNode mark = TextNode.valueOf(MARK + (tokens.size() - 1));
                        if (slot[0] instanceof ObjectNode o) {
                            o.set((String) slot[1], mark);
                        } else {
                            ((ArrayNode) slot[0]).set((Integer) slot[1], mark);
                        }
                        what.append(' ').append(where).append(":=").append(t);
                    }
                    case 2 -> {
                        if (slot[0] instanceof ObjectNode o) {
                            o.remove((String) slot[1]);
                        } else {
                            ((ArrayNode) slot[0]).remove((Integer) slot[1]);
                        }
                        what.append(" drop ").append(where);
                    }
                    default -> {
                        if (slot[0] instanceof ObjectNode o) {
                            JsonNode v = o.remove((String) slot[1]);
                            String to = new String[] {where.toUpperCase(java.util.Locale.ROOT), "", where + "s",
                                "extra"}[r.nextInt(4)];
                            o.set(to, v);
                            what.append(" rename ").append(where).append("->").append(to);
                        } else {
                            ArrayNode a = (ArrayNode) slot[0];
                            a.add(a.get((Integer) slot[1]));
                            what.append(" repeat element ").append(where);
                        }
                    }
                }
            }
            String text = root.toPrettyString();
            for (int k = 0; k < tokens.size(); k++) {
                text = text.replace("\"" + MARK + k + "\"", tokens.get(k));
            }
            return new Fuzz.Mutation(what.toString().trim(), text.getBytes(StandardCharsets.UTF_8));
        };
    }

    @Test
    void optionsJsonAsResumeReadsIt() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        byte[] valid = Json.toJson(options()).getBytes(StandardCharsets.UTF_8);
        Path checkpoint = run.resolve(TrainCheckpoint.FILE);
        Fuzz.Mutator m = Fuzz.oneOf(jsonTree(valid), jsonTree(valid), Fuzz.bytes(valid, List.of()));
        Fuzz.property("resume options.json", 7201, dir, "run/" + RunFolder.OPTIONS, m, f -> {
            try (RunFolder folder = RunFolder.existing(run)) {
                TrainExperiment.resume(folder, List.of("train", "--resume", run.toString()), TrainListener.NONE, 0);
            } catch (NoSuchFileException e) {
                if (e.getMessage().contains("no such file: " + checkpoint)) {
                    return "options accepted";
                }
                throw e;
            }
            throw new AssertionError("resume without a checkpoint returned");
        }, o -> { });
    }

    @Test
    void provenanceJson() throws IOException {
        byte[] valid = ("{\"seed\": 7, \"gitRevision\": \"abc\", \"blasThreads\": 1, \"commandLine\": [\"train\","
                + " \"--layers\", \"3,4,2\"]}").getBytes(StandardCharsets.UTF_8);
        Fuzz.property("resume provenance.json", 7202, dir, RunFolder.PROVENANCE,
                Fuzz.oneOf(jsonTree(valid), Fuzz.bytes(valid, List.of())), f -> Json.readTree(f).get("blasThreads"),
                o -> { });
    }

    static TrainCheckpoint checkpoint() {
        Map<String, double[]> opt = new LinkedHashMap<>();
        opt.put("opt_velocity", new double[] {0.5, -1, 0, 2});
        return new TrainCheckpoint(6, 30, new long[] {1, 0xFFFFFFFFL, 3L << 40, 4, 0, 123456789L}, 2, 3, 1, 1.25, 2,
                0.75, 0.5, 1000, 2000, 0xCAFEL, opt);
    }

    static final String[] LOOP_KEYS = {"ckpt_step", "ckpt_seen", "ckpt_epoch_rng", "ckpt_batches_into_epoch",
        "ckpt_log_rows", "ckpt_rejected", "ckpt_batch_loss", "ckpt_losses", "ckpt_nanos", "ckpt_data"};

    static final double[] ODD = {0, 1, -1, 0.5, Double.NaN, Double.POSITIVE_INFINITY, 0x1p31, 0x1p31 - 1, 0x1p32,
        0x1p32 + 1, 0x1p32 + 3, 0x1p53, 0x1p53 + 2, -0x1p53, 1e300, 6, 7};

    /** A loop-state member replaced by an array of 0-13 odd values. */
    static Fuzz.Mutator loopState(Map<String, NpyArray> valid) {
        return r -> {
            Map<String, NpyArray> m = new LinkedHashMap<>(valid);
            String key = LOOP_KEYS[r.nextInt(LOOP_KEYS.length)];
            int n = r.nextInt(3) == 0 ? r.nextInt(14) : valid.get(key).size();
            double[] v = valid.get(key).data().clone();
            v = java.util.Arrays.copyOf(v, n);
            int changes = 1 + r.nextInt(2);
            for (int k = 0; k < changes && n > 0; k++) {
                v[r.nextInt(n)] = ODD[r.nextInt(ODD.length)];
            }
            m.put(key, new NpyArray(new int[] {n}, v));
            return new Fuzz.Mutation(key + " := " + java.util.Arrays.toString(v),
                    ZipFuzz.zip(ZipFuzz.members(m), r.nextBoolean()));
        };
    }

    /** What resume does with the file: load it, then build the network from its weights. */
    static Object readAsResumeDoes(Path f) throws IOException {
        TrainCheckpoint.Loaded l = TrainCheckpoint.load(f);
        Network net = ModelFiles.fromArrays(l.weights(), f.toString(), Activation.TANH, Activation.IDENTITY);
        return new Object[] {l.checkpoint(), net, Npz.read(f)};
    }

    /** Every counter is exactly what the file holds; the counters are consistent. */
    @SuppressWarnings("unchecked")
    static void faithful(Object o) {
        Object[] a = (Object[]) o;
        TrainCheckpoint c = (TrainCheckpoint) a[0];
        Map<String, NpyArray> raw = (Map<String, NpyArray>) a[2];
        assertEquals(raw.get("ckpt_step").data()[0], (double) c.step(), "step");
        assertEquals(raw.get("ckpt_seen").data()[0], (double) c.seen(), "seen");
        assertEquals(raw.get("ckpt_batches_into_epoch").data()[0], (double) c.batchesIntoEpoch(), "batches");
        assertEquals(raw.get("ckpt_log_rows").data()[0], (double) c.logRows(), "log rows");
        assertEquals(raw.get("ckpt_rejected").data()[0], (double) c.rejected(), "rejected");
        assertEquals(raw.get("ckpt_batch_loss").data()[1], (double) c.batchLossCount(), "batch loss count");
        assertEquals(raw.get("ckpt_nanos").data()[0], (double) c.trainNanos(), "train nanos");
        assertEquals(raw.get("ckpt_nanos").data()[1], (double) c.wallNanos(), "wall nanos");
        assertEquals(raw.get("ckpt_data").data()[0], (double) c.dataCrc(), "data CRC");
        double[] rng = raw.get("ckpt_epoch_rng").data();
        for (int i = 0; i < 6; i++) {
            assertEquals((long) rng[2 * i], c.epochRng()[i] >>> 32, "rng word " + i + " high half");
            assertEquals((long) rng[2 * i + 1], c.epochRng()[i] & 0xFFFFFFFFL, "rng word " + i + " low half");
        }
        assertTrue(c.step() >= 0 && c.seen() >= 0 && c.logRows() >= 1 && c.batchLossCount() >= 0
                && c.rejected() >= 0 && c.rejected() <= c.step(), "counters " + c);
        assertTrue(((Network) a[1]).depth() >= 1);
    }

    private void checkpointProperty(String name, long seed, int kind) throws IOException {
        Network net = Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 3L);
        Path v = dir.resolve("valid.npz");
        checkpoint().save(v, net);
        Map<String, NpyArray> arrays = Npz.read(v);
        byte[] bytes = Files.readAllBytes(v);
        Fuzz.Mutator m = switch (kind) {
            case 0 -> ZipFuzz.members(ZipFuzz.members(arrays), new String[] {"W1.npy", "b2.npy", "W3.npy",
                "ckpt_step.npy", "ckpt_log_rows.npy", "opt_velocity.npy", "opt_.npy", "ckpt_.npy", "ckpt_nanos"});
            case 1 -> ZipFuzz.archiveBytes(bytes);
            default -> loopState(arrays);
        };
        Fuzz.property(name, seed, dir, TrainCheckpoint.FILE, m, ResumeFilesFuzzTest::readAsResumeDoes,
                ResumeFilesFuzzTest::faithful);
    }

    @Test
    void checkpointMembers() throws IOException {
        checkpointProperty("checkpoint.npz members", 7203, 0);
    }

    @Test
    void checkpointArchiveBytes() throws IOException {
        checkpointProperty("checkpoint.npz archive bytes", 7204, 1);
    }

    @Test
    void checkpointLoopState() throws IOException {
        checkpointProperty("checkpoint.npz loop state", 7205, 2);
    }

    @Test
    void theValidFilesReadBack() throws IOException {
        Path f = dir.resolve(TrainCheckpoint.FILE);
        Network net = Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 3L);
        checkpoint().save(f, net);
        assertEquals(checkpoint(), TrainCheckpoint.load(f).checkpoint());
        faithful(readAsResumeDoes(f));
        Path o = dir.resolve(RunFolder.OPTIONS);
        Json.write(o, options());
        assertEquals(options(), Json.read(o, TrainOptions.class));
    }

    /**
     * Found by {@link #checkpointLoopState}: ckpt_log_rows and the count in ckpt_batch_loss were
     * cast to int without a range check, so 2^32 + 3 log rows were read as 3 (resume would then cut
     * log.csv to 3 rows) and a count of 2^32 + 1 as 1; a negative count was accepted. Now a
     * FileFormatException naming the file and the entry.
     */
    @Test
    void countersBeyondIntRangeAreRefused() throws IOException {
        Network net = Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 3L);
        Path v = dir.resolve("valid.npz");
        checkpoint().save(v, net);
        Map<String, NpyArray> valid = Npz.read(v);
        Object[][] cases = {{"ckpt_log_rows", new double[] {0x1p32 + 3}}, {"ckpt_log_rows", new double[] {0x1p31}},
            {"ckpt_batch_loss", new double[] {1.25, 0x1p32 + 1}}, {"ckpt_batch_loss", new double[] {1.25, -1}}};
        for (Object[] c : cases) {
            Map<String, NpyArray> m = new LinkedHashMap<>(valid);
            double[] values = (double[]) c[1];
            m.put((String) c[0], new NpyArray(new int[] {values.length}, values));
            Path f = dir.resolve(TrainCheckpoint.FILE);
            Npz.write(f, m);
            FileFormatException e = assertThrows(FileFormatException.class, () -> TrainCheckpoint.load(f),
                    c[0] + " := " + java.util.Arrays.toString(values));
            assertEquals(f.toString(), e.source());
            assertTrue(e.getMessage().contains((String) c[0]), e.getMessage());
        }
    }
}
