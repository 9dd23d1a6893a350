package org.natgrad.experiment.training;

import java.util.function.Supplier;
import org.natgrad.data.Dataset;
import org.natgrad.nn.Batch;
import org.natgrad.random.Rng;

/**
 * Minibatches in epoch order, endlessly: each epoch is {@link Dataset#epoch} of a fresh
 * permutation drawn from the random stream when the epoch's first minibatch is asked for. The
 * position ({@link #epochStart()}, {@link #batchesIntoEpoch()}) is what a checkpoint stores;
 * {@link #resumed} continues from it with the same minibatches.
 */
public final class EpochBatches implements Supplier<Batch> {
    private final Dataset data;
    private final int batchSize;
    private final Rng rng;
    private final boolean dropLast;
    private long skip;
    private int[] permutation;
    private int perEpoch;
    private int next;
    private int[] last;
    private long[] epochStart;
    private long taken;

    /**
     * Minibatches of {@code batchSize} columns of {@code data}, permuted by {@code rng} (kept and
     * advanced); with {@code dropLast} the incomplete last slice of each epoch is skipped.
     */
    public EpochBatches(Dataset data, int batchSize, Rng rng, boolean dropLast) {
        this(data, batchSize, rng, dropLast, 0);
    }

    private EpochBatches(Dataset data, int batchSize, Rng rng, boolean dropLast, long skip) {
        if (data.size() == 0 || batchSize <= 0 || (dropLast && batchSize > data.size())) {
            throw new IllegalArgumentException("EpochBatches: minibatch size " + batchSize + " must be in 1.."
                    + data.size());
        }
        this.data = data;
        this.batchSize = batchSize;
        this.rng = rng;
        this.dropLast = dropLast;
        this.skip = skip;
        this.epochStart = rng.state();
    }

    /**
     * Continues an epoch: {@code rng} must be in the state {@link #epochStart()} had, and the
     * first {@code batchesIntoEpoch} minibatches of that epoch are passed over.
     */
    public static EpochBatches resumed(Dataset data, int batchSize, Rng rng, boolean dropLast, long batchesIntoEpoch) {
        return new EpochBatches(data, batchSize, rng, dropLast, batchesIntoEpoch);
    }

    /**
     * The next minibatch: the columns {@link #lastIndices()} of the data set, in that order (the
     * draws and slices of {@link Dataset#epoch}).
     */
    @Override
    public Batch get() {
        while (permutation == null || next == perEpoch) {
            epochStart = rng.state();
            permutation = rng.permutation(data.size());
            perEpoch = dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
            next = 0;
            taken = 0;
            for (; taken < skip && next < perEpoch; taken++) {
                next++;
            }
            skip = 0;
        }
        taken++;
        int from = next++ * batchSize;
        last = java.util.Arrays.copyOfRange(permutation, from, Math.min(data.size(), from + batchSize));
        return data.select(last);
    }

    /**
     * The data-set indices of the minibatch {@link #get()} returned last, in its column order (a
     * copy); what a distributed step, whose partitions hold the examples, is given instead of the data.
     *
     * @throws IllegalStateException before the first minibatch
     */
    public int[] lastIndices() {
        if (last == null) {
            throw new IllegalStateException("EpochBatches.lastIndices: no minibatch drawn yet");
        }
        return last.clone();
    }

    /** The random stream's state when the current epoch's permutation was drawn (a copy). */
    public long[] epochStart() {
        return epochStart.clone();
    }

    /** Minibatches taken from the current epoch. */
    public long batchesIntoEpoch() {
        return taken;
    }
}
