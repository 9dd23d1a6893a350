package org.natgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that cannot fit in the heap is refused before allocating, with the estimate and the heap (item 6). */
class MemoryLimitTest {

    @Test
    void anImpossibleNetworkIsRefusedAtOnceWithTheNumbers(@TempDir Path dir) {
        // 10^6 x 10^6 weights are 7.3 TiB: more than any JVM here may use
        Path out = dir.resolve("run");
        Cli r = Cli.run("--threads", "1", "train", "--layers", "1000000,1000000", "--out", out.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("needs about") && r.err().contains("GiB") && r.err().contains("may use at most"),
                r.toString());
        assertFalse(r.err().contains("OutOfMemoryError"), r.toString());
        assertFalse(Files.exists(out), "no folder left behind");
    }
}
