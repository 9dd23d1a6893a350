package org.natgrad.nn;

/**
 * What curvature statistics a {@link Layer} produces, declared by the layer so that the statistics
 * and curvature code can size and choose its block without knowing the layer's type. (It lives in
 * {@code nn} because package {@code statistics} sits above {@code nn}.) Three forms:
 * <ul>
 *   <li>{@link Kronecker}: the layer's parameters are an n x d matrix W̄ (weights with the bias
 *       column, d = d_in (+1)) that multiplies d-vectors at L locations per example, so its
 *       gradient is a sum of outer products δ x̄^T and its Fisher block has the Kronecker
 *       approximation Λ ⊗ Λ̃ (math.md Eq. 10). L = 1 for a dense layer; for a convolution
 *       (KFC, Grosse &amp; Martens 2016) x̄ is an input patch with the bias row and L the number of
 *       output locations, and a representation may either treat the L·M (example, location) pairs
 *       as samples ("expand") or sum over locations first ("reduce");</li>
 *   <li>{@link Diagonal}: parameters without a Kronecker structure (a scale-and-shift or a
 *       layer-normalization layer): only per-parameter statistics, so representations fall back
 *       to the diagonal or, for a small layer, the exact block;</li>
 *   <li>{@link None}: no parameters (pooling, flatten); the layer only passes errors through.</li>
 * </ul>
 */
public sealed interface StatisticsForm permits StatisticsForm.Kronecker, StatisticsForm.Diagonal, StatisticsForm.None {

    /** The number of parameters the form describes, equal to the layer's {@link Layer#parameterCount()}. */
    int parameters();

    /**
     * Kronecker statistics: the layer's {@link Trace#inputWithBias factor inputs} are
     * d x (L·M) (column m·L + l is example m at location l) and its error at the pre-activation,
     * n·L x M in the {@link Trace}, is read as n x (L·M) with the same column order (the same
     * column-major data). For a dense layer L = 1, the factor inputs are [x; 1] and the errors δ.
     *
     * @param inputDimension  d, the input factor's size (the bias row included), ≥ 1
     * @param outputDimension n, the output factor's size, ≥ 1
     * @param locations       L, the locations per example that share the weights, ≥ 1
     */
    record Kronecker(int inputDimension, int outputDimension, int locations) implements StatisticsForm {
        public Kronecker {
            if (inputDimension < 1 || outputDimension < 1 || locations < 1) {
                throw new IllegalArgumentException("StatisticsForm.Kronecker: dimensions must be >= 1, got input "
                        + inputDimension + ", output " + outputDimension + ", locations " + locations);
            }
        }

        /** d · n, the size of the block Λ ⊗ Λ̃ approximates. */
        @Override
        public int parameters() {
            return Math.multiplyExact(inputDimension, outputDimension);
        }
    }

    /**
     * Per-parameter statistics only (no Kronecker factorization of the block).
     *
     * @param parameters the layer's parameter count, ≥ 1
     */
    record Diagonal(int parameters) implements StatisticsForm {
        public Diagonal {
            if (parameters < 1) {
                throw new IllegalArgumentException("StatisticsForm.Diagonal: parameters must be >= 1, got " + parameters);
            }
        }
    }

    /** No parameters, so no curvature block. */
    record None() implements StatisticsForm {
        @Override
        public int parameters() {
            return 0;
        }
    }
}
