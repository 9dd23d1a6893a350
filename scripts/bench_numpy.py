#!/usr/bin/env python3
"""Times dgemm (400x784)·(784x1000) in NumPy on one BLAS thread, the reference for natgrad's
GemmThroughputBenchmark (docs/benchmarks.md).

Run with Debian's NumPy (linked to the system OpenBLAS):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench_numpy.py [--repeats 30]

The thread count must be fixed by the environment before NumPy loads OpenBLAS, so the script
refuses to run unless OPENBLAS_NUM_THREADS (or OMP_NUM_THREADS) is 1. It prints the BLAS
library in use, OpenBLAS's own configuration line (which names the kernel it selected) and the
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE overrides seen in the environment, then min and median time
and GFLOP/s (2*m*n*k flops).
"""
import argparse
import ctypes
import os
import statistics
import sys
import time

M, K, N = 400, 784, 1000


def openblas_config():
    """The BLAS library this process mapped and OpenBLAS's openblas_get_config(), or why not.

    Debian's python3-numpy links libblas.so.3, an alternative that is the slow reference BLAS
    unless an OpenBLAS package (libopenblas0-pthread) is installed; the maps show which it is.
    """
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f
                           if "/" in line and "blas" in line.split()[-1].rsplit("/", 1)[-1].lower()})
    except OSError as e:
        return None, "cannot read /proc/self/maps: %s" % e
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            fn = lib.openblas_get_config
            fn.restype = ctypes.c_char_p
            return path, fn().decode().strip()
        except (OSError, AttributeError):
            continue
    return (", ".join(libs) if libs else None), "openblas_get_config not found: not OpenBLAS (reference BLAS?)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30, help="timed products after warm-up (default 30)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed products first (default 5)")
    args = ap.parse_args()
    if args.repeats < 1 or args.warmup < 0:
        sys.exit("bench_numpy: --repeats must be >= 1 and --warmup >= 0")
    threads = os.environ.get("OPENBLAS_NUM_THREADS", os.environ.get("OMP_NUM_THREADS"))
    if threads != "1":
        sys.exit("bench_numpy: set OPENBLAS_NUM_THREADS=1 (got %r): the comparison is single-threaded" % threads)

    import numpy as np

    rng = np.random.default_rng(20261122)
    # Fortran order = column-major, like natgrad's Matrix; NumPy hands BLAS the transposed view
    # for C-order arrays at no cost, so the order does not change the kernel that runs.
    a = np.asfortranarray(rng.standard_normal((M, K)))
    b = np.asfortranarray(rng.standard_normal((K, N)))
    c = np.empty((M, N), order="F")
    for _ in range(args.warmup):
        np.matmul(a, b, out=c)
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - t0)
    # Sanity check against a few entries computed independently.
    for i, j in ((0, 0), (M - 1, N - 1), (123, 456)):
        ref = float(np.dot(a[i, :], b[:, j]))
        if abs(c[i, j] - ref) > 1e-9 * max(1.0, abs(ref)):
            sys.exit("bench_numpy: wrong product at (%d, %d): %r vs %r" % (i, j, c[i, j], ref))

    flops = 2.0 * M * N * K
    lib, config = openblas_config()
    print("numpy %s, python %s" % (np.__version__, sys.version.split()[0]))
    print("blas library: %s" % lib)
    print("openblas_get_config: %s" % config)
    for var in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        print("%s=%s" % (var, os.environ.get(var, "(unset)")))
    tmin, tmed = min(times), statistics.median(times)
    print("dgemm %dx%d * %dx%d: min %.3f ms, median %.3f ms over %d runs" % (M, K, K, N, tmin * 1e3, tmed * 1e3,
                                                                          args.repeats))
    print("GFLOP/s: best %.2f, median %.2f" % (flops / tmin / 1e9, flops / tmed / 1e9))
    # Same line format as natgrad's GemmBench: name, min ms, median ms, GFLOP/s best, median.
    print("RESULT numpy %.3f %.3f %.2f %.2f" % (tmin * 1e3, tmed * 1e3, flops / tmin / 1e9, flops / tmed / 1e9))


if __name__ == "__main__":
    main()
