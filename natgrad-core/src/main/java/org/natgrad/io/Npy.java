package org.natgrad.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.natgrad.linalg.Matrix;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0).
 *
 * <p>Writing always produces float64 little-endian ({@code '<f8'}) C-order arrays, version 1.0
 * (2.0 only if the header would not fit), with the header padded so that the data starts at a
 * multiple of 64 bytes, as NumPy itself does. A {@link Matrix} (r x c) is written as a 2-D
 * array of shape (r, c) with the same (i, j) elements; a {@code double[]} as a 1-D array.
 * Files are written atomically through {@link AtomicFiles}.
 *
 * <p>Reading accepts the dtypes float64, float32, int8/16/32/64, uint8/16/32/64 and bool, in
 * little, big or native byte order, C or Fortran order, and converts to float64 in C order
 * ({@link NpyArray}). int64/uint64 values beyond 2^53 lose precision in the conversion. Any
 * departure from the format raises a {@link FileFormatException} naming the source and the
 * byte offset.
 *
 * <p><b>Bounded reads.</b> The header is read and checked before the data: an array whose
 * float64 form would need more than {@link #maxArrayBytes()} bytes is refused with the declared
 * shape, the byte count and the limit, before anything is allocated; a file or stream shorter than
 * its header declares is "truncated", one longer has "unexpected bytes after the data". Streams
 * (members of an {@code .npz}) are never read beyond the declared size plus one byte.
 */
public final class Npy {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;

    private Npy() {
    }

    // ------------------------------------------------------------------ writing

    /** Writes m (r x c) as a 2-D float64 C-order array of shape (r, c), atomically. */
    public static void write(Path path, Matrix m) throws IOException {
        AtomicFiles.write(path, out -> writeTo(out, m));
    }

    /** Writes v as a 1-D float64 array of shape (v.length,), atomically. */
    public static void write(Path path, double[] v) throws IOException {
        AtomicFiles.write(path, out -> writeTo(out, new int[] {v.length}, v));
    }

    /** Writes an array as float64 C order, atomically. */
    public static void write(Path path, NpyArray a) throws IOException {
        AtomicFiles.write(path, out -> writeTo(out, a.shape(), a.data()));
    }

    /** The bytes of a .npy file holding m (r x c) as a 2-D float64 array. */
    public static byte[] toBytes(Matrix m) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(m.size() * 8 + ALIGN);
        try {
            writeTo(bos, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen for a byte array
        }
        return bos.toByteArray();
    }

    /** The bytes of a .npy file holding v as a 1-D float64 array. */
    public static byte[] toBytes(double[] v) {
        return toBytes(new NpyArray(new int[] {v.length}, v));
    }

    /** The bytes of a .npy file holding the array as float64 C order. */
    public static byte[] toBytes(NpyArray a) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(a.size() * 8 + ALIGN);
        try {
            writeTo(bos, a.shape(), a.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Streams a .npy image of m (shape (rows, cols), C order) to out. */
    public static void writeTo(OutputStream out, Matrix m) throws IOException {
        out.write(header(new int[] {m.rows(), m.cols()}));
        int r = m.rows();
        int c = m.cols();
        double[] d = m.data();
        ByteBuffer buf = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putDouble(d[i + j * r]);
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** Streams a .npy image of a C-order float64 array to out. */
    public static void writeTo(OutputStream out, int[] shape, double[] cOrderData) throws IOException {
        new NpyArray(shape, cOrderData); // validates the shape against the length
        out.write(header(shape));
        ByteBuffer buf = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < cOrderData.length; k += 4096) {
            int n = Math.min(4096, cOrderData.length - k);
            buf.clear();
            buf.asDoubleBuffer().put(cOrderData, k, n);
            out.write(buf.array(), 0, n * 8);
        }
    }

    /** The header (magic, version, length, padded dict) for a float64 C-order array. */
    static byte[] header(int[] shape) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + NpyArray.shapeString(shape) + ", }";
        int prefix = 10;
        int total = prefix + dict.length() + 1;
        int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
        int major = 1;
        if (padded - prefix > 0xFFFF) {
            major = 2;
            prefix = 12;
            total = prefix + dict.length() + 1;
            padded = (total + ALIGN - 1) / ALIGN * ALIGN;
        }
        int hlen = padded - prefix;
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) hlen);
        } else {
            b.putInt(hlen);
        }
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (b.position() < padded - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    // ------------------------------------------------------------------ reading

    /** Java's largest array of doubles, in bytes. */
    private static final long JAVA_ARRAY_BYTES = 8L * (Integer.MAX_VALUE - 8);

    /**
     * The most bytes one array may take once converted to float64: the system property
     * {@code natgrad.maxArrayBytes} if set, else a quarter of the JVM's maximum heap; never more
     * than Java's largest {@code double[]}.
     */
    public static long maxArrayBytes() {
        long limit = Long.getLong("natgrad.maxArrayBytes", Runtime.getRuntime().maxMemory() / 4);
        return Math.min(Math.max(limit, 0), JAVA_ARRAY_BYTES);
    }

    /** Reads a .npy file (see the class comment for what is accepted). Non-finite values are kept. */
    public static NpyArray read(Path path) throws IOException {
        return read(path, false);
    }

    /**
     * Reads a .npy file and, if {@code requireFinite}, refuses NaN or infinite values with a
     * {@link FileFormatException} naming the element's index and byte offset.
     *
     * @throws java.nio.file.NoSuchFileException "no such file: PATH" if it does not exist
     */
    public static NpyArray read(Path path, boolean requireFinite) throws IOException {
        requireFile(path);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            return read(in, path.toString(), requireFinite, maxArrayBytes());
        }
    }

    /**
     * Refuses a missing path with {@link NoSuchFileException} "no such file: PATH" (and a folder
     * with a {@link FileFormatException}).
     */
    public static void requireFile(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new FileFormatException(path.toString(), -1, "is a folder, not a file");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file: " + path);
        }
    }

    /**
     * Reads one .npy array from a stream: the header first, then exactly the data it declares,
     * after checking that the float64 form fits in {@code maxBytes}; then the stream must end.
     *
     * @param sourceName named in error messages
     */
    public static NpyArray read(InputStream in, String sourceName, boolean requireFinite, long maxBytes)
            throws IOException {
        byte[] head = readHead(in, sourceName);
        Header h = parseHeader(head, sourceName);
        long need = (long) h.count * h.itemSize;
        checkSize(h, sourceName, maxBytes);
        if (h.dataStart + need > Integer.MAX_VALUE - 8L) {
            throw new FileFormatException(sourceName, h.dataStart, "array of shape " + NpyArray.shapeString(h.shape)
                    + " " + h.descr + " has " + need + " data bytes; arrays over 2 GiB are not supported");
        }
        byte[] all = java.util.Arrays.copyOf(head, (int) (h.dataStart + need));
        int n = in.readNBytes(all, head.length, all.length - head.length);
        if (head.length + n < all.length) {
            throw new FileFormatException(sourceName, head.length + n, "truncated data: shape "
                    + NpyArray.shapeString(h.shape) + " of " + h.descr + " needs " + need + " data bytes from offset "
                    + h.dataStart + ", only " + n + " present");
        }
        if (in.read() >= 0) {
            throw new FileFormatException(sourceName, all.length, "unexpected bytes after the data of shape "
                    + NpyArray.shapeString(h.shape) + " " + h.descr);
        }
        return parse(all, sourceName, requireFinite);
    }

    /**
     * The shape (rows first, as NumPy writes it) that the .npy header at the start of {@code in}
     * declares, reading only the magic, version and header: no array data is read or allocated.
     *
     * @param sourceName named in error messages
     * @throws FileFormatException for a bad magic, version or header, naming {@code sourceName}
     */
    public static int[] readShape(InputStream in, String sourceName) throws IOException {
        return parseHeader(readHead(in, sourceName), sourceName).shape.clone();
    }

    /**
     * The magic, version, header length and header of the stream; shorter when the stream ends
     * first or the magic or version is bad (then {@link #parseHeader} says why).
     */
    private static byte[] readHead(InputStream in, String sourceName) throws IOException {
        byte[] lead = in.readNBytes(10);
        int major = lead.length >= 7 ? lead[6] & 0xFF : -1;
        if (lead.length == 10 && (major == 2 || major == 3)) {
            byte[] two = in.readNBytes(2);
            lead = java.util.Arrays.copyOf(lead, 10 + two.length);
            System.arraycopy(two, 0, lead, 10, two.length);
        }
        long hlen;
        if (lead.length == 10 && major == 1) {
            hlen = (lead[8] & 0xFF) | (lead[9] & 0xFF) << 8;
        } else if (lead.length == 12 && (major == 2 || major == 3)) {
            hlen = (lead[8] & 0xFFL) | (lead[9] & 0xFFL) << 8 | (lead[10] & 0xFFL) << 16 | (lead[11] & 0xFFL) << 24;
        } else {
            return lead;
        }
        if (hlen > 1 << 20) {
            throw new FileFormatException(sourceName, 8, "header length " + hlen + " bytes is not plausible "
                    + "(NumPy headers are under 1 MiB)");
        }
        byte[] rest = in.readNBytes((int) hlen);
        byte[] head = java.util.Arrays.copyOf(lead, lead.length + rest.length);
        System.arraycopy(rest, 0, head, lead.length, rest.length);
        return head;
    }

    private static void checkSize(Header h, String sourceName, long maxBytes) throws FileFormatException {
        long asDoubles = 8L * h.count * (h.fortran ? 2 : 1); // a Fortran-order array is reordered into a copy
        if (asDoubles > maxBytes) {
            throw new FileFormatException(sourceName, h.dataStart, "array of shape " + NpyArray.shapeString(h.shape)
                    + " " + h.descr + " declares " + h.count + " elements = " + asDoubles + " bytes as float64, more "
                    + "than the limit of " + maxBytes + " bytes (a quarter of the JVM's maximum heap, or the system "
                    + "property natgrad.maxArrayBytes)");
        }
    }

    /** Parses the bytes of a .npy file; {@code sourceName} is used in error messages. */
    public static NpyArray parse(byte[] bytes, String sourceName) throws FileFormatException {
        return parse(bytes, sourceName, false);
    }

    /** As {@link #parse(byte[], String)}, optionally refusing non-finite values. */
    public static NpyArray parse(byte[] bytes, String sourceName, boolean requireFinite) throws FileFormatException {
        Header h = parseHeader(bytes, sourceName);
        long need = (long) h.count * h.itemSize;
        checkSize(h, sourceName, maxArrayBytes());
        long have = bytes.length - (long) h.dataStart;
        if (have < need) {
            throw new FileFormatException(sourceName, bytes.length, "truncated data: shape "
                    + NpyArray.shapeString(h.shape) + " of " + h.descr + " needs " + need + " data bytes from offset "
                    + h.dataStart + ", only " + have + " present");
        }
        if (have > need) {
            throw new FileFormatException(sourceName, h.dataStart + need, (have - need)
                    + " unexpected bytes after the data of shape " + NpyArray.shapeString(h.shape) + " " + h.descr);
        }
        double[] raw = decode(bytes, h);
        if (requireFinite) {
            for (int k = 0; k < raw.length; k++) {
                if (!Double.isFinite(raw[k])) {
                    throw new FileFormatException(sourceName, h.dataStart + (long) k * h.itemSize,
                            "non-finite value " + raw[k] + " at element " + k + " (index "
                                    + indexString(h.shape, k, h.fortran) + ")");
                }
            }
        }
        double[] data = h.fortran ? fortranToC(raw, h.shape) : raw;
        return new NpyArray(h.shape, data);
    }

    private static String indexString(int[] shape, int k, boolean fortran) {
        int[] idx = new int[shape.length];
        if (fortran) {
            for (int d = 0; d < shape.length; d++) {
                idx[d] = k % shape[d];
                k /= shape[d];
            }
        } else {
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = k % shape[d];
                k /= shape[d];
            }
        }
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < idx.length; d++) {
            sb.append(d == 0 ? "" : ", ").append(idx[d]);
        }
        return sb.append(']').toString();
    }

    /** What a header says. */
    record Header(String descr, ByteOrder order, char kind, int itemSize, boolean fortran, int[] shape, int count,
                  int dataStart) {
    }

    static Header parseHeader(byte[] b, String src) throws FileFormatException {
        if (b.length < 10) {
            throw new FileFormatException(src, b.length, "truncated header: the file has " + b.length
                    + " bytes, a .npy file needs at least 10 for magic, version and header length");
        }
        for (int k = 0; k < MAGIC.length; k++) {
            if (b[k] != MAGIC[k]) {
                throw new FileFormatException(src, k, "not a .npy file: bad magic (expected \\x93NUMPY, found "
                        + printable(b, 0, 6) + ")");
            }
        }
        int major = b[6] & 0xFF;
        int minor = b[7] & 0xFF;
        int hlen;
        int start;
        if (major == 1) {
            hlen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new FileFormatException(src, b.length, "truncated header: version " + major + "." + minor
                        + " needs 12 bytes before the header, the file has " + b.length);
            }
            long l = (b[8] & 0xFFL) | (b[9] & 0xFFL) << 8 | (b[10] & 0xFFL) << 16 | (b[11] & 0xFFL) << 24;
            if (l > Integer.MAX_VALUE - 64) {
                throw new FileFormatException(src, 8, "header length " + l + " is not plausible");
            }
            hlen = (int) l;
            start = 12;
        } else {
            throw new FileFormatException(src, 6, "unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        if ((long) start + hlen > b.length) {
            throw new FileFormatException(src, b.length, "truncated header: header length says " + hlen
                    + " bytes from offset " + start + ", only " + (b.length - start) + " present");
        }
        String text = new String(b, start, hlen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        HeaderParser p = new HeaderParser(text, src, start);
        return p.parse(start + hlen);
    }

    private static String printable(byte[] b, int from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < from + n && k < b.length; k++) {
            int c = b[k] & 0xFF;
            if (c >= 32 && c < 127) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    /** A tiny parser for the Python dict literal of a .npy header. */
    private static final class HeaderParser {
        private final String s;
        private final String src;
        private final int base;
        private int pos;

        HeaderParser(String s, String src, int base) {
            this.s = s;
            this.src = src;
            this.base = base;
        }

        private FileFormatException error(String what) {
            return new FileFormatException(src, base + pos, "bad .npy header: " + what + " in " + s.strip());
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(char c) {
            skipSpace();
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void expect(char c) throws FileFormatException {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private String string() throws FileFormatException {
            skipSpace();
            if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
                throw error("expected a string");
            }
            char q = s.charAt(pos++);
            int end = s.indexOf(q, pos);
            if (end < 0) {
                throw error("unterminated string");
            }
            String v = s.substring(pos, end);
            pos = end + 1;
            return v;
        }

        Header parse(int dataStart) throws FileFormatException {
            String descr = null;
            int descrPos = -1;
            Boolean fortran = null;
            int[] shape = null;
            expect('{');
            while (!peek('}')) {
                String key = string();
                expect(':');
                skipSpace();
                switch (key) {
                    case "descr" -> {
                        descrPos = pos;
                        if (peek('[')) {
                            throw error("structured dtypes are not supported (descr is a list)");
                        }
                        descr = string();
                    }
                    case "fortran_order" -> {
                        if (s.startsWith("True", pos)) {
                            fortran = true;
                            pos += 4;
                        } else if (s.startsWith("False", pos)) {
                            fortran = false;
                            pos += 5;
                        } else {
                            throw error("fortran_order must be True or False");
                        }
                    }
                    case "shape" -> shape = tuple();
                    default -> throw error("unknown key '" + key + "'");
                }
                if (peek(',')) {
                    pos++;
                } else if (!peek('}')) {
                    throw error("expected ',' or '}'");
                }
            }
            if (descr == null || fortran == null || shape == null) {
                throw error("missing key " + (descr == null ? "'descr'" : fortran == null ? "'fortran_order'" : "'shape'"));
            }
            pos = descrPos;
            ByteOrder order;
            char bo = descr.isEmpty() ? '?' : descr.charAt(0);
            String t = descr;
            if (bo == '<' || bo == '>' || bo == '|' || bo == '=') {
                t = descr.substring(1);
            }
            order = bo == '>' ? ByteOrder.BIG_ENDIAN : bo == '=' ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
            char kind = t.isEmpty() ? '?' : t.charAt(0);
            int size;
            try {
                size = Integer.parseInt(t.substring(1));
            } catch (RuntimeException e) {
                throw error("unsupported dtype '" + descr + "'");
            }
            boolean ok = switch (kind) {
                case 'f' -> size == 4 || size == 8;
                case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
                case 'b' -> size == 1;
                default -> false;
            };
            if (!ok) {
                throw error("unsupported dtype '" + descr
                        + "' (supported: float64, float32, int8/16/32/64, uint8/16/32/64, bool)");
            }
            long count = 1;
            boolean overflow = false;
            for (int d : shape) {
                if (d != 0 && count > Long.MAX_VALUE / 16 / d) {
                    overflow = true;
                }
                count = overflow ? count : count * d;
            }
            if (overflow || count * size > Integer.MAX_VALUE - 8L || count > Integer.MAX_VALUE - 8L) {
                throw error("shape " + NpyArray.shapeString(shape) + " declares "
                        + (overflow ? "more than 2^59" : Long.toString(count)) + " elements of " + size + " bytes, "
                        + "too large for one array (at most " + (Integer.MAX_VALUE - 8L) + " bytes)");
            }
            return new Header(descr, order, kind, size, fortran, shape, (int) count, dataStart);
        }

        private int[] tuple() throws FileFormatException {
            expect('(');
            java.util.List<Integer> dims = new java.util.ArrayList<>();
            while (!peek(')')) {
                skipSpace();
                int st = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (st == pos) {
                    throw error("expected a non-negative integer in the shape");
                }
                // allow Python 2 long suffix
                if (pos < s.length() && (s.charAt(pos) == 'L')) {
                    pos++;
                }
                try {
                    dims.add(Integer.parseInt(s.substring(st, pos).replace("L", "")));
                } catch (NumberFormatException e) {
                    pos = st;
                    throw error("dimension too large");
                }
                if (peek(',')) {
                    pos++;
                } else if (!peek(')')) {
                    throw error("expected ',' or ')' in the shape");
                }
            }
            pos++;
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static double[] decode(byte[] bytes, Header h) {
        int n = h.count;
        double[] out = new double[n];
        ByteBuffer bb = ByteBuffer.wrap(bytes, h.dataStart, n * h.itemSize).slice().order(h.order);
        switch (h.kind) {
            case 'f' -> {
                if (h.itemSize == 8) {
                    bb.asDoubleBuffer().get(out);
                } else {
                    for (int k = 0; k < n; k++) {
                        out[k] = bb.getFloat(4 * k);
                    }
                }
            }
            case 'i' -> {
                switch (h.itemSize) {
                    case 1 -> { for (int k = 0; k < n; k++) out[k] = bb.get(k); }
                    case 2 -> { for (int k = 0; k < n; k++) out[k] = bb.getShort(2 * k); }
                    case 4 -> { for (int k = 0; k < n; k++) out[k] = bb.getInt(4 * k); }
                    default -> { for (int k = 0; k < n; k++) out[k] = bb.getLong(8 * k); }
                }
            }
            case 'u' -> {
                switch (h.itemSize) {
                    case 1 -> { for (int k = 0; k < n; k++) out[k] = bb.get(k) & 0xFF; }
                    case 2 -> { for (int k = 0; k < n; k++) out[k] = bb.getShort(2 * k) & 0xFFFF; }
                    case 4 -> { for (int k = 0; k < n; k++) out[k] = bb.getInt(4 * k) & 0xFFFFFFFFL; }
                    default -> {
                        for (int k = 0; k < n; k++) {
                            long v = bb.getLong(8 * k);
                            out[k] = v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
                        }
                    }
                }
            }
            default -> { for (int k = 0; k < n; k++) out[k] = bb.get(k) != 0 ? 1 : 0; }
        }
        return out;
    }

    /** Reorders Fortran-order (first index fastest) data into C order (last index fastest). */
    static double[] fortranToC(double[] f, int[] shape) {
        int nd = shape.length;
        if (nd <= 1 || f.length == 0) {
            return f;
        }
        double[] c = new double[f.length];
        if (nd == 2) {
            int r = shape[0];
            int cols = shape[1];
            for (int j = 0; j < cols; j++) {
                for (int i = 0; i < r; i++) {
                    c[i * cols + j] = f[i + j * r];
                }
            }
            return c;
        }
        int[] fStride = new int[nd];
        int st = 1;
        for (int d = 0; d < nd; d++) {
            fStride[d] = st;
            st *= shape[d];
        }
        int[] idx = new int[nd];
        for (int k = 0; k < c.length; k++) {
            int off = 0;
            for (int d = 0; d < nd; d++) {
                off += idx[d] * fStride[d];
            }
            c[k] = f[off];
            for (int d = nd - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return c;
    }
}
