package org.natgrad.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.natgrad.cli.NatgradCommand;
import picocli.CommandLine;

/**
 * The {@code natgrad} command with {@code train} on Spark: {@code --spark MASTER} (e.g.
 * {@code local[4]}, or {@code spark://host:7077} under {@code spark-submit}) and
 * {@code --partitions N} (default: the context's default parallelism) are taken out of the
 * arguments, and the rest is the lab's {@code natgrad} command line unchanged, its {@code train}
 * stepping through {@link SparkSteps}: the same options, minibatches, run folder, plots, report and
 * {@code --resume}. The Spark context starts at the first step and stops at the end.
 *
 * <pre>
 *   natgrad train --spark local[4] --layers 20,30,20 --optimizer ngd --examples 20000 --out runs/spark
 * </pre>
 */
public final class SparkMain {
    private SparkMain() {
    }

    /** The logging configuration of the command (warnings only), unless one is given. */
    static final String LOGGING = "org/natgrad/spark/natgrad-spark-log4j2.properties";

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOGGING);
        }
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs with the given writers; returns the exit code (2 for a usage error). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        List<String> rest = new ArrayList<>();
        String master = null;
        Integer partitions = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--spark") || a.equals("--partitions")) {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    if (a.equals("--spark")) {
                        master = v;
                    } else {
                        partitions = parsePartitions(v);
                    }
                } else if (a.startsWith("--spark=")) {
                    master = a.substring("--spark=".length());
                } else if (a.startsWith("--partitions=")) {
                    partitions = parsePartitions(a.substring("--partitions=".length()));
                } else {
                    rest.add(a);
                }
            }
            if (master != null && master.isBlank()) {
                throw new IllegalArgumentException("--spark needs a master URL, e.g. local[4]");
            }
        } catch (IllegalArgumentException e) {
            err.println("natgrad: " + e.getMessage());
            err.flush();
            return 2;
        }
        String m = master;
        JavaSparkContext[] context = new JavaSparkContext[1];
        try {
            return run(() -> {
                if (context[0] == null) {
                    SparkConf conf = new SparkConf().setAppName("natgrad train").set("spark.ui.showConsoleProgress", "false");
                    if (m != null) {
                        conf.setMaster(m);
                    } else if (!conf.contains("spark.master")) {
                        conf.setMaster("local[*]"); // no --spark and not under spark-submit: embedded, all cores
                    }
                    context[0] = new JavaSparkContext(conf);
                }
                return context[0];
            }, partitions == null ? 0 : partitions, out, err, rest.toArray(new String[0]));
        } finally {
            if (context[0] != null) {
                context[0].close();
            }
        }
    }

    /** The natgrad command line {@code args} with {@code train} stepping on the context {@code context} gives. */
    static int run(java.util.function.Supplier<JavaSparkContext> context, int partitions, PrintWriter out, PrintWriter err,
                   String... args) {
        SparkSteps steps = new SparkSteps(context, partitions);
        CommandLine cl = NatgradCommand.commandLine(steps);
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        PassCounters c = steps.counters();
        if (code == 0 && c != null) {
            out.printf(java.util.Locale.ROOT, "spark: %d passes (%d loss re-evaluations), %.3g MB reduced, %.3g MB "
                    + "broadcast, %.2f s in passes%n", c.passes(), c.lossPasses(), c.reducedBytes() / 1e6,
                    c.broadcastBytes() / 1e6, c.passNanos() * 1e-9);
        }
        out.flush();
        err.flush();
        return code;
    }

    private static int parsePartitions(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--partitions must be a whole number >= 1, got '" + v + "'");
        }
    }
}
