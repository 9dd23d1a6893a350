package org.natgrad.experiment.bernacchia2018;

import org.natgrad.nn.Batch;
import org.natgrad.data.Dataset;
import org.natgrad.random.Rng;

/**
 * Draws minibatches of M distinct examples chosen uniformly at random from a data set, the 2018
 * code's rule, independently from one batch to the next. A partial Fisher–Yates shuffle over an
 * index array kept between draws, so a draw costs O(M), not O(N).
 */
public final class MinibatchSampler {
    private final Dataset data;
    private final Rng rng;
    private final int[] index;

    /** A sampler over {@code data} drawing from {@code rng} (kept, advanced by each draw). */
    public MinibatchSampler(Dataset data, Rng rng) {
        this.data = data;
        this.rng = rng;
        this.index = new int[data.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
    }

    /** The indices of M distinct examples. */
    public int[] drawIndices(int batchSize) {
        if (batchSize <= 0 || batchSize > index.length) {
            throw new IllegalArgumentException("minibatch size must be in 1.." + index.length + ", got " + batchSize);
        }
        return rng.drawDistinct(index, batchSize);
    }

    /** A batch of M distinct examples (copied columns). */
    public Batch draw(int batchSize) {
        return data.select(drawIndices(batchSize));
    }
}
