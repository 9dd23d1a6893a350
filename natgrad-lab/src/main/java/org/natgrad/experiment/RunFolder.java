package org.natgrad.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.natgrad.io.AtomicFiles;

/**
 * The output folder of one run (design.md §5):
 * <pre>
 *   options.json     the validated options record the run was made with
 *   provenance.json  seed, git revision and dirty flag, JDK, OS, BLAS backend and threads,
 *                    start time, command line ({@link Provenance})
 *   log.csv          one row per evaluation ({@link RunLog})
 *   results.json     the headline figures
 *   report.md        a short human-readable report
 *   *.png, *.svg     plots; other files (e.g. model.npz) as the experiment needs
 * </pre>
 * Every file is written atomically ({@link AtomicFiles}: temp file in the folder, then rename),
 * so a reader never sees a half-written file; the log is the one live file (see {@link RunLog}).
 */
public final class RunFolder {
    public static final String OPTIONS = "options.json";
    public static final String PROVENANCE = "provenance.json";
    public static final String LOG = "log.csv";
    public static final String RESULTS = "results.json";
    public static final String REPORT = "report.md";

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates (or reuses) the folder {@code dir}. An existing non-empty folder is refused unless
     * {@code overwrite}, in which case files in it are replaced as the run writes them (others
     * are left alone).
     *
     * @throws IOException if the folder cannot be created, is a file, or is non-empty without overwrite
     */
    public static RunFolder create(Path dir, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("output folder " + dir + " is an existing file");
        }
        if (Files.isDirectory(dir) && !overwrite) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IOException("output folder " + dir + " is not empty (choose another folder or allow overwriting)");
                }
            }
        }
        Files.createDirectories(dir);
        return new RunFolder(dir);
    }

    /**
     * An existing run folder, to continue a run in it (e.g. {@code train --resume}).
     *
     * @throws java.nio.file.NoSuchFileException if {@code dir} is not a folder ("no such folder")
     */
    public static RunFolder existing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no such folder: " + dir);
        }
        return new RunFolder(dir);
    }

    /** The folder. */
    public Path path() {
        return dir;
    }

    /** A file in the folder. */
    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Writes {@code options.json} (any record, bean or Map). */
    public Path writeOptions(Object options) throws IOException {
        return writeJson(OPTIONS, options);
    }

    /** Writes {@code provenance.json}. */
    public Path writeProvenance(Provenance provenance) throws IOException {
        return writeJson(PROVENANCE, provenance);
    }

    /** Captures and writes {@code provenance.json}; returns what was written. */
    public Provenance writeProvenance(long seed, List<String> commandLine) throws IOException {
        Provenance p = Provenance.capture(seed, commandLine);
        writeProvenance(p);
        return p;
    }

    /** Captures and writes provenance under another name (e.g. for a resumed run); returns what was written. */
    public Provenance writeProvenance(String name, long seed, List<String> commandLine) throws IOException {
        Provenance p = Provenance.capture(seed, commandLine);
        writeJson(name, p);
        return p;
    }

    /** Opens {@code log.csv} with the given columns; close it when the run ends. */
    public RunLog openLog(List<String> columns) throws IOException {
        return new RunLog(resolve(LOG), columns);
    }

    /** Writes {@code results.json}. */
    public Path writeResults(Object results) throws IOException {
        return writeJson(RESULTS, results);
    }

    /** Writes {@code report.md}. */
    public Path writeReport(String markdown) throws IOException {
        return writeText(REPORT, markdown);
    }

    /** Writes any JSON file in the folder, atomically. */
    public Path writeJson(String name, Object value) throws IOException {
        Path f = resolve(name);
        Json.write(f, value);
        return f;
    }

    /** Writes any UTF-8 text file in the folder, atomically. */
    public Path writeText(String name, String text) throws IOException {
        Path f = resolve(name);
        AtomicFiles.writeString(f, text);
        return f;
    }

    @Override
    public String toString() {
        return "RunFolder[" + dir + "]";
    }
}
