package org.natgrad.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Batch;

/**
 * One partition's examples, packed once and cached: their data-set indices in increasing order,
 * and their inputs (n_0 x m) and targets (n_L x m) as column-major arrays in that order.
 */
final class Shard implements java.io.Serializable {
    private final int[] index;
    private final double[] inputs;
    private final double[] targets;
    private final int inputSize;
    private final int targetSize;

    private Shard(int[] index, double[] inputs, double[] targets, int inputSize, int targetSize) {
        this.index = index;
        this.inputs = inputs;
        this.targets = targets;
        this.inputSize = inputSize;
        this.targetSize = targetSize;
    }

    /** Packs a partition's examples (any order); every input and target must have the sizes of the first. */
    static Shard of(Iterator<Example> examples) {
        List<Example> list = new ArrayList<>();
        examples.forEachRemaining(list::add);
        list.sort((a, b) -> Integer.compare(a.index(), b.index()));
        int m = list.size();
        int n0 = m == 0 ? 0 : list.get(0).input().length;
        int nl = m == 0 ? 0 : list.get(0).target().length;
        int[] idx = new int[m];
        double[] x = new double[m * n0];
        double[] y = new double[m * nl];
        for (int j = 0; j < m; j++) {
            Example e = list.get(j);
            if (e.input().length != n0 || e.target().length != nl) {
                throw new IllegalArgumentException("natgrad-spark: example " + e.index() + " has " + e.input().length
                        + " inputs and " + e.target().length + " targets, example " + list.get(0).index() + " has "
                        + n0 + " and " + nl);
            }
            if (j > 0 && e.index() == idx[j - 1]) {
                throw new IllegalArgumentException("natgrad-spark: example index " + e.index() + " occurs twice");
            }
            idx[j] = e.index();
            System.arraycopy(e.input(), 0, x, j * n0, n0);
            System.arraycopy(e.target(), 0, y, j * nl, nl);
        }
        return new Shard(idx, x, y, n0, nl);
    }

    /**
     * Reads an NPZ shard (on the executor): its rows are the indices offset .. offset + rows − 1.
     *
     * @throws java.io.UncheckedIOException around the reader's {@link org.natgrad.io.FileFormatException}
     *                                      (it names the shard), or one for arrays unlike the header
     */
    static Shard read(NpzShards.File f) {
        try {
            org.natgrad.data.Dataset d = org.natgrad.data.DatasetFiles.read(java.nio.file.Path.of(f.path()));
            if (d.size() != f.rows() || d.inputSize() != f.inputSize() || d.targetSize() != f.targetSize()) {
                throw new org.natgrad.io.FileFormatException(f.path(), -1, "holds " + d.size() + " examples of "
                        + d.inputSize() + " -> " + d.targetSize() + " values; its header said " + f.rows() + " of "
                        + f.inputSize() + " -> " + f.targetSize() + " when the job was planned (changed since?)");
            }
            int[] idx = new int[d.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = f.offset() + i;
            }
            return new Shard(idx, d.inputs().data(), d.targets().data(), d.inputSize(), d.targetSize());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The i-th smallest index held. */
    int index(int i) {
        return index[i];
    }

    int size() {
        return index.length;
    }

    int inputSize() {
        return inputSize;
    }

    int targetSize() {
        return targetSize;
    }

    /** The smallest and largest index held, or null for an empty shard. */
    int[] indexRange() {
        return index.length == 0 ? null : new int[] {index[0], index[index.length - 1]};
    }

    /** This shard's part of a minibatch: its examples in minibatch order, and their positions in it. */
    record Part(Batch batch, long[] positions) {
    }

    /**
     * The examples of {@code minibatch} (data-set indices, in minibatch order) held here, in that
     * order, with their positions q in the minibatch; null when none is held.
     */
    Part select(int[] minibatch) {
        int[] cols = new int[Math.min(minibatch.length, index.length)];
        long[] pos = new long[cols.length];
        int m = 0;
        for (int q = 0; q < minibatch.length && m < cols.length; q++) {
            int c = Arrays.binarySearch(index, minibatch[q]);
            if (c >= 0) {
                cols[m] = c;
                pos[m++] = q;
            }
        }
        if (m == 0) {
            return null;
        }
        Matrix x = new Matrix(inputSize, m);
        Matrix y = new Matrix(targetSize, m);
        for (int j = 0; j < m; j++) {
            System.arraycopy(inputs, cols[j] * inputSize, x.data(), j * inputSize, inputSize);
            System.arraycopy(targets, cols[j] * targetSize, y.data(), j * targetSize, targetSize);
        }
        return new Part(new Batch(x, y), Arrays.copyOf(pos, m));
    }
}
