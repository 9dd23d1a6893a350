package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.linalg.Matrix;

class NpzTest {
    @TempDir
    Path dir;

    private static Map<String, NpyArray> sample() {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("zeta", NpyArray.of(Matrix.ofRows(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6})));
        m.put("alpha", NpyArray.of(new double[] {-1, 0.5}));
        m.put("mid", new NpyArray(new int[] {2, 1, 2}, new double[] {9, 8, 7, 6}));
        return m;
    }

    @Test
    void roundTripStoredAndDeflatedKeepsOrderShapesAndValues() throws IOException {
        for (boolean compress : new boolean[] {false, true}) {
            Path p = dir.resolve("a" + compress + ".npz");
            Npz.write(p, sample(), compress);
            Map<String, NpyArray> back = Npz.read(p);
            assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(back.keySet()));
            assertEquals(sample(), back);
            assertEquals(3.0, back.get("zeta").toMatrix().get(1, 0));
        }
    }

    @Test
    void notAZipNamesTheFile() throws IOException {
        Path p = dir.resolve("junk.npz");
        Files.writeString(p, "this is not a zip");
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npz.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void nanInMemberNamesArchiveMemberAndOffset() throws IOException {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("x", NpyArray.of(new double[] {1, Double.POSITIVE_INFINITY}));
        Path p = dir.resolve("inf.npz");
        Npz.write(p, m);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npz.read(p, true));
        assertTrue(e.getMessage().contains("x.npy in " + p), e.getMessage());
        assertEquals(Npy.header(new int[] {2}).length + 8, e.offset());
        assertTrue(Double.isInfinite(Npz.read(p).get("x").data()[1]));
    }

    @Test
    void numpyReadsOurNpzAndWeReadSavezAndSavezCompressed() throws Exception {
        assumeTrue(PythonCheck.numpyAvailable(), "python3 with numpy not available: skipping the NumPy interop check");
        Npz.write(dir.resolve("ours.npz"), sample());
        Npz.write(dir.resolve("oursz.npz"), sample(), true);
        String script = String.join("\n",
                "import numpy as np",
                "for f in ['ours.npz', 'oursz.npz']:",
                "    d = np.load(f)",
                "    assert list(d.keys()) == ['zeta', 'alpha', 'mid'], list(d.keys())",
                "    assert d['zeta'].shape == (3, 2) and d['zeta'].tolist() == [[1, 2], [3, 4], [5, 6]]",
                "    assert d['alpha'].tolist() == [-1, 0.5]",
                "    assert d['mid'].shape == (2, 1, 2) and d['mid'].ravel().tolist() == [9, 8, 7, 6]",
                "x = np.arange(12.0).reshape(4, 3) / 7",
                "y = np.array([1, 2, 3, 4], dtype=np.int64)",
                "np.savez('py.npz', x=x, y=y)",
                "np.savez_compressed('pyz.npz', x=x, y=y)",
                "print('ok')");
        PythonCheck.Result r = PythonCheck.run(dir, script);
        assertEquals(0, r.exit(), r.output());
        for (String f : new String[] {"py.npz", "pyz.npz"}) {
            Map<String, NpyArray> d = Npz.read(dir.resolve(f));
            assertArrayEquals(new int[] {4, 3}, d.get("x").shape());
            for (int k = 0; k < 12; k++) {
                assertEquals(k / 7.0, d.get("x").data()[k]);
            }
            assertArrayEquals(new double[] {1, 2, 3, 4}, d.get("y").data());
        }
    }
}
