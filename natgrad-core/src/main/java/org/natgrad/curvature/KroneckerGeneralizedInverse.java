package org.natgrad.curvature;

import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * The paper's generalized inverse of the deep linear Fisher (math.md Eq. 23), for a bias-free
 * network of L layers whose widths all equal n, so that every layer has n² parameters and the
 * result is P x P with P = L n² (in {@link org.natgrad.nn.ParamVector}'s flat order):
 *
 * <pre>(F^g)_ij = (1/L²) ⟨x_{j-1} x_{i-1}^T⟩^{-1} ⊗ ⟨e_j e_i^T⟩^{-1},   i, j = 1..L.</pre>
 *
 * The one implementation of Eq. 23: the cross moments and how they are inverted come from the
 * caller, as the exact population moments of {@code deeplinear.GeneralizedInverse} or the batch
 * moments of {@link FisherReport}.
 */
public final class KroneckerGeneralizedInverse {

    private KroneckerGeneralizedInverse() {
    }

    /** An L x L family of n x n blocks, indexed by 0-based layers (i, j). */
    @FunctionalInterface
    public interface Blocks {
        /** Block (i, j), n x n. */
        Matrix block(int i, int j);
    }

    /**
     * Assembles Eq. 23 from the inverted cross moments.
     *
     * @param depth          L ≥ 1
     * @param width          n, the common width of every layer
     * @param inputInverses  (i, j) ↦ ⟨x_{j-1} x_{i-1}^T⟩^{-1} (0-based: the inputs of layers j and i), n x n
     * @param errorInverses  (i, j) ↦ ⟨e_j e_i^T⟩^{-1} (the errors of layers j and i), n x n
     * @return F^g, L n² x L n²
     */
    public static Matrix eq23(int depth, int width, Blocks inputInverses, Blocks errorInverses) {
        int block = width * width;
        Matrix g = new Matrix(depth * block, depth * block);
        double s = 1.0 / ((double) depth * depth);
        for (int i = 0; i < depth; i++) {
            for (int j = 0; j < depth; j++) {
                Matrix k = MatOps.kron(inputInverses.block(i, j), errorInverses.block(i, j));
                if (k.rows() != block || k.cols() != block) {
                    throw new IllegalArgumentException("Eq. 23: block (" + i + ", " + j + ") is " + k.shape()
                            + ", expected " + block + "x" + block + " for width " + width);
                }
                for (int q = 0; q < block; q++) {
                    for (int p = 0; p < block; p++) {
                        g.set(i * block + p, j * block + q, s * k.get(p, q));
                    }
                }
            }
        }
        return g;
    }
}
