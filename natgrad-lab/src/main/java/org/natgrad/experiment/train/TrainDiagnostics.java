package org.natgrad.experiment.train;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.nn.Batch;
import org.natgrad.diagnostics.ApproximationQuality;
import org.natgrad.estimate.ExponentialFamily;
import org.natgrad.estimate.VarianceLog;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.RunLog;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Network;

/**
 * Optional measurements taken during {@code natgrad train}, on the minibatch of a step just before
 * the step is taken, and written to their own CSV files (their time is not counted as training):
 * <ul>
 *   <li>{@code quality.csv} every {@link TrainOptions#qualityEvery()} steps: angle and relative
 *       error of each approximate natural gradient (block-diagonal, tri-diagonal, K-FAC, EK-FAC,
 *       unit-wise, diagonal) against the exact one, with the exact Fisher of the batch and damping
 *       {@link #QUALITY_DAMPING}: one exact solve per measurement, dense up to 4096 parameters and by
 *       conjugate gradients on matrix-free Fisher products beyond (an approximation that cannot be
 *       built or solved is recorded as NaN);</li>
 *   <li>{@code variance.csv} every {@link TrainOptions#varianceEvery()} steps: per layer the Fisher
 *       block's Frobenius norm and the relative standard errors of the estimators Î1 and Î2 with as
 *       many samples as the batch has examples (math.md §3).</li>
 * </ul>
 */
final class TrainDiagnostics implements Closeable {
    /** Damping of every solve in the quality comparison (the tri-diagonal truncation needs some). */
    static final double QUALITY_DAMPING = 1e-3;
    static final String QUALITY = "quality.csv";
    static final String VARIANCE = "variance.csv";

    private static final List<CurvatureChoice> APPROXIMATIONS = List.of(CurvatureChoice.BLOCK_DIAGONAL,
            CurvatureChoice.BLOCK_TRIDIAGONAL, CurvatureChoice.KFAC, CurvatureChoice.EKFAC, CurvatureChoice.UNIT_WISE,
            CurvatureChoice.DIAGONAL);

    private final Likelihood likelihood;
    private final int qualityEvery;
    private final int varianceEvery;
    private final RunLog quality;
    private final RunLog variance;
    private final ExponentialFamily family;

    TrainDiagnostics(TrainOptions o, Likelihood likelihood, RunFolder folder) throws IOException {
        this(o, likelihood, folder, -1);
    }

    /**
     * With {@code resumeStep} &gt;= 0, continues the files of an interrupted run: rows measured before
     * step {@code resumeStep} are kept, later ones dropped (they will be measured again).
     */
    TrainDiagnostics(TrainOptions o, Likelihood likelihood, RunFolder folder, long resumeStep) throws IOException {
        this.likelihood = likelihood;
        this.qualityEvery = o.qualityEvery();
        this.varianceEvery = o.varianceEvery();
        List<String> qualityColumns = List.of("step", "curvature", "angle_degrees", "relative_error",
                "scaled_relative_error", "norm_ratio");
        this.quality = qualityEvery <= 0 ? null : open(folder.resolve(QUALITY), qualityColumns, resumeStep);
        if (varianceEvery > 0) {
            List<String> cols = new ArrayList<>(List.of("step", "samples"));
            for (int l = 1; l < o.layers().size(); l++) {
                cols.addAll(List.of("fisher_fro_" + l, "relerr_i1_" + l, "relerr_i2_" + l));
            }
            this.variance = open(folder.resolve(VARIANCE), cols, resumeStep);
            this.family = ExponentialFamily.of(likelihood);
        } else {
            this.variance = null;
            this.family = null;
        }
    }

    private static RunLog open(Path file, List<String> columns, long resumeStep) throws IOException {
        if (resumeStep < 0) {
            return new RunLog(file, columns);
        }
        return RunLog.reopen(file, columns, row -> Long.parseLong(row.get(0)) < resumeStep);
    }

    /**
     * {@code choices} against the exact natural gradient of the batch (dense, or CG beyond the dense
     * limit), or null when one of them cannot be built or solved.
     */
    private List<ApproximationQuality> measured(Network net, Batch batch, List<CurvatureChoice> choices) {
        try {
            return ApproximationQuality.measure(net, likelihood, batch, CurvatureKind.exact(), QUALITY_DAMPING, choices);
        } catch (ArithmeticException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Measures what is due at {@code step} (0-based count of steps taken so far) on the batch. */
    void beforeStep(long step, Network net, Batch batch) throws IOException {
        if (quality != null && step % qualityEvery == 0) {
            List<ApproximationQuality> all = measured(net, batch, APPROXIMATIONS); // one exact solve serves all
            for (int i = 0; i < APPROXIMATIONS.size(); i++) {
                CurvatureChoice c = APPROXIMATIONS.get(i);
                // when one approximation failed, each is measured alone, so that the others still count
                List<ApproximationQuality> q = all != null ? List.of(all.get(i)) : measured(net, batch, List.of(c));
                if (q == null) { // e.g. a singular damped tri-diagonal system: recorded as not measured
                    quality.row(step, c.label(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
                } else {
                    quality.row(step, c.label(), q.get(0).angleDegrees(), q.get(0).relativeError(),
                            q.get(0).scaledRelativeError(), q.get(0).normRatio());
                }
            }
        }
        if (variance != null && step % varianceEvery == 0) {
            Map<String, Double> cols = VarianceLog.columns(net, family, batch.inputs(), batch.size());
            List<Object> row = new ArrayList<>(List.of(step, batch.size()));
            for (String c : variance.columns().subList(2, variance.columns().size())) {
                row.add(cols.get(c));
            }
            variance.row(row.toArray());
        }
    }

    @Override
    public void close() throws IOException {
        if (quality != null) {
            quality.close();
        }
        if (variance != null) {
            variance.close();
        }
    }
}
