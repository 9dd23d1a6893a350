package org.natgrad.experiment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * The folder is locked while a run writes it ({@link #LOCK}); close the RunFolder when the run ends.
 * Every file is written atomically ({@link AtomicFiles}: temp file in the folder, then rename),
 * so a reader never sees a half-written file; the log is the one live file (see {@link RunLog}).
 */
public final class RunFolder implements AutoCloseable {
    public static final String OPTIONS = "options.json";
    public static final String PROVENANCE = "provenance.json";
    public static final String LOG = "log.csv";
    public static final String RESULTS = "results.json";
    public static final String REPORT = "report.md";
    /**
     * The lock file: a run holds an OS lock on it while it writes the folder. It stays in the folder
     * (an empty hidden file; deleting it could let two runs lock two different files), and a
     * killed run's lock is released by the OS.
     */
    public static final String LOCK = ".natgrad.lock";

    /** Why a folder cannot be used: not empty without --force, not a run folder, or held by another run. */
    public static final class FolderRefusedException extends IOException {
        public FolderRefusedException(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final boolean created;
    private boolean closed;

    private RunFolder(Path dir, FileChannel lockChannel, FileLock lock, boolean created) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.created = created;
    }

    /**
     * Creates (or reuses) the folder {@code dir} and locks it for this run ({@link #LOCK}; a second
     * run into a locked folder is refused at once). Leftover temporary files of {@link AtomicFiles}
     * from a killed run are removed. An existing non-empty folder is refused unless
     * {@code overwrite}; then it must be a natgrad run folder (it holds provenance.json), and its
     * run files are deleted as a set before the run writes new ones, so no stale file of an earlier
     * run survives. Run files: {@code *.json, *.csv, *.md, *.png, *.svg, *.npz, *.npy}, and folders
     * holding only such files (panel folders); anything else is left alone.
     *
     * @throws FolderRefusedException if the folder is locked, non-empty without overwrite, or not a run folder
     * @throws IOException            if the folder cannot be created or is a file
     */
    public static RunFolder create(Path dir, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("output folder " + dir + " is an existing file");
        }
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        RunFolder f = lock(dir, created);
        try {
            f.removeStaleTemporaries();
            List<Path> entries = f.entries();
            if (!entries.isEmpty()) {
                if (!overwrite) {
                    throw new FolderRefusedException("output folder " + dir + " is not empty: choose another folder, "
                            + "or give --force to replace its run files");
                }
                if (!Files.isRegularFile(dir.resolve(PROVENANCE))) {
                    throw new FolderRefusedException("output folder " + dir + " is not a natgrad run folder (it has no "
                            + PROVENANCE + "), so --force will not delete its files: choose another folder");
                }
                for (Path e : entries) {
                    if (isRunFile(e)) {
                        deleteTree(e);
                    }
                }
            }
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * An existing run folder, locked, to continue a run in it (e.g. {@code train --resume}).
     *
     * @throws java.nio.file.NoSuchFileException if {@code dir} is not a folder ("no such folder")
     * @throws FolderRefusedException            if another run holds it
     */
    public static RunFolder existing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no such folder: " + dir);
        }
        RunFolder f = lock(dir, false);
        f.removeStaleTemporaries();
        return f;
    }

    private static RunFolder lock(Path dir, boolean created) throws IOException {
        Path file = dir.resolve(LOCK);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this JVM
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            throw new FolderRefusedException("output folder " + dir + " is in use by another natgrad run (it holds "
                    + file + "); wait for it to end or choose another folder");
        }
        return new RunFolder(dir, ch, l, created);
    }

    /** The folder's entries, without the lock file. */
    private List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().equals(LOCK)).sorted().toList();
        }
    }

    /** Deletes {@link AtomicFiles}' temporaries ({@code .NAME.RANDOM.tmp}) left by a killed run. */
    private void removeStaleTemporaries() throws IOException {
        for (Path p : entries()) {
            String n = p.getFileName().toString();
            if (n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(p)) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static final List<String> RUN_FILE_SUFFIXES = List.of(".json", ".csv", ".md", ".png", ".svg", ".npz",
            ".npy");

    private static boolean isRunFile(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) {
                    if (!isRunFile(c)) {
                        return false;
                    }
                }
            }
            return true;
        }
        String n = p.getFileName().toString();
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && RUN_FILE_SUFFIXES.stream().anyMatch(n::endsWith);
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }

    /**
     * Releases the run's lock; a folder this run created and left empty (e.g. the data failed to
     * load) is removed, lock file included. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (created && entries().isEmpty()) {
                Files.deleteIfExists(dir.resolve(LOCK));
                Files.deleteIfExists(dir);
            }
        } finally {
            lock.release();
            lockChannel.close();
        }
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
