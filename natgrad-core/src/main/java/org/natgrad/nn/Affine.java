package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * A scale-and-shift layer y = γ ⊙ x + β with one (γ_c, β_c) per channel: for an image input of C
 * channels at L locations (C·L rows, channel fastest) y(c, l) = γ_c x(c, l) + β_c; for a vector
 * input L = 1 and the channels are the features. Shapes: C·L x M in and out; weights γ C x 1,
 * bias β C x 1 (both mutable). No activation (the pre-activation is the output). Statistics
 * {@link StatisticsForm.Diagonal}(2C).
 */
public final class Affine extends ScaleShift {
    private final int locations;

    /**
     * @param locations L ≥ 1, the locations per channel (1 for a vector input)
     * @param scale     γ, C x 1 (kept)
     * @param shift     β, C x 1 (kept)
     */
    public Affine(int locations, Matrix scale, Matrix shift) {
        super(checked(locations, scale, shift), shift);
        Math.multiplyExact(scale.rows(), locations);
        this.locations = locations;
    }

    private static Matrix checked(int locations, Matrix scale, Matrix shift) {
        if (locations < 1 || scale == null || shift == null || scale.cols() != 1 || scale.rows() < 1
                || shift.rows() != scale.rows() || shift.cols() != 1) {
            throw new IllegalArgumentException("Affine: need locations >= 1 and scale, shift both C x 1, got locations "
                    + locations + ", scale " + (scale == null ? "null" : scale.shape()) + ", shift "
                    + (shift == null ? "null" : shift.shape()));
        }
        return scale;
    }

    /** The identity map (γ = 1, β = 0) for C channels at L locations. */
    public static Affine identity(int channels, int locations) {
        if (channels < 1) {
            throw new IllegalArgumentException("Affine: channels must be >= 1, got " + channels);
        }
        return new Affine(locations, Matrix.filled(channels, 1, 1.0), new Matrix(channels, 1));
    }

    /** C. */
    public int channels() {
        return weights().rows();
    }

    /** L. */
    public int locations() {
        return locations;
    }

    @Override
    public int inputs() {
        return weights().rows() * locations;
    }

    @Override
    public int outputs() {
        return inputs();
    }

    @Override
    public Forward forward(Matrix input) {
        LayerSupport.requireInput("Affine.forward", input, inputs(), channels() + " channels x " + locations + " locations");
        return scaleAndShift(input.copy());
    }

    /** γ ⊙ δ per channel. */
    @Override
    public Matrix inputError(Trace trace, int index, Matrix error) {
        LayerSupport.requireRows("Affine.inputError", error, outputs());
        Matrix dx = new Matrix(error.rows(), error.cols());
        double[] e = error.data();
        double[] d = dx.data();
        double[] g = weights().data();
        for (int k = 0; k < e.length; k++) {
            d[k] = g[k % g.length] * e[k];
        }
        return dx;
    }

    /** (Σ δ ⊙ x, Σ δ) per channel over locations and examples. */
    @Override
    public Gradient gradient(Trace trace, int index, Matrix error) {
        return gradientOf(trace.input(index).data().clone(), error);
    }

    @Override
    Matrix scaledInput(Matrix input) {
        return input.copy();
    }

    @Override
    public Affine copy() {
        return new Affine(locations, weights().copy(), bias().copy());
    }

    /** "affine". */
    @Override
    public String label() {
        return "affine";
    }

    @Override
    public String toString() {
        return "Affine " + channels() + " channels x " + locations + " locations";
    }
}
