package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile {@code .npz} archives (issue 12, items 1 and 2): decompression bombs and lying headers
 * are refused before anything large is allocated, and a flipped bit in a stored or deflated member
 * is caught by its CRC-32 instead of silently changing the data.
 */
class NpzHostileTest {
    @TempDir
    Path dir;

    /** A deflated zip with one member "name" holding exactly {@code bytes}. */
    private Path zip(String file, String name, byte[]... parts) throws IOException {
        Path p = dir.resolve(file);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            ZipEntry e = new ZipEntry(name);
            e.setMethod(ZipEntry.DEFLATED);
            z.putNextEntry(e);
            for (byte[] b : parts) {
                z.write(b);
            }
            z.closeEntry();
        }
        return p;
    }

    @Test
    void aMemberDeclaringTwoGibibytesIsRefusedWithTheNumbersBeforeInflating() throws IOException {
        // the header says 8192 x 16384 float64 = 1 GiB; 8 MiB of zeros follow, deflating to a few KiB
        Path bomb = zip("bomb.npz", "x.npy", Npy.header(new int[] {8192, 16384}), new byte[8 << 20]);
        assertTrue(Files.size(bomb) < 100_000, "the archive is small: " + Files.size(bomb));
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npz.read(bomb, false, 64L << 20));
        assertTrue(e.getMessage().contains("x.npy in " + bomb), e.getMessage());
        assertTrue(e.getMessage().contains("declares 134217728 elements = 1073741824 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("limit of 67108864 bytes"), e.getMessage());

        // beyond what one Java array can hold: refused by the header alone, whatever the limit
        Path huge = zip("huge.npz", "y.npy", Npy.header(new int[] {1 << 20, 1 << 20, 1 << 20}), new byte[64]);
        FileFormatException h = assertThrows(FileFormatException.class, () -> Npz.read(huge, false, Long.MAX_VALUE));
        assertTrue(h.getMessage().contains("too large for one array"), h.getMessage());

        // the default limit comes from natgrad.maxArrayBytes (else a quarter of the maximum heap)
        String old = System.getProperty("natgrad.maxArrayBytes");
        System.setProperty("natgrad.maxArrayBytes", "1000000");
        try {
            FileFormatException d = assertThrows(FileFormatException.class, () -> Npz.read(bomb));
            assertTrue(d.getMessage().contains("limit of 1000000 bytes"), d.getMessage());
            assertThrows(FileFormatException.class, () -> ModelFiles.load(bomb, org.natgrad.nn.Activation.TANH,
                    org.natgrad.nn.Activation.IDENTITY));
        } finally {
            if (old == null) {
                System.clearProperty("natgrad.maxArrayBytes");
            } else {
                System.setProperty("natgrad.maxArrayBytes", old);
            }
        }
    }

    @Test
    void dataBeyondTheDeclaredSizeIsRefusedAndShortDataIsTruncated() throws IOException {
        Path longer = zip("long.npz", "x.npy", Npy.header(new int[] {4}), new byte[32], new byte[10 << 20]);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npz.read(longer));
        assertTrue(e.getMessage().contains("unexpected bytes after the data of shape (4,)"), e.getMessage());

        Path shorter = zip("short.npz", "x.npy", Npy.header(new int[] {10}), new byte[40]);
        FileFormatException t = assertThrows(FileFormatException.class, () -> Npz.read(shorter));
        assertTrue(t.getMessage().contains("truncated data") && t.getMessage().contains("needs 80 data bytes")
                && t.getMessage().contains("only 40 present"), t.getMessage());
    }

    /** Offset of the first float64 equal to {@code v} in the file's bytes. */
    private static int find(byte[] file, double v) {
        byte[] pat = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array();
        outer:
        for (int i = 0; i + 8 <= file.length; i++) {
            for (int k = 0; k < 8; k++) {
                if (file[i + k] != pat[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void aFlippedBitInAStoredMemberFailsItsCrc() throws IOException {
        Path p = dir.resolve("stored.npz");
        Map<String, NpyArray> a = new LinkedHashMap<>();
        a.put("g", NpyArray.of(new double[] {1.25, -3.5, 123.0625}));
        Npz.write(p, a, false);
        byte[] b = Files.readAllBytes(p);
        int at = find(b, -3.5);
        b[at + 3] ^= 0x10; // still a finite double: without the check the read "succeeds" with another value
        Files.write(p, b);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npz.read(p));
        assertTrue(e.getMessage().contains("g.npy in " + p) && e.getMessage().contains("CRC-32 mismatch"),
                e.getMessage());
    }

    @Test
    void everyFlippedBitInADeflatedMemberIsCaughtOrHarmless() throws IOException {
        Path p = dir.resolve("deflated.npz");
        Map<String, NpyArray> a = new LinkedHashMap<>();
        double[] v = new double[64];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i) * 1000;
        }
        a.put("w", NpyArray.of(v));
        Npz.write(p, a, true);
        byte[] good = Files.readAllBytes(p);
        // the deflate stream sits between the 30-byte local header + name and the central directory
        int from = 30 + "w.npy".length();
        int to = good.length - 22 - 46 - "w.npy".length();
        int caught = 0;
        for (int i = from; i < to; i++) {
            byte[] b = good.clone();
            b[i] ^= 0x04;
            Files.write(p, b);
            try {
                Map<String, NpyArray> back = Npz.read(p);
                assertArrayEquals(v, back.get("w").data(), "a flip at offset " + i + " changed the data silently");
            } catch (FileFormatException e) {
                assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
                caught++;
            }
        }
        assertTrue(caught > (to - from) / 2, caught + " of " + (to - from) + " flips caught");
    }

    @Test
    void aMissingArchiveSaysNoSuchFile() {
        Path none = dir.resolve("none.npz");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Npz.read(none));
        assertTrue(e.getMessage().contains("no such file: " + none), e.getMessage());
        NoSuchFileException n = assertThrows(NoSuchFileException.class, () -> Npy.read(dir.resolve("none.npy")));
        assertTrue(n.getMessage().contains("no such file: " + dir.resolve("none.npy")), n.getMessage());
    }

    @Test
    void anNpyFileWithALyingShapeIsRefusedBeforeAllocating() throws IOException {
        Path p = dir.resolve("lie.npy");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(Npy.header(new int[] {1 << 20, 1 << 10})); // 2^30 float64 = 8 GiB declared, 16 bytes present
        b.write(new byte[16]);
        Files.write(p, b.toByteArray());
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("declares 1073741824 elements of 8 bytes, too large for one array"),
                e.getMessage());
    }
}
