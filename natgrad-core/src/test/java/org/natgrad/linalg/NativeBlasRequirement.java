package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;

/**
 * The suite's one rule for tests that need native OpenBLAS, matching the README's promise: on
 * Linux x86-64 the native kernels ship in the Maven jar, so a test that needs them FAILS there when
 * they did not load; elsewhere natgrad falls back to pure-Java kernels with a warning, so such a test
 * is skipped by an assumption that names the reason (and {@link BackendSmokeTest} checks the fallback).
 */
public final class NativeBlasRequirement {
    private NativeBlasRequirement() {
    }

    /** True on the platform where native OpenBLAS is promised (Linux x86-64). */
    static boolean promised() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** Fails (Linux x86-64) or skips (elsewhere) unless native OpenBLAS is loaded. */
    public static void require() {
        if (promised()) {
            assertTrue(Backend.nativeAvailable(), "native OpenBLAS must load from the Maven jar on Linux x86-64: "
                    + Backend.describe());
        } else {
            assumeTrue(Backend.nativeAvailable(), "native OpenBLAS is not available on " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + " (natgrad uses its pure-Java kernels there): skipping");
        }
    }
}
