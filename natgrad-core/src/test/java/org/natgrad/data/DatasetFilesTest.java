package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.io.FileFormatException;
import org.natgrad.io.NpyArray;
import org.natgrad.io.Npz;
import org.natgrad.io.PythonCheck;
import org.natgrad.linalg.Matrix;

class DatasetFilesTest {
    @TempDir
    Path dir;

    @Test
    void npzRowsBecomeColumnsAndRoundTrip() throws IOException {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        // 3 examples with 2 inputs and 1 target, one per row as NumPy writes them
        m.put("x", NpyArray.of(Matrix.ofRows(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6})));
        m.put("y", NpyArray.of(new double[] {10, 20, 30}));
        Path p = dir.resolve("d.npz");
        Npz.write(p, m);
        Dataset d = DatasetFiles.read(p);
        assertEquals(Matrix.ofRows(new double[] {1, 3, 5}, new double[] {2, 4, 6}), d.inputs());
        assertEquals(Matrix.ofRows(new double[] {10, 20, 30}), d.targets());
        Path q = dir.resolve("back.npz");
        DatasetFiles.write(q, d);
        Map<String, NpyArray> raw = Npz.read(q);
        assertArrayEquals(new int[] {3, 2}, raw.get("x").shape());
        assertArrayEquals(new int[] {3, 1}, raw.get("y").shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, raw.get("x").data());
        Dataset again = DatasetFiles.read(q);
        assertEquals(d.inputs(), again.inputs());
        assertEquals(d.targets(), again.targets());
    }

    @Test
    void npzErrorsNameTheProblem() throws IOException {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("x", NpyArray.of(new Matrix(3, 2)));
        m.put("y", NpyArray.of(new Matrix(4, 1)));
        Path p = dir.resolve("mismatch.npz");
        Npz.write(p, m);
        FileFormatException e = assertThrows(FileFormatException.class, () -> DatasetFiles.read(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("x has 3 rows")
                && e.getMessage().contains("y has 4"), e.getMessage());
        m.remove("y");
        Path q = dir.resolve("noy.npz");
        Npz.write(q, m);
        assertTrue(assertThrows(FileFormatException.class, () -> DatasetFiles.read(q)).getMessage().contains("'y'"));
    }

    @Test
    void nanIsRefusedWithRowAndColumnOrDropped() throws IOException {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("x", NpyArray.of(Matrix.ofRows(new double[] {1, 2}, new double[] {3, Double.NaN}, new double[] {5, 6},
                new double[] {7, 8})));
        m.put("y", NpyArray.of(new double[] {1, 2, 3, Double.NEGATIVE_INFINITY}));
        Path p = dir.resolve("nan.npz");
        Npz.write(p, m);
        FileFormatException e = assertThrows(FileFormatException.class, () -> DatasetFiles.read(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("row 1, column 1 of x"),
                e.getMessage());
        DatasetFiles.Loaded l = DatasetFiles.read(p, NonFinitePolicy.DROP_ROWS);
        assertEquals(2, l.droppedRows());
        assertEquals(Matrix.ofRows(new double[] {1, 5}, new double[] {2, 6}), l.dataset().inputs());
        assertEquals(Matrix.ofRows(new double[] {1, 3}), l.dataset().targets());
    }

    @Test
    void csvWithHeaderSplitsTargetsFromTheRight() throws IOException {
        Path p = dir.resolve("d.csv");
        Files.writeString(p, "a,b,c,t1,t2\n1,2,3,4,5\n\n-1.5e2, 0 ,7,8,9\n");
        Dataset d = DatasetFiles.readCsv(p, 2, true);
        assertEquals(Matrix.ofRows(new double[] {1, -150}, new double[] {2, 0}, new double[] {3, 7}), d.inputs());
        assertEquals(Matrix.ofRows(new double[] {4, 8}, new double[] {5, 9}), d.targets());
        Path s = dir.resolve("d.txt");
        Files.writeString(s, "1 2  3\n4 5 6\n");
        Dataset w = DatasetFiles.readCsv(s, 1, false);
        assertEquals(Matrix.ofRows(new double[] {1, 4}, new double[] {2, 5}), w.inputs());
    }

    @Test
    void csvErrorsNameFileLineAndColumn() throws IOException {
        Path p = dir.resolve("bad.csv");
        Files.writeString(p, "x,y\n1,2\n3,abc\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> DatasetFiles.readCsv(p, 1, true));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("line 3, column 2")
                && e.getMessage().contains("'abc'"), e.getMessage());
        Path r = dir.resolve("ragged.csv");
        Files.writeString(r, "1,2\n3,4,5\n");
        assertTrue(assertThrows(FileFormatException.class, () -> DatasetFiles.readCsv(r, 1, false)).getMessage()
                .contains("line 2 has 3 columns"));
        Path n = dir.resolve("nan.csv");
        Files.writeString(n, "1,2,3\n4,,6\n7,8,NaN\n9,9,9\n");
        FileFormatException ne = assertThrows(FileFormatException.class, () -> DatasetFiles.readCsv(n, 1, false));
        assertTrue(ne.getMessage().contains("line 2, column 2"), ne.getMessage());
        DatasetFiles.Loaded l = DatasetFiles.readCsv(n, 1, false, NonFinitePolicy.DROP_ROWS);
        assertEquals(2, l.droppedRows());
        assertEquals(Matrix.ofRows(new double[] {1, 9}, new double[] {2, 9}), l.dataset().inputs());
        Path t = dir.resolve("toomany.csv");
        Files.writeString(t, "1,2\n");
        assertThrows(FileFormatException.class, () -> DatasetFiles.readCsv(t, 2, false));
    }

    @Test
    void readsWhatNumpyWrites() throws Exception {
        assumeTrue(PythonCheck.numpyAvailable(), "python3 with numpy not available: skipping the NumPy interop check");
        PythonCheck.Result r = PythonCheck.run(dir, String.join("\n",
                "import numpy as np",
                "x = np.arange(15, dtype=np.float32).reshape(5, 3)",
                "y = (np.arange(5) % 2).astype(np.int64)",
                "np.savez_compressed('py.npz', x=x, y=y)",
                "np.savetxt('py.csv', np.column_stack([x, y]), delimiter=',', header='a,b,c,label', comments='')"));
        assertEquals(0, r.exit(), r.output());
        for (Dataset d : new Dataset[] {DatasetFiles.read(dir.resolve("py.npz")),
            DatasetFiles.readCsv(dir.resolve("py.csv"), 1, true)}) {
            assertEquals(3, d.inputSize());
            assertEquals(5, d.size());
            assertEquals(7.0, d.inputs().get(1, 2)); // example 2 is row 2 = [6, 7, 8]
            assertArrayEquals(new double[] {0, 1, 0, 1, 0}, d.targets().data());
        }
    }
}
