package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * {@link ModelSpec}: the issue's example parses to the layer shapes worked out by hand (28 → 24 → 12
 * → 12 (pad 2) → 6; 64·6·6 = 2304 into the dense layer), the PyTorch nn.Sequential numbering, the
 * canonical string round-trips, and malformed strings are refused with the module's position. Also
 * {@link Network}'s chaining message.
 */
class ModelSpecTest {
    static final String LENET = "input 1x28x28, conv 32 5x5, relu, maxpool 2, conv 64 5x5 stride 1 pad 2, relu, maxpool 2, "
            + "dense 128, relu, dense 10";

    @Test
    void theIssuesExampleBuildsTheShapesComputedByHand() {
        ModelSpec spec = ModelSpec.parse(LENET);
        Network net = spec.build(new Init.Gaussian(1.0), 1);
        assertEquals(6, net.depth());
        assertEquals(List.of(784, 32 * 24 * 24, 32 * 12 * 12, 64 * 12 * 12, 64 * 6 * 6, 128, 10), net.widths());
        Conv2d c1 = assertInstanceOf(Conv2d.class, net.layer(0));
        assertEquals(Activation.RELU, c1.activation());
        assertEquals(new StatisticsForm.Kronecker(26, 32, 576), c1.statistics());
        assertInstanceOf(MaxPool2d.class, net.layer(1));
        assertEquals(new StatisticsForm.Kronecker(32 * 25 + 1, 64, 144), net.layer(2).statistics());
        assertEquals(Activation.IDENTITY, net.denseLayer(5).activation());
        assertEquals(Activation.RELU, net.denseLayer(4).activation());
        // nn.Sequential(Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d, Linear, ReLU, Linear)
        int[] modules = new int[net.depth()];
        for (int i = 0; i < modules.length; i++) {
            modules[i] = spec.moduleOf(i);
        }
        assertArrayEquals(new int[] {0, 2, 3, 5, 6, 8}, modules);
        assertArrayEquals(new int[] {64, 6, 6}, spec.layerInputShape(4));
    }

    @Test
    void theCanonicalStringRoundTrips() {
        String canonical = "input 1x28x28, conv 32 5x5, relu, maxpool 2, conv 64 5x5 pad 2, relu, maxpool 2, dense 128, relu, dense 10";
        assertEquals(canonical, ModelSpec.parse(LENET).toString());
        String all = "input 3x9x8, conv 4 2x3 stride 2 pad 1 nobias, tanh, avgpool 2x2 stride 1, layernorm eps 0.001, "
                + "maxpool 3x2 stride 1, affine, flatten, dense 5 nobias, sigmoid, affine, layernorm, dense 2";
        ModelSpec spec = ModelSpec.parse(all);
        assertEquals(all.replace("avgpool 2x2 stride 1", "avgpool 2 stride 1"), spec.toString());
        assertEquals(spec, ModelSpec.parse(spec.toString()));
        assertEquals(spec.toString(), ModelSpec.parse(spec.toString()).toString());
        assertEquals(ModelSpec.parse("input 784, dense 10"), ModelSpec.parse("DENSE 10", "784"));
        Network net = spec.build(new Init.Gaussian(1.0), 3);
        spec.requireDescribes(net);
        assertEquals(9, spec.moduleOf(6));
    }

    @Test
    void malformedStringsNameTheModulePosition() {
        assertMessage("input 1x28x28, conv 32 5x5, relu, maxpol 2", "module 4 ('maxpol 2')", "unknown module 'maxpol'");
        assertMessage("conv 8 3x3", "module 1", "input");
        assertMessage("input 1x4x4, conv 8", "module 2 ('conv 8')", "missing kernel");
        assertMessage("input 1x4x4, conv 8 5x5", "module 2", "larger than the padded input");
        assertMessage("input 1x4x4, maxpool 2, relu", "module 3 ('relu')", "follows 'maxpool 2'");
        assertMessage("input 1x4x4, conv 2 3x3, relu, relu", "module 4", "follows 'relu'");
        assertMessage("input 16, conv 2 3x3", "module 2", "needs an image input");
        assertMessage("input 1x4x4, conv 2 3x3 stride 0", "module 2", "stride '0'");
        assertMessage("input 1x4x4, conv 2 3x3,, dense 2", "module 3", "empty module");
        assertMessage("input 1x4x4, maxpool 2x1", "module 2", "explicit stride");
        assertMessage("input 1x4x4, dense 2 bias", "module 2", "nobias");
        assertMessage("input 1x4x4, flatten", "module 2", "no layers");
    }

    private static void assertMessage(String spec, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(spec));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void aNetworkThatDoesNotChainNamesBothLayersAndTheShape() {
        Geometry2d g = new Geometry2d(32, 12, 12, 2, 2, 2, 0);
        Dense d = new Dense(new Matrix(4096, 3), null, Activation.IDENTITY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Network(List.of(new Dense(new Matrix(3, 2), null, Activation.IDENTITY), d, new MaxPool2d(g))));
        assertEquals("Network: layer 3 (maxpool 2) expects 32x12x12 = 4608 inputs, layer 2 (identity) outputs 4096",
                e.getMessage());
    }

    @Test
    void aSpecRefusesANetworkItDoesNotDescribe() {
        Network other = ModelSpec.parse("input 1x6x6, conv 2 3x3, tanh, dense 3").build(new Init.Gaussian(1.0), new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.parse("input 1x6x6, conv 2 3x3, relu, dense 3").requireDescribes(other));
        assertTrue(e.getMessage().contains("layer 1"), e.getMessage());
    }
}
