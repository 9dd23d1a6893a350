package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.linalg.Matrix;

/**
 * Fuzzing {@link Npy#read}: valid .npy files (written by {@link Npy}, or with other dtypes built
 * here) with one mutation each. Contract: the read returns an array whose data length is the
 * product of its shape, or throws an IOException naming the file. A mutation that touches only the
 * data region (or a header change that is still a valid header) may well give a different,
 * well-formed array: that is accepted.
 */
class NpyFuzzTest {
    @TempDir
    Path dir;

    /** A .npy image with the given header dict (padded to 64 bytes) and data bytes. */
    static byte[] npy(int major, String dict, byte[] data) {
        int prefix = major == 1 ? 10 : 12;
        byte[] d = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int total = prefix + d.length + 1;
        int padded = (total + 63) / 64 * 64;
        int hlen = padded - prefix;
        ByteBuffer b = ByteBuffer.allocate(padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Npy.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) hlen);
        } else {
            b.putInt(hlen);
        }
        b.put(d);
        while (b.position() < padded - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n').put(data);
        return b.array();
    }

    static byte[] validF8() {
        return Npy.toBytes(new Matrix(3, 2, new double[] {1, -2, 3.5, 0, 1e300, -0.0}));
    }

    /** int16 big-endian, Fortran order, shape (2, 3, 2). */
    static byte[] validI2() {
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        for (int k = 0; k < 12; k++) {
            data.putShort((short) (k * 1000 - 5000));
        }
        return npy(1, "{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3, 2), }", data.array());
    }

    static List<Fuzz.Field> fields(byte[] v) {
        List<Fuzz.Field> f = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            f.add(new Fuzz.Field("magic[" + k + "]", k, 1, Fuzz.Encoding.BYTE));
        }
        f.add(new Fuzz.Field("major", 6, 1, Fuzz.Encoding.BYTE));
        f.add(new Fuzz.Field("minor", 7, 1, Fuzz.Encoding.BYTE));
        f.add(new Fuzz.Field("headerLength", 8, 2, Fuzz.Encoding.INT16_LE));
        String text = new String(v, StandardCharsets.ISO_8859_1);
        int s = text.indexOf("'shape': (") + 9;
        f.add(new Fuzz.Field("shape", s, text.indexOf(')', s) + 1 - s, Fuzz.Encoding.TEXT));
        int d = text.indexOf("'descr': '") + 10;
        f.add(new Fuzz.Field("descr", d, 3, Fuzz.Encoding.TEXT));
        int o = text.indexOf("'fortran_order': ") + 17;
        f.add(new Fuzz.Field("fortran_order", o, 5, Fuzz.Encoding.TEXT));
        f.add(new Fuzz.Field("dict", 10, text.indexOf('}') - 9, Fuzz.Encoding.TEXT));
        return f;
    }

    static final String[] DESCRS = {"<f8", ">f8", "=f8", "|f8", "<f4", ">i2", "<i8", "|u1", "|b1", "<u8", "<f16",
        "<c16", "<U5", "|O", "", "<", "f", "<f", "<f-8", "<f+8", "<f08", "<f99999999999", "<i0", "<V8", "S3"};
    static final String[] DIMS = {"0", "1", "2", "3", "6", "12", "-1", "2147483647", "2147483648", "4294967296",
        "99999999999999999999", "65536", "46341", "1L", "0x10", "", " ", "None", "3.0"};

    static final String[] BIG_DIMS = {"65536", "2147483647", "46341", "256", "4096", "1048576"};

    /** A header with a generated dict (descr, fortran_order, shape) over the data of valid, resized. */
    static Fuzz.Mutation header(Random r, byte[] validData, boolean repeatedDims) {
        String descr = DESCRS[r.nextInt(DESCRS.length)];
        String fortran = r.nextInt(8) == 0 ? "1" : r.nextBoolean() ? "True" : "False";
        // repeatedDims: every dimension the same large value: (65536, 65536, 65536, 65536) has 2^64 elements
        int nd = repeatedDims ? 2 + r.nextInt(6) : r.nextInt(6);
        String same = repeatedDims ? BIG_DIMS[r.nextInt(BIG_DIMS.length)] : null;
        StringBuilder shape = new StringBuilder("(");
        for (int k = 0; k < nd; k++) {
            shape.append(k > 0 ? ", " : "").append(same != null ? same : r.nextInt(3) == 0
                    ? DIMS[r.nextInt(DIMS.length)] : Integer.toString(r.nextInt(5)));
        }
        shape.append(nd == 1 ? ",)" : ")");
        String dict = switch (r.nextInt(6)) {
            case 0 -> "{'shape': " + shape + ", 'descr': '" + descr + "', 'fortran_order': " + fortran + "}";
            case 1 -> "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape
                    + ", 'extra': 1, }";
            case 2 -> "{'descr': '" + descr + "', 'shape': " + shape + "}";
            default -> "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
        };
        int major = 1 + r.nextInt(r.nextInt(10) == 0 ? 5 : 3);
        // data: the valid data, a random amount of it, or random bytes of a random size
        byte[] data = switch (r.nextInt(5)) {
            case 0 -> validData;
            case 1 -> Arrays.copyOf(validData, r.nextInt(2 * validData.length + 1));
            case 2 -> new byte[0];
            case 3 -> Fuzz.randomBytes(r, sizeFor(descr, shape.toString(), r));
            default -> Fuzz.randomBytes(r, r.nextInt(200));
        };
        return new Fuzz.Mutation("header " + major + ".0 " + dict + " + " + data.length + " data bytes",
                npy(major, dict, data));
    }

    /** Bytes that the shape and dtype need, if that is computable and small; else a random size. */
    static int sizeFor(String descr, String shape, Random r) {
        try {
            int item = Integer.parseInt(descr.replaceAll("^[<>|=]?[a-zA-Z]", ""));
            java.math.BigInteger n = java.math.BigInteger.valueOf(item);
            for (String d : shape.replaceAll("[(),]", " ").trim().split(" +")) {
                if (!d.isEmpty()) {
                    n = n.multiply(new java.math.BigInteger(d.replace("L", "")));
                }
            }
            if (n.signum() >= 0 && n.compareTo(java.math.BigInteger.valueOf(1 << 16)) <= 0) {
                return n.intValue();
            }
        } catch (RuntimeException e) {
            // not computable: fall through
        }
        return r.nextInt(200);
    }

    static Object check(Object o) {
        NpyArray a = (NpyArray) o;
        assertEquals(product(a.shape()), java.math.BigInteger.valueOf(a.data().length), "data length vs shape " + a.shapeString());
        return a;
    }

    /** The number of elements of a shape, exactly (BigInteger: no wrap-around). */
    static java.math.BigInteger product(int[] shape) {
        java.math.BigInteger n = java.math.BigInteger.ONE;
        for (int d : shape) {
            n = n.multiply(java.math.BigInteger.valueOf(d));
        }
        return n;
    }

    private void run(String name, long seed, byte[] valid, boolean requireFinite) throws IOException {
        run(name, seed, valid, requireFinite, false);
    }

    private void run(String name, long seed, byte[] valid, boolean requireFinite, boolean repeatedDims)
            throws IOException {
        int dataStart = valid.length - dataLength(valid);
        byte[] data = Arrays.copyOfRange(valid, dataStart, valid.length);
        Fuzz.Mutator m = repeatedDims ? r -> header(r, data, true)
                : Fuzz.oneOf(Fuzz.bytes(valid, fields(valid)), Fuzz.bytes(valid, fields(valid)),
                r -> header(r, data, false));
        Fuzz.property(name, seed, dir, "fuzz.npy", m, f -> Npy.read(f, requireFinite), NpyFuzzTest::check);
    }

    private static int dataLength(byte[] valid) {
        int hlen = (valid[8] & 0xFF) | (valid[9] & 0xFF) << 8;
        return valid.length - 10 - hlen;
    }

    @Test
    void float64FromTheWriter() throws IOException {
        run("Npy f8", 1201, validF8(), false);
    }

    @Test
    void float64RequireFinite() throws IOException {
        run("Npy f8 finite", 1202, validF8(), true);
    }

    @Test
    void int16BigEndianFortran() throws IOException {
        run("Npy >i2 fortran", 1203, validI2(), false);
    }

    /*
     * Every dimension the same large value: (65536, 65536, 65536, 65536) has 2^64 elements, a
     * shape whose element count wraps to 0 in a long; Npy refuses it as too large (the overflow check of eedf829).
     */
    @Test
    void repeatedHugeDimensions() throws IOException {
        run("Npy f8 repeated dims", 1204, validF8(), false, true);
    }

    @Test
    void shapeOfTwoTo64ElementsIsRefused() {
        byte[] b = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }",
                new byte[0]);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.parse(b, "x.npy"));
        assertTrue(e.getMessage().contains("x.npy"), e.getMessage());
    }

    @Test
    void validFilesReadBack() throws IOException {
        // the starting points themselves are valid
        Path f = dir.resolve("v.npy");
        java.nio.file.Files.write(f, validI2());
        NpyArray a = Npy.read(f);
        assertEquals("(2, 3, 2)", a.shapeString());
        java.nio.file.Files.write(f, validF8());
        assertEquals("(3, 2)", Npy.read(f).shapeString());
    }
}
