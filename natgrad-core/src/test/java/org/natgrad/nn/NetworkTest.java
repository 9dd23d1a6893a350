package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.random.Rng;

/** Forward pass values and shapes, the trace, parameter layout, and input validation messages. */
class NetworkTest {

    private static Network randomNet(boolean bias, Rng rng) {
        Network net = Network.dense(List.of(3, 5, 2), Activation.TANH, Activation.SIGMOID, bias, Init.gaussian(), rng);
        for (Dense d : net.denseLayers()) {
            if (d.hasBias()) {
                rng.fillGaussian(d.bias().data());
            }
        }
        return net;
    }

    @Test
    void forwardMatchesLayerByLayerLoops() {
        Rng rng = new Rng(51);
        for (boolean bias : new boolean[] {true, false}) {
            Network net = randomNet(bias, rng);
            assertEquals(List.of(3, 5, 2), net.widths());
            assertEquals(2, net.depth());
            assertEquals(bias ? 5 * 3 + 5 + 2 * 5 + 2 : 5 * 3 + 2 * 5, net.parameterCount());
            Matrix x = Naive.gaussian(3, 4, rng);
            Trace t = net.forward(x);
            assertEquals(2, t.layers());
            assertEquals(4, t.batchSize());
            Matrix cur = x;
            for (int i = 0; i < 2; i++) {
                Dense d = net.denseLayer(i);
                Matrix a = Naive.multiply(d.weights(), cur);
                if (bias) {
                    for (int r = 0; r < a.rows(); r++) {
                        for (int c = 0; c < a.cols(); c++) {
                            a.add(r, c, d.bias().get(r, 0));
                        }
                    }
                }
                assertSame(i == 0 ? x : t.layerOutput(i - 1), t.input(i));
                assertEquals(d.outputs(), t.preActivation(i).rows());
                assertEquals(4, t.preActivation(i).cols());
                Naive.assertClose(a, t.preActivation(i), 1e-15, "pre-activation " + i);
                Matrix y = a.copy().mapInPlace(d.activation()::value);
                Naive.assertClose(y, t.layerOutput(i), 1e-15, "output " + i);
                cur = y;
            }
            assertSame(t.layerOutput(1), t.output());
            Naive.assertClose(cur, net.predict(x), 1e-15, "predict");
        }
    }

    @Test
    void inputWithBiasAppendsARowOfOnes() {
        Rng rng = new Rng(52);
        Network net = randomNet(true, rng);
        Matrix x = Naive.gaussian(3, 4, rng);
        Trace t = net.forward(x);
        Matrix xb = t.inputWithBias(0);
        assertEquals(4, xb.rows());
        assertEquals(4, xb.cols());
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 3; r++) {
                assertEquals(x.get(r, c), xb.get(r, c), 0);
            }
            assertEquals(1.0, xb.get(3, c), 0);
        }
        assertSame(xb, t.inputWithBias(0), "cached");
        Matrix h = t.inputWithBias(1);
        assertEquals(6, h.rows());
        Naive.assertClose(t.layerOutput(0), h.rowsRange(0, 5), 0, "hidden part");
        // W̄ x̄ = W x + b
        Dense d = net.denseLayer(0);
        Matrix wbar = new Matrix(5, 4);
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 3; c++) {
                wbar.set(r, c, d.weights().get(r, c));
            }
            wbar.set(r, 3, d.bias().get(r, 0));
        }
        Naive.assertClose(t.preActivation(0), Naive.multiply(wbar, xb), 1e-15, "augmented product");
        Trace noBias = randomNet(false, rng).forward(x);
        assertSame(noBias.input(0), noBias.inputWithBias(0), "a layer without bias has no extra row");
    }

    @Test
    void parameterFlatOrderIsVecWThenBiasPerLayer() {
        Network net = randomNet(true, new Rng(53));
        ParamVector p = net.parameters();
        double[] flat = p.toFlat();
        assertEquals(net.parameterCount(), flat.length);
        Dense l0 = net.denseLayer(0);
        Dense l1 = net.denseLayer(1);
        assertEquals(l0.weights().get(2, 1), flat[2 + 5 * 1], 0); // vec(W_1): (i, j) -> i + 5 j
        assertEquals(l0.bias().get(4, 0), flat[15 + 4], 0);
        assertEquals(l1.weights().get(1, 3), flat[20 + 1 + 2 * 3], 0);
        assertEquals(l1.bias().get(1, 0), flat[30 + 1], 0);
        assertEquals(0, p.offset(0));
        assertEquals(20, p.offset(1));
        // the view writes through to the network
        double[] changed = flat.clone();
        changed[19] = 42;
        p.setFromFlat(changed);
        assertEquals(42, l0.bias().get(4, 0), 0);
        // copies are independent
        Network c = net.copy();
        c.layer(0).weights().set(0, 0, 99);
        assertTrue(net.layer(0).weights().get(0, 0) != 99);
        assertNotSame(c.layer(0).bias(), net.layer(0).bias());
    }

    @Test
    void badShapesGiveClearMessages() {
        Network net = randomNet(true, new Rng(54));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.forward(new Matrix(4, 7)));
        assertTrue(e.getMessage().contains("4x7") && e.getMessage().contains("3 inputs"), e.getMessage());
        Trace t = net.forward(new Matrix(3, 2));
        e = assertThrows(IllegalArgumentException.class, () -> net.backward(t, new Matrix(2, 3), true));
        assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("2x2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Network(List.of(
                new Dense(new Matrix(4, 3), null, Activation.TANH), new Dense(new Matrix(2, 5), null, Activation.TANH))));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dense(new Matrix(4, 3), new Matrix(3, 1), Activation.TANH));
        assertTrue(e.getMessage().contains("3x1") && e.getMessage().contains("4x3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Network.dense(List.of(3), Activation.TANH, Activation.TANH,
                true, Init.gaussian(), 1L));
        e = assertThrows(IllegalArgumentException.class, () -> Network.dense(List.of(3, 0, 2), Activation.TANH,
                Activation.TANH, true, Init.gaussian(), 1L));
        assertTrue(e.getMessage().contains("[3, 0, 2]"), e.getMessage());
    }
}
