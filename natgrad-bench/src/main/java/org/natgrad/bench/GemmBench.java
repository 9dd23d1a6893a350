package org.natgrad.bench;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.natgrad.linalg.Backend;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;

/**
 * dgemm (400 x 784)·(784 x 1000) on one BLAS thread, timed the way scripts/bench_numpy.py times
 * NumPy (warm-up, then per-call wall-clock times; min and median), so the two can be run side
 * by side (natgrad-bench/gemm-vs-numpy.sh). natgrad's heap-array path ({@link MatOps#gemm}) and
 * the off-heap {@link DoublePointer} call are interleaved call by call, so load from other
 * processes hits both alike. Prints one {@code RESULT name min_ms median_ms gflops_best gflops_median}
 * line per path. Usage: {@code GemmBench [--runs 30] [--warmup 5]}.
 */
public final class GemmBench {

    private GemmBench() {
    }

    public static void main(String[] args) {
        int runs = 30;
        int warmup = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("GemmBench: unknown option " + args[i] + "; usage: GemmBench [--runs N] [--warmup N]");
                    System.exit(2);
                }
            }
        }
        if (args.length % 2 != 0 || runs < 1 || warmup < 0) {
            System.err.println("usage: GemmBench [--runs N>=1] [--warmup N>=0]");
            System.exit(2);
        }
        Backend.setThreads(1);
        int m = GemmThroughputBenchmark.M;
        int k = GemmThroughputBenchmark.K;
        int n = GemmThroughputBenchmark.N;
        Matrix a = Workloads.gaussian(m, k, 1);
        Matrix b = Workloads.gaussian(k, n, 2);
        Matrix c = new Matrix(m, n);
        double[] heap = new double[runs];
        double[] off = new double[runs];
        try (DoublePointer pa = new DoublePointer(a.data()); DoublePointer pb = new DoublePointer(b.data());
             DoublePointer pc = new DoublePointer((long) m * n)) {
            for (int r = -warmup; r < runs; r++) {
                long t0 = System.nanoTime();
                MatOps.gemm(1, a, false, b, false, 0, c);
                long t1 = System.nanoTime();
                openblas.cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, pa, m, pb, k, 0, pc, m);
                long t2 = System.nanoTime();
                if (r >= 0) {
                    heap[r] = (t1 - t0) / 1e6;
                    off[r] = (t2 - t1) / 1e6;
                }
            }
            // The two paths must agree (same library, same data): a wrong call would show here.
            double[] cd = c.data();
            for (int i : new int[] {0, m * n / 2, m * n - 1}) {
                if (Math.abs(cd[i] - pc.get(i)) > 1e-9 * Math.max(1, Math.abs(cd[i]))) {
                    throw new IllegalStateException("GemmBench: heap and off-heap products differ at " + i);
                }
            }
        }
        System.out.print(BlasInfo.describe());
        double flops = 2.0 * m * n * k;
        print("natgrad-heap", heap, flops);
        print("offheap-pointer", off, flops);
    }

    private static void print(String name, double[] ms, double flops) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double med = s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
        System.out.printf(Locale.ROOT, "RESULT %s %.3f %.3f %.2f %.2f%n", name, s[0], med, flops / (s[0] * 1e6),
                flops / (med * 1e6));
    }
}
