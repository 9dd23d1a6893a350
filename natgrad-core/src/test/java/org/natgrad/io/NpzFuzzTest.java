package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing {@link Npz#read} on a temp file: valid archives (stored and deflated, as Npz.write and
 * numpy.savez_compressed write them) with one mutation of a member (its .npy bytes or header,
 * its name; re-zipped stored or deflated) or of the zip bytes
 * (including the local, central and end-record header fields). Contract: a map of well-formed arrays, or
 * an IOException naming the archive. A mutation inside a member's data (or a stored member's
 * bytes with a matching CRC) may give different, well-formed arrays: accepted.
 */
class NpzFuzzTest {
    @TempDir
    Path dir;

    static Map<String, NpyArray> arrays() {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("a", new NpyArray(new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6}));
        m.put("b", new NpyArray(new int[] {4}, new double[] {-1, 0.5, 1e-300, 7}));
        return m;
    }

    static final String[] NAMES = {"a.npy", "b.npy", "c.npy", "a", "dir/", "dir/x.npy", "", "../x.npy", "a.npy.npy",
        ".npy", "\u00e9.npy"};

    @SuppressWarnings("unchecked")
    static void check(Object o) {
        for (NpyArray a : ((Map<String, NpyArray>) o).values()) {
            NpyFuzzTest.check(a);
        }
    }

    private void run(String name, long seed, boolean compress, boolean requireFinite, boolean archiveBytes)
            throws IOException {
        Path v = dir.resolve("valid.npz");
        Npz.write(v, arrays(), compress);
        byte[] valid = Files.readAllBytes(v);
        Fuzz.Mutator m = archiveBytes ? ZipFuzz.archiveBytes(valid) : ZipFuzz.members(ZipFuzz.members(arrays()), NAMES);
        Fuzz.property(name, seed, dir, "fuzz.npz", m, f -> Npz.read(f, requireFinite), NpzFuzzTest::check);
    }

    @Test
    void members() throws IOException {
        run("Npz members", 2201, false, false, false);
    }

    @Test
    void membersRequireFinite() throws IOException {
        run("Npz members finite", 2202, false, true, false);
    }

    @Test
    void archiveBytesStored() throws IOException {
        run("Npz archive bytes stored", 2203, false, false, true);
    }

    @Test
    void archiveBytesDeflated() throws IOException {
        run("Npz archive bytes deflated", 2204, true, true, true);
    }

    @Test
    void corruptLocalHeaderOffsetNamesTheFile() throws IOException {
        Path f = dir.resolve("bad.npz");
        Npz.write(f, Map.of("a", new NpyArray(new int[] {1}, new double[] {1})));
        byte[] b = Files.readAllBytes(f);
        int central = Fuzz.find(b, 0x02014b50).get(0);
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(central + 42, 65535);
        Files.write(f, b);
        IOException e = assertThrows(IOException.class, () -> Npz.read(f));
        assertTrue(e.getMessage() != null && e.getMessage().contains(f.toString()), String.valueOf(e));
    }
    /**
     * Found by {@link #archiveBytesStored} (seed 2203, try 67): the end record's comment length
     * (its last two bytes) claiming more bytes than follow made {@code new ZipFile} throw a bare
     * {@code java.io.EOFException} (no message, no file name) while locating the central directory.
     */
    @Test
    void endRecordCommentPastTheEndNamesTheFile() throws IOException {
        for (boolean compress : new boolean[] {false, true}) {
            Path f = dir.resolve("comment.npz");
            Npz.write(f, Map.of("a", new NpyArray(new int[] {1}, new double[] {1})), compress);
            byte[] b = Files.readAllBytes(f);
            int end = Fuzz.find(b, 0x06054b50).get(0);
            assertTrue(end == b.length - 22, "no comment in the written archive");
            b[end + 20] = (byte) 144; // comment length 144, but no comment bytes follow
            Files.write(f, b);
            FileFormatException e = assertThrows(FileFormatException.class, () -> Npz.read(f));
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("end of file"),
                    e.getMessage());
        }
    }

    /**
     * Found by {@link #archiveBytesDeflated} (seed 2204, try 6453) and {@link #archiveBytesStored}
     * (seed 2203, try 17275) at 10^5 tries: a central-directory entry comment that is not UTF-8
     * made ZipFile's entry iteration throw a bare IllegalArgumentException ("malformed input off :
     * 51, length : 1"; ZipFile checks names when it opens the archive, comments only then).
     */
    @Test
    void anEntryCommentThatIsNotUtf8NamesTheFile() throws IOException {
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(bos)) {
            java.util.zip.ZipEntry e = new java.util.zip.ZipEntry("a.npy");
            e.setComment("xy");
            z.putNextEntry(e);
            z.write(Npy.toBytes(new NpyArray(new int[] {1}, new double[] {1})));
            z.closeEntry();
        }
        byte[] b = bos.toByteArray();
        int central = Fuzz.find(b, 0x02014b50).get(0);
        int comment = central + 46 + "a.npy".length(); // no extra field
        assertTrue(b[comment] == 'x' && b[comment + 1] == 'y', "comment not where expected");
        b[comment] = (byte) 0xFF;
        Path f = dir.resolve("comment.npz");
        Files.write(f, b);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npz.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("UTF-8"), e.getMessage());
    }
}
