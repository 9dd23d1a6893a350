package org.natgrad.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.natgrad.experiment.RunFolder;
import org.natgrad.experiment.Provenance;
import org.natgrad.linalg.Backend;
import org.natgrad.experiment.train.StepSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code natgrad} command: global options and the list of subcommands. To add a
 * subcommand, add its class to {@link #SUBCOMMANDS}; it reaches the global options through a
 * {@code @ParentCommand NatgradCommand} field ({@link #seed()}, {@link #verbose()}); the BLAS
 * thread count is applied before any subcommand runs.
 */
@Command(name = "natgrad", mixinStandardHelpOptions = true, versionProvider = NatgradCommand.Version.class,
        description = "Natural gradient and Fisher information of deep networks.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Run 'natgrad COMMAND --help' for a command's options.",
                "Exit codes: 0 ok, 1 run-time error, 2 usage error."})
public final class NatgradCommand implements Callable<Integer> {

    /** The subcommands, in the order the help lists them: one line per subcommand. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            TrainCommand.class,
            FisherCommand.class,
            FisherVarianceCommand.class,
            ReproduceCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "BLAS threads (default: system property natgrad.threads, else the number of cores, "
                    + "${sys:natgrad.cores}; at most the processors OpenBLAS sees).")
    Integer threads;

    @Option(names = "--seed", paramLabel = "SEED", scope = ScopeType.INHERIT, defaultValue = "1",
            description = "Master seed for everything random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    /** The master seed given by --seed (default 1). */
    public long seed() {
        return seed;
    }

    /** True with --verbose. */
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        throw Commands.missingSubcommand(spec, "command");
    }

    /** Sets the BLAS thread count from --threads (validated), else natgrad.threads, else the number of cores. */
    void applyGlobals() {
        int n = threads != null ? threads
                : Integer.getInteger("natgrad.threads", Runtime.getRuntime().availableProcessors());
        if (n < 1) {
            throw Commands.usage(spec, "--threads must be >= 1, got " + n);
        }
        if (n > Backend.maxThreads()) {
            throw Commands.usage(spec, "--threads " + n + " exceeds the BLAS maximum of "
                    + Backend.maxThreads() + " on this machine (the processors OpenBLAS sees)");
        }
        Backend.setThreads(n);
    }

    /** A configured command line for {@code natgrad}. */
    public static CommandLine commandLine() {
        return commandLine(StepSource.LOCAL);
    }

    /**
     * A configured command line for {@code natgrad} whose {@code train} takes its steps through
     * {@code steps} (natgrad-spark's entry point passes its engine; nothing else changes).
     */
    public static CommandLine commandLine(StepSource steps) {
        System.setProperty("natgrad.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        NatgradCommand root = new NatgradCommand();
        CommandLine cl = new CommandLine(root);
        for (Class<?> c : SUBCOMMANDS) {
            if (c == TrainCommand.class) {
                cl.addSubcommand(new TrainCommand(steps));
            } else {
                cl.addSubcommand(c);
            }
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(parseResult -> {
            root.applyGlobals();
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("natgrad: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            if (root.verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof RunFolder.FolderRefusedException) {
                // the output folder cannot be used as given: a usage error
                err.println("natgrad: " + ex.getMessage());
                err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
                err.flush();
                return commandLine.getCommandSpec().exitCodeOnInvalidInput();
            }
            err.println("natgrad: error: " + oneLine(ex));
            if (root.verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    /** Runs the command with these arguments and returns the exit code (does not exit). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs with the given output and error writers (for tests); returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Commands.execute(commandLine(), out, err, args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The message of an exception and its causes on one line, e.g. "file x: not found". */
    static String oneLine(Throwable ex) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String m = t.getMessage();
            String part = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
            if (sb.indexOf(part) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(part);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString().replace('\n', ' ').replace('\r', ' ');
    }

    /** Version from the build plus the numerical backend. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "natgrad " + Provenance.version(),
                "backend: " + Backend.describe(),
                "java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
