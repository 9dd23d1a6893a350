package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;

class ModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void roundTripGivesIdenticalParametersAndPredictions() throws IOException {
        Network net = Network.dense(List.of(4, 5, 3), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 7L);
        net.layer(0).bias().set(2, 0, 0.25);
        Path p = dir.resolve("net.npz");
        ModelFiles.save(p, net);
        Network back = ModelFiles.load(p, Activation.TANH, Activation.IDENTITY);
        assertEquals(net.widths(), back.widths());
        for (int i = 0; i < net.depth(); i++) {
            assertEquals(net.layer(i).weights(), back.layer(i).weights());
            assertEquals(net.layer(i).bias(), back.layer(i).bias());
        }
        assertEquals(Activation.TANH, back.denseLayer(0).activation());
        assertEquals(Activation.IDENTITY, back.denseLayer(1).activation());
        Matrix x = Matrix.ofRows(new double[] {1, -1}, new double[] {0.5, 2}, new double[] {0, 0}, new double[] {3, 1});
        assertEquals(net.predict(x), back.predict(x));
    }

    @Test
    void biasFreeNetworkHasNoBiasArrays() throws IOException {
        Network net = Network.dense(List.of(3, 2, 2), Activation.IDENTITY, Activation.IDENTITY, false, Init.gaussian(), 1L);
        Path p = dir.resolve("lin.npz");
        ModelFiles.save(p, net);
        assertEquals(List.of("W1", "W2"), List.copyOf(Npz.read(p).keySet()));
        Network back = ModelFiles.load(p, Activation.IDENTITY, Activation.IDENTITY);
        assertTrue(back.isBiasFree());
        assertEquals(net.layer(1).weights(), back.layer(1).weights());
    }

    @Test
    void weightsAreStoredOutputsByInputs() throws IOException {
        Network net = Network.dense(List.of(3, 2), Activation.IDENTITY, Activation.IDENTITY, true, Init.gaussian(), 2L);
        Path p = dir.resolve("one.npz");
        ModelFiles.save(p, net);
        NpyArray w = Npz.read(p).get("W1");
        assertArrayEquals(new int[] {2, 3}, w.shape());
        // C order: element (i, j) at i * 3 + j
        assertEquals(net.layer(0).weights().get(1, 2), w.data()[1 * 3 + 2]);
        assertArrayEquals(new int[] {2}, Npz.read(p).get("b1").shape());
    }

    @Test
    void extraStateRoundTripsAndIsNotAParameter() throws IOException {
        Network net = Network.dense(List.of(2, 2), Activation.IDENTITY, Activation.IDENTITY, true, Init.gaussian(), 3L);
        Map<String, double[]> extra = new LinkedHashMap<>();
        extra.put("opt_damping", new double[] {0.01});
        extra.put("opt_rng", new double[] {1, 2, 3});
        Path p = dir.resolve("s.npz");
        ModelFiles.saveWithState(p, net, extra);
        Map<String, double[]> back = ModelFiles.loadExtra(p);
        assertEquals(List.of("opt_damping", "opt_rng"), List.copyOf(back.keySet()));
        assertArrayEquals(new double[] {0.01}, back.get("opt_damping"));
        assertArrayEquals(new double[] {1, 2, 3}, back.get("opt_rng"));
        assertEquals(net.layer(0).weights(), ModelFiles.load(p, Activation.IDENTITY, Activation.IDENTITY).layer(0).weights());
        assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.saveWithState(dir.resolve("bad.npz"), net, Map.of("W2", new double[] {1})));
    }

    private FileFormatException loadFails(Map<String, NpyArray> arrays, String name) throws IOException {
        Path p = dir.resolve(name);
        Npz.write(p, arrays);
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> ModelFiles.load(p, Activation.TANH, Activation.IDENTITY));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        return e;
    }

    @Test
    void inconsistentShapesAndMissingKeysAreNamed() throws IOException {
        Map<String, NpyArray> a = new LinkedHashMap<>();
        a.put("W1", NpyArray.of(new Matrix(25, 10)));
        a.put("W2", NpyArray.of(new Matrix(25, 25)));
        a.put("W3", NpyArray.of(new Matrix(20, 30)));
        assertTrue(loadFails(a, "shape.npz").getMessage().contains("W3 is 20x30 but W2 gives 25 outputs"));

        Map<String, NpyArray> gap = new LinkedHashMap<>();
        gap.put("W1", NpyArray.of(new Matrix(2, 2)));
        gap.put("W3", NpyArray.of(new Matrix(2, 2)));
        assertTrue(loadFails(gap, "gap.npz").getMessage().contains("missing key W2"));

        Map<String, NpyArray> none = new LinkedHashMap<>();
        none.put("weights", NpyArray.of(new Matrix(2, 2)));
        assertTrue(loadFails(none, "none.npz").getMessage().contains("no weight array W1"));

        Map<String, NpyArray> bias = new LinkedHashMap<>();
        bias.put("W1", NpyArray.of(new Matrix(3, 2)));
        bias.put("b1", NpyArray.of(new double[2]));
        assertTrue(loadFails(bias, "bias.npz").getMessage().contains("b1 has shape (2,) but W1 is 3x2"));

        Map<String, NpyArray> vec = new LinkedHashMap<>();
        vec.put("W1", NpyArray.of(new double[3]));
        assertTrue(loadFails(vec, "vec.npz").getMessage().contains("W1 has shape (3,)"));

        Map<String, NpyArray> nan = new LinkedHashMap<>();
        nan.put("W1", NpyArray.of(Matrix.ofRows(new double[] {1, Double.NaN})));
        assertTrue(loadFails(nan, "nan.npz").getMessage().contains("W1.npy in"));
    }

    @Test
    void numpyComputesTheSameForwardPass() throws Exception {
        assumeTrue(PythonCheck.numpyAvailable(), "python3 with numpy not available: skipping the NumPy interop check");
        Network net = Network.dense(List.of(3, 4, 2), Activation.TANH, Activation.IDENTITY, true, Init.gaussian(), 5L);
        net.layer(1).bias().set(1, 0, -0.75);
        ModelFiles.save(dir.resolve("net.npz"), net);
        Matrix x = Matrix.ofRows(new double[] {1, 0.5}, new double[] {-2, 0}, new double[] {0.25, 3});
        Npy.write(dir.resolve("x.npy"), x);
        PythonCheck.Result r = PythonCheck.run(dir, String.join("\n",
                "import numpy as np",
                "d = np.load('net.npz'); x = np.load('x.npy')",
                "h = np.tanh(d['W1'] @ x + d['b1'][:, None])",
                "y = d['W2'] @ h + d['b2'][:, None]",
                "np.save('y.npy', y)"));
        assertEquals(0, r.exit(), r.output());
        Matrix y = Npy.read(dir.resolve("y.npy")).toMatrix();
        Matrix ours = net.predict(x);
        assertEquals(ours.shape(), y.shape());
        for (int k = 0; k < y.size(); k++) {
            assertEquals(ours.data()[k], y.data()[k], 1e-14);
        }
    }
}
