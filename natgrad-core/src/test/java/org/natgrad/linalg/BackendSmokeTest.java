package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.random.Rng;

/** Native OpenBLAS where it is promised ({@link NativeBlasRequirement}), and the pure-Java fallback everywhere. */
class BackendSmokeTest {
    @Test
    void nativeLoadsAndAgreesWithLoops() {
        NativeBlasRequirement.require();
        Rng rng = new Rng(1);
        Matrix a = new Matrix(37, 23);
        Matrix b = new Matrix(23, 41);
        rng.fillGaussian(a.data());
        rng.fillGaussian(b.data());
        Matrix c1 = new Matrix(37, 41);
        NativeBlas.INSTANCE.dgemm(false, false, 37, 41, 23, 1, a.data(), 37, b.data(), 23, 0, c1.data(), 37);
        Matrix c2 = new Matrix(37, 41);
        for (int i = 0; i < 37; i++) {
            for (int j = 0; j < 41; j++) {
                double s = 0;
                for (int k = 0; k < 23; k++) {
                    s += a.get(i, k) * b.get(k, j);
                }
                c2.set(i, j, s);
            }
        }
        assertEquals(0, MatOps.relativeError(c1, c2), 1e-13);
        Matrix s = MatOps.syrk(1, a, false, 0, null);
        SymmetricEigen e = SymmetricEigen.decompose(s).orElseThrow();
        assertEquals(0, MatOps.relativeError(e.reconstruct(), s), 1e-12);
    }

    /** The fallback of a machine without native OpenBLAS: MatOps on the JAVA backend agrees with plain loops. */
    @Test
    void javaFallbackAgreesWithLoops() {
        Backend.Kind saved = Backend.kind();
        try {
            Backend.use(Backend.Kind.JAVA);
            Rng rng = new Rng(2);
            Matrix a = new Matrix(19, 7);
            Matrix b = new Matrix(7, 11);
            rng.fillGaussian(a.data());
            rng.fillGaussian(b.data());
            Matrix c = MatOps.multiply(a, b);
            for (int i = 0; i < 19; i++) {
                for (int j = 0; j < 11; j++) {
                    double s = 0;
                    for (int k = 0; k < 7; k++) {
                        s += a.get(i, k) * b.get(k, j);
                    }
                    assertEquals(s, c.get(i, j), 1e-13 * (1 + Math.abs(s)), "(" + i + "," + j + ")");
                }
            }
        } finally {
            Backend.use(saved);
        }
    }
}
