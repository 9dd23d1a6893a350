package org.natgrad.experiment.bernacchia2018;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.natgrad.experiment.RunLog;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;

/**
 * Writes a panel's log.csv through the one log writer, {@link RunLog}: one row per evaluation of
 * each curve, with columns {@code optimizer, examples, seconds, test_error, log10_test_error,
 * train_error, damping, accepted, rejected} (train_error: on the first
 * {@link TrainingRun#TRAIN_PROBE} training examples; empty when not measured; seconds = training
 * wall-clock, evaluation excluded, 6 decimals; errors and damping to 10 significant digits;
 * damping empty for SGD).
 */
public final class LogCsv {
    /** The header line. */
    public static final String HEADER = "optimizer,examples,seconds,test_error,log10_test_error,train_error,damping,accepted,rejected";

    private LogCsv() {
    }

    /** Writes the given curves, in order, to {@code file} (atomically when done). */
    public static void write(Path file, List<Curve> curves) throws IOException {
        try (RunLog log = new RunLog(file, Arrays.asList(HEADER.split(",")))) {
            for (Curve c : curves) {
                for (CurvePoint p : c.points()) {
                    log.row(c.optimizer(), p.examples(), String.format(Locale.ROOT, "%.6f", p.seconds()),
                            num(p.testError()), num(Math.log10(p.testError())),
                            Double.isNaN(p.trainError()) ? null : num(p.trainError()),
                            Double.isNaN(p.damping()) ? null : num(p.damping()), p.accepted(), p.rejected());
                }
            }
        }
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.10g", v) : Double.toString(v);
    }
}
