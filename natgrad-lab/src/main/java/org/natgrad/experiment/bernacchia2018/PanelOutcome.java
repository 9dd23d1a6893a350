package org.natgrad.experiment.bernacchia2018;

import org.natgrad.experiment.training.Curve;

/**
 * Everything one panel produced.
 *
 * @param spec        the settings it ran with
 * @param data        its data and minimum achievable error
 * @param sgd         the grid search and the chosen SGD run (continued to the full budget)
 * @param ngd         the NGD curve
 * @param predicted   the predicted NGD curve from the population closed forms (panel A), or null
 * @param predictedNote why there is no predicted curve where one was expected, or empty
 * @param wallSeconds wall-clock of the whole panel (data, grid, evaluations included)
 */
public record PanelOutcome(PanelSpec spec, PanelData data, SgdGridSearch.Outcome sgd, Curve ngd, Curve predicted,
                           String predictedNote, double wallSeconds) {

    public Panel panel() {
        return spec.panel();
    }

    /** The chosen SGD run's curve. */
    public Curve sgdCurve() {
        return sgd.best().curve();
    }

    /** The SGD summary against the panel's minimum achievable error. */
    public Milestones.Summary sgdSummary() {
        return Milestones.summarize(sgdCurve(), data.minAchievable());
    }

    /** The NGD summary against the panel's minimum achievable error. */
    public Milestones.Summary ngdSummary() {
        return Milestones.summarize(ngd, data.minAchievable());
    }
}
