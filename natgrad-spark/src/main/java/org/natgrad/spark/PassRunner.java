package org.natgrad.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs {@link Pass}es on a {@link SparkData}: broadcasts the pass, lets each partition form its
 * partial sums, adds them with {@code treeAggregate} (or in partition order on the driver,
 * {@link SparkData#orderedReduction()}), and counts the bytes moved.
 */
final class PassRunner {
    private final SparkData data;
    private final int depth;
    private final Map<Integer, Long> serializedLength = new HashMap<>();
    private PassCounters counters = PassCounters.ZERO;
    private long passOverhead = -1;

    PassRunner(SparkData data, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("natgrad-spark: treeAggregate depth must be >= 1, got " + depth);
        }
        this.data = data;
        this.depth = depth;
    }

    /** The sums of {@code pass} over all partitions (a {@link PackedSums} array). */
    double[] run(Pass pass, boolean lossOnly) {
        long t0 = System.nanoTime();
        Broadcast<Pass> b = data.context().broadcast(pass);
        double[] sums;
        try {
            if (data.ordered()) {
                sums = new double[pass.layout().length()];
                for (double[] partial : data.shards().map(shard -> b.value().compute(shard)).collect()) {
                    PackedSums.add(sums, partial); // partition order
                }
            } else {
                sums = data.shards().treeAggregate(new double[pass.layout().length()],
                        (acc, shard) -> PackedSums.add(acc, b.value().compute(shard)), PackedSums::add, depth);
            }
        } finally {
            b.destroy();
        }
        long reduced = (long) data.partitions() * serialized(pass.layout().length());
        counters = counters.plus(lossOnly, reduced, broadcastBytes(pass), System.nanoTime() - t0);
        return sums;
    }

    PassCounters counters() {
        return counters;
    }

    SparkData data() {
        return data;
    }

    /**
     * Bytes of {@code pass} Java-serialized: its fixed part (measured once, with empty weights and
     * minibatch) plus 8 per weight and 4 per minibatch index, without serializing the weights again.
     */
    private long broadcastBytes(Pass pass) {
        if (passOverhead < 0) {
            passOverhead = bytes(new Pass(pass.shape(), new double[0], pass.likelihood(), new int[0], pass.layout(),
                    pass.modelSamples(), pass.seed(), pass.step()));
        }
        return passOverhead + 8L * pass.weights().length + 4L * pass.minibatch().length;
    }

    /** Bytes of a Java-serialized double[] of {@code length} values (8 per value plus the header). */
    private long serialized(int length) {
        return serializedLength.computeIfAbsent(length, n -> bytes(new double[n]));
    }

    static long bytes(Object o) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buf)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.size();
    }
}
