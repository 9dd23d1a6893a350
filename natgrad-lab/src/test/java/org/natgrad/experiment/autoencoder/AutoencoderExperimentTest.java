package org.natgrad.experiment.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.experiment.autoencoder.AutoencoderExperiment.Point;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Network;

class AutoencoderExperimentTest {

    @Test
    void fullNetworkIsKfacJaxsAutoencoder() {
        Network net = AutoencoderExperiment.network(AutoencoderOptions.FULL_WIDTHS, 1);
        assertEquals(AutoencoderOptions.FULL_WIDTHS, net.widths());
        // tanh, tanh, tanh, linear code (30), tanh, tanh, tanh, linear logits
        Activation t = Activation.TANH;
        Activation id = Activation.IDENTITY;
        List<Activation> expected = List.of(t, t, t, id, t, t, t, id);
        for (int i = 0; i < 8; i++) {
            assertEquals(expected.get(i), net.denseLayer(i).activation(), "layer " + (i + 1));
        }
        // 784*1000+1000 + 1000*500+500 + 500*250+250 + 250*30+30 + 30*250+250 + 250*500+500 + 500*1000+1000 + 1000*784+784
        assertEquals(2_837_314, net.parameterCount());
        // N(0, 1/n_in): the first layer's empirical variance times 784 is 1 within 1% (784 000 draws)
        double[] w = net.denseLayer(0).weights().data();
        double s = 0;
        for (double v : w) {
            s += v * v;
        }
        assertEquals(1.0, s / w.length * 784, 0.01);
    }

    @Test
    void errorsAtZeroLogitsHaveTheirClosedForms() {
        Network net = AutoencoderExperiment.network(AutoencoderOptions.QUICK_WIDTHS, 2);
        java.util.Arrays.fill(net.denseLayer(net.depth() - 1).weights().data(), 0); // logits 0 (zero biases)
        Matrix x = new Matrix(784, 3);
        double sq = 0;
        for (int k = 0; k < x.data().length; k++) {
            x.data()[k] = (k % 11) / 10.0;
            sq += Math.pow(0.5 - x.data()[k], 2);
        }
        // softplus(0) − x·0 = ln 2 per pixel; σ(0) = 1/2
        assertEquals(784 * Math.log(2), AutoencoderExperiment.crossEntropy(net, x), 1e-9);
        assertEquals(sq / 3, AutoencoderExperiment.squaredError(net, x), 1e-9);
    }

    @Test
    void secondsToTargetIsTheFirstPointAtOrBelowTheTarget() {
        List<Point> pts = List.of(new Point(0, 0, 5, 5, 0, 0), new Point(10, 1.5, 3, 3, 0, 0),
                new Point(20, 2.5, 2, 2, 0, 0), new Point(30, 3.5, 1, 1, 0, 0));
        assertEquals(2.5, AutoencoderExperiment.secondsToTarget(pts, 2.0));
        assertEquals(0.0, AutoencoderExperiment.secondsToTarget(pts, 9.0));
        assertTrue(Double.isNaN(AutoencoderExperiment.secondsToTarget(pts, 0.5)));
        assertTrue(Double.isNaN(AutoencoderExperiment.secondsToTarget(null, 2.0)));
    }

    @Test
    void badSettingsAreRefusedWithTheirNames() {
        assertEquals(List.of(Method.ADAM, Method.KFAC), Method.parseList("adam,kfac"));
        assertThrows(IllegalArgumentException.class, () -> Method.parseList("sgd,sgd"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AutoencoderOptions.quick(List.of(), 1, List.of(Method.SGD), 1, null));
        assertTrue(e.getMessage().contains("data set"), e.getMessage());
    }
}
