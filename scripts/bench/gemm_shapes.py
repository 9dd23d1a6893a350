#!/usr/bin/env python3
"""Times the 23 products of one forward + backward pass of the 784-400-200-100-50-100-200-400-784
autoencoder at M = 1000 in NumPy/OpenBLAS, float64 and float32, one thread: the reference for
natgrad-bench's GemmCost (docs/benchmarks.md "Where the gemm time goes").

Shapes and transposes are those of natgrad-bench's GemmPlan.ofPass, in column-major terms (NumPy
Fortran-order arrays; a .T view of one hands BLAS the transposed flag, no copy): for layer i,
forward W_i X_{i-1} (n_i x n_{i-1} by n_{i-1} x M), gradient D_i X_{i-1}^T, and for i > 1
backward W_i^T D_i. Outputs are preallocated (np.matmul(..., out=)). Each run times every
product once, in pass order; prints the sums over products of the per-product minima and medians
as "RESULT numpy-<dtype> min_ms median_ms gflops_best gflops_median".

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench/gemm_shapes.py [--runs 15] [--warmup 3]
"""
import argparse
import os
import statistics
import sys
import time

WIDTHS = [784, 400, 200, 100, 50, 100, 200, 400, 784]
M = 1000

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_numpy import openblas_config  # noqa: E402


def products(np, dtype, rng):
    """[(label, a, b, out, multiply-adds)] in pass order; a and b possibly transposed views."""
    ps = []
    layers = len(WIDTHS) - 1
    xs = [np.asfortranarray(rng.standard_normal((WIDTHS[i], M)).astype(dtype)) for i in range(layers)]
    ws = [np.asfortranarray(rng.standard_normal((WIDTHS[i + 1], WIDTHS[i])).astype(dtype)) for i in range(layers)]
    ds = [np.asfortranarray(rng.standard_normal((WIDTHS[i + 1], M)).astype(dtype)) for i in range(layers)]
    for i in range(layers):
        ps.append(("forward %d" % (i + 1), ws[i], xs[i]))
    for i in range(layers - 1, -1, -1):
        ps.append(("gradient %d" % (i + 1), ds[i], xs[i].T))
        if i > 0:
            ps.append(("backward %d" % (i + 1), ws[i].T, ds[i]))
    return [(lab, a, b, np.empty((a.shape[0], b.shape[1]), dtype=dtype, order="F"), a.shape[0] * a.shape[1] * b.shape[1])
            for lab, a, b in ps]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args()
    if args.runs < 1 or args.warmup < 0:
        sys.exit("gemm_shapes: need --runs >= 1 and --warmup >= 0")
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        sys.exit("gemm_shapes: set OPENBLAS_NUM_THREADS=1 (the comparison is single-threaded)")
    import numpy as np

    lib, config = openblas_config()
    print("numpy %s; blas %s; %s" % (np.__version__, lib, config))
    rng = np.random.default_rng(20261203)
    sets = {name: products(np, dt, rng) for name, dt in (("float64", np.float64), ("float32", np.float32))}
    for name, ps in sets.items():
        for lab, a, b, out, _ in ps:
            np.matmul(a, b, out=out)
            ref = float(np.dot(a[1, :].astype(np.float64), b[:, 2].astype(np.float64)))
            if abs(out[1, 2] - ref) > 1e-3 * max(1.0, abs(ref)):
                sys.exit("gemm_shapes: wrong %s product %s: %r vs %r" % (name, lab, out[1, 2], ref))
    times = {name: [[] for _ in ps] for name, ps in sets.items()}
    for r in range(-args.warmup, args.runs):
        for name, ps in sets.items():
            for j, (_, a, b, out, _) in enumerate(ps):
                t0 = time.perf_counter()
                np.matmul(a, b, out=out)
                dt = time.perf_counter() - t0
                if r >= 0:
                    times[name][j].append(dt * 1e3)
    for name, ps in sets.items():
        madds = sum(p[4] for p in ps)
        tmin = sum(min(t) for t in times[name])
        tmed = sum(statistics.median(t) for t in times[name])
        print("per product min (us) %s: %s" % (name, " ".join("%.0f" % (min(t) * 1e3) for t in times[name])))
        print("RESULT numpy-%s %.3f %.3f %.2f %.2f" % (name, tmin, tmed, 2e-6 * madds / tmin, 2e-6 * madds / tmed))


if __name__ == "__main__":
    main()
