package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.random.Rng;

/** ParamVector arithmetic against the same operations on flat arrays. */
class ParamVectorTest {

    private static ParamVector random(Rng rng) {
        return new ParamVector(new Matrix[] {Naive.gaussian(3, 2, rng), Naive.gaussian(1, 3, rng)},
                new Matrix[] {Naive.gaussian(3, 1, rng), null});
    }

    @Test
    void arithmeticMatchesFlatVectors() {
        Rng rng = new Rng(101);
        ParamVector a = random(rng);
        ParamVector b = random(rng);
        assertEquals(6 + 3 + 3, a.size());
        assertEquals(9, a.offset(1));
        assertEquals(9, a.layerSize(0));
        double[] fa = a.toFlat();
        double[] fb = b.toFlat();
        double dot = 0;
        double[] axpy = new double[fa.length];
        for (int k = 0; k < fa.length; k++) {
            dot += fa[k] * fb[k];
            axpy[k] = fa[k] - 0.5 * fb[k];
        }
        assertEquals(dot, a.dot(b), 1e-14);
        assertEquals(Math.sqrt(a.dot(a)), a.norm(), 1e-15);
        assertArrayEquals(axpy, a.copy().axpy(-0.5, b).toFlat(), 1e-15);
        double[] scaled = a.copy().scale(3).toFlat();
        for (int k = 0; k < fa.length; k++) {
            assertEquals(3 * fa[k], scaled[k], 0);
        }
        assertArrayEquals(fb, a.copy().setTo(b).toFlat(), 0);
        assertArrayEquals(fb, a.withFlat(fb).toFlat(), 0);
        assertArrayEquals(fa, a.toFlat(), 0, "a is unchanged by the operations on its copies");
        ParamVector z = ParamVector.zerosLike(a);
        assertEquals(0, z.norm(), 0);
        assertEquals(null, z.bias(1));
        assertTrue(a.isFinite());
        a.weights(1).set(0, 2, Double.NaN);
        assertFalse(a.isFinite());
    }

    @Test
    void incompatibleShapesAreNamed() {
        Rng rng = new Rng(102);
        ParamVector a = random(rng);
        ParamVector noBias = new ParamVector(new Matrix[] {Naive.gaussian(3, 2, rng), Naive.gaussian(1, 3, rng)},
                new Matrix[] {null, null});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.axpy(1, noBias));
        assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("without bias"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.setFromFlat(new double[5]));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("12"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ParamVector(new Matrix[1], new Matrix[2]));
    }
}
