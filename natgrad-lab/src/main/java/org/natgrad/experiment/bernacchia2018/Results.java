package org.natgrad.experiment.bernacchia2018;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;

/**
 * The content of results.json: under {@code panels.<A|B|C|D>.<sgd|ngd>} the fields
 * {@code final_test_error}, {@code min_achievable}, {@code examples_to_2x}, {@code seconds_to_2x},
 * {@code examples_to_10x}, {@code seconds_to_10x} (null when never reached or when there is no
 * minimum, as in panel D), plus details: the SGD grid and chosen α, examples and training seconds
 * run, lowest test error, divergence; per panel the test error of both optimizers at fixed example
 * counts ({@link #MILESTONES}) with the training seconds to reach them, and for panel A the
 * predicted NGD curve's figures. Seconds are training wall-clock (evaluations excluded).
 */
public final class Results {
    /** Example counts at which both optimizers' test errors are reported. */
    public static final List<Long> MILESTONES = List.of(10_000L, 100_000L, 500_000L, 1_000_000L);

    private Results() {
    }

    /** The results.json tree of a run. */
    public static Map<String, Object> toMap(Bernacchia2018.Outcome out) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", "bernacchia2018");
        m.put("figure", "Bernacchia, Lengyel & Hennequin (NeurIPS 2018), Figure 1");
        m.put("quick", out.options().quick());
        m.put("seed", out.options().seed());
        m.put("total_seconds", out.totalSeconds());
        m.put("skipped", out.skipped().isEmpty() ? null : out.skipped());
        Map<String, Object> panels = new LinkedHashMap<>();
        for (PanelOutcome po : out.panels()) {
            panels.put(po.panel().name(), panel(po));
        }
        m.put("panels", panels);
        return m;
    }

    static Map<String, Object> panel(PanelOutcome po) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", po.panel().description());
        m.put("widths", po.spec().widths());
        m.put("data", po.data().description());
        m.put("min_achievable", po.data().minAchievable());
        m.put("min_achievable_expected", po.data().minAchievableExpected());
        Map<String, Object> sgd = summary(po.sgdSummary(), po.sgdCurve());
        sgd.put("alpha", po.sgd().bestAlpha());
        sgd.put("effective_learning_rate", po.sgd().candidates().stream()
                .filter(c -> c.alpha() == po.sgd().bestAlpha()).findFirst().orElseThrow().effectiveRate());
        sgd.put("alpha_on_grid_edge", po.sgd().bestOnEdge());
        sgd.put("grid_examples", po.spec().gridExamples());
        sgd.put("grid_seconds", po.sgd().gridSeconds());
        List<Map<String, Object>> grid = new ArrayList<>();
        for (SgdGridSearch.Candidate c : po.sgd().candidates()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("alpha", c.alpha());
            g.put("effective_learning_rate", c.effectiveRate());
            g.put("test_error", c.testError());
            g.put("seconds", c.seconds());
            g.put("diverged", c.diverged());
            g.put("extension", c.extension());
            grid.add(g);
        }
        sgd.put("grid", grid);
        m.put("sgd", sgd);
        Map<String, Object> ngd = summary(po.ngdSummary(), po.ngd());
        ngd.put("final_damping", po.ngd().last().damping());
        ngd.put("rejected_steps", po.ngd().last().rejected());
        m.put("ngd", ngd);
        if (po.predicted() != null) {
            m.put("ngd_predicted", summary(Milestones.summarize(po.predicted(), po.data().minAchievable()), po.predicted()));
        } else if (!po.predictedNote().isEmpty()) {
            m.put("ngd_predicted", po.predictedNote());
        }
        Map<String, Object> at = new LinkedHashMap<>();
        for (long e : MILESTONES) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sgd", point(Milestones.at(po.sgdCurve(), e)));
            row.put("ngd", point(Milestones.at(po.ngd(), e)));
            at.put(Long.toString(e), row);
        }
        m.put("at_examples", at);
        m.put("panel_wall_seconds", po.wallSeconds());
        return m;
    }

    static Map<String, Object> summary(Milestones.Summary s, Curve c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("final_test_error", s.finalTestError());
        m.put("min_achievable", s.minAchievable());
        m.put("examples_to_2x", s.examplesTo2x());
        m.put("seconds_to_2x", s.secondsTo2x());
        m.put("examples_to_10x", s.examplesTo10x());
        m.put("seconds_to_10x", s.secondsTo10x());
        m.put("lowest_test_error", Milestones.lowest(c));
        m.put("examples", c.last().examples());
        m.put("seconds", c.last().seconds());
        m.put("diverged", c.diverged() ? c.divergence() : null);
        return m;
    }

    private static Map<String, Object> point(Optional<CurvePoint> p) {
        if (p.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("examples", p.get().examples());
        m.put("test_error", p.get().testError());
        m.put("seconds", p.get().seconds());
        return m;
    }
}
