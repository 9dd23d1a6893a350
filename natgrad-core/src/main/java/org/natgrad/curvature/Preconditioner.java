package org.natgrad.curvature;

import org.natgrad.nn.ParamVector;
import org.natgrad.statistics.CurvatureStatistics;

/**
 * The curvature lifecycle, the same for every representation ({@link CurvatureChoice}, the paper's
 * Eq. 20 rule included):
 * <ol>
 *   <li>{@link #update}: new statistics replace the old ones, and the representation is built
 *       from them (its decompositions: eigen for K-FAC, data-space Gram solves for the exact and
 *       block representations, lazily prepared factor inverses for the Eq. 20 rule);</li>
 *   <li>{@link #refresh}: the damping λ of the next products (cheap: a representation that must
 *       re-factorize for a new shift, such as a Cholesky factor of Λ + √λ I, does so on the first
 *       solve with it and keeps it while λ stays);</li>
 *   <li>{@link #apply}: power −1, (G + λI)^{-1} v (Moore–Penrose with λ = 0 under
 *       {@link FactorSolverOptions#pseudoInverse()}; K-FAC splits √λ between its factors, Eq. 20 puts
 *       √λ on each), and power +1, G v.</li>
 * </ol>
 * An optimizer, a distributed driver or a user's loop holds one of these and calls the three
 * steps on its own schedule (statistics every T steps, damping every step).
 */
public final class Preconditioner {
    private final CurvatureChoice choice;
    private final FactorSolverOptions solver;
    private final long seed;
    private Curvature representation;
    private long step = -1;
    private double damping = Double.NaN;

    /**
     * @param choice the representation
     * @param solver how the Eq. 20 rule inverts its factors, and whether solves are pseudo-inverses
     * @param seed   seed of randomized sketches (combined with the step of each update)
     */
    public Preconditioner(CurvatureChoice choice, FactorSolverOptions solver, long seed) {
        if (choice == null || solver == null) {
            throw new IllegalArgumentException("Preconditioner: choice and solver options must be given");
        }
        this.choice = choice;
        this.solver = solver;
        this.seed = seed;
    }

    /** The representation chosen. */
    public CurvatureChoice choice() {
        return choice;
    }

    /**
     * Builds the representation from {@code statistics} for parameters shaped like
     * {@code template}; {@code step} (≥ 0, the optimizer step that produced them) seeds the
     * randomized sketches. On failure the old representation is dropped too.
     *
     * @throws ArithmeticException when the statistics' Fisher overflows (finite samples whose
     *                             products are not) or a decomposition fails
     */
    public void update(ParamVector template, CurvatureStatistics statistics, long step) {
        clear();
        double traceF = statistics.fisherTrace();
        if (!Double.isFinite(traceF)) {
            throw new ArithmeticException("the Fisher's entries overflow (its statistics are finite but tr F = "
                    + traceF + ")");
        }
        try {
            representation = Curvature.of(choice, template, statistics, solver,
                    seed ^ (0x9E3779B97F4A7C15L * (step + 1)));
        } catch (ArithmeticException e) {
            throw new ArithmeticException(choice.label() + " curvature could not be built: " + e.getMessage());
        }
        this.step = step;
    }

    /** Sets the damping λ ≥ 0 of the next {@link #apply}. */
    public void refresh(double damping) {
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("Preconditioner.refresh: damping must be finite and >= 0, got " + damping);
        }
        this.damping = damping;
    }

    /**
     * (G + λI)^{-1} v for power −1, G v for power +1.
     *
     * @throws IllegalStateException    before the first {@link #update} or {@link #refresh}
     * @throws IllegalArgumentException for another power or a vector of the wrong shape
     * @throws ArithmeticException      when a factorization fails (the representation is dropped)
     */
    public ParamVector apply(ParamVector v, int power) {
        if (representation == null) {
            throw new IllegalStateException("Preconditioner.apply: no statistics yet (call update first)");
        }
        if (power == 1) {
            return representation.multiply(v);
        }
        if (power != -1) {
            throw new IllegalArgumentException("Preconditioner.apply: power must be -1 (solve) or +1 (multiply), got "
                    + power);
        }
        if (Double.isNaN(damping)) {
            throw new IllegalStateException("Preconditioner.apply: no damping yet (call refresh first)");
        }
        try {
            return representation.solve(v, solver.pseudoInverse() ? 0 : damping);
        } catch (ArithmeticException e) {
            clear();
            throw e;
        }
    }

    /** True when a representation is built. */
    public boolean isReady() {
        return representation != null;
    }

    /** The representation built by the last {@link #update}, or null. */
    public Curvature representation() {
        return representation;
    }

    /** The statistics of the last {@link #update}, or null. */
    public CurvatureStatistics statistics() {
        return representation == null ? null : representation.statistics();
    }

    /** The step of the last {@link #update}, or −1. */
    public long step() {
        return step;
    }

    /** Drops the representation and its statistics. */
    public void clear() {
        representation = null;
        step = -1;
    }
}
