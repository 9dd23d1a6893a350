/**
 * Benchmarks: JMH microbenchmarks of the linear algebra and of one autoencoder training pass
 * ({@link org.natgrad.bench.SingleThreadBenchmark} their shared JMH set-up; {@link org.natgrad.bench.LinalgBenchmark}, {@link org.natgrad.bench.SmallMatrixBenchmark},
 * {@link org.natgrad.bench.GemmThroughputBenchmark}, {@link org.natgrad.bench.AutoencoderPassBenchmark},
 * {@link org.natgrad.bench.FactorInverseBenchmark}), the pass's products replayed alone
 * ({@link org.natgrad.bench.GemmPlan}),
 * {@link org.natgrad.bench.Ratios} to turn a JMH CSV result file into the derived figures
 * (GFLOP/s, pass / sum-of-gemms, Java vs native), and the plain-main end-to-end
 * {@link org.natgrad.bench.StepBench}, and {@link org.natgrad.bench.GemmBench}, the gemm timed like
 * scripts/bench_numpy.py times NumPy, {@link org.natgrad.bench.GemmCost} (where the pass's gemm time
 * goes: JNI array copies, output allocation, transposes, float32),
 * {@link org.natgrad.bench.SideBySideStep} (natgrad's half of scripts/bench/side-by-side.sh, the
 * comparison with PyTorch), {@link org.natgrad.bench.CnnStep} (the CNN SGD step of
 * scripts/bench/cnn-side-by-side.sh). How to run them and the measured figures: docs/benchmarks.md.
 * Every benchmark pins the BLAS to one thread unless its parameters say otherwise.
 */
package org.natgrad.bench;
