package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;

/**
 * Fuzzing {@link ModelFiles#load}: a saved 4-5-3-2 network (with an optimizer-state array) with
 * one mutation of a member (its .npy bytes or header, its name: W0, W4, b9, W99999999999, ...),
 * re-zipped. Mutations of the zip structure itself are Npz's (see NpzFuzzTest). Contract: a network, or an IOException naming the file. A mutation of
 * the weights' values alone gives a different (finite) network: accepted.
 */
class ModelFilesFuzzTest {
    @TempDir
    Path dir;

    static final String[] NAMES = {"W1.npy", "W2.npy", "W3.npy", "W4.npy", "b1.npy", "b3.npy", "b4.npy", "W0.npy",
        "b0.npy", "W01.npy", "W99999999999.npy", "b99999999999.npy", "W2147483647.npy", "W2147483648.npy",
        "w1.npy", "W1", "opt_damping.npy", "W-1.npy"};

    static void check(Object o) {
        Network n = (Network) o;
        assertTrue(n.depth() >= 1);
    }

    private void run(String name, long seed, boolean bias) throws IOException {
        Network net = Network.dense(List.of(4, 5, 3, 2), Activation.TANH, Activation.IDENTITY, bias, Init.gaussian(),
                3L);
        Path v = dir.resolve("valid.npz");
        ModelFiles.saveWithState(v, net, Map.of("opt_damping", new double[] {1e-3}));
        Fuzz.Mutator m = ZipFuzz.members(ZipFuzz.members(Npz.read(v)), NAMES);
        Fuzz.property(name, seed, dir, "model.npz", m, f -> ModelFiles.load(f, Activation.TANH, Activation.IDENTITY),
                ModelFilesFuzzTest::check);
    }

    @Test
    void withBias() throws IOException {
        run("ModelFiles with bias", 3201, true);
    }

    @Test
    void withoutBias() throws IOException {
        run("ModelFiles without bias", 3202, false);
    }

    /** Found by {@link #withoutBias} (seed 3202): a key like b99999999999 matched [Wb][1-9][0-9]* and overflowed parseInt. */
    @Test
    void hugeLayerNumberIsAFormatError() throws IOException {
        Path f = dir.resolve("huge.npz");
        Map<String, NpyArray> a = new java.util.LinkedHashMap<>();
        a.put("W1", new NpyArray(new int[] {1, 1}, new double[] {1}));
        a.put("b99999999999", new NpyArray(new int[] {1}, new double[] {0}));
        Npz.write(f, a);
        FileFormatException e = org.junit.jupiter.api.Assertions.assertThrows(FileFormatException.class,
                () -> ModelFiles.load(f, Activation.TANH, Activation.IDENTITY));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("b99999999999"), e.getMessage());
        a.remove("b99999999999");
        a.put("W99999999999", new NpyArray(new int[] {1, 1}, new double[] {1}));
        Npz.write(f, a);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(FileFormatException.class,
                () -> ModelFiles.load(f, Activation.TANH, Activation.IDENTITY)).getMessage().contains("W99999999999"));
    }

    @Test
    void loadExtra() throws IOException {
        Network net = Network.dense(List.of(3, 2), Activation.IDENTITY, Activation.IDENTITY, true, Init.gaussian(),
                5L);
        Path v = dir.resolve("valid.npz");
        ModelFiles.saveWithState(v, net, Map.of("opt_damping", new double[] {1e-3, 2}));
        Fuzz.Mutator m = ZipFuzz.members(ZipFuzz.members(Npz.read(v)), NAMES);
        Fuzz.property("ModelFiles.loadExtra", 3203, dir, "model.npz", m, ModelFiles::loadExtra, o -> { });
    }
}
