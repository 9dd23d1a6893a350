package org.natgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * {@link LayerContractTest} for {@link MaxPool2d} and {@link AvgPool2d} on a rectangular 2 x 5 x 4
 * input: windows 2x2 stride 2 (the last row dropped by the floor), 3x3 stride 1 (overlapping) and 2x3
 * stride 1. The hand forward pass is the direct loop over each window (max, or sum / (kh·kw)), reading
 * value (c, y, x) at row c + C·(y·W + x). Max-pool inputs are a shuffled grid of distinct values
 * 0.05 apart, so a finite-difference step (≈ 6e-6) never changes a window's maximum.
 */
class PoolContractTest extends LayerContractTest {

    @Override
    List<Layer> cases(Rng rng) {
        List<Layer> out = new ArrayList<>();
        int[][] windows = {{2, 2, 2}, {3, 3, 1}, {2, 3, 1}};
        for (int[] w : windows) {
            Geometry2d g = new Geometry2d(2, 5, 4, w[0], w[1], w[2], 0);
            out.add(new MaxPool2d(g));
            out.add(new AvgPool2d(g));
        }
        return out;
    }

    @Override
    Matrix input(Layer layer, int m, Rng rng) {
        int n = layer.inputs() * m;
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = 0.05 * k - 0.025 * n;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            double t = v[k];
            v[k] = v[j];
            v[j] = t;
        }
        return new Matrix(layer.inputs(), m, v);
    }

    @Override
    Layer.Forward handForward(Layer layer, Matrix x) {
        Geometry2d g = ((Pool2d) layer).geometry();
        boolean max = layer instanceof MaxPool2d;
        int c = g.channels();
        Matrix y = new Matrix(layer.outputs(), x.cols());
        for (int m = 0; m < x.cols(); m++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    for (int ch = 0; ch < c; ch++) {
                        double s = max ? Double.NEGATIVE_INFINITY : 0;
                        for (int i = 0; i < g.kernelH(); i++) {
                            for (int j = 0; j < g.kernelW(); j++) {
                                double v = x.get(ch + c * ((oy * g.stride() + i) * g.width() + ox * g.stride() + j), m);
                                s = max ? Math.max(s, v) : s + v;
                            }
                        }
                        y.set(ch + c * (oy * g.outWidth() + ox), m, max ? s : s / (g.kernelH() * g.kernelW()));
                    }
                }
            }
        }
        return new Layer.Forward(y, y);
    }

    @Test
    void twoByTwoPoolsOfAFourByFourImage() {
        // 1 x 4 x 4 holding 1..16 row-major: windows {1,2,5,6}, {3,4,7,8}, {9,10,13,14}, {11,12,15,16}
        double[] v = new double[16];
        for (int k = 0; k < 16; k++) {
            v[k] = k + 1;
        }
        Matrix x = new Matrix(16, 1, v);
        assertArrayEquals(new double[] {6, 8, 14, 16}, MaxPool2d.of(1, 4, 4, 2).forward(x).output().data(), 0);
        assertArrayEquals(new double[] {3.5, 5.5, 11.5, 13.5}, AvgPool2d.of(1, 4, 4, 2).forward(x).output().data(), 0);
    }

    @Test
    void paddingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(new Geometry2d(1, 4, 4, 2, 2, 2, 1)));
    }
}
