package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * The geometry of a sliding-window image layer ({@link Conv2d}, {@link MaxPool2d}, {@link AvgPool2d}):
 * an input of C channels on an H x W grid, a kernel of kh x kw, a stride (the same along both axes)
 * and a zero padding p on every side. The output grid is H_out x W_out with
 * H_out = ⌊(H + 2p − kh)/stride⌋ + 1 and W_out = ⌊(W + 2p − kw)/stride⌋ + 1 (PyTorch's rule), and
 * L = H_out · W_out output locations.
 *
 * <p>Layout (natgrad's image convention): an example is one column of C·H·W values with the channel
 * fastest and the locations row-major over (y, x): value (c, y, x) sits at row c + C·(y·W + x). Output
 * location l = y_out·W_out + x_out.
 *
 * @param channels C, ≥ 1
 * @param height   H, ≥ 1
 * @param width    W, ≥ 1
 * @param kernelH  kh, ≥ 1
 * @param kernelW  kw, ≥ 1
 * @param stride   ≥ 1
 * @param padding  p ≥ 0 (zeros), with kh ≤ H + 2p and kw ≤ W + 2p
 */
public record Geometry2d(int channels, int height, int width, int kernelH, int kernelW, int stride, int padding) {
    public Geometry2d {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("Geometry2d: input must be at least 1x1x1, got " + channels + "x"
                    + height + "x" + width + " (channels x height x width)");
        }
        if (kernelH < 1 || kernelW < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Geometry2d: kernel " + kernelH + "x" + kernelW + ", stride " + stride
                    + ", padding " + padding + ": the kernel and stride must be >= 1 and the padding >= 0");
        }
        if (kernelH > height + 2 * padding || kernelW > width + 2 * padding) {
            throw new IllegalArgumentException("Geometry2d: kernel " + kernelH + "x" + kernelW
                    + " is larger than the padded input " + (height + 2 * padding) + "x" + (width + 2 * padding)
                    + " (input " + height + "x" + width + ", padding " + padding + ")");
        }
        Math.multiplyExact(Math.multiplyExact(channels, height), width);
    }

    /** H_out. */
    public int outHeight() {
        return (height + 2 * padding - kernelH) / stride + 1;
    }

    /** W_out. */
    public int outWidth() {
        return (width + 2 * padding - kernelW) / stride + 1;
    }

    /** L = H_out · W_out. */
    public int locations() {
        return outHeight() * outWidth();
    }

    /** C · H · W, the per-example input size. */
    public int inputSize() {
        return channels * height * width;
    }

    /** C · kh · kw, the size of one input patch. */
    public int patchSize() {
        return Math.multiplyExact(Math.multiplyExact(channels, kernelH), kernelW);
    }

    /** "CxHxW", e.g. "1x28x28". */
    public String inputShape() {
        return channels + "x" + height + "x" + width;
    }

    /** What {@link #runs} calls: a run of C values at input index {@code input} and patch index {@code patch}. */
    private interface Run {
        void at(int input, int patch);
    }

    /**
     * Every in-range (output location, kernel offset) pair of {@code examples} columns: the input index
     * of its C channels and their index in a patch matrix with {@code rows} rows (column m·L + l, row
     * c + C·(i·kw + j)); returns the number of patch columns L·M.
     */
    private int runs(int examples, int rows, Run run) {
        int c = channels;
        int n = inputSize();
        int col = 0;
        for (int m = 0; m < examples; m++) {
            for (int oy = 0; oy < outHeight(); oy++) {
                for (int ox = 0; ox < outWidth(); ox++, col++) {
                    for (int i = 0; i < kernelH; i++) {
                        int iy = oy * stride - padding + i;
                        for (int j = 0; j < kernelW && iy >= 0 && iy < height; j++) {
                            int ix = ox * stride - padding + j;
                            if (ix >= 0 && ix < width) {
                                run.at(m * n + (iy * width + ix) * c, col * rows + (i * kernelW + j) * c);
                            }
                        }
                    }
                }
            }
        }
        return col;
    }

    /**
     * The patches of a batch, im2col: a (C·kh·kw (+1)) x (L·M) matrix whose column m·L + l holds the
     * input patch under output location l of example m, row c + C·(i·kw + j) being channel c at kernel
     * offset (i, j) (zeros where the window covers the padding), plus a last row of ones when
     * {@code biasRow}.
     *
     * @param input    C·H·W x M column-major values (not modified)
     * @param examples M
     */
    Matrix patches(double[] input, int examples, boolean biasRow) {
        int d = patchSize() + (biasRow ? 1 : 0);
        int cols = Math.multiplyExact(locations(), examples);
        double[] out = new double[Math.multiplyExact(d, cols)];
        runs(examples, d, (in, patch) -> System.arraycopy(input, in, out, patch, channels));
        if (biasRow) {
            for (int col = 0; col < cols; col++) {
                out[col * d + d - 1] = 1.0;
            }
        }
        return new Matrix(d, cols, out);
    }

    /**
     * col2im, the adjoint of {@link #patches}: sums each patch entry of {@code patchGrad}
     * ((C·kh·kw) x (L·M), no bias row) back onto the input position it was read from; returns
     * C·H·W x M values (column-major).
     */
    double[] accumulatePatches(double[] patchGrad, int examples) {
        double[] out = new double[Math.multiplyExact(inputSize(), examples)];
        runs(examples, patchSize(), (in, patch) -> {
            for (int k = 0; k < channels; k++) {
                out[in + k] += patchGrad[patch + k];
            }
        });
        return out;
    }
}
