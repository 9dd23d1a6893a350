package org.natgrad.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;

class VarianceLogTest {
    @Test
    void columnsFollowTheLayersAndScaleAsOneOverRootN() {
        Network net = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 2);
        Matrix x = Matrix.ofRows(new double[] {0.1, -0.5}, new double[] {1, 0.3}, new double[] {-0.2, 0.8});
        ExponentialFamily fam = new ExponentialFamily.CategoricalFamily();
        Map<String, Double> a = VarianceLog.columns(net, fam, x, 10);
        Map<String, Double> b = VarianceLog.columns(net, fam, x, 40);
        assertEquals(List.of("fisher_fro_1", "relerr_i1_1", "relerr_i2_1", "fisher_fro_2", "relerr_i1_2", "relerr_i2_2"),
                List.copyOf(a.keySet()));
        assertEquals(a.get("relerr_i1_1") / 2, b.get("relerr_i1_1"), 1e-12);
        assertEquals(a.get("relerr_i2_2") / 2, b.get("relerr_i2_2"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> VarianceLog.columns(net, fam, x, 0));
    }
}
