package org.natgrad.experiment.autoencoder;

import java.util.Locale;
import java.util.Map;
import org.natgrad.experiment.autoencoder.AutoencoderExperiment.DatasetResult;
import org.natgrad.experiment.autoencoder.AutoencoderExperiment.GridEntry;
import org.natgrad.experiment.autoencoder.AutoencoderExperiment.MethodRun;
import org.natgrad.experiment.autoencoder.AutoencoderExperiment.RegimeResult;
import org.natgrad.experiment.autoencoder.AutoencoderExperiment.Results;

/** report.md of the autoencoder experiment: machine, settings, and per data set and regime the time-to-target table. */
final class AutoencoderReport {
    private AutoencoderReport() {
    }

    static String markdown(AutoencoderOptions o, Results r) {
        StringBuilder sb = new StringBuilder("# Deep autoencoder: SGD, Adam, Eq. 20 NGD and K-FAC against wall-clock\n\n");
        Map<String, Object> m = r.machine();
        sb.append(String.format(Locale.ROOT, "Machine: %s, %s, JDK %s; %s processors available to the JVM, "
                        + "BLAS threads %s, fork-join parallelism %s; load average (1 min) at start %.2f.%n%n", m.get("cpu"), m.get("os"),
                m.get("jdk"), m.get("availableProcessors"), m.get("blasThreads"), m.get("forkJoinParallelism"),
                ((Number) m.get("loadAverage1MinAtStart")).doubleValue()));
        sb.append("Network ").append(r.widths()).append(": tanh hidden layers, linear code layer, Bernoulli (sigmoid "
                + "cross-entropy) output. Error = reconstruction cross-entropy per image (nats) on the training probe "
                + "(first ").append(o.probe()).append(" training images) and the test set; squared error per image is "
                + "in the CSVs.\n\n");
        sb.append(String.format(Locale.ROOT, "Budget: %.1f s of training wall-clock per method, regime and data set "
                        + "(evaluations excluded, every %.1f s). Learning rates of SGD (momentum 0.9) and Adam chosen by "
                        + "the lowest training error after %.1f s per candidate; grids SGD %s, Adam %s.%s%n%n",
                o.budgetSeconds(), o.evalSeconds(), o.gridSeconds(), o.sgdGrid(), o.adamGrid(),
                o.quick() ? " **--quick run**: narrow network, data subset, tiny budgets; not a benchmark." : ""));
        sb.append("K-FAC: ").append(AutoencoderExperiment.kfacOptions(o.seed()).curvature())
                .append(" with kfac-jax's optimizer features (autoencoder_mnist): factor moving average 0.95, inverses "
                        + "every 5 steps, quadratic-model damping from 150 adapted every 5 steps, learning rate and "
                        + "momentum from the 2x2 quadratic model, L2 1e-5 (").append(AutoencoderExperiment.kfacFeatures())
                .append(").\n\n");
        for (DatasetResult d : r.datasets()) {
            sb.append("## ").append(d.dataset()).append("\n\n");
            if (d.skipped()) {
                sb.append("Skipped: ").append(d.skipReason()).append("\n\n");
                continue;
            }
            sb.append(d.data()).append("\n\n");
            for (RegimeResult rr : d.regimes()) {
                sb.append("### ").append(rr.regime()).append(" (M = ").append(rr.batchSize()).append(")\n\n");
                sb.append(Double.isNaN(rr.adamBestTrainCe()) ? "No Adam run: no target.\n\n"
                        : String.format(Locale.ROOT, "Adam's best training error in the budget: %.4f.%n%n",
                        rr.adamBestTrainCe()));
                sb.append("| method | lr | steps | best train | final train | final test | final test sq. | "
                        + "s to Adam's best | ratio to Adam |\n|---|---|---|---|---|---|---|---|---|\n");
                for (MethodRun mr : rr.methods()) {
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.4f | %.4f | %.4f | %s | %s |%n",
                            mr.method(), Double.isNaN(mr.learningRate()) ? "-" : String.format(Locale.ROOT, "%g",
                                    mr.learningRate()), mr.steps(), mr.bestTrainCe(), mr.finalTrainCe(),
                            mr.finalTestCe(), mr.finalTestSq(),
                            Double.isNaN(mr.secondsToTarget()) ? "not reached"
                                    : String.format(Locale.ROOT, "%.2f", mr.secondsToTarget()),
                            Double.isNaN(mr.ratioToAdam()) ? "-" : String.format(Locale.ROOT, "%.2f", mr.ratioToAdam())));
                }
                sb.append('\n');
                for (MethodRun mr : rr.methods()) {
                    if (!mr.grid().isEmpty()) {
                        sb.append("Grid ").append(mr.method()).append(':');
                        for (GridEntry g : mr.grid()) {
                            sb.append(String.format(Locale.ROOT, " %g -> %s;", g.learningRate(),
                                    g.diverged() ? "diverged" : String.format(Locale.ROOT, "%.4f", g.trainCe())));
                        }
                        sb.append(" chose ").append(String.format(Locale.ROOT, "%g", mr.learningRate())).append(".\n");
                    }
                    if (!mr.divergence().isEmpty()) {
                        sb.append(mr.method()).append(" stopped early: ").append(mr.divergence()).append(".\n");
                    }
                }
                sb.append("\nPlots: ").append(d.dataset()).append('-').append(rr.regime())
                        .append("-error-vs-examples.png, -error-vs-seconds.png.\n\n");
            }
        }
        sb.append(String.format(Locale.ROOT, "Total %.1f s.%n", r.totalSeconds()));
        return sb.toString();
    }
}
