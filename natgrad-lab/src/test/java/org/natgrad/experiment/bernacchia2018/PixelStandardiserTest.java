package org.natgrad.experiment.bernacchia2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

class PixelStandardiserTest {

    @Test
    void trainingPixelsEndCentredPerPixelWithUnitGlobalVariance() {
        Rng rng = new Rng(2);
        int p = 6;
        int n = 50;
        Matrix x = new Matrix(p, n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < p; i++) {
                x.set(i, j, 3 * i + (i + 1) * rng.nextGaussian()); // per-pixel offsets and scales differ
            }
        }
        Matrix z = PixelStandardiser.fit(x).apply(x);
        double ss = 0;
        for (int i = 0; i < p; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += z.get(i, j);
                ss += z.get(i, j) * z.get(i, j);
            }
            assertEquals(0, s / n, 1e-12, "pixel " + i + " not centred");
        }
        assertEquals(1.0, ss / (p * n), 1e-12);
        // the scale is global: per-pixel spreads keep their ratios (pixel 5 ~ 6x pixel 0)
        double v0 = 0;
        double v5 = 0;
        for (int j = 0; j < n; j++) {
            v0 += z.get(0, j) * z.get(0, j);
            v5 += z.get(5, j) * z.get(5, j);
        }
        assertTrue(v5 > 10 * v0, "global, not per-pixel, scaling expected");
    }

    @Test
    void testImagesUseTheTrainingStatistics() {
        Matrix train = Matrix.ofRows(new double[] {0, 2}, new double[] {1, 1});
        // means (1, 1); centred (-1, 1; 0, 0): global sd = sqrt(2 / 4)
        PixelStandardiser s = PixelStandardiser.fit(train);
        Matrix test = Matrix.ofRows(new double[] {3}, new double[] {1});
        Matrix z = s.apply(test);
        assertEquals(2 / Math.sqrt(0.5), z.get(0, 0), 1e-12);
        assertEquals(0, z.get(1, 0), 1e-12);
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> PixelStandardiser.fit(Matrix.filled(3, 4, 7.0)));
        Matrix nan = new Matrix(2, 2);
        nan.set(1, 1, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PixelStandardiser.fit(nan));
        assertTrue(e.getMessage().contains("pixel 1 in image 1"), e.getMessage());
        PixelStandardiser s = PixelStandardiser.fit(Matrix.ofRows(new double[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> s.apply(new Matrix(2, 1)));
    }
}
