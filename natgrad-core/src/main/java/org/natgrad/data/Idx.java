package org.natgrad.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.natgrad.io.FileFormatException;
import org.natgrad.linalg.Matrix;

/**
 * Reader for the IDX format of the MNIST and Fashion-MNIST files: two zero bytes, a type code
 * (0x08 ubyte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number
 * of dimensions, that many big-endian int32 sizes, then the values big-endian in C order. A file
 * starting with the gzip magic (1f 8b) is decompressed first; byte offsets in errors then refer
 * to the decompressed data, as the message says.
 */
public final class Idx {
    /** Type code of unsigned bytes (MNIST pixels and labels). */
    public static final int UBYTE = 0x08;
    public static final int BYTE = 0x09;
    public static final int SHORT = 0x0B;
    public static final int INT = 0x0C;
    public static final int FLOAT = 0x0D;
    public static final int DOUBLE = 0x0E;

    private Idx() {
    }

    /**
     * An IDX array: its type code, shape (dimension sizes, first slowest) and values as float64
     * in C order.
     */
    public record IdxArray(int type, int[] shape, double[] data) {
        /** Number of values. */
        public int size() {
            return data.length;
        }

        @Override
        public String toString() {
            return "IdxArray[type=0x" + Integer.toHexString(type) + ", shape=" + Arrays.toString(shape) + "]";
        }
    }

    /**
     * Reads an IDX file, plain or gzip-compressed. A gzip stream is inflated to at most
     * {@code Npy.maxArrayBytes() / 8} bytes (every element takes at least one byte and becomes
     * one float64), so a decompression bomb is refused with the limit instead of filling the heap.
     *
     * @throws java.nio.file.NoSuchFileException "no such file: PATH" if it does not exist
     */
    public static IdxArray read(Path path) throws IOException {
        org.natgrad.io.Npy.requireFile(path);
        byte[] raw = Files.readAllBytes(path);
        String src = path.toString();
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0x1F && (raw[1] & 0xFF) == 0x8B) {
            byte[] plain;
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
                long limit = Math.min(org.natgrad.io.Npy.maxArrayBytes() / 8, Integer.MAX_VALUE - 8L);
                plain = in.readNBytes((int) limit);
                if (in.read() >= 0) {
                    throw new FileFormatException(src, -1, "the gzip stream inflates to more than " + limit
                            + " bytes, the limit (an eighth of the system property natgrad.maxArrayBytes, by "
                            + "default of a quarter of the JVM's maximum heap)");
                }
            } catch (EOFException e) {
                throw new FileFormatException(src, raw.length, "truncated gzip stream");
            } catch (ZipException e) {
                throw new FileFormatException(src, -1, "corrupt gzip stream: " + e.getMessage());
            }
            return parse(plain, src + " (gzip; offsets in the decompressed data)");
        }
        return parse(raw, src);
    }

    /** Parses the bytes of an (uncompressed) IDX file; {@code source} names it in errors. */
    public static IdxArray parse(byte[] b, String source) throws FileFormatException {
        if (b.length < 4) {
            throw new FileFormatException(source, b.length, "truncated header: an IDX file needs at least 4 bytes of"
                    + " magic, it has " + b.length);
        }
        if (b[0] != 0 || b[1] != 0) {
            throw new FileFormatException(source, b[0] != 0 ? 0 : 1, String.format(
                    "not an IDX file: the magic must start with two zero bytes, found %02x %02x", b[0] & 0xFF, b[1] & 0xFF));
        }
        int type = b[2] & 0xFF;
        int itemSize = switch (type) {
            case UBYTE, BYTE -> 1;
            case SHORT -> 2;
            case INT, FLOAT -> 4;
            case DOUBLE -> 8;
            default -> throw new FileFormatException(source, 2, String.format("unknown IDX type code 0x%02x"
                    + " (known: 08 ubyte, 09 byte, 0B short, 0C int, 0D float, 0E double)", type));
        };
        int nd = b[3] & 0xFF;
        if (nd == 0) {
            throw new FileFormatException(source, 3, "IDX file with 0 dimensions");
        }
        int dataStart = 4 + 4 * nd;
        if (b.length < dataStart) {
            throw new FileFormatException(source, b.length, "truncated header: " + nd + " dimensions need "
                    + dataStart + " header bytes, the file has " + b.length);
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        int[] shape = new int[nd];
        long count = 1;
        for (int d = 0; d < nd; d++) {
            int s = bb.getInt(4 + 4 * d);
            if (s < 0) {
                throw new FileFormatException(source, 4 + 4 * d, "negative dimension size " + s);
            }
            shape[d] = s;
            count *= s;
            if (count > Integer.MAX_VALUE - 8) {
                throw new FileFormatException(source, 4 + 4 * d, "shape " + Arrays.toString(Arrays.copyOf(shape, d + 1))
                        + " is too large for one array");
            }
        }
        long need = count * itemSize;
        long have = b.length - (long) dataStart;
        if (have < need) {
            throw new FileFormatException(source, b.length, "truncated data: shape " + Arrays.toString(shape)
                    + " needs " + need + " data bytes from offset " + dataStart + ", only " + have + " present");
        }
        if (have > need) {
            throw new FileFormatException(source, dataStart + need, (have - need)
                    + " unexpected bytes after the data of shape " + Arrays.toString(shape));
        }
        int n = (int) count;
        double[] out = new double[n];
        switch (type) {
            case UBYTE -> { for (int k = 0; k < n; k++) out[k] = b[dataStart + k] & 0xFF; }
            case BYTE -> { for (int k = 0; k < n; k++) out[k] = b[dataStart + k]; }
            case SHORT -> { for (int k = 0; k < n; k++) out[k] = bb.getShort(dataStart + 2 * k); }
            case INT -> { for (int k = 0; k < n; k++) out[k] = bb.getInt(dataStart + 4 * k); }
            case FLOAT -> { for (int k = 0; k < n; k++) out[k] = bb.getFloat(dataStart + 4 * k); }
            default -> { for (int k = 0; k < n; k++) out[k] = bb.getDouble(dataStart + 8 * k); }
        }
        if (type == FLOAT || type == DOUBLE) {
            for (int k = 0; k < n; k++) {
                if (!Double.isFinite(out[k])) {
                    throw new FileFormatException(source, dataStart + (long) k * itemSize,
                            "non-finite value " + out[k] + " at element " + k);
                }
            }
        }
        return new IdxArray(type, shape, out);
    }

    /**
     * Images (N x rows x cols, or N x features) as a (rows·cols) x N matrix, one image per column,
     * pixels in row-major order within the image. Unsigned-byte pixels are divided by 255, so
     * they lie in [0, 1]; other types are kept as they are.
     */
    public static Matrix images(Path path) throws IOException {
        IdxArray a = read(path);
        if (a.shape().length < 2) {
            throw new FileFormatException(path.toString(), 3, "expected images with at least 2 dimensions (N, ...),"
                    + " found shape " + Arrays.toString(a.shape()));
        }
        int n = a.shape()[0];
        int per = n == 0 ? 0 : a.size() / n;
        if (n == 0) { // no data to bound the image size: the product of the other sizes may overflow
            long p = 1;
            for (int d = 1; d < a.shape().length; d++) {
                p *= a.shape()[d];
                if (p > Integer.MAX_VALUE - 8) {
                    throw new FileFormatException(path.toString(), 4 + 4L * d, "0 images of shape "
                            + Arrays.toString(Arrays.copyOfRange(a.shape(), 1, a.shape().length))
                            + ": the image size is too large for one matrix");
                }
            }
            per = (int) p;
        }
        double[] d = a.data();
        if (a.type() == UBYTE) {
            for (int k = 0; k < d.length; k++) {
                d[k] /= 255.0;
            }
        }
        // C order (N, per) is exactly column-major per x N: image m occupies d[m*per .. (m+1)*per).
        return new Matrix(per, n, d);
    }

    /** Labels from a 1-D integer IDX file. */
    public static int[] labels(Path path) throws IOException {
        IdxArray a = read(path);
        if (a.shape().length != 1) {
            throw new FileFormatException(path.toString(), 3, "expected a 1-D label file, found shape "
                    + Arrays.toString(a.shape()));
        }
        if (a.type() == FLOAT || a.type() == DOUBLE) {
            throw new FileFormatException(path.toString(), 2, "labels must be an integer type, found type code 0x"
                    + Integer.toHexString(a.type()));
        }
        int[] out = new int[a.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = (int) a.data()[k];
        }
        return out;
    }
}
