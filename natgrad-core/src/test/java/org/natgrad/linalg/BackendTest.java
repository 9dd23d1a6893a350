package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Backend configuration: thread count, kind and small-product threshold round-trip. */
class BackendTest {

    @Test
    void threadsAreConfigurable() {
        NativeBlasRequirement.require();
        int saved = Backend.threads();
        try {
            Backend.setThreads(2);
            assertEquals(2, Backend.threads());
            assertTrue(Backend.describe().contains("2 thread"), Backend.describe());
            Backend.setThreads(1);
            assertEquals(1, Backend.threads());
        } finally {
            Backend.setThreads(saved);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backend.setThreads(0));
        assertTrue(e.getMessage().contains("threads") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void smallNativeCallsRunOnOneThreadAndLargeOnesOnTheConfiguredCount() {
        NativeBlasRequirement.require();
        assumeTrue(Backend.kind() == Backend.Kind.NATIVE, "another test left the JAVA backend selected");
        int saved = Backend.threads();
        long savedWork = Backend.parallelMinWork();
        try {
            Backend.setThreads(2);
            Backend.setParallelMinWork(1L << 20);
            Matrix small = Matrix.filled(21, 1000, 0.5);       // syrk: 21·21·1000/2 ≈ 2.2e5 multiply-adds
            Matrix s = MatOps.syrk(1, small, false, 0, null);
            assertEquals(1, NativeBlas.activeThreads(), "small syrk");
            assertEquals(250, s.get(3, 7), 1e-12);
            assertEquals(2, Backend.threads(), "the configured count is unchanged");
            Cholesky.decompose(MatOps.addDiagonalInPlace(Matrix.identity(21), 1)).orElseThrow();
            assertEquals(1, NativeBlas.activeThreads(), "small dpotrf");
            Matrix a = Matrix.filled(200, 200, 0.25);
            Matrix p = MatOps.multiply(a, a);                   // 8e6 multiply-adds
            assertEquals(2, NativeBlas.activeThreads(), "large gemm");
            assertEquals(200 * 0.0625, p.get(5, 9), 1e-12);
            Backend.setParallelMinWork(0);
            MatOps.syrk(1, small, false, 0, null);
            assertEquals(2, NativeBlas.activeThreads(), "threshold 0: every call on the configured count");
        } finally {
            Backend.setParallelMinWork(savedWork);
            Backend.setThreads(saved);
        }
    }

    @Test
    void kindAndThresholdRoundTrip() {
        Backend.Kind kind = Backend.kind();
        long flops = Backend.smallProductFlops();
        try {
            Backend.use(Backend.Kind.JAVA);
            assertEquals(Backend.Kind.JAVA, Backend.kind());
            assertEquals(1, Backend.threads());
            assertEquals("java", Backend.describe());
            assertEquals(JavaBlas.INSTANCE, Backend.blasFor(Long.MAX_VALUE));
            if (Backend.nativeAvailable()) {
                Backend.use(Backend.Kind.NATIVE);
                Backend.setSmallProductFlops(100);
                assertEquals(100, Backend.smallProductFlops());
                assertEquals(JavaBlas.INSTANCE, Backend.blasFor(99));
                assertEquals(NativeBlas.INSTANCE, Backend.blasFor(100));
                Backend.setSmallProductFlops(-5);
                assertEquals(0, Backend.smallProductFlops());
                assertEquals(NativeBlas.INSTANCE, Backend.blasFor(0));
            }
        } finally {
            Backend.use(kind);
            Backend.setSmallProductFlops(flops);
        }
    }
}
