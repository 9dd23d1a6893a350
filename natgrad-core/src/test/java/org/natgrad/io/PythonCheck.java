package org.natgrad.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helper: runs python3 with NumPy if it is available. */
public final class PythonCheck {
    private static Boolean available;

    private PythonCheck() {
    }

    /** True if {@code python3 -c "import numpy"} succeeds. */
    public static synchronized boolean numpyAvailable() {
        if (available == null) {
            try {
                available = run(Path.of("."), "import numpy").exit == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    /** Result of a python run. */
    public record Result(int exit, String output) {
    }

    /** Runs a python3 script in dir; returns exit status and combined output. */
    public static Result run(Path dir, String script) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of("python3", "-c", script)).directory(dir.toFile())
                .redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timeout");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
