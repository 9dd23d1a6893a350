package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.io.FileFormatException;
import org.natgrad.io.Fuzz;
import org.natgrad.io.NpyArray;
import org.natgrad.io.ZipFuzz;
import org.natgrad.linalg.Matrix;

/**
 * Fuzzing the data-set readers {@link DatasetFiles#readCsv} and {@link DatasetFiles#read}
 * (.npz with x and y) with the seeded runner {@link Fuzz}. CSV: a valid file (header, 5 rows of 3
 * inputs and 1 target) with the generic byte mutations, fields replaced by odd tokens (nan, 1e999,
 * 0x10, 1d, quoted, empty, bytes that are not UTF-8, separators), or lines dropped, repeated,
 * blanked or given another separator or line end. Npz: the member mutations of {@link ZipFuzz}
 * on x (5, 3) and y (5,), names including z, X and x without .npy. Contract: a data set whose
 * inputs and targets have one column per example, the stated widths and finite values (with
 * REFUSE) or the dropped rows counted (with DROP_ROWS); or an IOException naming the file.
 */
class DatasetFilesFuzzTest {
    @TempDir
    Path dir;

    static final String CSV = "a,b,c,y\n1.5,-2,0,1\n3,4e-3,1e10,0\n-0.25,7,8,1\n0,0,0,0\n1e-300,2,\"3\",1\n";

    static final String[] TOKENS = {"nan", "NaN", "inf", "-Infinity", "1e999", "-1e999", "0x10", "-0x1p3", "1d", "2f",
        "\"4\"", "\"", "", " ", "1,2", ";", "\t", "1 2", "\uFEFF1", "1_000", "1e", "--1", "+.5", "1.", ".", "e",
        "\u00e9", "\uFFFD", "99999999999999999999999", "4.9e-325", "NULL", "\r"};

    /** Field-level and line-level mutations of a CSV. */
    static Fuzz.Mutator csvTokens(String csv) {
        return r -> {
            List<String> lines = new ArrayList<>(Arrays.asList(csv.split("\n", -1)));
            StringBuilder what = new StringBuilder();
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
                int li = r.nextInt(lines.size());
                String line = lines.get(li);
                switch (r.nextInt(6)) {
                    case 0, 1, 2 -> { // one field := a token
                        String[] f = line.split(",", -1);
                        int c = r.nextInt(f.length);
                        boolean raw = r.nextInt(8) == 0;
                        f[c] = raw ? "\u0000" : TOKENS[r.nextInt(TOKENS.length)];
                        lines.set(li, String.join(",", f));
                        what.append(" line ").append(li + 1).append(" field ").append(c + 1).append(":='")
                                .append(f[c]).append('\'');
                    }
                    case 3 -> {
                        lines.remove(li);
                        what.append(" drop line ").append(li + 1);
                    }
                    case 4 -> {
                        lines.add(li, line);
                        what.append(" repeat line ").append(li + 1);
                    }
                    default -> {
                        String sep = new String[] {";", "\t", " ", ",,", ""}[r.nextInt(5)];
                        lines.set(li, line.replace(",", sep) + (r.nextBoolean() ? "\r" : ""));
                        what.append(" line ").append(li + 1).append(" separator '").append(sep).append('\'');
                    }
                }
                if (lines.isEmpty()) {
                    break;
                }
            }
            byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            if (r.nextInt(6) == 0) { // a byte that is not UTF-8 somewhere
                b = b.clone();
                if (b.length > 0) {
                    int at = r.nextInt(b.length);
                    b[at] = (byte) (0x80 + r.nextInt(128));
                    what.append(" byte ").append(at).append(":=0x").append(Integer.toHexString(b[at] & 0xFF));
                }
            }
            return new Fuzz.Mutation(what.toString().trim(), b);
        };
    }

    /** targets: the target width a CSV read must give, or -1 for an .npz (any widths). */
    static void wellFormed(Object o, int targets, boolean mayDrop) {
        DatasetFiles.Loaded l = (DatasetFiles.Loaded) o;
        Dataset d = l.dataset();
        if (targets >= 0) {
            assertEquals(targets, d.targetSize(), "target width");
            assertTrue(d.inputSize() >= 1, "no inputs");
        }
        assertEquals(d.inputs().cols(), d.targets().cols(), "examples");
        assertTrue(mayDrop || l.droppedRows() == 0, "rows dropped under REFUSE");
        for (Matrix m : new Matrix[] {d.inputs(), d.targets()}) {
            for (double v : m.data()) {
                assertTrue(Double.isFinite(v), "non-finite value " + v + " kept");
            }
        }
    }

    /** Runs the property with DatasetFiles' dropped-rows warnings silenced (thousands in a long run). */
    static void quietly(Fuzz.Reader reader, Path file, String name, long seed, Path dir, Fuzz.Mutator m,
                        Fuzz.Check check) throws IOException {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(DatasetFiles.class.getName());
        java.util.logging.Level was = log.getLevel();
        log.setLevel(java.util.logging.Level.SEVERE);
        try {
            Fuzz.property(name, seed, dir, file.toString(), m, reader, check);
        } finally {
            log.setLevel(was);
        }
    }

    private void csv(String name, long seed, boolean header, int targets, NonFinitePolicy policy) throws IOException {
        byte[] valid = (header ? CSV : CSV.substring(CSV.indexOf('\n') + 1)).getBytes(StandardCharsets.UTF_8);
        Fuzz.Mutator m = Fuzz.oneOf(Fuzz.bytes(valid, List.of()), csvTokens(new String(valid, StandardCharsets.UTF_8)));
        quietly(f -> DatasetFiles.readCsv(f, targets, header, policy), Path.of("data.csv"), name, seed, dir, m,
                o -> wellFormed(o, targets, policy == NonFinitePolicy.DROP_ROWS));
    }

    @Test
    void csvWithHeader() throws IOException {
        csv("DatasetFiles.readCsv header", 6201, true, 1, NonFinitePolicy.REFUSE);
    }

    @Test
    void csvWithoutHeaderTwoTargetsDroppingRows() throws IOException {
        csv("DatasetFiles.readCsv no header, drop", 6202, false, 2, NonFinitePolicy.DROP_ROWS);
    }

    static Map<String, NpyArray> arrays() {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("x", new NpyArray(new int[] {5, 3}, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}));
        m.put("y", new NpyArray(new int[] {5}, new double[] {0, 1, 0, 1, 1}));
        return m;
    }

    static final String[] NAMES = {"x.npy", "y.npy", "z.npy", "X.npy", "x", "y", "x.npy.npy"};

    @Test
    void npzRefusing() throws IOException {
        Fuzz.property("DatasetFiles.read npz", 6203, dir, "data.npz", ZipFuzz.members(ZipFuzz.members(arrays()), NAMES),
                f -> DatasetFiles.read(f, NonFinitePolicy.REFUSE), o -> wellFormed(o, -1, false));
    }

    @Test
    void npzDroppingRows() throws IOException {
        quietly(f -> DatasetFiles.read(f, NonFinitePolicy.DROP_ROWS), Path.of("data.npz"), "DatasetFiles.read npz, drop",
                6204, dir, ZipFuzz.members(ZipFuzz.members(arrays()), NAMES), o -> wellFormed(o, -1, true));
    }

    /**
     * From i12-fuzz (158c9e8): a CSV byte that is not UTF-8 made the reader throw a bare
     * MalformedInputException ("Input length = 1", no file, no line). Now a FileFormatException
     * with the file, the line and the column.
     */
    @Test
    void bytesThatAreNotUtf8AreAFormatErrorNamingTheLine() throws IOException {
        Path f = dir.resolve("latin1.csv");
        byte[] b = "a,y\n1,0\n2,1\n3\u00e9,0\n".getBytes(StandardCharsets.ISO_8859_1); // 0xE9 alone
        Files.write(f, b);
        FileFormatException e = assertThrows(FileFormatException.class, () -> DatasetFiles.readCsv(f, 1, true));
        assertEquals(f.toString(), e.source());
        assertTrue(e.getMessage().contains("line 4, column 1") && e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void theValidFilesReadBack() throws IOException {
        Path f = dir.resolve("v.csv");
        Files.writeString(f, CSV);
        Dataset d = DatasetFiles.readCsv(f, 1, true);
        assertEquals(5, d.size());
        assertEquals(1e10, d.inputs().get(2, 1));
        assertEquals(3, d.inputs().get(2, 4));
        Path z = dir.resolve("v.npz");
        org.natgrad.io.Npz.write(z, arrays());
        Dataset e = DatasetFiles.read(z);
        assertEquals(3, e.inputSize());
        assertEquals(6, e.inputs().get(2, 1));
        assertEquals(1, e.targets().get(0, 4));
    }
}
