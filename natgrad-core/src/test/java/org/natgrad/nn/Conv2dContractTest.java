package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Naive;
import org.natgrad.random.Rng;

/**
 * {@link LayerContractTest} for {@link Conv2d}: every combination of stride {1, 2}, padding
 * {0, 1, 2}, kernel {1x1, 3x3, 2x3}, with and without bias (36 layers), on a rectangular
 * 2 x 5 x 4 input with 3 output channels, activations cycling through identity, tanh, sigmoid and
 * (with a bias bounded away from 0, since fully padded windows give a = b) ReLU. The hand forward pass
 * is the direct nested-loop cross-correlation a(k, y, x) = b_k + Σ_{c,i,j} W(k, c, i, j)
 * x(c, y·s − p + i, x·s − p + j) over the unpadded indices, reading the input at row c + C·(y·W + x)
 * and the weight at column c + C·(i·kw + j), as documented. The inherited tests then give the
 * finite-difference checks (relative 1e-7, central differences with h = ε^{1/3} ≈ 6e-6) of every
 * input and parameter, and the Kronecker form's gradient = E X̄^T (1e-13).
 */
class Conv2dContractTest extends LayerContractTest {
    static final int C = 2;
    static final int H = 5;
    static final int W = 4;
    static final int K = 3;

    @Override
    List<Layer> cases(Rng rng) {
        Activation[] acts = {Activation.IDENTITY, Activation.TANH, Activation.SIGMOID, Activation.RELU};
        int[][] kernels = {{1, 1}, {3, 3}, {2, 3}};
        List<Layer> out = new ArrayList<>();
        int t = 0;
        for (int stride : new int[] {1, 2}) {
            for (int pad : new int[] {0, 1, 2}) {
                for (int[] k : kernels) {
                    for (boolean withBias : new boolean[] {true, false}) {
                        Geometry2d g = new Geometry2d(C, H, W, k[0], k[1], stride, pad);
                        Activation act = acts[t++ % acts.length];
                        if (act == Activation.RELU && !withBias) {
                            act = Activation.TANH;
                        }
                        Matrix b = null;
                        if (withBias) {
                            b = Naive.gaussian(K, 1, rng);
                            for (int i = 0; i < K; i++) {
                                b.data()[i] = Math.copySign(0.3 + Math.abs(b.data()[i]), b.data()[i]);
                            }
                        }
                        out.add(new Conv2d(g, Naive.gaussian(K, g.patchSize(), rng), b, act));
                    }
                }
            }
        }
        return out;
    }

    @Override
    Matrix input(Layer layer, int m, Rng rng) {
        return gaussianAwayFromKink(layer, m, rng, ((Conv2d) layer).activation() == Activation.RELU);
    }

    @Override
    Layer.Forward handForward(Layer layer, Matrix x) {
        Conv2d conv = (Conv2d) layer;
        return new Layer.Forward(direct(conv, x), activated(conv, direct(conv, x)));
    }

    private static Matrix activated(Conv2d conv, Matrix a) {
        Matrix y = new Matrix(a.rows(), a.cols());
        for (int k = 0; k < a.size(); k++) {
            y.data()[k] = conv.activation().value(a.data()[k]);
        }
        return y;
    }

    /** The direct convolution in nested loops (the reference). */
    static Matrix direct(Conv2d conv, Matrix x) {
        Geometry2d g = conv.geometry();
        int c = g.channels();
        int k = conv.outChannels();
        int ho = g.outHeight();
        int wo = g.outWidth();
        Matrix a = new Matrix(k * ho * wo, x.cols());
        for (int m = 0; m < x.cols(); m++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    for (int o = 0; o < k; o++) {
                        double s = conv.hasBias() ? conv.bias().get(o, 0) : 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < g.kernelH(); i++) {
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int iy = oy * g.stride() - g.padding() + i;
                                    int ix = ox * g.stride() - g.padding() + j;
                                    if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                                        s += conv.weights().get(o, ch + c * (i * g.kernelW() + j))
                                                * x.get(ch + c * (iy * g.width() + ix), m);
                                    }
                                }
                            }
                        }
                        a.set(o + k * (oy * wo + ox), m, s);
                    }
                }
            }
        }
        return a;
    }

    @Test
    void aTwoByTwoKernelOfOnesSumsEachWindow() {
        // input 1x3x3 holding 1..9 row-major; kernel of ones: windows sum to 12, 16, 24, 28 (+ bias 0.5)
        Geometry2d g = new Geometry2d(1, 3, 3, 2, 2, 1, 0);
        Conv2d conv = new Conv2d(g, Matrix.filled(1, 4, 1.0), Matrix.filled(1, 1, 0.5), Activation.IDENTITY);
        Matrix x = new Matrix(9, 1, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertArrayEquals(new double[] {12.5, 16.5, 24.5, 28.5}, conv.forward(x).output().data(), 0);
        // stride 2, padding 1: windows at (-1,-1), (-1,1), (1,-1), (1,1) see {1}, {2,3}, {4,7}, {5,6,8,9}
        Conv2d padded = new Conv2d(new Geometry2d(1, 3, 3, 2, 2, 2, 1), Matrix.filled(1, 4, 1.0), null,
                Activation.IDENTITY);
        assertArrayEquals(new double[] {1, 5, 11, 28}, padded.forward(x).output().data(), 0);
    }

    @Test
    void pytorchLayoutIsTheDocumentedPermutation() {
        Geometry2d g = new Geometry2d(2, 4, 4, 2, 3, 1, 0);
        Matrix w = Naive.gaussian(3, g.patchSize(), new Rng(9));
        Conv2d conv = new Conv2d(g, w, null, Activation.IDENTITY);
        double[] torch = conv.toPytorchLayout();
        for (int o = 0; o < 3; o++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        assertEquals(w.get(o, c + 2 * (i * 3 + j)), torch[o * 12 + c * 6 + i * 3 + j], 0);
                    }
                }
            }
        }
        assertEquals(w, Conv2d.fromPytorchLayout(g, 3, torch));
        assertThrows(IllegalArgumentException.class, () -> Conv2d.fromPytorchLayout(g, 2, torch));
    }

    @Test
    void badGeometryAndWeightsAreRefusedWithTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Geometry2d(1, 2, 2, 5, 5, 1, 1));
        assertTrue(e.getMessage().contains("5x5") && e.getMessage().contains("4x4"), e.getMessage());
        Geometry2d g = new Geometry2d(2, 4, 4, 3, 3, 1, 0);
        e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(g, new Matrix(3, 9), null, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("3x9") && e.getMessage().contains("18"), e.getMessage());
    }
}
