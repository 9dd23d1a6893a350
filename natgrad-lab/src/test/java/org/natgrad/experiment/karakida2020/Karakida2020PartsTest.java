package org.natgrad.experiment.karakida2020;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;

class Karakida2020PartsTest {

    @Test
    void syntheticStandInIsLabelledAndPreparedLikeMnist() {
        TwoClassData d = TwoClassData.synthetic(20, 10, 4);
        assertTrue(d.synthetic() && d.source().startsWith("SYNTHETIC"), d.source());
        assertEquals(784, d.trainX().rows());
        assertEquals(20, d.trainX().cols());
        assertEquals(10, d.testY().cols());
        for (Matrix x : List.of(d.trainX(), d.testX())) {
            for (int j = 0; j < x.cols(); j++) {
                double n = 0;
                for (int i = 0; i < 784; i++) {
                    n += x.get(i, j) * x.get(i, j);
                }
                assertEquals(1, n, 1e-12, "unit-norm example " + j);
            }
        }
        for (double y : d.trainY().data()) {
            assertTrue(y == 0.5 || y == -0.5);
        }
    }

    /** One eigenmode: (1 − ηλ)^{2t} c²/(2N) ≤ target first at t = ⌈ln(2N target/c²) / (2 ln|1 − ηλ|)⌉. */
    @Test
    void predictedStepsSolvesTheLinearizedDecay() {
        double lam = 2;
        double eta = 0.1;
        double c = 3;
        int n = 5;
        double target = 1e-4;
        double t = Math.ceil(Math.log(2 * n * target / (c * c)) / (2 * Math.log(1 - eta * lam)));
        assertEquals(t, Karakida2020Experiment.predictedSteps(new double[]{lam}, new double[]{c}, eta, n, target));
        assertEquals(0, Karakida2020Experiment.predictedSteps(new double[]{lam}, new double[]{c}, eta, n, 10));
        assertEquals(Double.POSITIVE_INFINITY,
                Karakida2020Experiment.predictedSteps(new double[]{lam}, new double[]{c}, 1.0, n, target));
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Karakida2020Options.quick(1, null).withWidth(0));
        assertEquals(2048, Karakida2020Options.full(1, null).withWidth(2048).width());
        assertEquals(4096, Karakida2020Options.full(1, null).width(), "the official code's default width");
        assertEquals(Karakida2020Options.Coordinates.NTK, Karakida2020Options.full(1, null).coordinates());
        assertEquals(Karakida2020Options.Coordinates.STORED, Karakida2020Options.Coordinates.parse("Stored"));
        assertEquals(Karakida2020Options.Coordinates.STORED,
                Karakida2020Options.quick(1, null).withCoordinates(Karakida2020Options.Coordinates.STORED).coordinates());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Karakida2020Options.Coordinates.parse("omega"));
        assertTrue(e.getMessage().contains("ntk or stored") && e.getMessage().contains("omega"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Karakida2020Options.quick(1, null).withCoordinates(null));
    }
}
