package org.natgrad.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.natgrad.io.FileFormatException;
import org.natgrad.io.Npy;

/**
 * A training set stored as NPZ shards, each with arrays {@code x} (rows x n_0) and {@code y}
 * (rows x n_L), one example per row, as {@code natgrad train --data} reads one file. The driver
 * lists the shards and reads only their {@code .npy} headers (shapes, no data); the examples of
 * shard k are the data-set indices offset_k .. offset_k + rows_k − 1, the shards in file-name
 * order, so the concatenation of the shards in that order is the same data set as one file.
 */
public final class NpzShards implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One shard: its path (as a string, so it serializes), first data-set index, rows and widths. */
    record File(String path, int offset, int rows, int inputSize, int targetSize) implements Serializable {
    }

    private final List<File> files;

    private NpzShards(List<File> files) {
        this.files = List.copyOf(files);
    }

    /**
     * The shards a pattern names: a directory (its {@code *.npz} files), a glob in the last path
     * element ({@code DIR/*.npz}, {@code DIR/part-0?.npz}), or one file; sorted by file name.
     *
     * @throws IllegalArgumentException when nothing matches, or the shards' widths differ
     * @throws FileFormatException      when a shard's header is malformed (the message names it)
     */
    public static NpzShards list(String pattern) throws IOException {
        Path p = Path.of(pattern);
        List<Path> paths = new ArrayList<>();
        if (Files.isDirectory(p)) {
            collect(p, "*.npz", paths);
        } else if (Files.isRegularFile(p)) {
            paths.add(p);
        } else {
            Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("natgrad-spark: no folder " + dir + " for the shards " + pattern);
            }
            collect(dir, p.getFileName().toString(), paths);
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("natgrad-spark: no .npz shards match " + pattern);
        }
        paths.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        List<File> files = new ArrayList<>();
        long offset = 0;
        for (Path f : paths) {
            int[] x = shape(f, "x");
            int[] y = shape(f, "y");
            if (x[0] != y[0]) {
                throw new FileFormatException(f.toString(), -1, "x has " + x[0] + " rows (examples) but y has " + y[0]);
            }
            File s = new File(f.toString(), Math.toIntExact(offset), x[0], x[1], y[1]);
            if (!files.isEmpty() && (s.inputSize() != files.get(0).inputSize()
                    || s.targetSize() != files.get(0).targetSize())) {
                throw new IllegalArgumentException("natgrad-spark: shard " + f + " has examples of " + s.inputSize()
                        + " -> " + s.targetSize() + " values, shard " + files.get(0).path() + " of "
                        + files.get(0).inputSize() + " -> " + files.get(0).targetSize());
            }
            files.add(s);
            offset += x[0];
        }
        if (offset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("natgrad-spark: the shards hold " + offset + " examples, more than "
                    + Integer.MAX_VALUE);
        }
        return new NpzShards(files);
    }

    private static void collect(Path dir, String glob, List<Path> out) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path f : ds) {
                if (Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        }
    }

    /** The (rows, width) of member {@code name} of the archive, from its header alone. */
    private static int[] shape(Path f, String name) throws IOException {
        ZipFile zf;
        try {
            zf = new ZipFile(f.toFile());
        } catch (IOException e) {
            throw new FileFormatException(f.toString(), -1, "not a readable .npz (zip) archive: " + e.getMessage());
        }
        try (zf) {
            ZipEntry e = zf.getEntry(name + ".npy");
            if (e == null) {
                throw new FileFormatException(f.toString(), -1, "a data set .npz needs arrays 'x' (N x n0) and 'y'"
                        + " (N x nL); no '" + name + "'");
            }
            int[] s;
            try (InputStream in = zf.getInputStream(e)) {
                s = Npy.readShape(in, name + ".npy in " + f);
            }
            if (s.length != 1 && s.length != 2) {
                throw new FileFormatException(name + ".npy in " + f, -1, "shape " + java.util.Arrays.toString(s)
                        + ", expected (N, width) with one example per row");
            }
            return new int[] {s[0], s.length == 2 ? s[1] : 1};
        }
    }

    /** The shards, in data-set order. */
    List<File> files() {
        return files;
    }

    /** The number of shards. */
    public int count() {
        return files.size();
    }

    /** N, the examples over all shards (from the headers). */
    public int size() {
        File last = files.get(files.size() - 1);
        return last.offset() + last.rows();
    }
}
