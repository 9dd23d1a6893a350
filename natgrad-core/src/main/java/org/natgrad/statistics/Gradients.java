package org.natgrad.statistics;

import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.Precision;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.nn.Trace;

/**
 * The gradient of the mean minibatch loss, with the forward trace and loss that produced it.
 * The loss is always accumulated in double precision; in {@link Precision#SINGLE} it is the loss
 * of the float32 output (converted exactly), and the gradient's blocks hold the float32 results
 * of the single-precision backward pass.
 */
public record Gradients(Trace trace, double loss, ParamVector gradient) {

    /** Forward, loss, and backward of the mean loss (1/M) Σ_m ℓ_m on the batch. */
    public static Gradients of(Network net, Likelihood likelihood, Batch batch) {
        return of(net, likelihood, batch, Precision.DOUBLE);
    }

    /**
     * As {@link #of(Network, Likelihood, Batch)} with the passes in {@code precision}
     * ({@link Network#forward(Matrix, Precision)}, {@link Network#gradient}).
     */
    public static Gradients of(Network net, Likelihood likelihood, Batch batch, Precision precision) {
        Trace trace = net.forward(batch.inputs(), precision);
        Matrix out = trace.output();
        if (out.rows() != batch.targets().rows()) {
            throw new IllegalArgumentException("Gradients.of: targets are " + batch.targets().shape()
                    + " but the network output is " + out.shape() + " (" + out.rows() + " rows per example)");
        }
        double loss = likelihood.loss(out, batch.targets());
        Matrix err = MatOps.scaleInPlace(1.0 / batch.size(), likelihood.outputError(out, batch.targets()));
        return new Gradients(trace, loss, net.gradient(trace, err));
    }
}
