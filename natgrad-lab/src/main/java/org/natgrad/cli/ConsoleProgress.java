package org.natgrad.cli;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.natgrad.experiment.train.TrainListener;

/**
 * A progress bar on the terminal (stderr) when there is one ({@code System.console() != null}),
 * and silence otherwise (CI, pipes, tests). Usable directly ({@link #start}, {@link #stepTo},
 * {@link #message}, {@link #close}) or as a {@link TrainListener}. Any subcommand can use it.
 */
public final class ConsoleProgress implements TrainListener, AutoCloseable {
    private final String task;
    private final String unit;
    private final boolean enabled;
    private ProgressBar bar;

    private ConsoleProgress(String task, String unit, boolean enabled) {
        this.task = task;
        this.unit = unit;
        this.enabled = enabled;
    }

    /** A bar named {@code task} counting {@code unit}s (e.g. " ex"), shown only on a terminal. */
    public static ConsoleProgress onTerminal(String task, String unit) {
        return new ConsoleProgress(task, unit, System.console() != null);
    }

    /** True if this bar draws anything. */
    public boolean enabled() {
        return enabled;
    }

    /** Starts (or restarts) the bar at 0 of {@code max}. */
    public void start(long max) {
        if (!enabled) {
            return;
        }
        close();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).setUnit(unit, 1).showSpeed().build();
    }

    /** Moves the bar to {@code n}. */
    public void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    /** Shows a short message after the bar. */
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(" " + text);
        }
    }

    /** Finishes the bar (idempotent). */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void started(long totalExamples) {
        start(totalExamples);
    }

    @Override
    public void stepped(long examplesSeen, double batchLoss) {
        stepTo(examplesSeen);
    }

    @Override
    public void evaluated(long examplesSeen, double trainLoss, double testLoss) {
        message(String.format(Locale.ROOT, "test loss %.3g", testLoss));
    }

    @Override
    public void finished() {
        close();
    }
}
