#!/usr/bin/env bash
# natgrad vs PyTorch on one SGD step of issue 17's LeNet-like CNN (batch BATCH, same thread count):
# scripts/bench/torch_cnn_step.py (float32) then natgrad-bench's CnnStep (float64: the conv layers have
# no float32 path yet), each timing RUNS steps after 3 warm-up steps; prints both RESULT lines and the
# ratio natgrad / PyTorch of the minima and of the medians, with the load average before and after.
# Not part of the test suite. Needs the shaded jar (mvn -q -B -DskipTests package -pl natgrad-bench -am)
# and Debian's PyTorch (apt-get install -y python3-torch).
# Usage: scripts/bench/cnn-side-by-side.sh [RUNS=10] [THREADS=1] [BATCH=128]
set -euo pipefail
cd "$(dirname "$0")/../.."
read -r runs threads batch <<< "${1:-10} ${2:-1} ${3:-128}"
jar=natgrad-bench/target/natgrad-benchmarks.jar
if [ ! -f "$jar" ]; then echo "cnn-side-by-side: $jar missing: build it first" >&2; exit 1; fi
log=$(mktemp); trap 'rm -f "$log"' EXIT
echo "cnn-side-by-side $(date -u +%FT%TZ), $(nproc) cores, threads $threads, batch $batch, load $(cut -d' ' -f1-3 /proc/loadavg)"
OPENBLAS_NUM_THREADS=$threads /usr/bin/python3 scripts/bench/torch_cnn_step.py --runs "$runs" --threads "$threads" \
  --batch "$batch" | tee -a "$log"
OPENBLAS_NUM_THREADS=$threads java -Dnatgrad.threads="$threads" -cp "$jar" org.natgrad.bench.CnnStep \
  --runs "$runs" --threads "$threads" --batch "$batch" | tee -a "$log"
echo "== end $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
awk '$1 == "RESULT" { mn[$2] = $3; md[$2] = $4 }
     END {
       if (!("torch-cnn-sgd" in mn) || !("natgrad-cnn-sgd" in mn)) { print "cnn-side-by-side: missing RESULT lines" > "/dev/stderr"; exit 1 }
       printf "RATIO natgrad/torch CNN SGD step: min %.2f, median %.2f\n",
         mn["natgrad-cnn-sgd"] / mn["torch-cnn-sgd"], md["natgrad-cnn-sgd"] / md["torch-cnn-sgd"]
     }' "$log"
