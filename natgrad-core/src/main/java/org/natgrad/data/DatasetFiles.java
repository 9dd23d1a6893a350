package org.natgrad.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import org.natgrad.io.FileFormatException;
import org.natgrad.io.NpyArray;
import org.natgrad.io.Npz;
import org.natgrad.linalg.Matrix;

/**
 * Data sets on disk, one example per ROW as NumPy and CSV users write them, converted to
 * natgrad's one example per COLUMN.
 *
 * <ul>
 *   <li>{@code .npz} with arrays {@code x} of shape (N, n_0) and {@code y} of shape (N, n_L) (a
 *       1-D {@code x} or {@code y} of length N counts as one column), any dtype {@link
 *       org.natgrad.io.Npy} reads. {@link #write} writes the same layout as float64.</li>
 *   <li>Numeric CSV, UTF-8 (or ASCII): comma-separated (or, if the first data line has no comma, separated by
 *       semicolons, tabs or spaces), optional header line; the last {@code targetColumns}
 *       columns are the targets. {@code nan}, {@code inf}, {@code -inf} (any case) and empty
 *       fields are read as non-finite.</li>
 * </ul>
 *
 * Non-finite values are refused with their file, row and column (rows and columns 0-based for
 * arrays; CSV rows are 1-based file lines) unless {@link NonFinitePolicy#DROP_ROWS} is given;
 * then those examples are dropped and the count is in {@link Loaded#droppedRows()} and logged.
 */
public final class DatasetFiles {
    private static final Logger LOG = Logger.getLogger(DatasetFiles.class.getName());

    private DatasetFiles() {
    }

    /** A loaded data set and how many examples were dropped for non-finite values. */
    public record Loaded(Dataset dataset, int droppedRows, Path source) {
    }

    /** Reads an .npz data set (x: N x n_0, y: N x n_L), refusing non-finite values. */
    public static Dataset read(Path path) throws IOException {
        return read(path, NonFinitePolicy.REFUSE).dataset();
    }

    /** Reads an .npz data set with the given treatment of non-finite values. */
    public static Loaded read(Path path, NonFinitePolicy policy) throws IOException {
        Map<String, NpyArray> a = Npz.read(path);
        NpyArray x = a.get("x");
        NpyArray y = a.get("y");
        if (x == null || y == null) {
            throw new FileFormatException(path.toString(), -1, "a data set .npz needs arrays 'x' (N x n0) and 'y'"
                    + " (N x nL); found " + a.keySet());
        }
        int n = rowsOf(x, "x", path);
        int ny = rowsOf(y, "y", path);
        if (n != ny) {
            throw new FileFormatException(path.toString(), -1, "x has " + n + " rows (examples) but y has " + ny
                    + " (x " + x.shapeString() + ", y " + y.shapeString() + ")");
        }
        int n0 = n == 0 ? width(x) : x.size() / n;
        int nl = n == 0 ? width(y) : y.size() / n;
        // C-order (N, w) data is exactly column-major w x N: no copy needed.
        return finish(path, x.data(), n0, y.data(), nl, n, policy,
                (row, isX, col) -> "row " + row + ", column " + col + " of " + (isX ? "x" : "y"));
    }

    private static int width(NpyArray a) {
        return a.ndim() == 2 ? a.shape()[1] : 1;
    }

    private static int rowsOf(NpyArray a, String name, Path path) throws FileFormatException {
        if (a.ndim() != 1 && a.ndim() != 2) {
            throw new FileFormatException(path.toString(), -1, name + " has shape " + a.shapeString()
                    + ", expected (N, width) with one example per row");
        }
        return a.shape()[0];
    }

    /** Writes x (N x n_0) and y (N x n_L) float64 arrays, one example per row, atomically. */
    public static void write(Path path, Dataset d) throws IOException {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        // column-major n x N data read as C order is (N, n): no copy beyond the defensive clone
        m.put("x", new NpyArray(new int[] {d.size(), d.inputSize()}, d.inputs().data().clone()));
        m.put("y", new NpyArray(new int[] {d.size(), d.targetSize()}, d.targets().data().clone()));
        Npz.write(path, m);
    }

    /** Reads a numeric CSV (see the class comment), refusing non-finite values. */
    public static Dataset readCsv(Path path, int targetColumns, boolean header) throws IOException {
        return readCsv(path, targetColumns, header, NonFinitePolicy.REFUSE).dataset();
    }

    /** Reads a numeric CSV with the given treatment of non-finite values. */
    public static Loaded readCsv(Path path, int targetColumns, boolean header, NonFinitePolicy policy)
            throws IOException {
        if (targetColumns < 0) {
            throw new IllegalArgumentException("readCsv: targetColumns must be >= 0, got " + targetColumns);
        }
        String src = path.toString();
        double[] vals = new double[1024];
        int[] lineOf = new int[64];
        int rows = 0;
        int cols = -1;
        String sep = null;
        org.natgrad.io.Npy.requireFile(path);
        // not Files.newBufferedReader: its decoder throws a MalformedInputException ("Input length = 1", no
        // file, no line) for bytes that are not UTF-8, and ahead of the line holding them; this one reads them
        // as U+FFFD, which parseField refuses with the line and column
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(path),
                StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            boolean headerPending = header;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                if (headerPending) {
                    headerPending = false;
                    continue;
                }
                if (sep == null) {
                    sep = line.contains(",") ? "," : line.contains(";") ? ";" : line.contains("\t") ? "\t" : " +";
                }
                String[] f = sep.equals(" +") ? line.trim().split(" +", -1) : line.split(sep, -1);
                if (cols < 0) {
                    cols = f.length;
                    if (targetColumns >= cols) {
                        throw new FileFormatException(src, -1, "line " + lineNo + ": " + cols + " columns, but "
                                + targetColumns + " target columns leave no inputs");
                    }
                } else if (f.length != cols) {
                    throw new FileFormatException(src, -1, "line " + lineNo + " has " + f.length
                            + " columns, earlier lines have " + cols);
                }
                if ((long) (rows + 1) * cols > Integer.MAX_VALUE - 8) {
                    throw new FileFormatException(src, -1, "line " + lineNo + ": too many values for one data set");
                }
                while ((rows + 1) * cols > vals.length) {
                    vals = java.util.Arrays.copyOf(vals, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * vals.length));
                }
                if (rows == lineOf.length) {
                    lineOf = java.util.Arrays.copyOf(lineOf, 2 * rows);
                }
                for (int c = 0; c < cols; c++) {
                    vals[rows * cols + c] = parseField(f[c], src, lineNo, c);
                }
                lineOf[rows++] = lineNo;
            }
        }
        if (cols < 0) {
            throw new FileFormatException(src, -1, "no data rows");
        }
        int n0 = cols - targetColumns;
        int nl = targetColumns;
        double[] x = new double[rows * n0];
        double[] y = new double[rows * nl];
        for (int k = 0; k < rows; k++) {
            System.arraycopy(vals, k * cols, x, k * n0, n0);
            System.arraycopy(vals, k * cols + n0, y, k * nl, nl);
        }
        final int[] lines = lineOf;
        final int inputs = n0;
        return finish(path, x, n0, y, nl, rows, policy,
                (row, isX, col) -> "line " + lines[row] + ", column " + ((isX ? 0 : inputs) + col + 1));
    }

    private static double parseField(String field, String src, int line, int col) throws FileFormatException {
        String t = field.trim();
        if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
            t = t.substring(1, t.length() - 1).trim();
        }
        if (t.isEmpty()) {
            return Double.NaN;
        }
        String l = t.toLowerCase(Locale.ROOT);
        switch (l) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        try {
            if (l.endsWith("d") || l.endsWith("f") || l.startsWith("0x")) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new FileFormatException(src, -1, "line " + line + ", column " + (col + 1) + ": '" + field
                    + "' is not a number" + (field.indexOf('\uFFFD') >= 0
                    ? " (it holds bytes that are not UTF-8, shown as U+FFFD; a CSV must be UTF-8 or ASCII)" : ""));
        }
    }

    @FunctionalInterface
    private interface Where {
        String describe(int row, boolean isX, int col);
    }

    private static Loaded finish(Path path, double[] x, int n0, double[] y, int nl, int n, NonFinitePolicy policy,
                                 Where where) throws FileFormatException {
        boolean[] bad = new boolean[n];
        int dropped = 0;
        for (int k = 0; k < n; k++) {
            int badCol = -1;
            boolean inX = true;
            for (int c = 0; c < n0 && badCol < 0; c++) {
                if (!Double.isFinite(x[k * n0 + c])) {
                    badCol = c;
                }
            }
            if (badCol < 0) {
                inX = false;
                for (int c = 0; c < nl && badCol < 0; c++) {
                    if (!Double.isFinite(y[k * nl + c])) {
                        badCol = c;
                    }
                }
            }
            if (badCol >= 0) {
                if (policy == NonFinitePolicy.REFUSE) {
                    double v = inX ? x[k * n0 + badCol] : y[k * nl + badCol];
                    throw new FileFormatException(path.toString(), -1, "non-finite value " + v + " at "
                            + where.describe(k, inX, badCol) + " (give --drop-nonfinite, or NonFinitePolicy.DROP_ROWS in the Java API, to skip such examples)");
                }
                bad[k] = true;
                dropped++;
            }
        }
        if (dropped > 0) {
            int kept = n - dropped;
            double[] x2 = new double[kept * n0];
            double[] y2 = new double[kept * nl];
            int j = 0;
            for (int k = 0; k < n; k++) {
                if (!bad[k]) {
                    System.arraycopy(x, k * n0, x2, j * n0, n0);
                    System.arraycopy(y, k * nl, y2, j * nl, nl);
                    j++;
                }
            }
            final int total = n;
            final int d = dropped;
            LOG.warning(() -> path + ": dropped " + d + " of " + total + " examples with NaN or infinite values");
            x = x2;
            y = y2;
            n = kept;
        }
        return new Loaded(new Dataset(new Matrix(n0, n, x), new Matrix(nl, n, y)), dropped, path);
    }
}
