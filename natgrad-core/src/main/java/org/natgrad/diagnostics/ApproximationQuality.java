package org.natgrad.diagnostics;

import java.util.ArrayList;
import java.util.List;
import org.natgrad.curvature.Curvature;
import org.natgrad.curvature.CurvatureChoice;
import org.natgrad.matrixfree.BatchCurvature;
import org.natgrad.matrixfree.ConjugateGradient;
import org.natgrad.matrixfree.LinearOperator;
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
 * <p>Up to {@link CurvatureStatistics#MAX_DENSE_PARAMETERS} parameters d* is a dense (or data-space)
 * solve; beyond it (ρ &gt; 0, or ρ = 0 with at least as many samples as parameters), d* is solved matrix-free by conjugate gradients ({@link #measureMatrixFree}) to a
 * relative residual of {@link #CG_TOLERANCE} (at most {@link #CG_MAX_ITERATIONS} iterations), with the
 * exact Fisher's products G v = J^T F_out J v from {@link BatchCurvature} (the exact kind) or F v = S S^T v
 * from the statistics (Monte Carlo and empirical kinds). The error of d* is then at most κ times the
 * tolerance, κ = (λ_max + ρ)/(λ_min + ρ).
 *
 * @param choice              the approximation
 * @param angleDegrees        angle between d and d*, in degrees (0 = same direction)
 * @param relativeError       ‖d − d*‖ / ‖d*‖
 * @param scaledRelativeError min_c ‖c d − d*‖ / ‖d*‖ = sin(angle): the error left after the best step size
 * @param normRatio           ‖d‖ / ‖d*‖ (e.g. ≈ L for block-diagonal NGD in the isotropic regime)
 */
public record ApproximationQuality(CurvatureChoice choice, double angleDegrees, double relativeError,
                                   double scaledRelativeError, double normRatio) {

    /** The relative residual ‖∇L − (F + ρI) d*‖ / ‖∇L‖ the matrix-free solve of d* reaches. */
    public static final double CG_TOLERANCE = 1e-10;

    /** The iteration cap of the matrix-free solve of d*. */
    public static final int CG_MAX_ITERATIONS = 5000;

    /**
     * A matrix-free measurement: the qualities and the CG solve of the exact natural gradient d*
     * ({@link ConjugateGradient.Result#solution()} is d*, flat, length P).
     */
    public record Measurement(List<ApproximationQuality> qualities, ConjugateGradient.Result exactSolve) {
    }

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
     * and damping ρ (0: pseudo-inverses). The exact solve is dense or in data space for
     * P ≤ {@link CurvatureStatistics#MAX_DENSE_PARAMETERS}, and by conjugate gradients beyond
     * ({@link #measureMatrixFree} with {@link #CG_TOLERANCE} and {@link #CG_MAX_ITERATIONS}), except for
     * ρ = 0 with fewer samples K than parameters, where the data-space pseudo-inverse stays exact and CG
     * would converge slowly if at all.
     *
     * @throws ArithmeticException when the CG solve does not reach its tolerance (e.g. ρ = 0 with a
     *                             Monte Carlo Fisher that the gradient is not in the range of)
     */
    public static List<ApproximationQuality> measure(Network net, Likelihood likelihood, Batch batch, CurvatureKind kind,
                                                     double damping, List<CurvatureChoice> choices) {
        CurvatureStatistics s = CurvatureStatistics.of(net, likelihood, batch, kind);
        int p = net.parameterCount();
        if (p > CurvatureStatistics.MAX_DENSE_PARAMETERS && !(damping == 0 && s.count() < p)) {
            return matrixFree(net, likelihood, batch, kind, s, damping, choices, CG_TOLERANCE, CG_MAX_ITERATIONS)
                    .qualities();
        }
        double[] g = Gradients.of(net, likelihood, batch).gradient().toFlat();
        double[] exact = Curvature.of(CurvatureChoice.EXACT, net, s).solve(g, damping);
        List<ApproximationQuality> out = new ArrayList<>();
        for (CurvatureChoice c : choices) {
            out.add(compare(c, Curvature.of(c, net, s).solve(g, damping), exact));
        }
        return out;
    }

    /**
     * As {@link #measure} with d* solved matrix-free at any size: conjugate gradients on (F + ρI) d = ∇L
     * from d = 0 to the relative residual {@code tolerance} within {@code maxIterations} iterations. The
     * products are G v = J^T F_out J v on the batch ({@link BatchCurvature}) for the exact kind and
     * S (S^T v) from the statistics for the Monte Carlo and empirical kinds; EXACT in {@code choices} is
     * d* itself.
     *
     * @throws ArithmeticException when CG does not reach the tolerance, naming its iterations and residual
     */
    public static Measurement measureMatrixFree(Network net, Likelihood likelihood, Batch batch, CurvatureKind kind,
                                                double damping, List<CurvatureChoice> choices, double tolerance,
                                                int maxIterations) {
        return matrixFree(net, likelihood, batch, kind, CurvatureStatistics.of(net, likelihood, batch, kind), damping,
                choices, tolerance, maxIterations);
    }

    private static Measurement matrixFree(Network net, Likelihood likelihood, Batch batch, CurvatureKind kind,
                                          CurvatureStatistics s, double damping, List<CurvatureChoice> choices,
                                          double tolerance, int maxIterations) {
        LinearOperator fisher = kind instanceof CurvatureKind.Exact ? exactFisher(net, likelihood, batch)
                : LinearOperator.of(s);
        return solveAndCompare(net, likelihood, batch, s, fisher, fisher, damping, choices, tolerance, maxIterations);
    }

    /**
     * Every choice built from the {@code kind} statistics (e.g. one Monte Carlo draw per example, as an
     * optimizer would, where the exact kind's r backward passes are too many) against the natural gradient
     * of the <i>exact</i> Fisher, (G + ρI)^{-1} ∇L with G v = J^T F_out J v ({@link BatchCurvature}), solved
     * by CG to {@code tolerance}: the reference carries none of the approximations' sampling noise. EXACT in
     * {@code choices} is the natural gradient of the {@code kind} Fisher S S^T (a second CG solve), so its
     * angle is the cost of sampling alone.
     *
     * @throws ArithmeticException when a CG solve does not reach the tolerance
     */
    public static Measurement measureAgainstExactFisher(Network net, Likelihood likelihood, Batch batch,
                                                        CurvatureKind kind, double damping, List<CurvatureChoice> choices,
                                                        double tolerance, int maxIterations) {
        CurvatureStatistics s = CurvatureStatistics.of(net, likelihood, batch, kind);
        LinearOperator sampled = kind instanceof CurvatureKind.Exact ? null : LinearOperator.of(s);
        return solveAndCompare(net, likelihood, batch, s, exactFisher(net, likelihood, batch), sampled, damping, choices,
                tolerance, maxIterations);
    }

    private static LinearOperator exactFisher(Network net, Likelihood likelihood, Batch batch) {
        return BatchCurvature.ofInputs(net, likelihood, batch.inputs()).ggnOperator();
    }

    /** d* by CG on {@code reference}; EXACT is CG on {@code forExact} (d* itself when it is the reference or null). */
    private static Measurement solveAndCompare(Network net, Likelihood likelihood, Batch batch, CurvatureStatistics s,
                                               LinearOperator reference, LinearOperator forExact, double damping,
                                               List<CurvatureChoice> choices, double tolerance, int maxIterations) {
        double[] g = Gradients.of(net, likelihood, batch).gradient().toFlat();
        ConjugateGradient.Result cg = converged(ConjugateGradient.solve(reference, g, damping, tolerance, maxIterations),
                g.length, damping, tolerance);
        double[] exact = cg.solution();
        List<ApproximationQuality> out = new ArrayList<>();
        for (CurvatureChoice c : choices) {
            double[] d;
            if (c != CurvatureChoice.EXACT) {
                d = Curvature.of(c, net, s).solve(g, damping);
            } else if (forExact == null || forExact == reference) {
                d = exact;
            } else {
                d = converged(ConjugateGradient.solve(forExact, g, damping, tolerance, maxIterations), g.length, damping,
                        tolerance).solution();
            }
            out.add(compare(c, d, exact));
        }
        return new Measurement(out, cg);
    }

    private static ConjugateGradient.Result converged(ConjugateGradient.Result cg, int p, double damping, double tolerance) {
        if (!cg.converged()) {
            throw new ArithmeticException("ApproximationQuality: conjugate gradients for the exact natural gradient "
                    + "(P = " + p + ", damping " + damping + ") reached a relative residual of "
                    + cg.relativeResidual() + " after " + cg.iterations() + " iterations, not the tolerance "
                    + tolerance + (damping == 0 ? "; use damping > 0" : ""));
        }
        return cg;
    }
}
