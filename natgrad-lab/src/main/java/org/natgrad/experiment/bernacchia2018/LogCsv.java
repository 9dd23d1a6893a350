package org.natgrad.experiment.bernacchia2018;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.natgrad.io.AtomicFiles;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;

/**
 * Writes a panel's log.csv: one row per evaluation of each curve, with columns
 * {@code optimizer, examples, seconds, test_error, log10_test_error, train_error, damping, accepted,
 * rejected} (train_error: on the first {@link TrainingRun#TRAIN_PROBE} training examples; empty when
 * not measured)
 * (seconds = training wall-clock, evaluation excluded; damping empty for SGD).
 */
public final class LogCsv {
    /** The header line. */
    public static final String HEADER = "optimizer,examples,seconds,test_error,log10_test_error,train_error,damping,accepted,rejected";

    private LogCsv() {
    }

    /** The CSV text for the given curves, in order. */
    public static String format(List<Curve> curves) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Curve c : curves) {
            for (CurvePoint p : c.points()) {
                sb.append(c.optimizer()).append(',')
                        .append(p.examples()).append(',')
                        .append(String.format(Locale.ROOT, "%.6f", p.seconds())).append(',')
                        .append(num(p.testError())).append(',')
                        .append(num(Math.log10(p.testError()))).append(',')
                        .append(Double.isNaN(p.trainError()) ? "" : num(p.trainError())).append(',')
                        .append(Double.isNaN(p.damping()) ? "" : num(p.damping())).append(',')
                        .append(p.accepted()).append(',')
                        .append(p.rejected()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Writes {@link #format(List)} to {@code file} atomically. */
    public static void write(Path file, List<Curve> curves) throws IOException {
        AtomicFiles.writeString(file, format(curves));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.10g", v) : Double.toString(v);
    }
}
