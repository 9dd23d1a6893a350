package org.natgrad.experiment.bernacchia2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.data.Dataset;
import org.natgrad.likelihood.Gaussian;
import org.natgrad.optim.Sgd;
import org.natgrad.random.Rng;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;

class ClaimsTest {

    private static CurvePoint pt(long examples, double seconds, double err) {
        return new CurvePoint(examples, seconds, err, Double.NaN, 0.01, true, 0);
    }

    /** Panel A with an SGD run that never gets near the minimum and a hand-made NGD curve. */
    private static Bernacchia2018.Outcome outcome(double ngdSecondsTo2x, double sgdAlpha) {
        Dataset d = TrainingRunTest.regression(50, 1);
        TrainingRun sgdRun = new TrainingRun("sgd", TrainingRunTest.student(2), new Sgd(Gaussian.unit(), 1e-6), d, d, 10,
                10, new Rng(1));
        sgdRun.trainUntil(20); // the error stays ≈ its initial value, far above 2e-5
        SgdGridSearch.Outcome sgd = new SgdGridSearch.Outcome(
                List.of(new SgdGridSearch.Candidate(sgdAlpha, sgdAlpha / 20, 1.0, 0.1, false, false)), sgdAlpha, sgdRun, 0.1);
        Curve ngd = Curve.of("ngd", List.of(pt(0, 0, 10), pt(30_000, ngdSecondsTo2x / 2, 1e-4),
                pt(37_000, ngdSecondsTo2x, 1.9e-5), pt(100_000, 5, 1.1e-5)));
        PanelData data = new PanelData(d, d, 1e-5, 1e-5, "synthetic", null);
        PanelOutcome po = new PanelOutcome(PanelSpec.paper(Panel.A), data, sgd, ngd, null, "", 1.0);
        Bernacchia2018Options o = Bernacchia2018Options.defaults();
        return new Bernacchia2018.Outcome(o, List.of(po), "", Path.of("x"), 2.0);
    }

    private static Claims.Verdict verdictOf(List<Claims.Claim> claims, String start) {
        return claims.stream().filter(c -> c.claim().startsWith(start)).findFirst().orElseThrow().verdict();
    }

    @Test
    void verdictsFollowTheNumbers() {
        List<Claims.Claim> slow = Claims.evaluate(outcome(1.9, 0.16));
        assertEquals(Claims.Verdict.AGREES, verdictOf(slow, "NGD reaches 2x the minimum achievable error within 10 passes"));
        assertEquals(Claims.Verdict.AGREES, verdictOf(slow, "SGD with its best grid α does not reach 2x"));
        assertEquals(Claims.Verdict.DIFFERS, verdictOf(slow, "NGD reaches 2x the minimum in under 0.1 s"));
        assertEquals(Claims.Verdict.DIFFERS, verdictOf(slow, "SGD grid search picks α = 0.08"));
        List<Claims.Claim> fast = Claims.evaluate(outcome(0.05, 0.08));
        assertEquals(Claims.Verdict.AGREES, verdictOf(fast, "NGD reaches 2x the minimum in under 0.1 s"));
        assertEquals(Claims.Verdict.AGREES, verdictOf(fast, "SGD grid search picks α = 0.08"));
    }

    @Test
    void theReportListsWhereWeDiffer() {
        String md = Report.markdown(outcome(1.9, 0.16));
        assertTrue(md.contains("| A | NGD | 1 | 1.10e-05 | 1.00e-05 | 37000 | 1.900 |"), md);
        String differ = md.substring(md.indexOf("## Where we differ"));
        assertTrue(differ.contains("under 0.1 s") && differ.contains("α = 0.16"), differ);
        String agreeing = Report.markdown(outcome(0.05, 0.08));
        assertTrue(agreeing.contains("Nowhere among the claims checked above."), agreeing);
    }
}
