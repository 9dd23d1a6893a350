package org.natgrad.experiment.ay2020;

import java.io.IOException;
import java.util.List;
import org.natgrad.experiment.RunFolder;
import org.natgrad.plot.FigureGrid;
import org.natgrad.plot.LinePlot;

/**
 * {@code kl.png} / {@code kl.svg}: one row per problem; left KL(p*_V ‖ p_V) against iterations,
 * up to the fixed N; right against seconds spent in steps (whole runs); log y; one line per rule at its best rate (wake–sleep
 * rules dashed).
 */
final class Ay2020Figures {
    private Ay2020Figures() {
    }

    static void save(RunFolder folder, List<Ay2020.ProblemRun> runs) throws IOException {
        FigureGrid grid = new FigureGrid(runs.size(), 2, 620, 420);
        for (int row = 0; row < runs.size(); row++) {
            Ay2020.ProblemRun run = runs.get(row);
            LinePlot byIter = new LinePlot(run.problem().title()).xTitle("iteration").yTitle("KL(p*_V || p_V) [nats]").logY(true);
            LinePlot bySec = new LinePlot(run.problem().title()).xTitle("seconds in steps").yTitle("KL(p*_V || p_V) [nats]").logY(true);
            for (var c : run.best().values()) {
                String label = c.rule() + " (rate " + c.rate() + ")";
                boolean dashed = Ay2020.isWakeSleep(c.rule());
                int upTo = 0; // the iteration panel stops at N; the seconds panel shows whole runs
                while (upTo < c.iteration().length && c.iteration()[upTo] <= run.problem().iterations()) {
                    upTo++;
                }
                byIter.add(label, java.util.Arrays.copyOf(c.iteration(), upTo), java.util.Arrays.copyOf(c.kl(), upTo), dashed);
                bySec.add(label, c.seconds(), c.kl(), dashed);
            }
            grid.set(row, 0, byIter);
            grid.set(row, 1, bySec);
        }
        grid.save(folder.resolve("kl"));
    }
}
