package org.natgrad.experiment.bernacchia2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;

class DigitDataTest {

    @Test
    void poolingAveragesSquareBlocksOfTheRowMajorImage() {
        Matrix img = new Matrix(784, 2);
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                img.set(r * 28 + c, 0, r);          // image 0: value = row index
                img.set(r * 28 + c, 1, 100 * c);    // image 1: value = 100 x column index
            }
        }
        Matrix p = DigitData.pool(img, 2);
        assertEquals(196, p.rows());
        for (int r = 0; r < 14; r++) {
            for (int c = 0; c < 14; c++) {
                assertEquals(2 * r + 0.5, p.get(r * 14 + c, 0), 1e-12);
                assertEquals(100 * (2 * c + 0.5), p.get(r * 14 + c, 1), 1e-9);
            }
        }
        Matrix q = DigitData.pool(img, 4);
        assertEquals(49, q.rows());
        assertEquals(4 * 3 + 1.5, q.get(3 * 7 + 5, 0), 1e-12);
        assertEquals(img, DigitData.pool(img, 1));
    }

    @Test
    void poolingRejectsOtherShapes() {
        assertThrows(IllegalArgumentException.class, () -> DigitData.pool(new Matrix(100, 1), 2));
        assertThrows(IllegalArgumentException.class, () -> DigitData.pool(new Matrix(784, 1), 3));
    }
}
