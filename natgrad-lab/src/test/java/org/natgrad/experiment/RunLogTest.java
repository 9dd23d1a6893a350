package org.natgrad.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogTest {

    @Test
    void rowsAreVisibleWhileRunningAndTheFinalFileIsComplete(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("log.csv");
        try (RunLog log = new RunLog(f, List.of("step", "loss", "note"))) {
            assertEquals(List.of("step,loss,note"), Files.readAllLines(f), "header written on open");
            log.row(0, 1.25, null);
            log.row(10L, Double.NaN, "a, \"quoted\" note");
            // flushed: another reader sees both rows before close
            assertEquals(3, Files.readAllLines(f).size());
            log.row(Map.of("step", 20, "loss", Double.POSITIVE_INFINITY, "note", "x"));
            assertEquals(3, log.rows());
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(List.of("step,loss,note", "0,1.25,", "10,NaN,\"a, \"\"quoted\"\" note\"", "20,Infinity,x"), lines);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary files left");
        }
    }

    @Test
    void doublesRoundTrip(@TempDir Path dir) throws Exception {
        double v = 0.1 + 0.2;
        Path f = dir.resolve("log.csv");
        try (RunLog log = new RunLog(f, List.of("v"))) {
            log.row(v);
        }
        assertEquals(v, Double.parseDouble(Files.readAllLines(f).get(1)), 0.0);
    }

    @Test
    void badRowsAndColumnsAreNamed(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RunLog(dir.resolve("a.csv"), List.of("x", "x")));
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());
        RunLog log = new RunLog(dir.resolve("b.csv"), List.of("x", "y"));
        e = assertThrows(IllegalArgumentException.class, () -> log.row(1));
        assertTrue(e.getMessage().contains("1 values") && e.getMessage().contains("2 columns"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> log.row(Map.of("x", 1, "z", 2)));
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
        log.close();
        log.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> log.row(1, 2));
    }
}
