package org.natgrad.experiment.bernacchia2018;

import java.util.Optional;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;

/**
 * Headline figures read off a {@link Curve}: when the test error first reaches a multiple of the
 * minimum achievable error, and what it is at a given number of examples. Only evaluated points
 * count (no interpolation), so "examples to 2x" is the first evaluation at or below the
 * threshold.
 */
public final class Milestones {
    private Milestones() {
    }

    /**
     * The first point whose test error is at or below {@code threshold}, or empty if none is.
     *
     * @throws IllegalArgumentException if the threshold is not a finite positive number
     */
    public static Optional<CurvePoint> firstAtOrBelow(Curve curve, double threshold) {
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("Milestones: threshold must be finite and > 0, got " + threshold);
        }
        for (CurvePoint p : curve.points()) {
            if (p.testError() <= threshold) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The last evaluation at or before {@code examples}, provided the run got that far (its last
     * point has at least that many examples); empty otherwise.
     */
    public static Optional<CurvePoint> at(Curve curve, long examples) {
        if (curve.isEmpty() || curve.last().examples() < examples) {
            return Optional.empty();
        }
        CurvePoint best = null;
        for (CurvePoint p : curve.points()) {
            if (p.examples() <= examples) {
                best = p;
            } else {
                break;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The lowest test error on the curve (NaN for an empty curve; non-finite points ignored). */
    public static double lowest(Curve curve) {
        double m = Double.NaN;
        for (CurvePoint p : curve.points()) {
            if (Double.isFinite(p.testError()) && !(p.testError() >= m)) {
                m = p.testError();
            }
        }
        return m;
    }

    /**
     * The results.json figures of one optimizer on one panel. Counts are null when the threshold
     * was never reached, or when there is no minimum achievable error (panel D).
     *
     * @param finalTestError   the test error at the last evaluation
     * @param minAchievable    the minimum achievable test error (the teacher's own), or null
     * @param examplesTo2x     examples at the first evaluation with error ≤ 2 x minimum, or null
     * @param secondsTo2x      training seconds at that evaluation, or null
     * @param examplesTo10x    the same for 10 x the minimum
     * @param secondsTo10x     the same for 10 x the minimum
     */
    public record Summary(double finalTestError, Double minAchievable, Long examplesTo2x, Double secondsTo2x,
                          Long examplesTo10x, Double secondsTo10x) {
    }

    /** The {@link Summary} of a curve against a minimum achievable error (null for none). */
    public static Summary summarize(Curve curve, Double minAchievable) {
        double fin = curve.last().testError();
        if (minAchievable == null) {
            return new Summary(fin, null, null, null, null, null);
        }
        Optional<CurvePoint> two = firstAtOrBelow(curve, 2 * minAchievable);
        Optional<CurvePoint> ten = firstAtOrBelow(curve, 10 * minAchievable);
        return new Summary(fin, minAchievable,
                two.map(CurvePoint::examples).orElse(null), two.map(CurvePoint::seconds).orElse(null),
                ten.map(CurvePoint::examples).orElse(null), ten.map(CurvePoint::seconds).orElse(null));
    }
}
