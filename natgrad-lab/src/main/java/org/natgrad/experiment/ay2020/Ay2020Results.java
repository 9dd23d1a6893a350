package org.natgrad.experiment.ay2020;

import java.util.List;

/** The headline figures of an ay2020 run, written as {@code results.json}. */
public record Ay2020Results(boolean quick, long seed, List<ProblemResult> problems, boolean localCostWithin3x,
                            double localCostRatioBars) {

    /**
     * One problem.
     *
     * @param name               {@code seven-unit} or {@code bars-and-stripes}
     * @param units              n
     * @param parameters         P
     * @param visibleUnits       |V|
     * @param rankG              numerical rank of the full-system Fisher at the initial parameters
     * @param rankGv             numerical rank of the visible Fisher at the initial parameters
     * @param cosineFullVisible  cosine between G^-1 ∇L_V and G_V^+ ∇L_V at the initial parameters (A6)
     * @param initialKl          KL(p*_V ‖ p_V) at the initial parameters (nats)
     * @param fixedIterations    the N at which every rule's KL is compared
     * @param budgetSeconds      the wall-clock budget at which KL is compared: the seconds the plain
     *                           gradient spent in its N steps
     * @param rules              one entry per rule
     */
    public record ProblemResult(String name, int units, int parameters, int visibleUnits, int rankG, int rankGv,
                                double cosineFullVisible, double initialKl, int fixedIterations, double budgetSeconds,
                                List<RuleResult> rules) {
    }

    /**
     * One rule on one problem, at its best rate.
     *
     * @param rule            rule name
     * @param bestRate        the rate of the grid with the lowest KL after fixedIterations
     * @param klAtFixed       KL after fixedIterations at bestRate (nats)
     * @param iterations      iterations run at bestRate
     * @param klFinal         KL after all iterations
     * @param stepSeconds     total time in steps (KL evaluations excluded) of the best-rate run
     * @param klAtBudget      KL at the last evaluation within the problem's budgetSeconds of steps
     * @param msPerStep       median milliseconds per step from the interleaved cost measurement
     * @param costVsPlain     msPerStep / plain's msPerStep
     * @param grid            every rate tried
     */
    public record RuleResult(String rule, double bestRate, double klAtFixed, int iterations, double klFinal,
                             double stepSeconds, double klAtBudget, double msPerStep, double costVsPlain, List<GridPoint> grid) {
    }

    /** One rate of the grid: KL after fixedIterations (null in JSON when the run diverged to a non-finite KL). */
    public record GridPoint(double rate, double klAtFixed) {
    }
}
