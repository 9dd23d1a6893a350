package org.natgrad.spark;

import java.io.Serializable;

/**
 * One training example as it travels in an RDD: its index in the data set (0..N−1, which the
 * minibatch draws refer to), its input x (n_0 values) and its target y (n_L values).
 *
 * @param index  the example's position in the data set, 0 ≤ index &lt; N
 * @param input  x, length n_0
 * @param target y, length n_L (one-hot for a categorical likelihood)
 */
public record Example(int index, double[] input, double[] target) implements Serializable {
    public Example {
        if (index < 0 || input == null || target == null) {
            throw new IllegalArgumentException("Example: need an index >= 0, an input and a target, got index " + index
                    + (input == null ? ", no input" : "") + (target == null ? ", no target" : ""));
        }
    }
}
