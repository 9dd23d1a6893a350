package org.natgrad.diagnostics;

import java.util.ArrayList;
import java.util.List;
import org.natgrad.curvature.Curvature;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.statistics.CurvatureKind;
import org.natgrad.statistics.CurvatureStatistics;
import org.natgrad.nn.Batch;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Network;
import org.natgrad.statistics.Gradients;

/**
 * How close one approximate natural gradient d = (G + ρI)^{-1} ∇L is to the exact one
 * d* = (F + ρI)^{-1} ∇L (ρ = 0: Moore–Penrose), both from the same Fisher samples.
 *
 * @param choice              the approximation
 * @param angleDegrees        angle between d and d*, in degrees (0 = same direction)
 * @param relativeError       ‖d − d*‖ / ‖d*‖
 * @param scaledRelativeError min_c ‖c d − d*‖ / ‖d*‖ = sin(angle): the error left after the best step size
 * @param normRatio           ‖d‖ / ‖d*‖ (e.g. ≈ L for block-diagonal NGD in the isotropic regime)
 */
public record ApproximationQuality(CurvatureChoice choice, double angleDegrees, double relativeError,
                                   double scaledRelativeError, double normRatio) {

    /** Compares two flat directions (d against the reference d*). */
    public static ApproximationQuality compare(CurvatureChoice choice, double[] d, double[] exact) {
        if (d.length != exact.length) {
            throw new IllegalArgumentException("ApproximationQuality: directions have " + d.length + " and " + exact.length
                    + " entries");
        }
        double dd = 0;
        double ee = 0;
        double de = 0;
        double diff = 0;
        for (int i = 0; i < d.length; i++) {
            dd += d[i] * d[i];
            ee += exact[i] * exact[i];
            de += d[i] * exact[i];
            diff += (d[i] - exact[i]) * (d[i] - exact[i]);
        }
        if (!(ee > 0)) {
            throw new IllegalArgumentException("ApproximationQuality: the exact natural gradient is zero (or not finite)");
        }
        double cos = dd > 0 ? Math.max(-1, Math.min(1, de / Math.sqrt(dd * ee))) : 0;
        return new ApproximationQuality(choice, Math.toDegrees(Math.acos(cos)), Math.sqrt(diff / ee),
                Math.sqrt(Math.max(0, 1 - cos * cos)), Math.sqrt(dd / ee));
    }

    /**
     * Every choice in {@code choices} against exact NGD on {@code batch}, with the {@code kind} Fisher
     * and damping ρ (0: pseudo-inverses). The exact solve is dense (P ≤ 4096) or in data space.
     */
    public static List<ApproximationQuality> measure(Network net, Likelihood likelihood, Batch batch, CurvatureKind kind,
                                                     double damping, List<CurvatureChoice> choices) {
        double[] g = Gradients.of(net, likelihood, batch).gradient().toFlat();
        CurvatureStatistics s = CurvatureStatistics.of(net, likelihood, batch, kind);
        double[] exact = Curvature.of(CurvatureChoice.EXACT, net, s).solve(g, damping);
        List<ApproximationQuality> out = new ArrayList<>();
        for (CurvatureChoice c : choices) {
            out.add(compare(c, Curvature.of(c, net, s).solve(g, damping), exact));
        }
        return out;
    }
}
