package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.natgrad.io.FileFormatException;
import org.natgrad.io.Fuzz;
import org.natgrad.linalg.Matrix;

/**
 * Fuzzing {@link Idx#read}, {@link Idx#images} and {@link Idx#labels}, plain and gzip, with the
 * seeded runner {@link Fuzz}: valid IDX files (ubyte images 3x2x3, float64 and int16 arrays,
 * ubyte labels) with one mutation each: the generic byte mutations, header fields (the type code,
 * the number of dimensions, each big-endian size) set to huge, zero or negative values, or a
 * generated header (any type code, 0-5 dimensions of lying sizes) over data of another length.
 * For gzip, either the plain bytes are mutated and then compressed, or the compressed bytes are
 * mutated. Contract: a well-formed result (values = product of the shape; an images matrix of
 * (product of the image dimensions) x N; a label per entry), or an IOException naming the file.
 */
class IdxFuzzTest {
    @TempDir
    Path dir;

    static byte[] validImages() {
        double[] v = new double[18];
        for (int k = 0; k < v.length; k++) {
            v[k] = (k * 37) % 256;
        }
        return IdxTest.idx(Idx.UBYTE, new int[] {3, 2, 3}, v);
    }

    static byte[] validDoubles() {
        return IdxTest.idx(Idx.DOUBLE, new int[] {2, 2}, 1.5, -2, 1e300, 0);
    }

    static byte[] validShorts() {
        return IdxTest.idx(Idx.SHORT, new int[] {5}, -32768, -1, 0, 7, 32767);
    }

    static byte[] validLabels() {
        return IdxTest.idx(Idx.UBYTE, new int[] {6}, 0, 9, 3, 255, 1, 2);
    }

    /** The magic's bytes and every dimension size of a valid file. */
    static List<Fuzz.Field> fields(byte[] valid) {
        List<Fuzz.Field> f = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            f.add(new Fuzz.Field("magic[" + k + "]", k, 1, Fuzz.Encoding.BYTE));
        }
        for (int d = 0; d < (valid[3] & 0xFF); d++) {
            f.add(new Fuzz.Field("size[" + d + "]", 4 + 4 * d, 4, Fuzz.Encoding.INT32_BE));
        }
        return f;
    }

    static final int[] TYPES = {Idx.UBYTE, Idx.BYTE, Idx.SHORT, Idx.INT, Idx.FLOAT, Idx.DOUBLE, 0, 0x0A, 0x0F, 0xFF};
    static final int[] SIZES = {0, 1, 2, 3, 6, 18, 255, 65536, 46341, 0x7FFFFFFF, 0x7FFFFFF7, 0x80000000, -1, 1 << 30};

    /** A generated header: type, 0-5 dimensions (often lying), then data of some length. */
    static Fuzz.Mutation header(Random r, byte[] valid) {
        int type = TYPES[r.nextInt(TYPES.length)];
        int nd = r.nextInt(6);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * nd);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) nd);
        StringBuilder sb = new StringBuilder("header type 0x" + Integer.toHexString(type) + " shape (");
        BigInteger count = BigInteger.ONE;
        for (int d = 0; d < nd; d++) {
            int s = r.nextInt(3) == 0 ? SIZES[r.nextInt(SIZES.length)] : r.nextInt(5);
            b.putInt(s);
            count = count.multiply(BigInteger.valueOf(s));
            sb.append(d > 0 ? ", " : "").append(s);
        }
        int item = switch (type) {
            case Idx.SHORT -> 2;
            case Idx.INT, Idx.FLOAT -> 4;
            case Idx.DOUBLE -> 8;
            default -> 1;
        };
        BigInteger exact = count.multiply(BigInteger.valueOf(item));
        int n = switch (r.nextInt(4)) { // the exact length where small, else a random one
            case 0, 1 -> exact.signum() >= 0 && exact.bitLength() < 16 ? exact.intValue() : r.nextInt(100);
            case 2 -> valid.length - 4;
            default -> r.nextInt(100);
        };
        byte[] data = Fuzz.randomBytes(r, Math.max(0, n));
        return new Fuzz.Mutation(sb + ") + " + data.length + " data bytes", Fuzz.concat(b.array(), data));
    }

    static Fuzz.Mutator plain(byte[] valid) {
        return Fuzz.oneOf(Fuzz.bytes(valid, fields(valid)), Fuzz.bytes(valid, fields(valid)), r -> header(r, valid));
    }

    static byte[] gzip(byte[] b) {
        try {
            return IdxTest.gzip(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gzip: the plain file mutated then compressed, or the compressed file mutated. */
    static Fuzz.Mutator gzipped(byte[] valid) {
        byte[] gz = gzip(valid);
        Fuzz.Mutator inner = Fuzz.map(plain(valid), m -> new Fuzz.Mutation("gzip of " + m.description(),
                gzip(m.bytes())));
        return Fuzz.oneOf(inner, Fuzz.bytes(gz, List.of()));
    }

    static void wellFormed(Object o) {
        Idx.IdxArray a = (Idx.IdxArray) o;
        BigInteger n = BigInteger.ONE;
        for (int s : a.shape()) {
            assertTrue(s >= 0, "negative size in " + a);
            n = n.multiply(BigInteger.valueOf(s));
        }
        assertEquals(n, BigInteger.valueOf(a.data().length), "values vs shape of " + a);
    }

    static void wellFormedImages(Object o) {
        Matrix m = (Matrix) o;
        assertEquals((long) m.rows() * m.cols(), m.data().length, "matrix data length");
    }

    /** One property: the valid file's kind, the reader, and plain or gzip. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"Idx.read ubyte, 4201, images, read, false", "Idx.read double, 4202, doubles, read, false",
        "Idx.read short, 4203, shorts, read, false", "Idx.read gzip, 4204, images, read, true",
        "Idx.images, 4205, images, images, false", "Idx.images gzip, 4206, images, images, true",
        "Idx.labels, 4207, labels, labels, false", "Idx.labels gzip, 4208, labels, labels, true"})
    void property(String name, long seed, String kind, String reader, boolean gz) throws IOException {
        byte[] valid = switch (kind) {
            case "images" -> validImages();
            case "doubles" -> validDoubles();
            case "shorts" -> validShorts();
            default -> validLabels();
        };
        Fuzz.Reader r = switch (reader) {
            case "read" -> Idx::read;
            case "images" -> Idx::images;
            default -> Idx::labels;
        };
        Fuzz.Check check = switch (reader) {
            case "read" -> IdxFuzzTest::wellFormed;
            case "images" -> IdxFuzzTest::wellFormedImages;
            default -> o -> { };
        };
        Fuzz.property(name, seed, dir, kind + "-idx" + (gz ? ".gz" : ""), gz ? gzipped(valid) : plain(valid), r, check);
    }

    /**
     * From i12-fuzz (a88bb0e): 0 images of 65536 x 65536 pixels hold no data, so the reader
     * accepted them, and the image size 2^32 wrapped to 0 in an int; a size whose product wraps
     * negative made {@code new Matrix} throw IllegalArgumentException. Now a FileFormatException
     * naming the offset of the dimension where the product passes the int range.
     */
    @Test
    void zeroImagesOfOverflowingSizeAreAFormatError() throws IOException {
        Path f = dir.resolve("zero-images-idx3-ubyte");
        Files.write(f, IdxTest.idx(Idx.UBYTE, new int[] {0, 65536, 65536}));
        FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.images(f));
        assertEquals(f.toString(), e.source());
        assertEquals(12, e.offset(), e.getMessage()); // the third size, bytes 12..15
        Files.write(f, IdxTest.idx(Idx.UBYTE, new int[] {0, 0x7FFFFFFF, 3}));
        assertEquals(8, assertThrows(FileFormatException.class, () -> Idx.images(f)).offset()); // the second size
        // the largest image size that fits is still 0 images of that size
        Files.write(f, IdxTest.idx(Idx.UBYTE, new int[] {0, 1 << 20, 1 << 10}));
        Matrix m = Idx.images(f);
        assertEquals(1 << 30, m.rows());
        assertEquals(0, m.cols());
    }

    @Test
    void theValidFilesReadBack() throws IOException {
        Path f = dir.resolve("v");
        Files.write(f, gzip(validImages()));
        assertEquals(6, Idx.images(f).rows());
        Files.write(f, validLabels());
        assertEquals(255, Idx.labels(f)[3]);
        Files.write(f, validShorts());
        assertEquals(-32768, Idx.read(f).data()[0]);
    }
}
