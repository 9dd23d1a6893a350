package org.natgrad.experiment.bernacchia2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.natgrad.linalg.FactorPrecision;
import org.natgrad.optim.PredictedDecrease;

class OptionsTest {

    @Test
    void paperArchitecturesHaveThePaperDepthsAndWidths() {
        assertEquals(16, PanelSpec.paper(Panel.A).depth());
        assertTrue(PanelSpec.paper(Panel.A).widths().stream().allMatch(w -> w == 20));
        assertEquals(16, PanelSpec.paper(Panel.B).depth());
        assertEquals(100, PanelSpec.paper(Panel.B).widths().get(8));
        assertEquals(12, PanelSpec.paper(Panel.C).depth());
        assertEquals(2, PanelSpec.paper(Panel.C).widths().get(6));
        assertEquals(8, PanelSpec.paper(Panel.D).depth());
        assertEquals(List.of(0.02, 0.04, 0.06, 0.08), PanelSpec.paper(Panel.C).sgdGrid());
    }

    @Test
    void defaultsFollowTheOfficialCode() {
        Bernacchia2018Options o = Bernacchia2018Options.defaults();
        assertEquals(0.01, o.spec(Panel.A).initialDamping());
        assertEquals(1.0, o.spec(Panel.D).initialDamping());
        assertEquals(SgdStep.OFFICIAL_CODE, o.sgdStep());
        assertEquals(1000, o.spec(Panel.B).ngdBatch());
        assertEquals(20, o.spec(Panel.B).sgdBatch());
        assertEquals(1.0, o.spec(Panel.B).ngdAlpha());
        assertEquals(1, o.spec(Panel.B).ngdSamples());
        assertEquals(1e-6, o.spec(Panel.C).noiseVariance());
        Map<String, Object> m = o.toMap();
        assertEquals(List.of("A", "B", "C", "D"), m.get("panels"));
        assertEquals("official-code", m.get("sgd_step"));
    }

    @Test
    void panelListsParseAndBadEntriesAreNamed() {
        assertEquals(EnumSet.of(Panel.A, Panel.C), Panel.parseList(" c,a ,A"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Panel.parseList("A,E"));
        assertTrue(e.getMessage().contains("'E'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Panel.parseList(" "));
    }

    @Test
    void invalidOptionsAreRejectedWithTheFlagName() {
        Bernacchia2018Options d = Bernacchia2018Options.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bernacchia2018Options(
                d.panels(), false, Path.of("x"), 1, DigitSource.MNIST, null, SgdStep.OFFICIAL_CODE, List.of(0.1, -1.0),
                0.01, 1, PredictedDecrease.PAPER_FOOTNOTE, Double.POSITIVE_INFINITY, true, 2, 0));
        assertTrue(e.getMessage().contains("--sgd-grid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Bernacchia2018Options(
                d.panels(), false, Path.of("x"), 1, DigitSource.MNIST, null, SgdStep.OFFICIAL_CODE, null,
                0.0, 1, PredictedDecrease.PAPER_FOOTNOTE, Double.POSITIVE_INFINITY, true, 2, 0));
        assertTrue(e.getMessage().contains("--damping-linear"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Bernacchia2018Options(
                d.panels(), false, Path.of("x"), 1, DigitSource.MNIST, null, SgdStep.OFFICIAL_CODE, null,
                0.01, 1, PredictedDecrease.PAPER_FOOTNOTE, 1.0, true, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> SgdStep.parse("huge"));
        assertThrows(IllegalArgumentException.class, () -> DigitSource.parse("cifar"));
    }

    @Test
    void anExampleBudgetOverridesEveryPanelAndCapsTheGridPrefix() {
        Bernacchia2018Options d = Bernacchia2018Options.defaults();
        Bernacchia2018Options o = new Bernacchia2018Options(d.panels(), false, Path.of("x"), 1, DigitSource.MNIST, null,
                SgdStep.OFFICIAL_CODE, null, 0.01, 1, PredictedDecrease.PAPER_FOOTNOTE, 10, true, 2, 30_000);
        assertEquals(30_000, o.spec(Panel.B).sgdExamples());
        assertEquals(30_000, o.spec(Panel.B).ngdExamples());
        assertEquals(30_000, o.spec(Panel.B).gridExamples());
        assertEquals(30_000, o.spec(Panel.D).ngdExamples());
        assertEquals(400_000, d.spec(Panel.B).ngdExamples());
        assertThrows(IllegalArgumentException.class, () -> new Bernacchia2018Options(d.panels(), false, Path.of("x"), 1,
                DigitSource.MNIST, null, SgdStep.OFFICIAL_CODE, null, 0.01, 1, PredictedDecrease.PAPER_FOOTNOTE, 10, true, 2, -1));
    }

    @Test
    void theNgdStepPathIsAnOptionRecordedInOptionsJson() {
        Bernacchia2018Options d = Bernacchia2018Options.defaults();
        assertTrue(d.ngdLinearMoments());
        assertTrue(Bernacchia2018.ngdOptions(d, d.spec(Panel.A), 1).linearMoments());
        assertEquals(true, d.toMap().get("ngd_linear_moments"));
        Bernacchia2018Options passes = new Bernacchia2018Options(d.panels(), false, Path.of("x"), 1, DigitSource.MNIST,
                null, SgdStep.OFFICIAL_CODE, null, 0.01, 1, PredictedDecrease.PAPER_FOOTNOTE, 10, true, 2, 0, false);
        assertFalse(Bernacchia2018.ngdOptions(passes, passes.spec(Panel.A), 1).linearMoments());
        assertEquals(false, passes.toMap().get("ngd_linear_moments"));
        assertEquals("auto", d.toMap().get("ngd_factor_precision"));
        assertEquals(FactorPrecision.AUTO, Bernacchia2018.ngdOptions(d, d.spec(Panel.D), 1).factorPrecision());
        Bernacchia2018Options dbl = new Bernacchia2018Options(d.panels(), false, Path.of("x"), 1, DigitSource.MNIST,
                null, SgdStep.OFFICIAL_CODE, null, 0.01, 1, PredictedDecrease.PAPER_FOOTNOTE, 10, true, 2, 0, true,
                FactorPrecision.DOUBLE);
        assertEquals(FactorPrecision.DOUBLE, Bernacchia2018.ngdOptions(dbl, dbl.spec(Panel.D), 1).factorPrecision());
        assertEquals("double", dbl.toMap().get("ngd_factor_precision"));
        // the step precision: double by default, single on request, in the NGD options and options.json
        assertEquals(org.natgrad.linalg.Precision.DOUBLE, d.precision());
        assertEquals("double", d.toMap().get("precision"));
        Bernacchia2018Options single = d.withPrecision(org.natgrad.linalg.Precision.SINGLE);
        assertEquals(org.natgrad.linalg.Precision.SINGLE, Bernacchia2018.ngdOptions(single, single.spec(Panel.D), 1).precision());
        assertEquals("single", single.toMap().get("precision"));
        assertEquals(d.withPrecision(null), d, "a null precision reads as double (options written before it existed)");
    }

    @Test
    void panelSpecRejectsBatchesLargerThanTheData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PanelSpec(Panel.A,
                List.of(3, 2), org.natgrad.nn.Activation.IDENTITY, org.natgrad.nn.Activation.IDENTITY, 100, 10, 0,
                10, List.of(0.1), 100, 100, 1000, 1, 1, 0.01, 100, 10, 1));
        assertTrue(e.getMessage().contains("exceed"), e.getMessage());
    }
}
