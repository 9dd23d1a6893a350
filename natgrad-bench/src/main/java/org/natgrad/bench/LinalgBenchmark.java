package org.natgrad.bench;

import java.util.concurrent.TimeUnit;
import org.natgrad.linalg.Backend;
import org.natgrad.linalg.Cholesky;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square n x n operations through natgrad's public API (so the Java/native routing of
 * {@link Backend} applies): gemm C = A B, syrk C = A A^T, symmetric eigendecomposition and the
 * inverse from a Cholesky factorization of a symmetric positive-definite matrix. One BLAS
 * thread. GFLOP/s of gemm = 2 n^3 / time ({@link Ratios} prints it).
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LinalgBenchmark extends SingleThreadBenchmark {

    @Param({"20", "100", "400", "784"})
    public int n;

    private Matrix a;
    private Matrix b;
    private Matrix c;
    private Matrix spd;

    @Override
    protected void prepare() {
        a = Workloads.gaussian(n, n, 1);
        b = Workloads.gaussian(n, n, 2);
        c = new Matrix(n, n);
        spd = Workloads.spd(n, 3);
    }

    @Benchmark
    public Matrix gemm() {
        return MatOps.gemm(1, a, false, b, false, 0, c);
    }

    @Benchmark
    public Matrix syrk() {
        return MatOps.syrk(1, a, false, 0, c);
    }

    @Benchmark
    public SymmetricEigen eigen() {
        return SymmetricEigen.decompose(spd).orElseThrow();
    }

    @Benchmark
    public Matrix choleskyInverse() {
        return Cholesky.decompose(spd).orElseThrow().inverse();
    }
}
