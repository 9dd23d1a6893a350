package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing {@link Npz#read} on a temp file: valid archives (stored and deflated, as Npz.write and
 * numpy.savez_compressed write them) with one mutation of a member (its .npy bytes or header,
 * its name; re-zipped stored or deflated) or, in the disabled properties, of the zip bytes
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

    /*
     * Known Npz bug (Npz.java is not to be edited here; reported): Npz.read catches only
     * ZipException around ZipFile.getInputStream/readAllBytes, but a corrupted central-directory
     * local-header offset (or other header fields) makes ZipFile throw a bare
     * java.io.EOFException with no message, so the error does not name the archive. With EOFException
     * tolerated, these properties pass 5000 tries each.
     */
    static final String EOF_BUG = "Npz.read lets a bare java.io.EOFException (no file name) escape when a central"
            + " directory local-header offset is corrupt; minimal input: Npz.write({a: shape (1,)}) stored, then the"
            + " central record's local-header offset (central header + 42, int32 LE) := 65535";

    @Disabled(EOF_BUG)
    @Test
    void archiveBytesStored() throws IOException {
        run("Npz archive bytes stored", 2203, false, false, true);
    }

    @Disabled(EOF_BUG)
    @Test
    void archiveBytesDeflated() throws IOException {
        run("Npz archive bytes deflated", 2204, true, true, true);
    }

    @Disabled(EOF_BUG)
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
}
