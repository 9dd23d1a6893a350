package org.natgrad.nn;

import org.natgrad.linalg.Matrix;

/**
 * A minibatch: inputs n_0 x M and targets n_L x M, one example per column.
 */
public record Batch(Matrix inputs, Matrix targets) {
    public Batch {
        if (inputs.cols() != targets.cols()) {
            throw new IllegalArgumentException("Batch: " + inputs.cols() + " input columns but "
                    + targets.cols() + " target columns (inputs " + inputs.shape() + ", targets " + targets.shape() + ")");
        }
    }

    /** Number of examples M. */
    public int size() {
        return inputs.cols();
    }
}
