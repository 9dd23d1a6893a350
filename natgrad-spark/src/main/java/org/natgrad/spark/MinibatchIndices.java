package org.natgrad.spark;

import java.util.function.Supplier;
import org.natgrad.random.Rng;

/**
 * The minibatches of a data set of N examples as index arrays, endlessly, in epoch order: each
 * epoch is a fresh permutation {@code rng.permutation(N)} drawn when its first minibatch is asked
 * for, cut into slices of M (the incomplete last one dropped with {@code dropLast}). These are the
 * draws of {@link org.natgrad.data.Dataset#epoch} and the lab's {@code EpochBatches}, so with the
 * same seed a Spark run sees the same minibatches, in the same column order, as a single-machine run.
 */
public final class MinibatchIndices implements Supplier<int[]> {
    private final int size;
    private final int batchSize;
    private final Rng rng;
    private final int perEpoch;
    private int[] permutation;
    private int next;

    public MinibatchIndices(int size, int batchSize, Rng rng, boolean dropLast) {
        if (size <= 0 || batchSize <= 0 || (dropLast && batchSize > size)) {
            throw new IllegalArgumentException("MinibatchIndices: minibatch size " + batchSize + " must be in 1.." + size);
        }
        this.size = size;
        this.batchSize = batchSize;
        this.rng = rng;
        this.perEpoch = dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    @Override
    public int[] get() {
        if (permutation == null || next == perEpoch) {
            permutation = rng.permutation(size);
            next = 0;
        }
        int from = next++ * batchSize;
        int to = Math.min(size, from + batchSize);
        int[] idx = new int[to - from];
        System.arraycopy(permutation, from, idx, 0, idx.length);
        return idx;
    }
}
