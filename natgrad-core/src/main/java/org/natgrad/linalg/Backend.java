package org.natgrad.linalg;

/**
 * Chooses the {@link Blas} that {@link MatOps} uses and owns the BLAS thread count.
 *
 * <p>Defaults: native OpenBLAS when it loads (else plain Java, with a warning on stderr), with
 * products below {@link #smallProductFlops()} multiply-adds routed to {@link JavaBlas}
 * (the threshold comes from the {@code SmallMatrixBenchmark} in natgrad-bench). The thread count
 * defaults to the system property {@code natgrad.threads}, else the number of cores; native calls
 * below {@link #parallelMinWork()} multiply-adds run on one thread.
 * Not thread-safe to reconfigure while other threads compute.
 */
public final class Backend {

    /** Which kernels to use. */
    public enum Kind { NATIVE, JAVA }

    private static volatile Kind kind;
    private static volatile boolean nativeAvailable;
    private static volatile String nativeError = "";
    /**
     * Default of {@link #parallelMinWork()}: 2^25 ≈ 3.4·10^7 multiply-adds (about 2 ms on one core),
     * from the crossover measured in docs/benchmarks.md.
     */
    public static final long DEFAULT_PARALLEL_MIN_WORK = 1L << 25;

    /** Products with m*n*k below this go to the Java loops when the backend is NATIVE. */
    private static volatile long smallProductFlops = Long.getLong("natgrad.smallFlops", 128L);
    /** Native calls with less work (multiply-adds) than this run on one BLAS thread. */
    private static volatile long parallelMinWork = Long.getLong("natgrad.parallelMinWork", DEFAULT_PARALLEL_MIN_WORK);

    static {
        try {
            NativeBlas.load();
            nativeAvailable = true;
            kind = Kind.NATIVE;
            setThreads(Integer.getInteger("natgrad.threads", Runtime.getRuntime().availableProcessors()));
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError
            nativeAvailable = false;
            nativeError = t.toString();
            kind = Kind.JAVA;
            System.err.println("natgrad: native OpenBLAS unavailable (" + t + "); using pure-Java kernels");
        }
    }

    private Backend() {
    }

    /** The current backend kind. */
    public static Kind kind() {
        return kind;
    }

    /** Selects the backend; NATIVE fails if the native library did not load. */
    public static void use(Kind k) {
        if (k == Kind.NATIVE && !nativeAvailable) {
            throw new IllegalStateException("native OpenBLAS is not available: " + nativeError);
        }
        kind = k;
    }

    public static boolean nativeAvailable() {
        return nativeAvailable;
    }

    /** Sets the number of BLAS threads (>= 1). */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS threads must be >= 1, got " + threads);
        }
        if (nativeAvailable) {
            NativeBlas.setThreads(threads);
        }
    }

    /**
     * The most BLAS threads {@link #setThreads} accepts usefully: the processors native OpenBLAS
     * sees ({@code openblas_get_num_procs}), else the JVM's available processors.
     */
    public static int maxThreads() {
        return nativeAvailable ? Math.max(1, NativeBlas.processors()) : Runtime.getRuntime().availableProcessors();
    }

    /** The current number of BLAS threads (1 for the Java backend). */
    public static int threads() {
        return nativeAvailable && kind == Kind.NATIVE ? NativeBlas.threads() : 1;
    }

    /** Threshold in multiply-adds under which products use the Java loops. */
    public static long smallProductFlops() {
        return smallProductFlops;
    }

    public static void setSmallProductFlops(long flops) {
        smallProductFlops = Math.max(0, flops);
    }

    /**
     * Native BLAS/LAPACK calls with fewer (estimated) multiply-adds than this run on one thread
     * whatever {@link #threads()} says (system property {@code natgrad.parallelMinWork}); larger
     * ones use {@link #threads()} threads.
     */
    public static long parallelMinWork() {
        return parallelMinWork;
    }

    public static void setParallelMinWork(long work) {
        parallelMinWork = Math.max(0, work);
    }

    /** The BLAS for a product of m*n*k multiply-adds. */
    static Blas blasFor(long flops) {
        if (kind == Kind.JAVA || flops < smallProductFlops) {
            return JavaBlas.INSTANCE;
        }
        return NativeBlas.INSTANCE;
    }

    /**
     * The CPU kernel family native OpenBLAS chose at load time ({@code openblas_get_corename}, e.g.
     * "Haswell", "Zen", "Cooperlake"), or "java" on the pure-Java backend. OpenBLAS's blocking
     * parameters, and so the summation order and round-off of its products, depend on it: results
     * reproduce bit for bit only on the same core family (and backend and thread count).
     */
    public static String blasCore() {
        return kind == Kind.JAVA || !nativeAvailable ? "java" : NativeBlas.coreName();
    }

    /** A description for provenance records, e.g. "openblas (OpenBLAS 0.3.31 ...), 2 threads". */
    public static String describe() {
        if (kind == Kind.JAVA) {
            return "java";
        }
        return "openblas (" + NativeBlas.version() + "), " + threads() + " thread(s) from " + parallelMinWork
                + " multiply-adds, java below " + smallProductFlops + " flops";
    }
}
