#!/usr/bin/env bash
# natgrad vs PyTorch on the paper's autoencoder (784-400-200-100-50-100-200-400-784 tanh, linear
# output, unit Gaussian loss, M = 1000): one SGD step and one Eq. 20-21 NGD step (refresh every
# step), ROUNDS alternating rounds in one session (PyTorch's scripts/bench/torch_step.py, then
# natgrad-bench's SideBySideStep), each timing RUNS steps of each kind interleaved run by run.
# Prints per round, and as the median over the rounds of the per-round ratios (of minima, of
# medians), the ratios natgrad / PyTorch for SGD and NGD, and NGD / SGD within each framework.
# Not part of the test suite. Needs the shaded jar (mvn -q -B -DskipTests package -pl natgrad-bench
# -am) and Debian's PyTorch with an OpenBLAS (apt-get install -y python3-torch libopenblas0-pthread).
# Usage: scripts/bench/side-by-side.sh [ROUNDS=3] [RUNS=15] [THREADS=1]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
runs=${2:-15}
threads=${3:-1}
jar=natgrad-bench/target/natgrad-benchmarks.jar
[ -f "$jar" ] || { echo "side-by-side: $jar missing: build it first" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "side-by-side $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), threads $threads"
for r in $(seq 1 "$rounds"); do
  echo "== round $r: $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
  OPENBLAS_NUM_THREADS=$threads /usr/bin/python3 scripts/bench/torch_step.py --runs "$runs" --threads "$threads" \
    | tee -a "$log"
  OPENBLAS_NUM_THREADS=$threads java -Dnatgrad.threads="$threads" -cp "$jar" org.natgrad.bench.SideBySideStep \
    --runs "$runs" --threads "$threads" | tee -a "$log"
done
echo "== end $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== summary (ms; ratios from the same round; min = per-round minimum, med = per-round median)"
awk '$1 == "RESULT" {
       k = $2; mn[k, ++n[k]] = $3; md[k, n[k]] = $4
     }
     function ratio(a, b, i, w) { return (w == "min" ? mn[a, i] / mn[b, i] : md[a, i] / md[b, i]) }
     function best(k,   i, b) { b = mn[k, 1]; for (i = 2; i <= n[k]; i++) if (mn[k, i] < b) b = mn[k, i]; return b }
     function medq(key,   i, j, t, c, v) {
       c = n["torch-sgd"]; for (i = 1; i <= c; i++) v[i] = q[key, i]
       for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
       return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
     }
     END {
       if (n["torch-sgd"] == 0 || n["natgrad-sgd"] != n["torch-sgd"]) { print "side-by-side: missing RESULT lines" > "/dev/stderr"; exit 1 }
       for (i = 1; i <= n["torch-sgd"]; i++) {
         printf "round %d: torch sgd %.1f/%.1f ngd %.1f/%.1f | natgrad sgd %.1f/%.1f ngd %.1f/%.1f (min/med)\n", i,
           mn["torch-sgd", i], md["torch-sgd", i], mn["torch-ngd", i], md["torch-ngd", i],
           mn["natgrad-sgd", i], md["natgrad-sgd", i], mn["natgrad-ngd", i], md["natgrad-ngd", i]
         for (w = 0; w < 2; w++) {
           ww = w ? "med" : "min"
           printf "  %s: natgrad/torch SGD %.2f, NGD %.2f; NGD/SGD torch %.2f, natgrad %.2f\n", ww,
             ratio("natgrad-sgd", "torch-sgd", i, ww), ratio("natgrad-ngd", "torch-ngd", i, ww),
             ratio("torch-ngd", "torch-sgd", i, ww), ratio("natgrad-ngd", "natgrad-sgd", i, ww)
         }
       }
       printf "best of all rounds (ms): torch SGD %.1f (autograd; hand-written backward %.1f), NGD %.1f; natgrad SGD %.1f, NGD %.1f\n",
         best("torch-sgd"), best("torch-sgd-manual"), best("torch-ngd"), best("natgrad-sgd"), best("natgrad-ngd")
       # Ratios are formed within a round only; the summary is their median over the rounds.
       for (w = 0; w < 2; w++) {
         ww = w ? "med" : "min"
         for (i = 1; i <= n["torch-sgd"]; i++) {
           q["a", i] = ratio("natgrad-sgd", "torch-sgd", i, ww); q["b", i] = ratio("natgrad-ngd", "torch-ngd", i, ww)
           q["c", i] = ratio("torch-ngd", "torch-sgd", i, ww); q["d", i] = ratio("natgrad-ngd", "natgrad-sgd", i, ww)
         }
         printf "RATIO %s (median over %d rounds of the per-round ratio of %ss): natgrad/torch SGD %.2f, NGD %.2f; NGD/SGD torch %.2f, natgrad %.2f\n",
           ww, n["torch-sgd"], ww, medq("a"), medq("b"), medq("c"), medq("d")
       }
     }' "$log"
