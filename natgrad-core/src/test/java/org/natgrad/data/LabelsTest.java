package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;

class LabelsTest {
    @Test
    void oneHotAndArgmaxAreInverse() {
        int[] y = {2, 0, 1, 2};
        Matrix h = Labels.oneHot(y, 3);
        assertEquals(Matrix.ofRows(new double[] {0, 1, 0, 0}, new double[] {0, 0, 1, 0}, new double[] {1, 0, 0, 1}), h);
        assertArrayEquals(y, Labels.argmax(h));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Labels.oneHot(new int[] {0, 3}, 3));
        assertTrue(e.getMessage().contains("label 3 of example 1"), e.getMessage());
    }
}
