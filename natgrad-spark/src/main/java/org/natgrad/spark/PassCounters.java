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
 */
public record PassCounters(long passes, long lossPasses, long reducedBytes, long broadcastBytes, long passNanos) {

    static final PassCounters ZERO = new PassCounters(0, 0, 0, 0, 0);

    PassCounters plus(boolean lossOnly, long reduced, long broadcast, long nanos) {
        return new PassCounters(passes + 1, lossPasses + (lossOnly ? 1 : 0), reducedBytes + reduced,
                broadcastBytes + broadcast, passNanos + nanos);
    }
}
