package org.natgrad.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zip (.npz) building and member-level mutations for the fuzz tests. */
public final class ZipFuzz {
    private ZipFuzz() {
    }

    /** A zip of the members (name -> bytes), stored or deflated, as numpy.savez(_compressed) writes. */
    public static byte[] zip(Map<String, byte[]> members, boolean compress) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream zos = new ZipOutputStream(bos)) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                byte[] b = e.getValue();
                if (compress) {
                    ze.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(b);
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(b.length);
                    ze.setCompressedSize(b.length);
                    ze.setCrc(crc.getValue());
                }
                ze.setTime(0L);
                zos.putNextEntry(ze);
                zos.write(b);
                zos.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Members as .npy bytes from arrays, keys "k" becoming "k.npy". */
    public static Map<String, byte[]> members(Map<String, NpyArray> arrays) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        arrays.forEach((k, v) -> m.put(k + ".npy", Npy.toBytes(v)));
        return m;
    }

    /**
     * Member-level mutations of a valid archive: one member's .npy bytes mutated (as NpyFuzzTest
     * does), a member renamed, dropped, or added, the whole re-zipped stored or deflated.
     */
    public static Fuzz.Mutator members(Map<String, byte[]> valid, String[] names) {
        List<String> keys = new ArrayList<>(valid.keySet());
        return r -> {
            Map<String, byte[]> m = new LinkedHashMap<>(valid);
            String key = keys.get(r.nextInt(keys.size()));
            String what;
            switch (r.nextInt(5)) {
                case 0, 1 -> {
                    byte[] v = m.get(key);
                    int dataLen = v.length - 10 - ((v[8] & 0xFF) | (v[9] & 0xFF) << 8);
                    Fuzz.Mutation mu = r.nextBoolean() ? Fuzz.bytes(v, NpyFuzzTest.fields(v)).mutate(r)
                            : NpyFuzzTest.header(r, java.util.Arrays.copyOfRange(v, v.length - dataLen, v.length),
                            false);
                    m.put(key, mu.bytes());
                    what = key + ": " + mu.description();
                }
                case 2 -> {
                    String to = names[r.nextInt(names.length)];
                    Map<String, byte[]> m2 = new LinkedHashMap<>();
                    m.forEach((k, v) -> m2.put(k.equals(key) ? to : k, v));
                    m = m2;
                    what = "rename " + key + " -> " + to;
                }
                case 3 -> {
                    m.remove(key);
                    what = "drop " + key;
                }
                default -> {
                    String to = names[r.nextInt(names.length)];
                    m.put(to, NpyFuzzTest.header(r, new byte[0], false).bytes());
                    what = "add " + to;
                }
            }
            boolean compress = r.nextBoolean();
            return new Fuzz.Mutation(what + (compress ? " (deflated)" : " (stored)"), zip(m, compress));
        };
    }

    /** Byte-level mutations of the archive, including its zip header fields. */
    public static Fuzz.Mutator archiveBytes(byte[] zip) {
        return Fuzz.bytes(zip, Fuzz.zipFields(zip));
    }

}
