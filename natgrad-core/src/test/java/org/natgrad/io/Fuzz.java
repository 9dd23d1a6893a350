package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A small seeded property runner for fuzzing the file readers (used by the {@code *FuzzTest}
 * classes). A property is: start from a valid file, apply one generated {@link Mutation}, give the
 * bytes to the reader, and require that the reader either returns (its result then passes the
 * caller's well-formedness check) or throws an {@link IOException} whose message names the file.
 * Anything else (a RuntimeException, an Error such as OutOfMemoryError, an IOException that does
 * not name the file) fails the property. The failing input is then shrunk (chunks removed, bytes
 * restored to the valid file's) and reported with the seed and the try number.
 *
 * <p>Tries per property: system property {@code natgrad.fuzz.tries} (surefire passes the Maven
 * property of the same name, default 200); a long run is
 * {@code mvn -B test -pl natgrad-core,natgrad-lab -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * -Dnatgrad.fuzz.tries=100000} (the README's "Fuzzing the readers" gives its timings). natgrad-lab's
 * fuzz tests use this class from natgrad-core's test jar.
 * Try k of a property with seed s uses {@code new Random(s * 1_000_003 + k)}, so
 * {@code -Dnatgrad.fuzz.from=k -Dnatgrad.fuzz.tries=1} replays exactly that try.
 */
public final class Fuzz {
    private Fuzz() {
    }

    /** The number of tries per property (default 200). */
    public static int tries() {
        return Integer.getInteger("natgrad.fuzz.tries", 200);
    }

    /** A reader under test: takes the file (already written), returns its result or throws. */
    @FunctionalInterface
    public interface Reader {
        Object read(Path file) throws Exception;
    }

    /** A check of a normally returned result: throws (e.g. AssertionError) if it is not well formed. */
    @FunctionalInterface
    public interface Check {
        void check(Object result) throws Exception;
    }

    /** One generated change to a valid file. */
    public record Mutation(String description, byte[] bytes) {
    }

    /** A named byte range of the valid file, for header-field mutations. */
    public record Field(String name, int offset, int length, Encoding encoding) {
    }

    /** How a header field's value is stored. */
    public enum Encoding { BYTE, INT16_LE, INT32_LE, INT32_BE, TEXT }

    /** A generator of mutations of a file. */
    @FunctionalInterface
    public interface Mutator {
        Mutation mutate(Random r);
    }

    /** Interesting integers for a header field. */
    static final long[] SPECIAL = {0, 1, -1, 2, 7, 8, 255, 256, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFFL,
        0x80000000L, 0xFFFFFFFFL, Integer.MAX_VALUE - 8, 1 << 20, 1 << 30, -2, -256};

    /** The generic byte-level mutations plus header-field replacements, uniformly chosen. */
    public static Mutator bytes(byte[] valid, List<Field> fields) {
        return r -> {
            int kind = r.nextInt(fields.isEmpty() ? 7 : 9);
            return switch (kind) {
                case 0 -> truncate(valid, r);
                case 1 -> flipBits(valid, r);
                case 2 -> setBytes(valid, r);
                case 3 -> append(valid, r);
                case 4 -> insert(valid, r);
                case 5 -> deleteRange(valid, r);
                case 6 -> garbage(valid, r);
                default -> replaceField(valid, fields.get(r.nextInt(fields.size())), r);
            };
        };
    }

    public static Mutation truncate(byte[] valid, Random r) {
        int at = r.nextInt(valid.length);
        return new Mutation("truncate to " + at + " bytes", Arrays.copyOf(valid, at));
    }

    public static Mutation flipBits(byte[] valid, Random r) {
        byte[] b = valid.clone();
        int n = 1 + r.nextInt(8);
        StringBuilder sb = new StringBuilder("flip bits at");
        for (int k = 0; k < n && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            int bit = r.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            sb.append(' ').append(at).append('.').append(bit);
        }
        return new Mutation(sb.toString(), b);
    }

    public static Mutation setBytes(byte[] valid, Random r) {
        byte[] b = valid.clone();
        int n = 1 + r.nextInt(8);
        StringBuilder sb = new StringBuilder("set bytes");
        for (int k = 0; k < n && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            b[at] = (byte) r.nextInt(256);
            sb.append(' ').append(at).append('=').append(b[at] & 0xFF);
        }
        return new Mutation(sb.toString(), b);
    }

    public static Mutation append(byte[] valid, Random r) {
        byte[] extra = randomBytes(r, 1 + r.nextInt(r.nextBoolean() ? 8 : 300));
        return new Mutation("append " + extra.length + " bytes", concat(valid, extra));
    }

    public static Mutation insert(byte[] valid, Random r) {
        int at = r.nextInt(valid.length + 1);
        byte[] extra = randomBytes(r, 1 + r.nextInt(16));
        return new Mutation("insert " + extra.length + " bytes at " + at,
                concat(Arrays.copyOf(valid, at), concat(extra, Arrays.copyOfRange(valid, at, valid.length))));
    }

    public static Mutation deleteRange(byte[] valid, Random r) {
        int at = r.nextInt(valid.length);
        int n = 1 + r.nextInt(Math.min(64, valid.length - at));
        return new Mutation("delete " + n + " bytes at " + at,
                concat(Arrays.copyOf(valid, at), Arrays.copyOfRange(valid, at + n, valid.length)));
    }

    public static Mutation garbage(byte[] valid, Random r) {
        int n = r.nextInt(3) == 0 ? r.nextInt(16) : r.nextInt(2 * valid.length + 1);
        return new Mutation("replace by " + n + " random bytes", randomBytes(r, n));
    }

    /** Overwrites a header field with a huge, zero, negative or random value (same width). */
    public static Mutation replaceField(byte[] valid, Field f, Random r) {
        byte[] b = valid.clone();
        long v = r.nextBoolean() ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextInt();
        ByteBuffer bb = ByteBuffer.wrap(b);
        switch (f.encoding()) {
            case BYTE -> b[f.offset()] = (byte) v;
            case INT16_LE -> bb.order(ByteOrder.LITTLE_ENDIAN).putShort(f.offset(), (short) v);
            case INT32_LE -> bb.order(ByteOrder.LITTLE_ENDIAN).putInt(f.offset(), (int) v);
            case INT32_BE -> bb.order(ByteOrder.BIG_ENDIAN).putInt(f.offset(), (int) v);
            case TEXT -> {
                byte[] t = randomText(r, f.length());
                System.arraycopy(t, 0, b, f.offset(), f.length());
                return new Mutation("field " + f.name() + " := '" + new String(t, StandardCharsets.ISO_8859_1) + "'",
                        b);
            }
            default -> throw new AssertionError();
        }
        return new Mutation("field " + f.name() + " := " + v, b);
    }

    public static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] randomText(Random r, int n) {
        String alphabet = "0123456789-+.,:()[]{}'\" eEfiubLTrueFalsxyz\n\t\u00e9";
        byte[] b = new byte[n];
        for (int k = 0; k < n; k++) {
            b[k] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
        }
        return b;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** One mutator chosen at random (equal weights) from several. */
    public static Mutator oneOf(Mutator... ms) {
        return r -> ms[r.nextInt(ms.length)].mutate(r);
    }

    /**
     * Runs the property: {@link #tries()} mutations of the valid bytes (from {@code mutator}),
     * each written to {@code dir/fileName} and read. Fails with the (shrunk) first
     * counterexample.
     */
    public static void property(String name, long seed, Path dir, String fileName, Mutator mutator, Reader reader,
                                Check check) throws IOException {
        Path file = dir.resolve(fileName);
        int from = Integer.getInteger("natgrad.fuzz.from", 0);
        int n = tries();
        for (int k = from; k < from + n; k++) {
            Random r = new Random(seed * 1_000_003L + k);
            Mutation m = mutator.mutate(r);
            Throwable t = outcome(m.bytes(), file, reader, check);
            if (t != null) {
                byte[] minimal = shrink(m.bytes(), file, reader, check, t.getClass());
                Throwable tm = outcome(minimal, file, reader, check);
                AssertionError e = new AssertionError(name + " (seed " + seed + ", try " + k + " of " + n
                        + "; replay with -Dnatgrad.fuzz.from=" + k + " -Dnatgrad.fuzz.tries=1): " + m.description()
                        + " (" + m.bytes().length + " bytes) gave " + t + "\n  shrunk to " + minimal.length
                        + " bytes: " + hex(minimal) + "\n  which gives " + tm, t);
                fail(e);
            }
        }
    }

    /** Null if the contract holds for these bytes, else what broke it. */
    static Throwable outcome(byte[] bytes, Path file, Reader reader, Check check) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Object result;
        try {
            result = reader.read(file);
        } catch (IOException e) {
            String msg = e.getMessage();
            if (msg != null && msg.contains(file.toString())) {
                return null;
            }
            return new AssertionError("IOException not naming " + file + ": " + e, e);
        } catch (Throwable e) {
            return e;
        }
        try {
            check.check(result);
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /** Greedy shrinking: remove chunks, then restore bytes, while the same kind of failure persists. */
    static byte[] shrink(byte[] b, Path file, Reader reader, Check check, Class<?> kind) {
        int budget = 3000;
        boolean progress = true;
        while (progress && budget > 0) {
            progress = false;
            for (int chunk = Math.max(1, b.length / 2); chunk >= 1 && budget > 0; chunk /= 2) {
                for (int at = 0; at + chunk <= b.length && budget > 0; ) {
                    byte[] c = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + chunk, b.length));
                    budget--;
                    Throwable t = outcome(c, file, reader, check);
                    if (t != null && t.getClass() == kind) {
                        b = c;
                        progress = true;
                    } else {
                        at += chunk;
                    }
                }
            }
        }
        return b;
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(b.length, 400);
        for (int k = 0; k < n; k++) {
            sb.append(String.format("%02x", b[k] & 0xFF));
        }
        if (n < b.length) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** The offsets of a 4-byte little-endian signature (e.g. zip's PK\3\4) in b. */
    public static List<Integer> find(byte[] b, int signature) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k + 4 <= b.length; k++) {
            if (ByteBuffer.wrap(b, k, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() == signature) {
                out.add(k);
            }
        }
        return out;
    }

    /** The header fields of a zip archive (local headers, central directory, end record). */
    public static List<Field> zipFields(byte[] zip) {
        List<Field> f = new ArrayList<>();
        for (int at : find(zip, 0x04034b50)) {
            f.add(new Field("local@" + at + ".magic", at, 4, Encoding.INT32_LE));
            f.add(new Field("local@" + at + ".method", at + 8, 2, Encoding.INT16_LE));
            f.add(new Field("local@" + at + ".crc", at + 14, 4, Encoding.INT32_LE));
            f.add(new Field("local@" + at + ".csize", at + 18, 4, Encoding.INT32_LE));
            f.add(new Field("local@" + at + ".size", at + 22, 4, Encoding.INT32_LE));
            f.add(new Field("local@" + at + ".nameLen", at + 26, 2, Encoding.INT16_LE));
            f.add(new Field("local@" + at + ".extraLen", at + 28, 2, Encoding.INT16_LE));
        }
        for (int at : find(zip, 0x02014b50)) {
            f.add(new Field("central@" + at + ".method", at + 10, 2, Encoding.INT16_LE));
            f.add(new Field("central@" + at + ".crc", at + 16, 4, Encoding.INT32_LE));
            f.add(new Field("central@" + at + ".csize", at + 20, 4, Encoding.INT32_LE));
            f.add(new Field("central@" + at + ".size", at + 24, 4, Encoding.INT32_LE));
            f.add(new Field("central@" + at + ".nameLen", at + 28, 2, Encoding.INT16_LE));
            f.add(new Field("central@" + at + ".extraLen", at + 30, 2, Encoding.INT16_LE));
            f.add(new Field("central@" + at + ".localOffset", at + 42, 4, Encoding.INT32_LE));
        }
        for (int at : find(zip, 0x06054b50)) {
            f.add(new Field("end.entriesHere", at + 8, 2, Encoding.INT16_LE));
            f.add(new Field("end.entries", at + 10, 2, Encoding.INT16_LE));
            f.add(new Field("end.cdSize", at + 12, 4, Encoding.INT32_LE));
            f.add(new Field("end.cdOffset", at + 16, 4, Encoding.INT32_LE));
        }
        return f;
    }

    /** A mutator that maps each generated value through f (e.g. packs a mutated member into a zip). */
    public static Mutator map(Mutator m, Function<Mutation, Mutation> f) {
        return r -> f.apply(m.mutate(r));
    }
}
