package org.natgrad.bench;

import java.util.concurrent.TimeUnit;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;
import org.natgrad.nn.Trace;
import org.natgrad.statistics.Gradients;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One forward + backward pass of the 784-400-200-100-50-100-200-400-784 tanh autoencoder (final
 * layer linear, unit Gaussian likelihood, batch M = 1000, one BLAS thread), against the same
 * pass's 23 matrix products replayed back to back by {@link GemmPlan} (same operands, shapes
 * and transposes, preallocated outputs). pass / gemmsOfPass is the overhead ratio of
 * everything that is not a gemm (activations, allocation, loss, bias sums); {@link Ratios}
 * prints it.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AutoencoderPassBenchmark extends SingleThreadBenchmark {

    public static final int BATCH = 1000;

    private Network net;
    private Batch batch;
    private Gaussian likelihood;
    private GemmPlan plan;

    @Override
    protected void prepare() {
        net = Workloads.autoencoder(7);
        batch = Workloads.autoencoderBatch(784, BATCH, 8);
        likelihood = Gaussian.unit();
        Gradients g = Gradients.of(net, likelihood, batch);
        Trace trace = g.trace();
        Matrix err = org.natgrad.linalg.MatOps.scaleInPlace(1.0 / BATCH, likelihood.outputError(trace.output(),
                batch.targets()));
        plan = GemmPlan.ofPass(net, trace, net.backward(trace, err, true));
    }

    /** Forward, loss, backward with gradients: {@link Gradients#of}. */
    @Benchmark
    public Gradients pass() {
        return Gradients.of(net, likelihood, batch);
    }

    /** The pass's 23 gemms alone. */
    @Benchmark
    public Matrix gemmsOfPass() {
        return plan.run();
    }

    /** The forward pass alone, for reference. */
    @Benchmark
    public Trace forward() {
        return net.forward(batch.inputs());
    }
}
