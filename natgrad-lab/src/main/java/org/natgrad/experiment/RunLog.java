package org.natgrad.experiment;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.natgrad.io.AtomicFiles;

/**
 * A CSV log with a fixed header and one row per evaluation (e.g. examples seen, seconds, train
 * and test loss).
 *
 * <p><b>How it is written.</b> While the run goes on, the file is a live log: the header is
 * written when the log is opened and every {@link #row} is appended as one complete line and
 * flushed, so the file can be followed during a run and a crashed run leaves every finished
 * row. {@link #close()} then rewrites the whole file atomically (via {@link AtomicFiles}) from
 * the rows kept in memory, so the final file is exactly the header plus all rows, whatever
 * happened to the live file. Rows are small (a few numbers per evaluation), so keeping them
 * costs nothing.
 *
 * <p><b>Format.</b> Comma-separated, {@code \n} line ends, UTF-8. Integers in plain decimal,
 * doubles by {@link Double#toString(double)} (round-trips exactly), {@code NaN} and
 * {@code Infinity}/{@code -Infinity} as Java spells them, {@code null} as an empty field,
 * strings quoted when they contain a comma, quote or line break.
 */
public final class RunLog implements Closeable {
    private final Path file;
    private final List<String> columns;
    private final List<String> lines = new ArrayList<>();
    private BufferedWriter live;
    private boolean closed;

    /**
     * Opens a log at {@code file} (replacing any existing file) with the given column names.
     *
     * @throws IllegalArgumentException if there are no columns, or a name is blank or repeated
     */
    public RunLog(Path file, List<String> columns) throws IOException {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("RunLog " + file + ": need at least one column");
        }
        if (columns.stream().distinct().count() != columns.size() || columns.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("RunLog " + file + ": column names must be distinct and non-blank, got " + columns);
        }
        this.file = file;
        this.columns = List.copyOf(columns);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        live = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        String header = String.join(",", this.columns.stream().map(RunLog::field).toList());
        live.write(header);
        live.write('\n');
        live.flush();
    }

    /**
     * Reopens the log of an interrupted run to continue it: the existing file must have exactly
     * this header; its rows for which {@code keep} (given the row's fields; a row cut off by a
     * kill is dropped first) holds, up to the first that fails, are kept, the file is rewritten
     * atomically with them, and new rows are appended after them.
     *
     * @throws java.io.IOException naming the file if it is missing, its header differs or a kept
     *                             row has the wrong number of fields
     */
    public static RunLog reopen(Path file, List<String> columns, Predicate<List<String>> keep) throws IOException {
        return reopen(file, columns, keep, 0);
    }

    /**
     * {@link #reopen(Path, List, Predicate)}, refusing (before anything is rewritten) a file that
     * keeps fewer than {@code requiredRows} rows.
     */
    public static RunLog reopen(Path file, List<String> columns, Predicate<List<String>> keep, int requiredRows)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file: " + file);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] all = text.split("\n", -1);
        String header = String.join(",", columns.stream().map(RunLog::field).toList());
        if (!all[0].equals(header)) {
            throw new IOException(file + ": header '" + all[0] + "' differs from the expected '" + header + "'");
        }
        // the last element is the text after the final newline: empty, or a row cut off mid-write
        List<String> kept = new ArrayList<>();
        for (int i = 1; i < all.length - 1; i++) {
            List<String> fields = List.of(all[i].split(",", -1));
            if (fields.size() != columns.size()) {
                throw new IOException(file + ": row " + i + " has " + fields.size() + " fields, expected "
                        + columns.size());
            }
            if (!keep.test(fields)) {
                break;
            }
            kept.add(all[i]);
        }
        if (kept.size() < requiredRows) {
            throw new IOException(file + ": has " + kept.size() + " complete rows, expected at least " + requiredRows);
        }
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (String l : kept) {
            sb.append(l).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
        return new RunLog(file, columns, kept);
    }

    private RunLog(Path file, List<String> columns, List<String> kept) throws IOException {
        this.file = file;
        this.columns = List.copyOf(columns);
        this.lines.addAll(kept);
        live = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** The file this log writes. */
    public Path file() {
        return file;
    }

    /** The column names, in order. */
    public List<String> columns() {
        return columns;
    }

    /** Number of rows written so far (not counting the header). */
    public int rows() {
        return lines.size();
    }

    /**
     * Appends one row; values in column order (Number, String, Boolean or null).
     *
     * @throws IllegalArgumentException if the number of values differs from the number of columns
     */
    public synchronized void row(Object... values) throws IOException {
        if (closed) {
            throw new IllegalStateException("RunLog " + file + " is closed");
        }
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("RunLog " + file + ": row has " + values.length + " values but the log has "
                    + columns.size() + " columns " + columns);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(format(values[i]));
        }
        String line = sb.toString();
        lines.add(line);
        live.write(line);
        live.write('\n');
        live.flush();
    }

    /**
     * Appends one row given by column name; every column must be present and no other key.
     */
    public void row(Map<String, ?> values) throws IOException {
        if (!values.keySet().equals(new java.util.HashSet<>(columns))) {
            throw new IllegalArgumentException("RunLog " + file + ": row keys " + values.keySet() + " differ from columns " + columns);
        }
        Object[] v = new Object[columns.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(columns.get(i));
        }
        row(v);
    }

    /** The rows written so far, as CSV lines without the header (unmodifiable). */
    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    /** Closes the live file and rewrites the log atomically (header + all rows). Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        live.close();
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", columns.stream().map(RunLog::field).toList())).append('\n');
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return Double.toString(d);
        }
        if (v instanceof Float f) {
            return Double.toString(f.doubleValue());
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return field(v.toString());
    }

    private static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
