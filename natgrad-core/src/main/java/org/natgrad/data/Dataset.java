package org.natgrad.data;

import org.natgrad.nn.Batch;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.natgrad.linalg.Matrix;
import org.natgrad.random.Rng;

/**
 * An in-memory data set of N examples stored as columns: inputs n_0 x N, targets n_L x N.
 * Minibatches are drawn by seeded shuffling, so the same seed gives the same batches.
 */
public final class Dataset {
    private final Matrix inputs;
    private final Matrix targets;

    public Dataset(Matrix inputs, Matrix targets) {
        if (inputs.cols() != targets.cols()) {
            throw new IllegalArgumentException("Dataset: " + inputs.cols() + " input examples but " + targets.cols()
                    + " target examples (inputs " + inputs.shape() + ", targets " + targets.shape() + ")");
        }
        this.inputs = inputs;
        this.targets = targets;
    }

    /** Inputs, n_0 x N (not a copy). */
    public Matrix inputs() {
        return inputs;
    }

    /** Targets, n_L x N (not a copy). */
    public Matrix targets() {
        return targets;
    }

    /** Number of examples N. */
    public int size() {
        return inputs.cols();
    }

    public int inputSize() {
        return inputs.rows();
    }

    public int targetSize() {
        return targets.rows();
    }

    /** The whole set as one batch (no copy). */
    public Batch all() {
        return new Batch(inputs, targets);
    }

    /** Examples [from, to) as a new data set (copies). */
    public Dataset slice(int from, int to) {
        return new Dataset(inputs.columns(from, to), targets.columns(from, to));
    }

    /** The examples at the given indices, in order, as a batch (copies). */
    public Batch select(int[] indices) {
        return new Batch(inputs.selectColumns(indices), targets.selectColumns(indices));
    }

    /**
     * One epoch of minibatches of size M from a fresh permutation drawn from {@code rng}; the
     * last partial batch is dropped when {@code dropLast} (then every batch has exactly M examples).
     */
    public Iterable<Batch> epoch(int batchSize, Rng rng, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        int[] perm = rng.permutation(size());
        int nBatches = dropLast ? size() / batchSize : (size() + batchSize - 1) / batchSize;
        return () -> new Iterator<>() {
            int b = 0;

            @Override
            public boolean hasNext() {
                return b < nBatches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = b * batchSize;
                int to = Math.min(size(), from + batchSize);
                b++;
                int[] idx = new int[to - from];
                System.arraycopy(perm, from, idx, 0, idx.length);
                return select(idx);
            }
        };
    }

    /** M distinct examples chosen at random (the 2018 code's minibatch rule). */
    public Batch sample(int batchSize, Rng rng) {
        if (batchSize <= 0 || batchSize > size()) {
            throw new IllegalArgumentException("batch size must be in 1.." + size() + ", got " + batchSize);
        }
        int n = size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return select(rng.drawDistinct(idx, batchSize));
    }
}
