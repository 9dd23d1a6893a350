package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * What the pooling layers share: a window of kh x kw moved with a stride over each channel of a
 * C x H x W input without padding ({@link Geometry2d} with padding 0), giving C x H_out x W_out
 * (the same layout: channel fastest, locations row-major over (y, x)). No parameters
 * ({@link #weights()} is 0 x 0, no bias), statistics {@link StatisticsForm.None}, no activation:
 * the pre-activation is the output and {@link #error} passes ∂ℓ/∂output through unchanged.
 */
public sealed abstract class Pool2d implements Layer permits MaxPool2d, AvgPool2d {
    private final Geometry2d geometry;
    private final Matrix none = new Matrix(0, 0);

    Pool2d(String name, Geometry2d geometry) {
        if (geometry == null) {
            throw new IllegalArgumentException(name + ": geometry must be given");
        }
        if (geometry.padding() != 0) {
            throw new IllegalArgumentException(name + ": padding " + geometry.padding()
                    + " is not supported (pooling windows stay inside the input)");
        }
        this.geometry = geometry;
    }

    /** The input shape, window (kernel) and stride. */
    public Geometry2d geometry() {
        return geometry;
    }

    @Override
    public int inputs() {
        return geometry.inputSize();
    }

    /** C · H_out · W_out. */
    @Override
    public int outputs() {
        return geometry.channels() * geometry.locations();
    }

    @Override
    public int parameterCount() {
        return 0;
    }

    /** A 0 x 0 matrix: no parameters. */
    @Override
    public Matrix weights() {
        return none;
    }

    @Override
    public Matrix bias() {
        return null;
    }

    @Override
    public StatisticsForm statistics() {
        return new StatisticsForm.None();
    }

    /** @throws IllegalStateException always: a pooling layer has no Kronecker statistics */
    @Override
    public Matrix factorInputs(Matrix input) {
        throw new IllegalStateException(getClass().getSimpleName() + " has no parameters, so no factor inputs");
    }

    /** ∂ℓ/∂output itself (no activation), after checking its shape against the trace. */
    @Override
    public Matrix error(Trace trace, int index, Matrix outputError, boolean overwrite) {
        LayerSupport.preActivation(getClass().getSimpleName() + ".error", trace, index, outputError, outputs());
        return outputError;
    }

    /** An empty gradient (0 x 0, no bias). */
    @Override
    public Gradient gradient(Trace trace, int index, Matrix error) {
        LayerSupport.requireRows(getClass().getSimpleName() + ".gradient", error, outputs());
        return new Gradient(new Matrix(0, 0), null);
    }

    @Override
    public Forward forward(Matrix input) {
        LayerSupport.requireInput(getClass().getSimpleName() + ".forward", input, inputs(),
                "input " + geometry.inputShape());
        Matrix y = new Matrix(outputs(), input.cols());
        pool(input.data(), y.data(), input.cols());
        return new Forward(y, y);
    }

    @Override
    public Matrix inputError(Trace trace, int index, Matrix error) {
        LayerSupport.requireRows(getClass().getSimpleName() + ".inputError", error, outputs());
        Matrix x = trace.input(index);
        Matrix dx = new Matrix(inputs(), error.cols());
        unpool(x.data(), error.data(), dx.data(), error.cols());
        return dx;
    }

    /** y = the pooled x, for {@code examples} columns. */
    abstract void pool(double[] x, double[] y, int examples);

    /** dx += the adjoint of the pooling at x applied to dy. */
    abstract void unpool(double[] x, double[] dy, double[] dx, int examples);

    /** What {@link #windows} calls for each output entry. */
    interface Window {
        /**
         * @param out    the output entry's index in the batch's column-major data
         * @param inputs the indices of its window's inputs in the input data, row-major over the window
         *               (a scratch array, reused between calls)
         */
        void at(int out, int[] inputs);
    }

    /** Calls {@code window} for every output entry of {@code examples} columns, in data order. */
    final void windows(int examples, Window window) {
        Geometry2d g = geometry;
        int c = g.channels();
        int n = g.inputSize();
        int[] idx = new int[g.kernelH() * g.kernelW()];
        int out = 0;
        for (int m = 0; m < examples; m++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    for (int ch = 0; ch < c; ch++, out++) {
                        int t = 0;
                        for (int i = 0; i < g.kernelH(); i++) {
                            for (int j = 0; j < g.kernelW(); j++) {
                                idx[t++] = m * n + ch + c * ((oy * g.stride() + i) * g.width() + ox * g.stride() + j);
                            }
                        }
                        window.at(out, idx);
                    }
                }
            }
        }
    }

    /** "2" for a square window with the stride equal to it, else e.g. "2x3 stride 1". */
    final String windowLabel() {
        Geometry2d g = geometry;
        String k = g.kernelH() == g.kernelW() ? Integer.toString(g.kernelH()) : g.kernelH() + "x" + g.kernelW();
        return g.kernelH() == g.kernelW() && g.stride() == g.kernelH() ? k : k + " stride " + g.stride();
    }

    @Override
    public String toString() {
        Geometry2d g = geometry;
        return getClass().getSimpleName() + " " + g.inputShape() + " -> " + g.channels() + "x" + g.outHeight() + "x"
                + g.outWidth() + ", window " + g.kernelH() + "x" + g.kernelW() + ", stride " + g.stride();
    }
}
