package org.natgrad.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Matrix layout (column-major), constructors, views and copies. */
class MatrixTest {

    @Test
    void storageIsColumnMajor() {
        Matrix m = Matrix.ofRows(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, m.data(), 0);
        assertEquals(m, Matrix.fromRowMajor(2, 3, new double[] {1, 2, 3, 4, 5, 6}));
        assertEquals(6, m.get(1, 2), 0);
        assertArrayEquals(new double[] {2, 5}, m.column(1), 0);
        assertArrayEquals(new double[] {4, 5, 6}, m.row(1), 0);
        assertEquals(Matrix.ofRows(new double[] {1, 4}, new double[] {2, 5}, new double[] {3, 6}), m.transpose());
        assertEquals(Matrix.ofRows(new double[] {2, 3}, new double[] {5, 6}), m.columns(1, 3));
        assertEquals(Matrix.ofRows(new double[] {4, 5, 6}), m.rowsRange(1, 2));
        assertEquals(Matrix.ofRows(new double[] {3, 1}, new double[] {6, 4}), m.selectColumns(new int[] {2, 0}));
        assertEquals(6, m.trace(), 0); // 1 + 5
        assertEquals(m.hashCode(), m.copy().hashCode());
        Matrix c = m.copy();
        c.set(0, 0, 9);
        assertNotEquals(m, c);
        assertEquals(1, m.get(0, 0), 0);
        assertEquals(Matrix.ofRows(new double[] {7, 0}, new double[] {0, 8}), Matrix.diagonal(new double[] {7, 8}));
        assertTrue(m.toString().contains("2x3"));
    }

    @Test
    void badIndicesAndShapesAreNamed() {
        Matrix m = new Matrix(2, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> m.get(2, 0));
        assertTrue(e.getMessage().contains("(2, 0)") && e.getMessage().contains("2x3"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> m.columns(2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> m.selectColumns(new int[] {3}));
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> new Matrix(-1, 2));
        assertTrue(a.getMessage().contains("-1x2"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class,
                () -> Matrix.ofRows(new double[] {1, 2}, new double[] {3}));
        assertTrue(a.getMessage().contains("row 1"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> Matrix.fromRowMajor(2, 2, new double[3]));
        assertTrue(a.getMessage().contains("2x2"), a.getMessage());
        Matrix nan = new Matrix(2, 2);
        nan.set(1, 1, Double.NaN);
        assertEquals(3, nan.firstNonFinite());
        assertEquals(-1, m.firstNonFinite());
    }
}
