#!/usr/bin/env bash
# Runs every natgrad benchmark once, in one session, one BLAS thread, and writes the raw
# outputs plus the derived ratios to a results folder (default: natgrad-bench/target/results).
# About 10 minutes on a quiet 2-core machine. Build first:
#   mvn -q -B -DskipTests package -pl natgrad-bench -am
# Usage: natgrad-bench/run-all.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-natgrad-bench/target/results}
jar=natgrad-bench/target/natgrad-benchmarks.jar
[ -f "$jar" ] || { echo "run-all: $jar missing: build it first" >&2; exit 1; }
mkdir -p "$out"
note() { echo "== $1: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/session.txt"; }
note start
java -Dnatgrad.threads=1 -cp "$jar" org.natgrad.bench.BlasInfo | tee -a "$out/session.txt"
for b in SmallMatrixBenchmark GemmThroughputBenchmark AutoencoderPassBenchmark LinalgBenchmark FactorInverseBenchmark; do
  note "$b"
  java -jar "$jar" "$b" -rf csv -rff "$out/$b.csv" > "$out/$b.log" 2>&1
done
note gemm-vs-numpy
natgrad-bench/gemm-vs-numpy.sh 5 20 > "$out/gemm-vs-numpy.txt" 2>&1 || echo "gemm-vs-numpy failed (see $out/gemm-vs-numpy.txt)"
note StepBench
java -cp "$jar" org.natgrad.bench.StepBench > "$out/StepBench.txt" 2>&1
note end
{
  for b in SmallMatrixBenchmark GemmThroughputBenchmark AutoencoderPassBenchmark LinalgBenchmark FactorInverseBenchmark; do
    java -cp "$jar" org.natgrad.bench.Ratios "$out/$b.csv"
  done
  grep -E "^(natgrad|off-heap) / numpy|^RESULT|^over all" "$out/gemm-vs-numpy.txt" || true
  sed -n '/^warmup/,$p' "$out/StepBench.txt"
} | tee "$out/summary.txt"
