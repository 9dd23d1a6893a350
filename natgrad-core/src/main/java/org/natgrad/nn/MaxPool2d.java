package org.natgrad.nn;

/**
 * Max pooling (PyTorch's {@code MaxPool2d} without padding or dilation): output (c, y, x) is the
 * largest input of channel c in the window at rows y·s .. y·s + kh − 1 and columns x·s .. x·s + kw − 1.
 * Shapes: C·H·W x M in, C·H_out·W_out x M out ({@link Pool2d}). Backward: each output's error goes
 * to the position of its window's maximum (the first in row-major window order on a tie).
 */
public final class MaxPool2d extends Pool2d {

    /** @param geometry input C x H x W, window kh x kw, stride; padding must be 0 */
    public MaxPool2d(Geometry2d geometry) {
        super("MaxPool2d", geometry);
    }

    /** A square window of k with stride k over a C x H x W input. */
    public static MaxPool2d of(int channels, int height, int width, int k) {
        return new MaxPool2d(new Geometry2d(channels, height, width, k, k, k, 0));
    }

    @Override
    void pool(double[] x, double[] y, int examples) {
        windows(examples, (out, in) -> y[out] = x[in[argmax(x, in)]]);
    }

    @Override
    void unpool(double[] x, double[] dy, double[] dx, int examples) {
        windows(examples, (out, in) -> dx[in[argmax(x, in)]] += dy[out]);
    }

    /** The position in {@code in} of the largest x (the first on a tie). */
    private static int argmax(double[] x, int[] in) {
        int best = 0;
        for (int t = 1; t < in.length; t++) {
            if (x[in[t]] > x[in[best]]) {
                best = t;
            }
        }
        return best;
    }

    /** E.g. "maxpool 2". */
    @Override
    public String label() {
        return "maxpool " + windowLabel();
    }

    @Override
    public MaxPool2d copy() {
        return new MaxPool2d(geometry());
    }
}
