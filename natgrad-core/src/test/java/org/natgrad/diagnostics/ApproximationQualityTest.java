package org.natgrad.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.curvature.TinyNetworks;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.statistics.Gradients;
import org.natgrad.optim.NaturalGradient;
import org.natgrad.optim.NaturalGradientOptions;
import org.natgrad.optim.Optimizer;

class ApproximationQualityTest {

    @Test
    void compareComputesAngleAndErrors() {
        ApproximationQuality q = ApproximationQuality.compare(CurvatureChoice.KFAC, new double[]{1, 1}, new double[]{2, 0});
        assertEquals(45, q.angleDegrees(), 1e-12);
        assertEquals(Math.sqrt(2) / 2, q.relativeError(), 1e-12);
        assertEquals(Math.sqrt(0.5), q.scaledRelativeError(), 1e-12);
        assertEquals(Math.sqrt(2) / 2, q.normRatio(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ApproximationQuality.compare(CurvatureChoice.KFAC,
                new double[]{1}, new double[]{0}));
    }

    /** Against dense references: exact is exact; diagonal and block-diagonal from masked dense Fishers. */
    @Test
    void measureMatchesDenseReferences() {
        TinyNetworks.Task t = TinyNetworks.tanhMlp(6);
        double rho = 0.01;
        List<ApproximationQuality> qs = ApproximationQuality.measure(t.net(), t.likelihood(), t.batch(),
                CurvatureKind.exact(), rho, List.of(CurvatureChoice.EXACT, CurvatureChoice.DIAGONAL));
        // EXACT against itself is 0 by construction (a smoke check only); the reference itself is checked
        // below through DIAGONAL's angle, norm ratio and relative error against an independent exact step
        assertEquals(0, qs.get(0).relativeError(), 1e-10);
        // independent Fisher: finite-difference Jacobians, unit Gaussian output Fisher I (tanhMlp's likelihood)
        Matrix f = org.natgrad.curvature.FiniteDifferenceFisher.fisher(t.net(),
                org.natgrad.curvature.FiniteDifferenceFisher.Output.UNIT_GAUSSIAN, t.batch().inputs());
        double[] g = Gradients.of(t.net(), t.likelihood(), t.batch()).gradient().toFlat();
        double[] exact = MatOps.gemv(1, Inverses.dampedInverse(f, rho), false, g, 0, null);
        double[] diag = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            diag[i] = g[i] / (f.get(i, i) + rho);
        }
        double dot = 0;
        double nd = 0;
        double ne = 0;
        for (int i = 0; i < g.length; i++) {
            dot += diag[i] * exact[i];
            nd += diag[i] * diag[i];
            ne += exact[i] * exact[i];
        }
        double angle = Math.toDegrees(Math.acos(dot / Math.sqrt(nd * ne)));
        assertEquals(angle, qs.get(1).angleDegrees(), 1e-5);
        assertEquals(Math.sqrt(nd / ne), qs.get(1).normRatio(), 1e-6);
        double err = 0;
        for (int i = 0; i < g.length; i++) {
            err += (diag[i] - exact[i]) * (diag[i] - exact[i]);
        }
        assertEquals(Math.sqrt(err / ne), qs.get(1).relativeError(), 1e-6);
        assertTrue(qs.get(1).angleDegrees() > 1, "the diagonal is a real approximation here");
    }

    @Test
    void monitorLogsEveryNSteps() {
        TinyNetworks.Task t = TinyNetworks.softmaxClassifier(5);
        List<QualityMonitor.Entry> log = new ArrayList<>();
        QualityMonitor m = new QualityMonitor(t.likelihood(), List.of(CurvatureChoice.KFAC, CurvatureChoice.BLOCK_DIAGONAL),
                3, 1e-3, log::add);
        Optimizer opt = m.wrap(new NaturalGradient(t.likelihood(), NaturalGradientOptions.paperDefaults()));
        for (int k = 0; k < 7; k++) {
            opt.step(t.net(), t.batch());
        }
        assertEquals(List.of(0L, 3L, 6L), log.stream().map(QualityMonitor.Entry::step).toList());
        assertEquals(2, log.get(0).qualities().size());
        assertTrue(log.get(0).qualities().stream().allMatch(q -> Double.isFinite(q.angleDegrees())));
        assertThrows(IllegalArgumentException.class, () -> new QualityMonitor(t.likelihood(), List.of(), 0, 0, e -> { }));
    }
}
