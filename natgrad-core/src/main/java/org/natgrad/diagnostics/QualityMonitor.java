package org.natgrad.diagnostics;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Network;
import org.natgrad.optim.Optimizer;
import org.natgrad.optim.StepReport;

/**
 * Logs {@link ApproximationQuality} during training every {@code every} steps (steps 0, N, 2N, ...),
 * measured on the step's batch <i>before</i> the step. Either call {@link #observe} from the training
 * loop, or wrap the optimizer with {@link #wrap}, which observes before each step.
 */
public final class QualityMonitor {

    /** One measurement. */
    public record Entry(long step, List<ApproximationQuality> qualities) {
    }

    private final Likelihood likelihood;
    private final List<CurvatureChoice> choices;
    private final int every;
    private final double damping;
    private final Consumer<Entry> sink;
    private long steps;

    /**
     * @param choices the approximations to compare with exact NGD
     * @param every   N ≥ 1
     * @param damping ρ ≥ 0 (0: pseudo-inverses)
     * @param sink    receives each measurement (e.g. a log writer)
     */
    public QualityMonitor(Likelihood likelihood, List<CurvatureChoice> choices, int every, double damping,
                          Consumer<Entry> sink) {
        if (every < 1) {
            throw new IllegalArgumentException("QualityMonitor: every must be >= 1, got " + every);
        }
        if (!(damping >= 0)) {
            throw new IllegalArgumentException("QualityMonitor: damping must be >= 0, got " + damping);
        }
        this.likelihood = likelihood;
        this.choices = List.copyOf(choices);
        this.every = every;
        this.damping = damping;
        this.sink = sink;
    }

    /** Counts a step; every N-th one measures on {@code batch} (exact Fisher) and sends the entry to the sink. */
    public void observe(Network net, Batch batch) {
        long step = steps++;
        if (step % every == 0) {
            sink.accept(new Entry(step, ApproximationQuality.measure(net, likelihood, batch, CurvatureKind.exact(),
                    damping, choices)));
        }
    }

    /** An optimizer that observes before each step of {@code inner}. */
    public Optimizer wrap(Optimizer inner) {
        return new Optimizer() {
            @Override
            public StepReport step(Network net, Batch batch) {
                observe(net, batch);
                return inner.step(net, batch);
            }

            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public Map<String, double[]> saveState() {
                return inner.saveState();
            }

            @Override
            public void restoreState(Map<String, double[]> state) {
                inner.restoreState(state);
            }

            @Override
            public boolean atResumableBoundary() {
                return inner.atResumableBoundary();
            }
        };
    }
}
