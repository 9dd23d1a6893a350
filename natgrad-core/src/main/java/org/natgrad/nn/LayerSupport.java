package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/** Checks and elementwise steps the non-dense layers share (package-private). */
final class LayerSupport {
    private LayerSupport() {
    }

    /** Refuses an input batch without {@code rows} rows, naming its shape. */
    static void requireInput(String op, Matrix input, int rows, String takes) {
        if (input.rows() != rows) {
            throw new IllegalArgumentException(op + ": input is " + input.shape() + " but the layer takes " + rows
                    + " inputs (" + takes + "; examples are columns)");
        }
    }

    /** Refuses an error (δ or ∂ℓ/∂output) without {@code rows} rows, naming its shape. */
    static void requireRows(String op, Matrix m, int rows) {
        if (m.rows() != rows) {
            throw new IllegalArgumentException(op + ": error is " + m.shape() + " but the layer has " + rows + " outputs");
        }
    }

    /** Layer {@code index}'s pre-activation in the trace, checked against an output error g and the layer's size. */
    static Matrix preActivation(String op, Trace trace, int index, Matrix g, int outputs) {
        Matrix z = trace.preActivation(index);
        if (g.rows() != z.rows() || g.cols() != z.cols() || z.rows() != outputs) {
            throw new IllegalArgumentException(op + ": output error is " + g.shape() + " but layer " + (index + 1)
                    + " of the trace has pre-activation " + z.shape() + " and this layer " + outputs + " outputs");
        }
        return z;
    }

    /** The forward result of pre-activation a under φ: (a, a) for the identity, else (a, φ(a)). */
    static Layer.Forward activate(Matrix a, Activation activation) {
        if (activation.isIdentity()) {
            return new Layer.Forward(a, a);
        }
        Matrix y = new Matrix(a.rows(), a.cols());
        activation.apply(a.data(), y.data());
        return new Layer.Forward(a, y);
    }

    /** δ = g ⊙ φ'(a) from the trace's a and φ(a); g itself for the identity, else a copy unless overwrite. */
    static Matrix activationError(String op, Trace trace, int index, Matrix g, boolean overwrite,
                                  Activation activation, int outputs) {
        double[] a = preActivation(op, trace, index, g, outputs).data();
        if (activation.isIdentity()) {
            return g;
        }
        double[] y = trace.layerOutput(index).data();
        Matrix delta = overwrite ? g : g.copy();
        double[] dd = delta.data();
        for (int k = 0; k < dd.length; k++) {
            dd[k] = dd[k] * activation.derivative(a[k], y[k]);
        }
        return delta;
    }

    /** Column sums of the n x (L·M) view of {@code v} per row: Σ over all columns, n x 1. */
    static Matrix sumOverColumns(double[] v, int n) {
        Matrix s = new Matrix(n, 1);
        double[] sd = s.data();
        for (int k = 0; k < v.length; k++) {
            sd[k % n] += v[k];
        }
        return s;
    }
}
