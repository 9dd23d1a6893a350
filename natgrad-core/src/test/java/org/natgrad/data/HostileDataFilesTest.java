package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.io.FileFormatException;

/** Missing files say "no such file", and a gzip IDX bomb is refused with its limit (issue 12, items 1 and 8). */
class HostileDataFilesTest {
    @TempDir
    Path dir;

    @Test
    void everyReaderSaysNoSuchFileForAMissingFile() {
        Path none = dir.resolve("missing.bin");
        for (org.junit.jupiter.api.function.Executable read : new org.junit.jupiter.api.function.Executable[] {
                () -> Idx.read(none), () -> DatasetFiles.read(none), () -> DatasetFiles.readCsv(none, 1, false)}) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, read);
            assertTrue(e.getMessage().contains("no such file: " + none), e.getMessage());
        }
    }

    @Test
    void aGzipIdxBombIsRefusedWithTheLimit() throws IOException {
        Path bomb = dir.resolve("bomb-idx1-ubyte.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            out.write(new byte[] {0, 0, 0x08, 1, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // 2^31-1 ubytes
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 16; i++) {
                out.write(zeros);
            }
        }
        String old = System.getProperty("natgrad.maxArrayBytes");
        System.setProperty("natgrad.maxArrayBytes", Long.toString(8L << 20)); // 1 MiB of inflated bytes
        try {
            FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.read(bomb));
            assertTrue(e.getMessage().contains(bomb.toString()) && e.getMessage().contains("inflates to more than 1048576"),
                    e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("natgrad.maxArrayBytes");
            } else {
                System.setProperty("natgrad.maxArrayBytes", old);
            }
        }
    }
}
