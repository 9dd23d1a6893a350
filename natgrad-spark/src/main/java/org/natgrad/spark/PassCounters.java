package org.natgrad.spark;

/**
 * What the distributed passes of a run cost, summed over its steps.
 *
 * @param passes          distributed passes (jobs): one per step, plus one per Levenberg–Marquardt
 *                        loss re-evaluation, plus any extra statistics pass
 * @param lossPasses      of those, the loss re-evaluations after a step
 * @param reducedBytes    bytes of the partial sums the partitions sent into the reduction (each
 *                        partition's {@code double[]} as Java-serialized, times the partitions)
 * @param broadcastBytes  bytes of the broadcast passes (weights, minibatch indices), once per pass
 * @param passNanos       wall time of the passes on the driver (broadcast, compute, reduce)
 * @param lossNanos       of that, the loss re-evaluations' (the rest is the statistics phase:
 *                        loss, gradient and, on refresh steps, the factors)
 */
public record PassCounters(long passes, long lossPasses, long reducedBytes, long broadcastBytes, long passNanos,
                           long lossNanos) {

    static final PassCounters ZERO = new PassCounters(0, 0, 0, 0, 0, 0);

    PassCounters plus(boolean lossOnly, long reduced, long broadcast, long nanos) {
        return new PassCounters(passes + 1, lossPasses + (lossOnly ? 1 : 0), reducedBytes + reduced,
                broadcastBytes + broadcast, passNanos + nanos, lossNanos + (lossOnly ? nanos : 0));
    }

    /** Wall time of the statistics passes (all but the loss re-evaluations). */
    public long statisticsNanos() {
        return passNanos - lossNanos;
    }
}
