package org.natgrad.bench;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.natgrad.linalg.JavaBlas;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * dgemm (400 x 784)·(784 x 1000), the first layer of the autoencoder at batch 1000, on one BLAS
 * thread, three ways:
 * <ul>
 *   <li>{@code matOps}: natgrad's path, {@link MatOps#gemm} on heap {@code double[]} (the JavaCPP
 *       preset hands the arrays to OpenBLAS through JNI array access, which copies in and out);</li>
 *   <li>{@code offHeap}: {@code openblas.cblas_dgemm} on off-heap {@link DoublePointer} buffers
 *       holding the same numbers (no copy): the storage alternative;</li>
 *   <li>{@code javaLoops}: {@link JavaBlas} (the pure-Java fallback), for scale.</li>
 * </ul>
 * GFLOP/s = 2·400·784·1000 / time; {@link Ratios} prints it and matOps / offHeap.
 * The same storage question for a memory-bound kernel: dgemv y = A x with A 1000 x 1000 through
 * {@link MatOps#gemv} (heap arrays, native), off-heap pointers, and {@link JavaBlas}.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmThroughputBenchmark extends SingleThreadBenchmark {

    public static final int M = 400;
    public static final int K = 784;
    public static final int N = 1000;
    /** Size of the square matrix of the gemv benchmarks. */
    public static final int GEMV_N = 1000;

    private Matrix a;
    private Matrix b;
    private Matrix c;
    private DoublePointer pa;
    private DoublePointer pb;
    private DoublePointer pc;
    private Matrix g;
    private double[] x;
    private double[] y;
    private DoublePointer pg;
    private DoublePointer px;
    private DoublePointer py;

    @Override
    protected void prepare() {
        a = Workloads.gaussian(M, K, 1);
        b = Workloads.gaussian(K, N, 2);
        c = new Matrix(M, N);
        pa = new DoublePointer(a.data());
        pb = new DoublePointer(b.data());
        pc = new DoublePointer((long) M * N);
        g = Workloads.gaussian(GEMV_N, GEMV_N, 3);
        x = Workloads.gaussian(GEMV_N, 1, 4).data();
        y = new double[GEMV_N];
        pg = new DoublePointer(g.data());
        px = new DoublePointer(x);
        py = new DoublePointer((long) GEMV_N);
    }

    @TearDown
    public void tearDown() {
        pa.close();
        pb.close();
        pc.close();
        pg.close();
        px.close();
        py.close();
    }

    @Benchmark
    public Matrix matOps() {
        return MatOps.gemm(1, a, false, b, false, 0, c);
    }

    @Benchmark
    public DoublePointer offHeap() {
        openblas.cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1, pa, M, pb, K, 0, pc, M);
        return pc;
    }

    @Benchmark
    public double[] javaLoops() {
        JavaBlas.INSTANCE.dgemm(false, false, M, N, K, 1, a.data(), M, b.data(), K, 0, c.data(), M);
        return c.data();
    }

    @Benchmark
    public double[] gemvHeap() {
        return MatOps.gemv(1, g, false, x, 0, y);
    }

    @Benchmark
    public DoublePointer gemvOffHeap() {
        openblas.cblas_dgemv(CblasColMajor, CblasNoTrans, GEMV_N, GEMV_N, 1, pg, GEMV_N, px, 1, 0, py, 1);
        return py;
    }

    @Benchmark
    public double[] gemvJava() {
        JavaBlas.INSTANCE.dgemv(false, GEMV_N, GEMV_N, 1, g.data(), GEMV_N, x, 0, y);
        return y;
    }
}
