package org.natgrad.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npz} archives: a zip file whose members are {@code .npy} files, as written by
 * {@code numpy.savez} (stored) and {@code numpy.savez_compressed} (deflated). Keys are the member
 * names without ".npy". Writing keeps the map's iteration order (use a {@link LinkedHashMap}) and
 * is atomic.
 *
 * <p>Reading is bounded and checked: each member's {@code .npy} header is read first and a
 * member whose array would exceed {@link Npy#maxArrayBytes()} is refused with its declared size
 * and the limit; no member is inflated beyond the size its header declares (plus one byte, to
 * detect trailing data); the CRC-32 of every member, stored or deflated, and its size are checked
 * against the zip directory. Errors name the archive, the member and the offset.
 */
public final class Npz {
    private Npz() {
    }

    /** Reads every member, in archive order. Non-finite values are kept. */
    public static Map<String, NpyArray> read(Path path) throws IOException {
        return read(path, false);
    }

    /**
     * Reads every member, in archive order; with {@code requireFinite}, a NaN or infinity raises a
     * {@link FileFormatException} naming the archive, the member and the offset within it.
     */
    public static Map<String, NpyArray> read(Path path, boolean requireFinite) throws IOException {
        return read(path, requireFinite, Npy.maxArrayBytes());
    }

    /**
     * As {@link #read(Path, boolean)}, with at most {@code maxArrayBytes} bytes per member once
     * converted to float64.
     *
     * @throws java.nio.file.NoSuchFileException "no such file: PATH" if it does not exist
     */
    public static Map<String, NpyArray> read(Path path, boolean requireFinite, long maxArrayBytes) throws IOException {
        Npy.requireFile(path);
        Map<String, NpyArray> out = new LinkedHashMap<>();
        ZipFile zf;
        try {
            zf = new ZipFile(path.toFile());
        } catch (IOException e) {
            // ZipException for a bad directory, but a bare EOFException (no message, no file) when the
            // end record or the central directory points past the end of the file
            throw new FileFormatException(path.toString(), -1, "not a readable .npz (zip) archive"
                    + describeSize(path) + ": " + describe(e));
        }
        try (zf) {
            Enumeration<? extends ZipEntry> en = zf.entries();
            while (true) {
                ZipEntry e;
                try {
                    if (!en.hasMoreElements()) {
                        break;
                    }
                    e = en.nextElement();
                } catch (IllegalArgumentException ex) {
                    // ZipFile checks entry names when it opens the archive, but decodes an entry's comment
                    // only here, and a comment that is not UTF-8 is an IllegalArgumentException
                    throw new FileFormatException(path.toString(), -1, "corrupt zip directory: an entry's comment"
                            + " is not valid UTF-8 (" + ex.getMessage() + ")");
                }
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
                String src = name + " in " + path;
                NpyArray array;
                CRC32 crc = new CRC32();
                long size;
                try (CountingInputStream in = new CountingInputStream(new CheckedInputStream(zf.getInputStream(e),
                        crc))) {
                    array = Npy.read(in, src, requireFinite, maxArrayBytes);
                    size = in.count;
                } catch (FileFormatException ex) {
                    throw ex;
                } catch (IOException ex) {
                    // ZipException, EOFException (a local header or member data past the end of the file), ...
                    throw new FileFormatException(src, -1, "corrupt zip member: " + describe(ex));
                }
                if (e.getSize() >= 0 && e.getSize() != size) {
                    throw new FileFormatException(src, size, "member has " + size + " bytes, the zip directory says "
                            + e.getSize());
                }
                if (e.getCrc() >= 0 && e.getCrc() != crc.getValue()) {
                    throw new FileFormatException(src, -1, String.format("CRC-32 mismatch: the zip directory says "
                            + "0x%08x, the member's bytes give 0x%08x (the file is corrupt)", e.getCrc(), crc.getValue()));
                }
                if (out.put(key, array) != null) {
                    throw new FileFormatException(path.toString(), -1, "duplicate member " + name);
                }
            }
        }
        return out;
    }

    /** The exception's message, or its class name when it has none (a bare EOFException). */
    private static String describe(IOException e) {
        if (e instanceof java.io.EOFException) {
            return "unexpected end of file" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String describeSize(Path path) {
        try {
            return " (" + java.nio.file.Files.size(path) + " bytes)";
        } catch (IOException e) {
            return "";
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    /** Writes the arrays as float64 members "key.npy" (stored, like {@code numpy.savez}), atomically. */
    public static void write(Path path, Map<String, NpyArray> arrays) throws IOException {
        write(path, arrays, false);
    }

    /**
     * Writes the arrays as float64 members "key.npy", deflated if {@code compress} (like
     * {@code numpy.savez_compressed}), atomically.
     */
    public static void write(Path path, Map<String, NpyArray> arrays, boolean compress) throws IOException {
        for (String k : arrays.keySet()) {
            if (k == null || k.isEmpty() || k.contains("/") || k.contains("\\")) {
                throw new IllegalArgumentException("Npz.write: bad key '" + k + "' for " + path);
            }
        }
        AtomicFiles.write(path, out -> {
            ZipOutputStream zos = new ZipOutputStream(out);
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                byte[] bytes = Npy.toBytes(e.getValue());
                ZipEntry ze = new ZipEntry(e.getKey() + ".npy");
                if (compress) {
                    ze.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(bytes.length);
                    ze.setCompressedSize(bytes.length);
                    ze.setCrc(crc.getValue());
                }
                ze.setTime(0L);
                zos.putNextEntry(ze);
                zos.write(bytes);
                zos.closeEntry();
            }
            zos.finish();
        });
    }
}
