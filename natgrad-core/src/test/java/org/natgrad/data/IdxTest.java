package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.io.FileFormatException;
import org.natgrad.linalg.Matrix;

class IdxTest {
    @TempDir
    Path dir;

    /** An IDX image built by hand, big-endian. */
    static byte[] idx(int type, int[] shape, double... values) {
        int item = switch (type) {
            case Idx.UBYTE, Idx.BYTE -> 1;
            case Idx.SHORT -> 2;
            case Idx.INT, Idx.FLOAT -> 4;
            default -> 8;
        };
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + item * values.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) shape.length);
        for (int s : shape) {
            b.putInt(s);
        }
        for (double v : values) {
            switch (type) {
                case Idx.UBYTE, Idx.BYTE -> b.put((byte) (int) v);
                case Idx.SHORT -> b.putShort((short) v);
                case Idx.INT -> b.putInt((int) v);
                case Idx.FLOAT -> b.putFloat((float) v);
                default -> b.putDouble(v);
            }
        }
        return b.array();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bos)) {
            g.write(b);
        }
        return bos.toByteArray();
    }

    @Test
    void readsEveryTypeBigEndian() throws IOException {
        double[] v = {-2, 0, 3, 100};
        for (int t : new int[] {Idx.BYTE, Idx.SHORT, Idx.INT, Idx.FLOAT, Idx.DOUBLE}) {
            Idx.IdxArray a = Idx.parse(idx(t, new int[] {2, 2}, v), "t" + t);
            assertEquals(t, a.type());
            assertArrayEquals(new int[] {2, 2}, a.shape());
            assertArrayEquals(v, a.data(), "type " + t);
        }
        assertArrayEquals(new double[] {255, 128, 1},
                Idx.parse(idx(Idx.UBYTE, new int[] {3}, 255, 128, 1), "u").data());
        assertEquals(0.1f, Idx.parse(idx(Idx.FLOAT, new int[] {1}, 0.1), "f").data()[0]);
    }

    @Test
    void imagesAreColumnsScaledToUnitIntervalPlainAndGzipped() throws IOException {
        // two 2x3 images: image m pixel (r, c) = 10*m + 3*r + c, as ubyte
        double[] px = new double[12];
        for (int m = 0; m < 2; m++) {
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    px[m * 6 + r * 3 + c] = 10 * m + 3 * r + c;
                }
            }
        }
        byte[] b = idx(Idx.UBYTE, new int[] {2, 2, 3}, px);
        Path plain = dir.resolve("img-idx3-ubyte");
        Path gz = dir.resolve("img-idx3-ubyte.gz");
        Files.write(plain, b);
        Files.write(gz, gzip(b));
        for (Path p : new Path[] {plain, gz}) {
            Matrix m = Idx.images(p);
            assertEquals(6, m.rows());
            assertEquals(2, m.cols());
            assertEquals((10 * 1 + 3 * 1 + 2) / 255.0, m.get(1 * 3 + 2, 1), 0.0);
            assertEquals(0.0, m.get(0, 0));
        }
        Path labels = dir.resolve("lab.gz");
        Files.write(labels, gzip(idx(Idx.UBYTE, new int[] {4}, 7, 0, 9, 3)));
        assertArrayEquals(new int[] {7, 0, 9, 3}, Idx.labels(labels));
    }

    private FileFormatException fails(byte[] b, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        if (e.offset() >= 0) {
            assertTrue(e.getMessage().contains("byte offset " + e.offset()), e.getMessage());
        }
        return e;
    }

    @Test
    void malformedFilesNameFileAndOffset() throws IOException {
        byte[] good = idx(Idx.UBYTE, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        byte[] magic = good.clone();
        magic[1] = 8;
        assertEquals(1, fails(magic, "magic").offset());
        byte[] type = good.clone();
        type[2] = 0x0A;
        FileFormatException t = fails(type, "type");
        assertEquals(2, t.offset());
        assertTrue(t.getMessage().contains("0x0a"), t.getMessage());
        assertEquals(7, fails(Arrays.copyOf(good, 7), "header").offset());
        FileFormatException d = fails(Arrays.copyOf(good, good.length - 2), "data");
        assertEquals(good.length - 2, d.offset());
        assertTrue(d.getMessage().contains("truncated data") && d.getMessage().contains("needs 6"), d.getMessage());
        FileFormatException tg = fails(Arrays.copyOf(gzip(good), 15), "trunc.gz");
        assertTrue(tg.getMessage().contains("gzip"), tg.getMessage());
        FileFormatException dg = fails(gzip(Arrays.copyOf(good, good.length - 1)), "short.gz");
        assertTrue(dg.getMessage().contains("decompressed") && dg.offset() == good.length - 1, dg.getMessage());
        FileFormatException nan = fails(idx(Idx.DOUBLE, new int[] {3}, 1, Double.NaN, 2), "nan");
        assertEquals(8 + 8, nan.offset());
    }

    @Test
    void labelsMustBeOneDimensionalIntegers() throws IOException {
        Path p = dir.resolve("l2");
        Files.write(p, idx(Idx.UBYTE, new int[] {1, 2}, 1, 2));
        assertThrows(FileFormatException.class, () -> Idx.labels(p));
        Path f = dir.resolve("lf");
        Files.write(f, idx(Idx.FLOAT, new int[] {2}, 1, 2));
        assertThrows(FileFormatException.class, () -> Idx.labels(f));
    }
}
