package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Init;
import org.natgrad.nn.ModelSpec;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.random.Rng;

/**
 * {@link ModelFiles} for networks with a {@link ModelSpec}: a CNN with every layer type saves and loads
 * to identical parameters and outputs (bit for bit), with the keys of PyTorch's nn.Sequential
 * numbering; and a state_dict written by the test in PyTorch's layouts (conv weight indexed
 * [o][c][i][j], the dense weight's columns in flatten order c·H·W + y·W + x) loads into a network whose
 * forward pass equals a direct loop over those PyTorch-indexed arrays, to 1e-13 relative.
 */
class ModelFilesCnnTest {
    @TempDir
    Path dir;

    @Test
    void aCnnRoundTripsWithPytorchKeys() throws IOException {
        ModelSpec spec = ModelSpec.parse("input 2x7x6, conv 3 3x2 pad 1, relu, layernorm, maxpool 2, affine, conv 4 2x2 nobias, "
                + "tanh, avgpool 2x1 stride 1, flatten, dense 5, relu, layernorm, dense 2");
        Network net = spec.build(new Init.Gaussian(1.0), 11);
        ParamVector p = net.parameters();
        double[] flat = p.toFlat();
        Rng rng = new Rng(12);
        for (int k = 0; k < flat.length; k++) {
            flat[k] = rng.nextGaussian(); // non-trivial γ, β and biases too
        }
        p.setFromFlat(flat);
        Path f = dir.resolve("cnn.npz");
        ModelFiles.saveModel(f, spec, net);
        Map<String, NpyArray> raw = Npz.read(f);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "5.weight", "9.weight",
                "9.bias", "11.weight", "11.bias", "12.weight", "12.bias", ModelFiles.MODEL_KEY), List.copyOf(raw.keySet()));
        assertArrayEquals(new int[] {3, 2, 3, 2}, raw.get("0.weight").shape());
        assertArrayEquals(new int[] {3, 7, 7}, raw.get("2.weight").shape()); // LayerNorm([3, 7, 7]): (7 + 2 - 3) + 1, (6 + 2 - 2) + 1
        assertArrayEquals(new int[] {3}, raw.get("4.weight").shape());
        assertArrayEquals(new int[] {5, 4 * 1 * 2}, raw.get("9.weight").shape()); // 3x7x7 -> 3x3x3 -> 4x2x2 -> 4x1x2
        ModelFiles.Model back = ModelFiles.loadModel(f);
        assertEquals(spec, back.spec());
        assertArrayEquals(flat, back.network().parameters().toFlat());
        Matrix x = new Matrix(84, 3);
        for (int k = 0; k < x.size(); k++) {
            x.data()[k] = rng.nextGaussian();
        }
        assertEquals(net.predict(x), back.network().predict(x));
    }

    @Test
    void aPytorchStateDictLoadsAndComputesTheDirectConvolution() throws IOException {
        // nn.Sequential(Conv2d(2, 3, (3, 2), stride=2, padding=1), ReLU(), Flatten(), Linear(3*3*3, 2))
        int c = 2;
        int h = 5;
        int w = 4;
        int k = 3;
        int kh = 3;
        int kw = 2;
        int s = 2;
        int pad = 1;
        int ho = (h + 2 * pad - kh) / s + 1;
        int wo = (w + 2 * pad - kw) / s + 1;
        assertEquals(3, ho);
        assertEquals(3, wo);
        Rng rng = new Rng(21);
        double[][][][] cw = new double[k][c][kh][kw];
        double[] cb = new double[k];
        double[][] lw = new double[2][k * ho * wo];
        double[] lb = {0.3, -0.2};
        double[] cwFlat = new double[k * c * kh * kw];
        double[] lwFlat = new double[2 * k * ho * wo];
        int t = 0;
        for (int o = 0; o < k; o++) {
            cb[o] = rng.nextGaussian();
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        cw[o][ch][i][j] = rng.nextGaussian();
                        cwFlat[t++] = cw[o][ch][i][j];
                    }
                }
            }
        }
        t = 0;
        for (int o = 0; o < 2; o++) {
            for (int j = 0; j < k * ho * wo; j++) {
                lw[o][j] = rng.nextGaussian();
                lwFlat[t++] = lw[o][j];
            }
        }
        Map<String, NpyArray> sd = new LinkedHashMap<>();
        sd.put("0.weight", new NpyArray(new int[] {k, c, kh, kw}, cwFlat));
        sd.put("0.bias", new NpyArray(new int[] {k}, cb.clone()));
        sd.put("3.weight", new NpyArray(new int[] {2, k * ho * wo}, lwFlat));
        sd.put("3.bias", new NpyArray(new int[] {2}, lb.clone()));
        Path f = dir.resolve("torch.npz");
        Npz.write(f, sd);
        ModelSpec spec = ModelSpec.parse("conv 3 3x2 stride 2 pad 1, relu, flatten, dense 2", "2x5x4");
        Network net = ModelFiles.fromStateDict(Npz.read(f, true), spec, f.toString());

        int m = 4;
        double[][][][] img = new double[m][c][h][w];
        Matrix x = new Matrix(c * h * w, m);
        for (int e = 0; e < m; e++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        img[e][ch][y][xx] = rng.nextGaussian();
                        x.set(ch + c * (y * w + xx), e, img[e][ch][y][xx]); // natgrad's layout: channel fastest
                    }
                }
            }
        }
        Matrix out = net.predict(x);
        double maxRef = 0;
        double maxDiff = 0;
        for (int e = 0; e < m; e++) {
            double[] flat = new double[k * ho * wo]; // PyTorch's flatten order of the (k, ho, wo) map
            for (int o = 0; o < k; o++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        double a = cb[o];
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int iy = oy * s - pad + i;
                                    int ix = ox * s - pad + j;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        a += cw[o][ch][i][j] * img[e][ch][iy][ix];
                                    }
                                }
                            }
                        }
                        flat[(o * ho + oy) * wo + ox] = Math.max(0, a);
                    }
                }
            }
            for (int o = 0; o < 2; o++) {
                double y = lb[o];
                for (int j = 0; j < flat.length; j++) {
                    y += lw[o][j] * flat[j];
                }
                maxRef = Math.max(maxRef, Math.abs(y));
                maxDiff = Math.max(maxDiff, Math.abs(y - out.get(o, e)));
            }
        }
        assertTrue(maxDiff <= 1e-13 * maxRef, "max difference " + maxDiff + " of " + maxRef);
    }

    @Test
    void aStateDictThatDoesNotFitTheSpecIsRefusedByKey() throws IOException {
        ModelSpec spec = ModelSpec.parse("input 1x4x4, conv 2 3x3, relu, dense 3");
        Map<String, NpyArray> sd = ModelFiles.stateDict(spec, spec.build(new Init.Gaussian(1.0), 1));
        Map<String, NpyArray> wrong = new LinkedHashMap<>(sd);
        wrong.put("0.weight", new NpyArray(new int[] {2, 1, 3, 2}, new double[12]));
        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelFiles.fromStateDict(wrong, spec, "sd"));
        assertTrue(e.getMessage().contains("0.weight has shape (2, 1, 3, 2)") && e.getMessage().contains("(2, 1, 3, 3)"),
                e.getMessage());
        Map<String, NpyArray> missing = new LinkedHashMap<>(sd);
        missing.remove("2.bias");
        e = assertThrows(FileFormatException.class, () -> ModelFiles.fromStateDict(missing, spec, "sd"));
        assertTrue(e.getMessage().contains("missing key 2.bias"), e.getMessage());
        Map<String, NpyArray> extra = new LinkedHashMap<>(sd);
        extra.put("1.weight", new NpyArray(new int[] {1}, new double[1]));
        e = assertThrows(FileFormatException.class, () -> ModelFiles.fromStateDict(extra, spec, "sd"));
        assertTrue(e.getMessage().contains("1.weight belongs to no parameter"), e.getMessage());
    }
}
