package org.natgrad.bench;

import org.natgrad.linalg.Backend;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JMH configuration every natgrad microbenchmark shares (JMH's class annotations are
 * inherited): benchmark-scoped state, average time per operation, one fork whose JVM gets
 * {@code -Dnatgrad.threads=1}, and a trial set-up that pins the BLAS to one thread
 * ({@link Backend#setThreads}) before the subclass prepares its operands in {@link #prepare()}.
 * Subclasses give their own time unit, warm-up and measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = "-Dnatgrad.threads=1")
public abstract class SingleThreadBenchmark {

    /** One BLAS thread, then {@link #prepare()}. */
    @Setup(Level.Trial)
    public final void setUp() {
        Backend.setThreads(1);
        prepare();
    }

    /** Builds the operands of the benchmark methods (runs once per trial, after the thread pinning). */
    protected abstract void prepare();
}
