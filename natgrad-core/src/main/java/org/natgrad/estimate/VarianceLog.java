package org.natgrad.estimate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Network;

/**
 * The per-layer Fisher-variance figures as named columns, for an optimizer or training loop to
 * log every few steps (e.g. into a run's log.csv): for each layer l (1-based) and N samples,
 * {@code fisher_fro_l}, {@code relerr_i1_l} and {@code relerr_i2_l} (relative standard errors with
 * N joint (x, y) samples, {@link LayerVariance.Layer#relativeError}).
 */
public final class VarianceLog {
    private VarianceLog() {
    }

    /** The columns for one evaluation at the inputs (n_0 x M) with N samples. */
    public static Map<String, Double> columns(Network net, ExponentialFamily family, Matrix inputs, long samples) {
        return columns(LayerVariance.compute(net, family, inputs), samples);
    }

    /** The columns of an already computed result with N samples. */
    public static Map<String, Double> columns(LayerVariance.Result r, long samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("VarianceLog: the number of samples N must be >= 1, got " + samples);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (LayerVariance.Layer l : r.layers()) {
            int k = l.layer() + 1;
            m.put("fisher_fro_" + k, l.fisherFrobenius());
            m.put("relerr_i1_" + k, l.relativeError(1, samples));
            m.put("relerr_i2_" + k, l.relativeError(2, samples));
        }
        return m;
    }
}
