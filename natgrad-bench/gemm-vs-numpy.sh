#!/usr/bin/env bash
# natgrad vs NumPy on dgemm (400x784)·(784x1000), one BLAS thread each, measured side by side:
# ROUNDS alternating rounds (NumPy, then natgrad's GemmBench), each printing min / median.
# Needs the shaded jar (mvn -q -B -DskipTests package -pl natgrad-bench -am) and Debian's
# python3-numpy with an OpenBLAS (apt-get install -y python3-numpy libopenblas0-pthread).
# Usage: natgrad-bench/gemm-vs-numpy.sh [ROUNDS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
runs=${2:-30}
jar=natgrad-bench/target/natgrad-benchmarks.jar
[ -f "$jar" ] || { echo "gemm-vs-numpy: $jar missing: build it first" >&2; exit 1; }
log=$(mktemp)
for r in $(seq 1 "$rounds"); do
  echo "== round $r: $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench_numpy.py --repeats "$runs" | tee -a "$log"
  java -Dnatgrad.threads=1 -cp "$jar" org.natgrad.bench.GemmBench --runs "$runs" | tee -a "$log"
done
echo "== summary (GFLOP/s from the min and from the median time, per round; ratio natgrad / numpy)"
awk '$1 == "RESULT" {
       best[$2] = best[$2] " " $5; med[$2] = med[$2] " " $6
       if (!($2 in top) || $5 > top[$2]) top[$2] = $5
       if ($2 == "numpy") { nb = $5; nm = $6 }
       if ($2 == "natgrad-heap") printf "natgrad / numpy: best %.3f, median %.3f\n", $5 / nb, $6 / nm
       if ($2 == "offheap-pointer") printf "off-heap / numpy: best %.3f, median %.3f\n", $5 / nb, $6 / nm
     }
     END {
       for (k in best) printf "%-16s best%s | median%s\n", k, best[k], med[k]
       printf "over all rounds, best GFLOP/s: numpy %.2f, natgrad %.2f, off-heap %.2f; natgrad / numpy %.3f, natgrad / off-heap %.3f\n", top["numpy"], top["natgrad-heap"], top["offheap-pointer"], top["natgrad-heap"] / top["numpy"], top["natgrad-heap"] / top["offheap-pointer"]
     }' "$log"
rm -f "$log"
