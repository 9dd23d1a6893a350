package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.linalg.Matrix;

class NpyTest {
    @TempDir
    Path dir;

    /** A hand-built .npy image: v1 header with the given dict, then raw data bytes. */
    static byte[] npy(String dict, byte[] data) {
        return npyVersion(1, dict, data);
    }

    static byte[] npyVersion(int major, String dict, byte[] data) {
        byte[] d = (dict + "\n").getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int pre = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(pre + d.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Npy.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) d.length);
        } else {
            b.putInt(d.length);
        }
        b.put(d).put(data);
        return b.array();
    }

    static byte[] bytes(ByteOrder o, int itemSize, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * itemSize).order(o);
        for (long v : values) {
            switch (itemSize) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void matrixRoundTripKeepsShapeAndElements() throws IOException {
        Matrix m = Matrix.ofRows(new double[] {1, 2, 3}, new double[] {4, 5, -6.5});
        Path p = dir.resolve("m.npy");
        Npy.write(p, m);
        NpyArray a = Npy.read(p);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        // C order: row 0 then row 1
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, -6.5}, a.data());
        assertEquals(m, a.toMatrix());
        assertEquals(128 + 6 * 8, Files.size(p), "a 128-byte header (10 + 60-char dict, padded to 64) then 6 float64 values");
    }

    @Test
    void headerIsAlignedAndReadableAsText() throws IOException {
        byte[] b = Npy.toBytes(new double[] {1.5, 2.5});
        int hlen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertEquals(0, (10 + hlen) % 64);
        String h = new String(b, 10, hlen, StandardCharsets.US_ASCII);
        assertTrue(h.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"), h);
        assertEquals('\n', h.charAt(h.length() - 1));
        assertEquals(10 + hlen + 16, b.length);
        assertEquals(1.5, ByteBuffer.wrap(b, 10 + hlen, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble());
    }

    @Test
    void vectorRoundTripGivesColumn() throws IOException {
        Path p = dir.resolve("v.npy");
        Npy.write(p, new double[] {3, 1, 4, 1, 5});
        NpyArray a = Npy.read(p);
        assertArrayEquals(new int[] {5}, a.shape());
        Matrix m = a.toMatrix();
        assertEquals(5, m.rows());
        assertEquals(1, m.cols());
        assertEquals(4.0, m.get(2, 0));
    }

    @Test
    void emptyAndScalarShapes() throws IOException {
        NpyArray e = Npy.parse(Npy.toBytes(new Matrix(0, 3)), "e");
        assertArrayEquals(new int[] {0, 3}, e.shape());
        NpyArray s = Npy.parse(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                bytes(ByteOrder.LITTLE_ENDIAN, 8, Double.doubleToLongBits(2.25))), "s");
        assertEquals(0, s.ndim());
        assertArrayEquals(new double[] {2.25}, s.data());
    }

    @Test
    void readsIntegerTypesBothByteOrders() throws IOException {
        long[] v = {-3, 0, 7, -128};
        for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            String bo = o == ByteOrder.LITTLE_ENDIAN ? "<" : ">";
            for (int size : new int[] {2, 4, 8}) {
                NpyArray a = Npy.parse(npy("{'descr': '" + bo + "i" + size + "', 'fortran_order': False, 'shape': (4,), }",
                        bytes(o, size, v)), "i" + size);
                assertArrayEquals(new double[] {-3, 0, 7, -128}, a.data(), bo + "i" + size);
            }
        }
        NpyArray i8 = Npy.parse(npy("{'descr': '|i1', 'fortran_order': False, 'shape': (4,), }",
                bytes(ByteOrder.LITTLE_ENDIAN, 1, v)), "i1");
        assertArrayEquals(new double[] {-3, 0, 7, -128}, i8.data());
        NpyArray u8 = Npy.parse(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }",
                bytes(ByteOrder.LITTLE_ENDIAN, 1, v)), "u1");
        assertArrayEquals(new double[] {253, 0, 7, 128}, u8.data());
    }

    @Test
    void readsFloat32AndBigEndianFloat64() throws IOException {
        ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-1.25f);
        NpyArray a = Npy.parse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f.array()), "f4");
        assertArrayEquals(new double[] {0.5, -1.25}, a.data());
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(Math.PI).putDouble(-1e300);
        NpyArray b = Npy.parse(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", d.array()), "f8");
        assertArrayEquals(new double[] {Math.PI, -1e300}, b.data());
    }

    @Test
    void fortranOrderIsReorderedToC() throws IOException {
        // 2x3 matrix [[1,2,3],[4,5,6]] in Fortran order is 1,4,2,5,3,6
        NpyArray a = Npy.parse(npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }",
                bytes(ByteOrder.LITTLE_ENDIAN, 4, 1, 4, 2, 5, 3, 6)), "f");
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.data());
        // 3-D (2,2,2): element [i,j,k] = 100i+10j+k; Fortran order varies i fastest
        long[] f = new long[8];
        int n = 0;
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < 2; i++) {
                    f[n++] = 100 * i + 10 * j + k;
                }
            }
        }
        NpyArray c = Npy.parse(npy("{'descr': '<i8', 'fortran_order': True, 'shape': (2, 2, 2), }",
                bytes(ByteOrder.LITTLE_ENDIAN, 8, f)), "f3");
        assertArrayEquals(new double[] {0, 1, 10, 11, 100, 101, 110, 111}, c.data());
    }

    @Test
    void readsVersion2And3Headers() throws IOException {
        byte[] data = bytes(ByteOrder.LITTLE_ENDIAN, 8, Double.doubleToLongBits(1.0), Double.doubleToLongBits(2.0));
        for (int v : new int[] {2, 3}) {
            NpyArray a = Npy.parse(npyVersion(v, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", data), "v" + v);
            assertArrayEquals(new int[] {1, 2}, a.shape());
            assertArrayEquals(new double[] {1, 2}, a.data());
        }
    }

    private FileFormatException expectFormatError(byte[] b, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(p, true));
        assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains("byte offset " + e.offset()), "message names the offset: " + e.getMessage());
        return e;
    }

    @Test
    void badMagicNamesFileAndOffset() throws IOException {
        byte[] b = Npy.toBytes(new double[] {1});
        b[3] = 'X';
        FileFormatException e = expectFormatError(b, "magic.npy");
        assertEquals(3, e.offset());
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    }

    @Test
    void truncatedHeaderNamesFileAndOffset() throws IOException {
        byte[] b = Npy.toBytes(new double[] {1, 2});
        FileFormatException e = expectFormatError(Arrays.copyOf(b, 40), "trunc-header.npy");
        assertEquals(40, e.offset());
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
        FileFormatException e2 = expectFormatError(Arrays.copyOf(b, 7), "tiny.npy");
        assertEquals(7, e2.offset());
    }

    @Test
    void truncatedDataNamesFileAndOffset() throws IOException {
        byte[] b = Npy.toBytes(new double[] {1, 2, 3});
        FileFormatException e = expectFormatError(Arrays.copyOf(b, b.length - 5), "trunc-data.npy");
        assertEquals(b.length - 5, e.offset());
        assertTrue(e.getMessage().contains("truncated data") && e.getMessage().contains("needs 24"), e.getMessage());
    }

    @Test
    void unsupportedDtypeIsRefusedWithItsOffset() throws IOException {
        String dict = "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }";
        FileFormatException e = expectFormatError(npy(dict, new byte[16]), "complex.npy");
        assertEquals(10 + dict.indexOf("'<c16'"), e.offset());
        assertTrue(e.getMessage().contains("unsupported dtype '<c16'"), e.getMessage());
        expectFormatError(npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", new byte[8]),
                "struct.npy");
        expectFormatError(npy("{'descr': '<f8', 'shape': (1,), }", new byte[8]), "nofortran.npy");
    }

    @Test
    void nanInDataIsRefusedWithElementAndOffsetWhenAsked() throws IOException {
        Matrix m = Matrix.ofRows(new double[] {1, 2}, new double[] {Double.NaN, 4});
        byte[] b = Npy.toBytes(m);
        int dataStart = b.length - 32;
        FileFormatException e = expectFormatError(b, "nan.npy");
        assertEquals(dataStart + 2 * 8, e.offset());
        assertTrue(e.getMessage().contains("index [1, 0]"), e.getMessage());
        // without the check the value is kept
        assertTrue(Double.isNaN(Npy.parse(b, "nan").toMatrix().get(1, 0)));
    }

    @Test
    void unsupportedVersionIsRefused() throws IOException {
        byte[] b = Npy.toBytes(new double[] {1});
        b[6] = 9;
        FileFormatException e = expectFormatError(b, "v9.npy");
        assertEquals(6, e.offset());
    }

    @Test
    void numpyReadsWhatWeWriteAndWeReadWhatNumpyWrites() throws Exception {
        assumeTrue(PythonCheck.numpyAvailable(), "python3 with numpy not available: skipping the NumPy interop check");
        Matrix m = new Matrix(3, 4);
        for (int k = 0; k < m.size(); k++) {
            m.data()[k] = Math.sin(k + 1) * 1e3 + k; // column-major: element (i,j) = sin(i+3j+1)*1e3 + i+3j
        }
        Npy.write(dir.resolve("m.npy"), m);
        Npy.write(dir.resolve("v.npy"), new double[] {0.1, -2, 1e-300});
        String script = String.join("\n",
                "import numpy as np, math",
                "m = np.load('m.npy')",
                "assert m.shape == (3, 4) and m.dtype == np.float64, (m.shape, m.dtype)",
                "for i in range(3):",
                "    for j in range(4):",
                "        k = i + 3 * j",
                "        assert m[i, j] == math.sin(k + 1) * 1e3 + k, (i, j, m[i, j])",
                "v = np.load('v.npy')",
                "assert v.shape == (3,) and list(v) == [0.1, -2.0, 1e-300], v",
                "a = np.arange(24, dtype='>i2').reshape(2, 3, 4)",
                "np.save('py3d.npy', np.asfortranarray(a))",
                "np.save('pyf4.npy', np.array([[1.5, -2.5]], dtype=np.float32))",
                "np.save('pyu8.npy', np.array([0, 255, 7], dtype=np.uint8))",
                "print('ok')");
        PythonCheck.Result r = PythonCheck.run(dir, script);
        assertEquals(0, r.exit(), r.output());
        NpyArray a = Npy.read(dir.resolve("py3d.npy"));
        assertArrayEquals(new int[] {2, 3, 4}, a.shape());
        for (int k = 0; k < 24; k++) {
            assertEquals(k, a.data()[k]);
        }
        NpyArray f = Npy.read(dir.resolve("pyf4.npy"));
        assertArrayEquals(new int[] {1, 2}, f.shape());
        assertArrayEquals(new double[] {1.5, -2.5}, f.data());
        assertArrayEquals(new double[] {0, 255, 7}, Npy.read(dir.resolve("pyu8.npy")).data());
    }
}
