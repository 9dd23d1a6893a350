package org.natgrad.bench;

import java.util.concurrent.TimeUnit;
import org.natgrad.linalg.Backend;
import org.natgrad.linalg.Blas;
import org.natgrad.linalg.JavaBlas;
import org.natgrad.linalg.NativeBlas;
import org.natgrad.random.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Small products straight through {@link NativeBlas#INSTANCE} and {@link JavaBlas#INSTANCE}
 * (bypassing {@link Backend}'s routing) to choose where the routing threshold
 * {@code natgrad.smallFlops} should sit. One BLAS thread.
 *
 * <p>{@code op} is {@code gemm:MxNxK} (C = A B, A m x k, B k x n), {@code gemmT:MxNxK}
 * (C = A B^T with B n x k: the gradient product δ x^T) or {@code syrk:NxK} (C = A A^T, A n x k,
 * both triangles written) or {@code gemv:MxN} (y = A x, A m x n). The 20-sized cases are those of the 16 x 20 deep linear network at
 * batch 20 and 1000; the cubes sweep the cross-over. {@link Ratios} prints java / native per op
 * together with the op's multiply-adds as {@code Backend} counts them (m n k for gemm, n^2 k / 2
 * for syrk, m n for gemv).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class SmallMatrixBenchmark extends SingleThreadBenchmark {

    @Param({"gemm:1x1x1", "gemm:2x2x2", "gemm:3x3x3", "gemm:4x4x4", "gemm:8x8x8", "gemm:12x12x12", "gemm:20x20x20",
            "gemm:20x1000x20", "gemmT:20x20x1000", "syrk:4x4", "syrk:20x20", "syrk:20x1000", "gemv:4x4", "gemv:20x20"})
    public String op;

    @Param({"native", "java"})
    public String impl;

    private Blas blas;
    private int kind; // 0 gemm, 1 gemmT, 2 syrk, 3 gemv
    private int m;
    private int n;
    private int k;
    private double[] a;
    private double[] b;
    private double[] c;

    @Override
    protected void prepare() {
        blas = switch (impl) {
            case "native" -> NativeBlas.INSTANCE;
            case "java" -> JavaBlas.INSTANCE;
            default -> throw new IllegalArgumentException("SmallMatrixBenchmark: impl must be native or java, got " + impl);
        };
        String[] parts = op.split(":");
        int[] dims = java.util.Arrays.stream(parts[1].split("x")).mapToInt(Integer::parseInt).toArray();
        switch (parts[0]) {
            case "gemm", "gemmT" -> {
                kind = parts[0].equals("gemm") ? 0 : 1;
                m = dims[0];
                n = dims[1];
                k = dims[2];
                a = fill(m * k, 1);
                b = fill(k * n, 2);
                c = new double[m * n];
            }
            case "syrk" -> {
                kind = 2;
                n = dims[0];
                k = dims[1];
                a = fill(n * k, 1);
                c = new double[n * n];
            }
            case "gemv" -> {
                kind = 3;
                m = dims[0];
                n = dims[1];
                a = fill(m * n, 1);
                b = fill(n, 2);
                c = new double[m];
            }
            default -> throw new IllegalArgumentException("SmallMatrixBenchmark: unknown op " + op);
        }
    }

    private static double[] fill(int len, long seed) {
        double[] d = new double[len];
        new Rng(seed).fillGaussian(d);
        return d;
    }

    @Benchmark
    public double[] run() {
        switch (kind) {
            case 0 -> blas.dgemm(false, false, m, n, k, 1, a, m, b, k, 0, c, m);
            case 1 -> blas.dgemm(false, true, m, n, k, 1, a, m, b, n, 0, c, m);
            case 2 -> blas.dsyrk(false, n, k, 1, a, n, 0, c, n);
            default -> blas.dgemv(false, m, n, 1, a, m, b, 0, c);
        }
        return c;
    }
}
