package org.natgrad.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.natgrad.linalg.Backend;

/**
 * Where and how a run was made, written next to its results as {@code provenance.json} so a
 * figure can be traced to the code and machine that made it.
 *
 * @param natgradVersion the project version from the build ("unknown" outside a Maven build)
 * @param seed           the run's master seed
 * @param gitRevision    {@code git rev-parse HEAD} of the source tree, or "unknown"
 * @param gitDirty       true if tracked files differ from HEAD ({@code git diff --quiet HEAD}); null if unknown
 * @param jdkVersion     {@code java.version}
 * @param jdkVendor      {@code java.vendor}
 * @param os             {@code os.name os.version (os.arch)}
 * @param cores          available processors
 * @param backend        {@link Backend#describe()}
 * @param blasThreads    {@link Backend#threads()}
 * @param startTime      ISO-8601 UTC instant, millisecond precision
 * @param commandLine    the command line (program name first), or empty
 */
public record Provenance(String natgradVersion, long seed, String gitRevision, Boolean gitDirty, String jdkVersion,
                         String jdkVendor, String os, int cores, String backend, int blasThreads, String startTime,
                         List<String> commandLine) {

    public Provenance {
        commandLine = List.copyOf(commandLine);
    }

    /** Captures the current environment now. Never fails: what cannot be found is "unknown". */
    public static Provenance capture(long seed, List<String> commandLine) {
        Git git = Git.find();
        return new Provenance(version(), seed, git.revision(), git.dirty(), System.getProperty("java.version"),
                System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")",
                Runtime.getRuntime().availableProcessors(), Backend.describe(), Backend.threads(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), commandLine);
    }

    /** The natgrad version from the Maven-filtered resource, or "unknown". */
    public static String version() {
        try (InputStream in = Provenance.class.getResourceAsStream("/org/natgrad/natgrad-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.contains("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The git state of the source tree: revision ("unknown" if none) and dirty flag (null if unknown). */
    public record Git(String revision, Boolean dirty) {
        static final Git UNKNOWN = new Git("unknown", null);

        /**
         * Looks for the git work tree holding this code (the folder of its jar or classes, then
         * its parents), else the current directory. Never throws.
         */
        public static Git find() {
            List<Path> starts = new ArrayList<>();
            try {
                Path code = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                starts.add(Files.isDirectory(code) ? code : code.getParent());
            } catch (URISyntaxException | RuntimeException e) {
                // no code source: fall through to the working directory
            }
            starts.add(Path.of("").toAbsolutePath());
            for (Path s : starts) {
                if (s == null) {
                    continue;
                }
                Result rev = git(s, "rev-parse", "HEAD");
                if (rev != null && rev.exit() == 0 && rev.out().matches("[0-9a-f]{40}")) {
                    // exit 0: no changes to tracked files against HEAD (staged or not), 1: changes
                    Result diff = git(s, "diff", "--quiet", "HEAD", "--");
                    Boolean dirty = diff == null || diff.exit() > 1 ? null : diff.exit() == 1;
                    return new Git(rev.out(), dirty);
                }
            }
            return UNKNOWN;
        }

        /**
         * Runs {@code git -C dir args...}; returns its exit code and trimmed output, or null on any
         * failure or after 10 s. Output beyond the pipe buffer is not expected (one line).
         */
        private static Result git(Path dir, String... args) {
            List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
            cmd.addAll(List.of(args));
            Process p = null;
            try {
                p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                p.getOutputStream().close();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    return null;
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                return new Result(p.exitValue(), out);
            } catch (IOException | RuntimeException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } finally {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        }

        private record Result(int exit, String out) {
        }
    }
}
