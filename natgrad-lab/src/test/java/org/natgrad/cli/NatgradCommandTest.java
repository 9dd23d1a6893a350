package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.linalg.Backend;

class NatgradCommandTest {

    @Test
    void helpListsTheCommandsAndExitsZero() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Usage: natgrad"), r.toString());
        assertTrue(r.out().contains("train"), r.toString());
        assertTrue(r.out().contains("--threads") && r.out().contains("--seed"), r.toString());
        CliRun t = CliRun.of("train", "--help");
        assertEquals(0, t.code(), t.toString());
        assertTrue(t.out().contains("--layers") && t.out().contains("sgd, adam"), t.toString());
    }

    @Test
    void versionNamesTheBuildAndTheBackend() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.code(), r.toString());
        // the version comes from the Maven-filtered resource, not a placeholder
        assertTrue(r.out().matches("(?s)natgrad \\d+\\.\\d+\\.\\d+\\S*\n.*"), r.toString());
        assertTrue(r.out().contains("backend: " + Backend.describe().substring(0, 4)), r.toString());
    }

    @Test
    void usageErrorsExitTwoWithAMessage() {
        CliRun r = CliRun.of("train", "--layers", "3,2", "--out", "x", "--bogus");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("Unknown option: '--bogus'"), r.toString());
        assertTrue(r.err().contains("natgrad train --help"), r.toString());

        r = CliRun.of("train", "--layers", "3,2", "--out", "x", "--lr", "-1");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("learning rate must be finite and > 0, got -1.0"), r.toString());

        r = CliRun.of("train", "--layers", "3,two", "--out", "x");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("'two'"), r.toString());

        r = CliRun.of("train", "--layers", "3,2", "--out", "x", "--epochs", "2", "--examples", "5");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("mutually exclusive"), r.toString());

        r = CliRun.of("train", "--layers", "3,2", "--out", "x", "--examples", "0");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--examples must be >= 1, got 0"), r.toString());

        r = CliRun.of("train", "--layers", "3,2", "--out", "x", "--epochs", "-2");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--epochs must be >= 1, got -2"), r.toString());

        r = CliRun.of("train", "--layers", "3,2", "--out", "x", "--optimizer", "lbfgs");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("lbfgs"), r.toString());

        r = CliRun.of("--threads", "0", "train", "--layers", "3,2", "--out", "x");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--threads must be >= 1"), r.toString());

        r = CliRun.of();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("missing command"), r.toString());
    }

    @Test
    void runtimeErrorsExitOneWithOneLine(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.npz");
        CliRun r = CliRun.of("--threads", "1", "train", "--layers", "3,2", "--data", missing.toString(), "--out",
                dir.resolve("run").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("natgrad: error: "), r.toString());
        assertTrue(r.err().contains("nope.npz"), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r);
        assertFalse(r.err().contains("\tat "), r.toString());

        CliRun v = CliRun.of("--threads", "1", "--verbose", "train", "--layers", "3,2", "--data", missing.toString(),
                "--out", dir.resolve("run2").toString());
        assertEquals(1, v.code(), v.toString());
        assertTrue(v.err().contains("\tat "), "--verbose shows the stack trace: " + v);

        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full").resolve("x.txt"), "x");
        CliRun n = CliRun.of("--threads", "1", "train", "--layers", "3,2", "--out", dir.resolve("full").toString());
        assertEquals(2, n.code(), "a non-empty --out is a usage error: " + n);
        assertTrue(n.err().contains("not empty") && n.err().contains("--force"), n.toString());
    }
}
