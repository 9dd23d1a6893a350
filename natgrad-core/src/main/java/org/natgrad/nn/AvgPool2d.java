package org.natgrad.nn;

/**
 * Average pooling (PyTorch's {@code AvgPool2d} without padding): output (c, y, x) is the mean of
 * channel c over the kh x kw window at rows y·s .. and columns x·s ... Shapes: C·H·W x M in,
 * C·H_out·W_out x M out ({@link Pool2d}). Backward: each output's error, divided by kh·kw, goes to
 * every position of its window.
 */
public final class AvgPool2d extends Pool2d {

    /** @param geometry input C x H x W, window kh x kw, stride; padding must be 0 */
    public AvgPool2d(Geometry2d geometry) {
        super("AvgPool2d", geometry);
    }

    /** A square window of k with stride k over a C x H x W input. */
    public static AvgPool2d of(int channels, int height, int width, int k) {
        return new AvgPool2d(new Geometry2d(channels, height, width, k, k, k, 0));
    }

    @Override
    void pool(double[] x, double[] y, int examples) {
        windows(examples, (out, in) -> {
            double s = 0;
            for (int t : in) {
                s += x[t];
            }
            y[out] = s / in.length;
        });
    }

    @Override
    void unpool(double[] x, double[] dy, double[] dx, int examples) {
        windows(examples, (out, in) -> {
            double share = dy[out] / in.length;
            for (int t : in) {
                dx[t] += share;
            }
        });
    }

    /** E.g. "avgpool 2". */
    @Override
    public String label() {
        return "avgpool " + windowLabel();
    }

    @Override
    public AvgPool2d copy() {
        return new AvgPool2d(geometry());
    }
}
