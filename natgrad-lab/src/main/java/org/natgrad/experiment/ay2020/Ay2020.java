package org.natgrad.experiment.ay2020;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.natgrad.bayes.BayesNet;
import org.natgrad.bayes.Dag;
import org.natgrad.bayes.Enumeration;
import org.natgrad.bayes.LearningRule;
import org.natgrad.bayes.LocalNaturalGradient;
import org.natgrad.bayes.PlainGradient;
import org.natgrad.bayes.RecognitionNet;
import org.natgrad.bayes.UnitType;
import org.natgrad.bayes.VisibleNaturalGradient;
import org.natgrad.bayes.VisibleTarget;
import org.natgrad.bayes.WakeSleep;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.RunLog;
import org.natgrad.experiment.training.Budget;
import org.natgrad.experiment.training.Curve;
import org.natgrad.experiment.training.CurvePoint;
import org.natgrad.experiment.training.Progress;
import org.natgrad.experiment.training.Schedule;
import org.natgrad.experiment.training.Trainer;
import org.natgrad.optim.StepReport;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.random.Rng;

/**
 * Runs the ay2020 reproduction into a {@link RunFolder}: for each problem (the 7-unit network,
 * bars and stripes) and each rule of {@link Ay2020Options#RULES}, one run per rate of the rule's
 * grid from the same initial parameters; then the interleaved cost-per-step measurement; then
 * {@code log.csv}, {@code results.json}, {@code kl.png/svg} and {@code report.md}.
 */
public final class Ay2020 {
    private Ay2020() {
    }

    /**
     * A learning problem.
     *
     * @param iterations         the fixed N at which rules are compared
     * @param wakeSleepFactor   wake–sleep rules may run up to N times this many iterations
     * @param evalEvery          KL evaluations every this many iterations (and at N and at the end)
     */
    public record Problem(String name, String title, Dag dag, VisibleTarget target, double[] init, int iterations,
                          int wakeSleepFactor, int evalEvery) {
        public Problem {
            init = init.clone();
        }

        @Override
        public double[] init() {
            return init.clone();
        }
    }

    /** The 7-unit network of math.md §5.5 on a random visible target (8 configurations). */
    public static Problem sevenUnit(Ay2020Options o) {
        Rng rng = new Rng(o.seed() * 1_000_003L + 7);
        Dag dag = Dag.sevenUnit(UnitType.BINARY);
        VisibleTarget target = VisibleTarget.random(3, o.targetSpread(), rng.split());
        double[] init = BayesNet.random(dag, o.initScale(), rng.split()).parameters();
        return new Problem("seven-unit", "7-unit SBN (math.md 5.5), random target", dag, target, init,
                o.smallIterations(), 1, 1);
    }

    /** 3x3 bars and stripes as the visible layer under two hidden layers (layered, fully connected between layers). */
    public static Problem barsAndStripes(Ay2020Options o) {
        Rng rng = new Rng(o.seed() * 1_000_003L + 9);
        int[] h = o.barsHidden();
        Dag dag = Dag.layered(UnitType.BINARY, h[0], h[1], 9);
        double[] init = BayesNet.random(dag, o.initScale(), rng).parameters();
        return new Problem("bars-and-stripes", "3x3 bars and stripes, hidden " + h[0] + "-" + h[1], dag,
                VisibleTarget.barsAndStripes(3, 3), init, o.barsIterations(), o.wakeSleepFactor(), o.barsEvalEvery());
    }

    /** The learning rule {@code name} at {@code rate}, with the options' other settings. */
    public static LearningRule rule(String name, double rate, Ay2020Options o, Dag dag, Rng rng) {
        return switch (name) {
            case "plain" -> new PlainGradient(rate);
            case "visible-ng" -> new VisibleNaturalGradient(rate, o.visibleRelTol());
            case "local-ng" -> new LocalNaturalGradient(rate, o.damping());
            case "wake-sleep" -> new WakeSleep(new WakeSleep.Options(rate, rate, o.batch(), false,
                    WakeSleep.WakeMetric.MODEL, o.wakeSleepDamping()), RecognitionNet.reversed(dag), rng);
            case "wake-sleep-ng" -> new WakeSleep(new WakeSleep.Options(rate, rate, o.batch(), true,
                    WakeSleep.WakeMetric.MODEL, o.wakeSleepDamping()), RecognitionNet.reversed(dag), rng);
            case "wake-sleep-ng-data" -> new WakeSleep(new WakeSleep.Options(rate, rate, o.batch(), true,
                    WakeSleep.WakeMetric.DATA_COMPLETED, o.wakeSleepDamping()), RecognitionNet.reversed(dag), rng);
            default -> throw new IllegalArgumentException("ay2020: unknown rule '" + name + "'; known: " + Ay2020Options.RULES);
        };
    }

    static boolean isWakeSleep(String rule) {
        return rule.startsWith("wake-sleep");
    }

    /**
     * One rule's run at one rate: its KL curve (the one {@link Curve} type, with the KL as the
     * held-out figure, iterations as the examples and cumulative step seconds; KL NaN after a
     * failure), the KL at the fixed N, and why the run failed (null if it did not).
     */
    public record Run(String problem, String rule, double rate, Curve curve, double klAtFixed, String failure) {
        /** Iteration of each evaluation. */
        public double[] iteration() {
            return curve.examples();
        }

        /** Cumulative step seconds at each evaluation. */
        public double[] seconds() {
            return curve.seconds();
        }

        /** KL at each evaluation. */
        public double[] kl() {
            return curve.testErrors();
        }

        /** Total step seconds. */
        public double stepSeconds() {
            return curve.isEmpty() ? 0 : curve.last().seconds();
        }

        public double klFinal() {
            return curve.last().testError();
        }

        /** KL at the last evaluation whose cumulative step time is within {@code budget} seconds. */
        public double klWithin(double budget) {
            double k = curve.points().get(0).testError();
            for (CurvePoint p : curve.points()) {
                if (p.seconds() <= budget) {
                    k = p.testError();
                }
            }
            return k;
        }
    }

    /**
     * One run of {@code ruleName} at {@code rate}; every evaluation is also a row of {@code log}.
     * Exact rules run N = p.iterations() steps. Wake–sleep rules run at least N steps and go on
     * until their steps have used {@code budgetSeconds} (the plain gradient's time for N steps),
     * at most N · wakeSleepFactor steps; beyond N the KL is evaluated on a geometric schedule.
     */
    public static Run run(Problem p, String ruleName, double rate, Ay2020Options o, RunLog log, double budgetSeconds)
            throws IOException {
        BayesNet net = new BayesNet(p.dag(), p.init());
        LearningRule rule = rule(ruleName, rate, o, p.dag(), new Rng(o.seed() * 31 + ruleName.hashCode()));
        long cap = isWakeSleep(ruleName) ? (long) p.iterations() * p.wakeSleepFactor() : p.iterations();
        double[] klAtFixed = {Double.NaN};
        String[] failure = {null};
        Trainer<VisibleTarget> trainer = new Trainer<VisibleTarget>(ruleName, p::target, t -> 1, t -> {
            try {
                rule.step(net, t);
                return StepReport.firstOrder(Double.NaN);
            } catch (IllegalArgumentException | ArithmeticException e) {
                // a failed step ends the run: the loop sees an infinite loss
                return new StepReport(false, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, Double.NaN,
                        "rejected: " + e.getMessage());
            }
        }).schedule(new Schedule() {
            private long nextLate = p.iterations(); // beyond N: a geometric schedule

            @Override
            public boolean due(Progress q) {
                long it = q.step();
                boolean eval = it <= p.iterations() ? it % p.evalEvery() == 0 || it == p.iterations() : it >= nextLate;
                if (eval && it >= nextLate) {
                    nextLate = Math.max(it + 1, (long) Math.ceil(it * 1.15));
                }
                return eval;
            }
        }).evaluator(q -> {
            double kl;
            if (q.lastReport() != null && !q.lastReport().accepted()) {
                failure[0] = "iteration " + q.step() + ": " + q.lastRejection();
                kl = Double.NaN;
            } else {
                kl = Enumeration.of(net).kl(p.target());
                if (q.step() == p.iterations()) {
                    klAtFixed[0] = kl;
                }
            }
            if (log != null) {
                log.row(p.name(), ruleName, rate, q.step(), q.trainSeconds(), kl);
            }
            return Trainer.Evaluation.of(kl, Double.NaN);
        });
        // exact rules stop at N; wake-sleep ones once their steps used the budget (at least N, at most the cap)
        Curve c = trainer.trainUntil(Budget.steps(cap)
                .or(q -> q.step() >= p.iterations() && q.trainSeconds() >= budgetSeconds));
        return new Run(p.name(), ruleName, rate, c, klAtFixed[0], failure[0]);
    }

    /**
     * Median milliseconds per step of each rule at its rate: {@code rounds} rounds in which every
     * rule takes one step in turn (after two warm-up steps each), so that varying load on the
     * machine affects all rules alike. A rule that fails is reported as NaN.
     */
    public static Map<String, Double> costPerStep(Problem p, Map<String, Double> rates, Ay2020Options o, int rounds) {
        Map<String, BayesNet> nets = new LinkedHashMap<>();
        Map<String, LearningRule> rules = new LinkedHashMap<>();
        Map<String, double[]> times = new LinkedHashMap<>();
        for (var e : rates.entrySet()) {
            nets.put(e.getKey(), new BayesNet(p.dag(), p.init()));
            rules.put(e.getKey(), rule(e.getKey(), e.getValue(), o, p.dag(), new Rng(o.seed() + 17)));
            times.put(e.getKey(), new double[rounds]);
        }
        Map<String, Boolean> failed = new LinkedHashMap<>();
        for (int round = -2; round < rounds; round++) {
            for (String r : rules.keySet()) {
                if (failed.containsKey(r)) {
                    continue;
                }
                long t0 = System.nanoTime();
                try {
                    rules.get(r).step(nets.get(r), p.target());
                } catch (IllegalArgumentException | ArithmeticException ex) {
                    failed.put(r, true); // e.g. parameters driven to infinity by a too-large rate
                    continue;
                }
                double ms = (System.nanoTime() - t0) * 1e-6;
                if (round >= 0) {
                    times.get(r)[round] = ms;
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String r : rules.keySet()) {
            if (failed.containsKey(r)) {
                out.put(r, Double.NaN);
            } else {
                double[] t = times.get(r).clone();
                Arrays.sort(t);
                out.put(r, t.length % 2 == 1 ? t[t.length / 2] : 0.5 * (t[t.length / 2 - 1] + t[t.length / 2]));
            }
        }
        return out;
    }

    /** Everything one problem produced. */
    public record ProblemRun(Problem problem, Ay2020Results.ProblemResult result, Map<String, Run> best) {
    }

    /** Runs one problem: geometry at the initial point, every rule at every rate, cost measurement. */
    public static ProblemRun runProblem(Problem p, Ay2020Options o, RunLog log, PrintStream progress) throws IOException {
        BayesNet init = new BayesNet(p.dag(), p.init());
        Enumeration e = Enumeration.of(init);
        int rankG = SymmetricEigen.decompose(e.localFisher().toDense()).orElseThrow().rank(1e-9);
        int rankGv = SymmetricEigen.decompose(e.visibleFisher()).orElseThrow().rank(1e-9);
        double cosine = cosine(LocalNaturalGradient.direction(e, p.target(), 0.0),
                VisibleNaturalGradient.direction(e, p.target(), 1e-10));
        double kl0 = e.kl(p.target());
        Map<String, Run> best = new LinkedHashMap<>();
        Map<String, List<Ay2020Results.GridPoint>> grids = new LinkedHashMap<>();
        double budget = Double.POSITIVE_INFINITY;
        for (String r : Ay2020Options.RULES) { // plain comes first and sets the wall-clock budget
            List<Ay2020Results.GridPoint> grid = new ArrayList<>();
            Run chosen = null;
            for (double rate : o.rates().get(r)) {
                Run c = run(p, r, rate, o, log, budget);
                grid.add(new Ay2020Results.GridPoint(rate, c.klAtFixed()));
                if (progress != null) {
                    progress.printf("ay2020: %-16s %-18s rate %-6s KL(N=%d) %.4g  (%.2f s in steps)%s%n", p.name(), r, rate,
                            p.iterations(), c.klAtFixed(), c.stepSeconds(), c.failure() == null ? "" : "  FAILED " + c.failure());
                }
                if (Double.isFinite(c.klAtFixed()) && (chosen == null || !Double.isFinite(chosen.klAtFixed())
                        || c.klAtFixed() < chosen.klAtFixed())) {
                    chosen = c;
                } else if (chosen == null) {
                    chosen = c;
                }
            }
            best.put(r, chosen);
            grids.put(r, grid);
            if (r.equals("plain")) {
                budget = chosen.stepSeconds();
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        best.forEach((r, c) -> rates.put(r, c.rate()));
        Map<String, Double> ms = costPerStep(p, rates, o, o.costRounds());
        double plainMs = ms.get("plain");
        List<Ay2020Results.RuleResult> rules = new ArrayList<>();
        for (String r : Ay2020Options.RULES) {
            Run c = best.get(r);
            rules.add(new Ay2020Results.RuleResult(r, c.rate(), c.klAtFixed(), (int) c.iteration()[c.iteration().length - 1],
                    c.klFinal(), c.stepSeconds(), c.klWithin(budget), ms.get(r), ms.get(r) / plainMs, grids.get(r)));
        }
        var result = new Ay2020Results.ProblemResult(p.name(), p.dag().size(), p.dag().parameterCount(),
                p.dag().visible().length, rankG, rankGv, cosine, kl0, p.iterations(), budget, rules);
        return new ProblemRun(p, result, best);
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /**
     * The whole reproduction into {@code folder}: options, provenance, log, results, figure, report.
     *
     * @param commandLine recorded in provenance.json
     * @param progress    one line per run, or null for silence
     */
    public static Ay2020Results run(Ay2020Options o, RunFolder folder, List<String> commandLine, PrintStream progress)
            throws IOException {
        folder.writeOptions(o);
        folder.writeProvenance(o.seed(), commandLine);
        List<ProblemRun> runs = new ArrayList<>();
        try (RunLog log = folder.openLog(List.of("problem", "rule", "rate", "iteration", "step_seconds", "kl"))) {
            runs.add(runProblem(sevenUnit(o), o, log, progress));
            runs.add(runProblem(barsAndStripes(o), o, log, progress));
        }
        var bars = runs.get(1).result();
        double ratio = bars.rules().stream().filter(r -> r.rule().equals("local-ng")).findFirst().orElseThrow().costVsPlain();
        Ay2020Results results = new Ay2020Results(o.quick(), o.seed(), runs.stream().map(ProblemRun::result).toList(),
                ratio <= 3.0, ratio);
        folder.writeResults(results);
        Ay2020Figures.save(folder, runs);
        folder.writeReport(Ay2020Report.markdown(o, results));
        return results;
    }
}
