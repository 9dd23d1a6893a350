package org.natgrad.experiment.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The curve of one training run, labelled with its optimizer: the {@link CurvePoint}s of its
 * evaluations in order of examples seen, plus whether the run diverged (stopped early because a
 * loss became non-finite or the evaluator judged it blown up) and why. Written by a
 * {@link Trainer}; read by the experiments' reports, figures and milestones.
 */
public final class Curve {
    private final String optimizer;
    private final List<CurvePoint> points = new ArrayList<>();
    private String divergence = "";

    /** An empty curve labelled with the optimizer's name ("sgd", "ngd", ...). */
    public Curve(String optimizer) {
        this.optimizer = optimizer;
    }

    /** A curve with the given points (for tests and for reading logs back). */
    public static Curve of(String optimizer, List<CurvePoint> points) {
        Curve c = new Curve(optimizer);
        points.forEach(c::add);
        return c;
    }

    public String optimizer() {
        return optimizer;
    }

    /** Appends a point; examples and seconds must not go backwards. */
    public void add(CurvePoint p) {
        if (!points.isEmpty()) {
            CurvePoint last = points.get(points.size() - 1);
            if (p.examples() < last.examples() || p.seconds() < last.seconds()) {
                throw new IllegalArgumentException("Curve " + optimizer + ": point at " + p.examples() + " examples, "
                        + p.seconds() + " s comes before the previous one at " + last.examples() + " examples, "
                        + last.seconds() + " s");
            }
        }
        points.add(p);
    }

    /** The points, in order (unmodifiable). */
    public List<CurvePoint> points() {
        return Collections.unmodifiableList(points);
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** The last point. */
    public CurvePoint last() {
        if (points.isEmpty()) {
            throw new IllegalStateException("Curve " + optimizer + " has no points");
        }
        return points.get(points.size() - 1);
    }

    /** Every point's {@link CurvePoint#testError()}, in order. */
    public double[] testErrors() {
        return points.stream().mapToDouble(CurvePoint::testError).toArray();
    }

    /** Every point's {@link CurvePoint#trainError()}, in order. */
    public double[] trainErrors() {
        return points.stream().mapToDouble(CurvePoint::trainError).toArray();
    }

    /** Every point's {@link CurvePoint#examples()}, in order. */
    public double[] examples() {
        return points.stream().mapToDouble(CurvePoint::examples).toArray();
    }

    /** Every point's {@link CurvePoint#seconds()}, in order. */
    public double[] seconds() {
        return points.stream().mapToDouble(CurvePoint::seconds).toArray();
    }

    /** Marks the run as diverged, with a reason. */
    public void markDiverged(String reason) {
        this.divergence = reason;
    }

    public boolean diverged() {
        return !divergence.isEmpty();
    }

    /** Why the run stopped early, or empty. */
    public String divergence() {
        return divergence;
    }
}
