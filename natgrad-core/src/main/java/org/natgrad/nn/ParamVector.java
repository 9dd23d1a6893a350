package org.natgrad.nn;

import java.util.Arrays;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * Parameters (or a gradient, or a step) of a network, held per layer: weights W_i
 * (n_i x n_{i-1}) and bias b_i (n_i x 1, or null for a layer without bias). The flat order,
 * used by the dense Fisher and the {@code .npy} exports, is layer by layer, each weight matrix
 * column-major (vec W_i), then its bias: that is vec([W_i, b_i]).
 *
 * <p>{@link Network#parameters()} returns a ParamVector whose matrices <i>are</i> the network's
 * weights, so in-place operations here update the network.
 */
public final class ParamVector {
    private final Matrix[] weights;
    private final Matrix[] biases;

    /** Wraps the given matrices (not copied); biases[i] may be null. */
    public ParamVector(Matrix[] weights, Matrix[] biases) {
        if (weights.length != biases.length) {
            throw new IllegalArgumentException("ParamVector: " + weights.length + " weight blocks but "
                    + biases.length + " bias blocks");
        }
        this.weights = weights;
        this.biases = biases;
    }

    /** Zeros with the same shapes as {@code like}. */
    public static ParamVector zerosLike(ParamVector like) {
        Matrix[] w = new Matrix[like.layers()];
        Matrix[] b = new Matrix[like.layers()];
        for (int i = 0; i < w.length; i++) {
            w[i] = new Matrix(like.weights[i].rows(), like.weights[i].cols());
            b[i] = like.biases[i] == null ? null : new Matrix(like.biases[i].rows(), 1);
        }
        return new ParamVector(w, b);
    }

    public int layers() {
        return weights.length;
    }

    /** W_i (not a copy). */
    public Matrix weights(int layer) {
        return weights[layer];
    }

    /** b_i (not a copy), or null. */
    public Matrix bias(int layer) {
        return biases[layer];
    }

    /** Number of parameters in layer i. */
    public int layerSize(int layer) {
        return weights[layer].size() + (biases[layer] == null ? 0 : biases[layer].size());
    }

    /** Offset of layer i's block in the flat order. */
    public int offset(int layer) {
        int o = 0;
        for (int i = 0; i < layer; i++) {
            o += layerSize(i);
        }
        return o;
    }

    /** Total number of parameters P. */
    public int size() {
        return offset(weights.length);
    }

    /** The flat vector (a copy), in the documented order. */
    public double[] toFlat() {
        double[] flat = new double[size()];
        int o = 0;
        for (int i = 0; i < weights.length; i++) {
            double[] w = weights[i].data();
            System.arraycopy(w, 0, flat, o, w.length);
            o += w.length;
            if (biases[i] != null) {
                double[] b = biases[i].data();
                System.arraycopy(b, 0, flat, o, b.length);
                o += b.length;
            }
        }
        return flat;
    }

    /** Overwrites these parameters from a flat vector in the documented order. */
    public ParamVector setFromFlat(double[] flat) {
        if (flat.length != size()) {
            throw new IllegalArgumentException("ParamVector.setFromFlat: got " + flat.length + " values, expected " + size());
        }
        int o = 0;
        for (int i = 0; i < weights.length; i++) {
            double[] w = weights[i].data();
            System.arraycopy(flat, o, w, 0, w.length);
            o += w.length;
            if (biases[i] != null) {
                double[] b = biases[i].data();
                System.arraycopy(flat, o, b, 0, b.length);
                o += b.length;
            }
        }
        return this;
    }

    /** A new vector with the same shapes, filled from {@code flat}. */
    public ParamVector withFlat(double[] flat) {
        return zerosLike(this).setFromFlat(flat);
    }

    /** A deep copy. */
    public ParamVector copy() {
        Matrix[] w = new Matrix[weights.length];
        Matrix[] b = new Matrix[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i].copy();
            b[i] = biases[i] == null ? null : biases[i].copy();
        }
        return new ParamVector(w, b);
    }

    private void requireCompatible(String op, ParamVector o) {
        if (o.layers() != layers()) {
            throw new IllegalArgumentException(op + ": " + layers() + " layers vs " + o.layers());
        }
        for (int i = 0; i < weights.length; i++) {
            boolean shapesDiffer = weights[i].rows() != o.weights[i].rows() || weights[i].cols() != o.weights[i].cols()
                    || (biases[i] == null) != (o.biases[i] == null);
            if (shapesDiffer) {
                throw new IllegalArgumentException(op + ": layer " + (i + 1) + " is " + weights[i].shape()
                        + (biases[i] == null ? " without bias" : " with bias") + " vs " + o.weights[i].shape()
                        + (o.biases[i] == null ? " without bias" : " with bias"));
            }
        }
    }

    /** this += alpha * x, in place; returns this. */
    public ParamVector axpy(double alpha, ParamVector x) {
        requireCompatible("axpy", x);
        for (int i = 0; i < weights.length; i++) {
            MatOps.axpy(alpha, x.weights[i], weights[i]);
            if (biases[i] != null) {
                MatOps.axpy(alpha, x.biases[i], biases[i]);
            }
        }
        return this;
    }

    /** this *= alpha, in place; returns this. */
    public ParamVector scale(double alpha) {
        for (int i = 0; i < weights.length; i++) {
            MatOps.scaleInPlace(alpha, weights[i]);
            if (biases[i] != null) {
                MatOps.scaleInPlace(alpha, biases[i]);
            }
        }
        return this;
    }

    /** Copies values from {@code src} (same shapes) into this. */
    public ParamVector setTo(ParamVector src) {
        requireCompatible("setTo", src);
        for (int i = 0; i < weights.length; i++) {
            weights[i].setTo(src.weights[i]);
            if (biases[i] != null) {
                biases[i].setTo(src.biases[i]);
            }
        }
        return this;
    }

    /** Euclidean inner product over all parameters. */
    public double dot(ParamVector o) {
        requireCompatible("dot", o);
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += MatOps.dot(weights[i], o.weights[i]);
            if (biases[i] != null) {
                s += MatOps.dot(biases[i], o.biases[i]);
            }
        }
        return s;
    }

    /** Euclidean norm over all parameters. */
    public double norm() {
        return Math.sqrt(dot(this));
    }

    /** True if every value is finite. */
    public boolean isFinite() {
        for (int i = 0; i < weights.length; i++) {
            if (!weights[i].isFinite() || (biases[i] != null && !biases[i].isFinite())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "ParamVector" + Arrays.stream(weights).map(Matrix::shape).toList() + ", P=" + size();
    }

    /**
     * Layer i's block as the augmented matrix W̄_i = [W_i, b_i] (n_i x (n_{i-1}+1), or n_i x n_{i-1}
     * without bias): a new matrix whose column-major data is the layer's slice of the flat order.
     */
    public Matrix augmentedBlock(int layer) {
        Matrix w = weights(layer);
        Matrix b = bias(layer);
        if (b == null) {
            return w.copy();
        }
        double[] d = new double[w.size() + b.size()];
        System.arraycopy(w.data(), 0, d, 0, w.size());
        System.arraycopy(b.data(), 0, d, w.size(), b.size());
        return new Matrix(w.rows(), w.cols() + 1, d);
    }

    /** Writes an augmented block [W_i, b_i] ({@link #augmentedBlock}'s shape) into layer i; returns this. */
    public ParamVector setAugmentedBlock(int layer, Matrix block) {
        Matrix w = weights(layer);
        Matrix b = bias(layer);
        int cols = w.cols() + (b == null ? 0 : 1);
        if (block.rows() != w.rows() || block.cols() != cols) {
            throw new IllegalArgumentException("setAugmentedBlock: layer " + (layer + 1) + " block is " + block.shape()
                    + ", expected " + w.rows() + "x" + cols);
        }
        System.arraycopy(block.data(), 0, w.data(), 0, w.size());
        if (b != null) {
            System.arraycopy(block.data(), w.size(), b.data(), 0, b.size());
        }
        return this;
    }

    /**
     * Σ_i ⟨[W_i, b_i], [W'_i, b'_i]⟩ over the augmented blocks ({@link #augmentedBlock}), summed block
     * by block: the paper's per-layer form of ⟨G, D⟩.
     */
    public double augmentedDot(ParamVector o) {
        requireCompatible("augmentedDot", o);
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            // vec([W, b]) is vec(W) then b: one running sum per block, in place of copying the blocks
            double block = dotFrom(0, weights[i], o.weights[i]);
            s += biases[i] == null ? block : dotFrom(block, biases[i], o.biases[i]);
        }
        return s;
    }

    /** {@code start} + Σ_k a_k b_k, summed in storage order (a and b of the same shape). */
    private static double dotFrom(double start, Matrix a, Matrix b) {
        double[] ad = a.data();
        double[] bd = b.data();
        double s = start;
        for (int k = 0; k < ad.length; k++) {
            s += ad[k] * bd[k];
        }
        return s;
    }

    /** True when {@code o} has the same layers with the same weight and bias shapes. */
    public boolean sameShapes(ParamVector o) {
        if (o.weights.length != weights.length) {
            return false;
        }
        for (int i = 0; i < weights.length; i++) {
            if (!o.weights[i].shape().equals(weights[i].shape()) || (o.biases[i] == null) != (biases[i] == null)
                    || (biases[i] != null && !o.biases[i].shape().equals(biases[i].shape()))) {
                return false;
            }
        }
        return true;
    }

    /** The first layer (1-based) whose weights or bias have a NaN/Inf, or 0 when all are finite. */
    public int firstNonFiniteLayer() {
        for (int i = 0; i < weights.length; i++) {
            if (!weights[i].isFinite() || (biases[i] != null && !biases[i].isFinite())) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * A copy of this vector in {@code buffer} when it has the same shapes (reused, no allocation),
     * else in a new vector.
     */
    public ParamVector copyInto(ParamVector buffer) {
        if (buffer != null && buffer.size() == size() && buffer.layers() == layers()) {
            try {
                return buffer.setTo(this);
            } catch (IllegalArgumentException shapesDiffer) {
                // as many parameters in other shapes: a new copy below
            }
        }
        return copy();
    }
}
