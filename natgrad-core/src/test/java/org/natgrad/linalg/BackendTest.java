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
        assumeTrue(Backend.nativeAvailable());
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
