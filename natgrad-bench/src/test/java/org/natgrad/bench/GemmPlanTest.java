package org.natgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Backprop;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.random.Rng;

/**
 * The replayed gemms must be exactly the products of the pass: their outputs must reproduce the
 * pass's pre-activations (minus bias), weight gradients and back-propagated errors.
 */
class GemmPlanTest {

    @Test
    void productsReproduceThePass() {
        List<Integer> widths = List.of(6, 4, 3, 4, 6);
        Network net = Network.dense(widths, Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1.0), 3);
        Rng rng = new Rng(4);
        for (int i = 0; i < net.depth(); i++) { // non-zero biases so "output = pre-activation - bias" is tested
            rng.fillGaussian(net.layer(i).bias().data());
        }
        int m = 7;
        Batch batch = Workloads.autoencoderBatch(6, m, 5);
        Trace trace = net.forward(batch.inputs());
        Gaussian lik = Gaussian.unit();
        Matrix err = MatOps.scaleInPlace(1.0 / m, lik.outputError(trace.output(), batch.targets()));
        Backprop bp = net.backward(trace, err, true);

        GemmPlan plan = GemmPlan.ofPass(net, trace, bp);
        plan.run();
        int l = net.depth();
        assertEquals(3 * l - 1, plan.products().size());
        int forward = 0;
        int gradient = 0;
        int backward = 0;
        for (GemmPlan.Product p : plan.products()) {
            String[] words = p.label().split(" ");
            int layer = Integer.parseInt(words[1]) - 1;
            switch (words[0]) {
                case "forward" -> {
                    forward++;
                    Matrix expected = trace.preActivation(layer).copy();
                    double[] b = net.layer(layer).bias().data();
                    for (int j = 0; j < m; j++) {
                        for (int i = 0; i < b.length; i++) {
                            expected.add(i, j, -b[i]);
                        }
                    }
                    assertTrue(MatOps.relativeError(p.out(), expected) < 1e-13, p.label());
                }
                case "gradient" -> {
                    gradient++;
                    assertTrue(MatOps.relativeError(p.out(), bp.gradients().weights(layer)) < 1e-13, p.label());
                }
                case "backward" -> {
                    backward++;
                    // δ_{i-1} = φ'(a_{i-1}) ∘ (W_i^T δ_i), with tanh' = 1 - y^2 computed here independently.
                    Matrix y = trace.layerOutput(layer - 1);
                    Matrix expected = bp.error(layer - 1);
                    Matrix got = p.out().copy();
                    for (int k = 0; k < got.size(); k++) {
                        double yk = y.data()[k];
                        got.data()[k] *= 1 - yk * yk;
                    }
                    assertTrue(MatOps.relativeError(got, expected) < 1e-12, p.label());
                }
                default -> throw new AssertionError("unexpected label " + p.label());
            }
        }
        assertEquals(l, forward);
        assertEquals(l, gradient);
        assertEquals(l - 1, backward);
        // Multiply-adds: forward and gradient n_i n_{i-1} M per layer, backward for layers 2..L.
        long perLayer = 6 * 4 + 4 * 3 + 3 * 4 + 4 * 6;
        long expected = (3 * perLayer - 6 * 4) * m;
        assertEquals(expected, plan.multiplyAdds());
        assertEquals(expected, GemmPlan.passMultiplyAdds(widths, m));
    }

    @Test
    void autoencoderMultiplyAddsByHand() {
        // Σ n_i n_{i-1} = 313600 + 80000 + 20000 + 5000 + 5000 + 20000 + 80000 + 313600 = 837200;
        // 3 * 837200 - 313600 (no backward product into the input) = 2198000, times M = 1000.
        assertEquals(2_198_000_000L, GemmPlan.passMultiplyAdds(Workloads.AUTOENCODER_WIDTHS, 1000));
    }

    @Test
    void mismatchedTraceIsRejected() {
        Network a = Network.dense(List.of(3, 2, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1.0), 1);
        Network b = Network.dense(List.of(3, 2, 2, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1.0), 1);
        Matrix x = Workloads.gaussian(3, 2, 2);
        Trace t = a.forward(x);
        Backprop bp = a.backward(t, t.output(), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmPlan.ofPass(b, t, bp));
        assertTrue(e.getMessage().contains("3 layers"), e.getMessage());
    }
}
