package org.natgrad.bench;

import java.util.concurrent.TimeUnit;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.PsdSolver;
import org.natgrad.linalg.InverseStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Kronecker-factor inverse (A + s I)^{-1}, A = S S^T with S n x 1000 (a factor at batch
 * M = 1000), per {@link InverseStrategy}, at the factor sizes of the autoencoder (n_i, and
 * n_{i-1} + 1 with the bias row) and of the width-20 deep linear network. One BLAS thread.
 * <ul>
 *   <li>{@code refresh}: what a refresh step pays: {@link PsdSolver#of} (syrk, and the
 *       eigendecomposition for EIGEN) plus the first {@code inverse(s)};</li>
 *   <li>{@code redamp}: what a step between refreshes pays when the damping changed (as it does
 *       under Levenberg–Marquardt): {@code inverse(s')} on a prepared factor (the shift
 *       alternates, so the cached inverse is never reused).</li>
 * </ul>
 * AUTO's size threshold ({@code PsdSolver.AUTO_EIGEN_MAX_SIZE}) follows from these: with T
 * steps per refresh and the damping changing every step, EIGEN costs refresh/T + redamp·(T−1)/T
 * per step and CHOLESKY likewise with its own figures.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class FactorInverseBenchmark extends SingleThreadBenchmark {

    public static final int SAMPLES = 1000;

    @Param({"20", "51", "101", "201", "401", "785"})
    public int n;

    @Param({"EIGEN", "CHOLESKY"})
    public InverseStrategy strategy;

    private Matrix samples;
    private PsdSolver prepared;
    private boolean flip;

    @Override
    protected void prepare() {
        samples = MatOps.scaleInPlace(1 / Math.sqrt(SAMPLES), Workloads.gaussian(n, SAMPLES, 5));
        prepared = PsdSolver.of(samples, strategy, false, 1);
        prepared.inverse(0.1);
    }

    @Benchmark
    public Matrix refresh() {
        return PsdSolver.of(samples, strategy, false, 1).inverse(0.1);
    }

    @Benchmark
    public Matrix redamp() {
        flip = !flip;
        return prepared.inverse(flip ? 0.1 : 0.2);
    }
}
