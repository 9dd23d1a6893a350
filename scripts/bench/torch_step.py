#!/usr/bin/env python3
"""Times one SGD step and one Eq. 20-21 natural-gradient step in PyTorch (float32, one thread) on
natgrad-bench's autoencoder workload, the reference for natgrad's SideBySideStep
(scripts/bench/side-by-side.sh, docs/benchmarks.md "Side by side with PyTorch").

Workload (natgrad-bench Workloads.autoencoder / autoencoderBatch): the 784-400-200-100-50-100-200-
400-784 network, tanh hidden layers, linear output, biases, W_i ~ N(0, 1/n_{i-1}), b_i = 0; a batch
of M = 1000 inputs uniform in [0, 1), targets = inputs; unit Gaussian loss
L = (1/2M) sum_m ||f(x_m) - y_m||^2. Steps repeat on that one batch (their cost does not depend
on the data).

SGD step: forward, loss, torch.autograd gradient, W <- W - 0.01 G (what a PyTorch user writes). A
second SGD row uses the hand-written backward pass of the NGD step instead of autograd.

NGD step, the algorithm of natgrad's NaturalGradientOptions.paperDefaults() (math.md section 2.7):
  1. forward pass, storing each layer's input h_{i-1} (M x n_{i-1}, examples as rows);
  2. L_old; G_i = [d_i^T h_{i-1}, d_i^T 1] from the errors d_i of (f - y)/M (backward pass);
  3. Lambda_i = Xbar_i^T Xbar_i / M with Xbar_i = [h_{i-1}, 1] (the bias row included);
  4. K = 1 model-sampled target per example: eps ~ N(0, I) at the output, back-propagated
     through the same pass (not scaled by 1/M), Lambda~_i = E_i^T E_i / M;
  5. D_i = (Lambda~_i + sqrt(lam) I)^{-1} G_i (Lambda_i + sqrt(lam) I)^{-1} by two Cholesky
     factorizations and triangular solves (torch.linalg.cholesky, torch.cholesky_solve);
  6. Wbar_i <- Wbar_i - (alpha/L) D_i with alpha = 1, L = 8 layers;
  7. L_new on the same batch (one more forward pass); the paper-footnote prediction
     (-alpha + alpha^2/2) (1/L) sum_i <G_i, D_i>, rho = (L_new - L_old)/prediction;
  8. a step with a non-finite L_new or L_new > 10 L_old is undone (weights restored from a copy
     taken before the step) and lam multiplied by 1.5^3; otherwise Eq. 21: lam * 1.5 if
     rho < 1/4, lam / 1.5 if rho > 3/4; lam kept in [1e-8, 1e8], lam_0 = 0.01.
Refreshed every step. Losses are accumulated in double.

Before timing, a self-check compares this step on a small net (5-4-3-5, M = 7, float64) with a
dense computation of the same formula (autograd gradients and sampled errors, explicit inverses,
the Kronecker form vec(D) = (B^{-1} kron A^{-1}) vec(G)), and the float32 step with the float64 one;
a mismatch exits with status 1.

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench/torch_step.py [--runs 15] [--warmup 3]
Prints "RESULT name min_ms median_ms" lines (torch-sgd, torch-sgd-manual, torch-ngd).
"""
import argparse
import math
import os
import statistics
import sys
import time

WIDTHS = [784, 400, 200, 100, 50, 100, 200, 400, 784]
BATCH = 1000
SGD_RATE = 0.01
ALPHA = 1.0
LAMBDA0 = 0.01
MIN_DAMPING = 1e-8
MAX_DAMPING = 1e8
BLOW_UP = 10.0
REJECTION_FACTOR = 1.5 ** 3

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_numpy import openblas_config  # noqa: E402  (scripts/bench_numpy.py: which BLAS is mapped)


def init_net(torch, widths, dtype, seed):
    """[(W_i, b_i)], W_i n_i x n_{i-1} ~ N(0, 1/n_{i-1}), b_i = 0."""
    g = torch.Generator().manual_seed(seed)
    net = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        w = torch.randn(n_out, n_in, generator=g, dtype=torch.float64) / math.sqrt(n_in)
        net.append((w.to(dtype), torch.zeros(n_out, dtype=dtype)))
    return net


def forward(torch, net, x):
    """Layer inputs [h_0 = x, h_1, ..., h_{L-1}] and the output h_L (rows = examples)."""
    hs = [x]
    h = x
    last = len(net) - 1
    for i, (w, b) in enumerate(net):
        a = torch.addmm(b, h, w.t())
        h = a if i == last else torch.tanh(a)
        hs.append(h)
    return hs


def loss_of(torch, out, y):
    """(1/2M) sum ||out - y||^2, accumulated in double."""
    r = out - y
    return 0.5 * float((r * r).sum(dtype=torch.float64)) / out.shape[0]


def backward(net, hs, err):
    """Errors d_i (M x n_i) of every layer from the output error err, through tanh' = 1 - h^2."""
    deltas = [None] * len(net)
    d = err
    for i in range(len(net) - 1, -1, -1):
        deltas[i] = d
        if i > 0:
            h = hs[i]
            d = (d @ net[i][0]) * (1 - h * h)
    return deltas


def sgd_step_autograd(torch, net, x, y):
    params = [t for wb in net for t in wb]
    for p in params:
        p.requires_grad_(True)
    h = x
    last = len(net) - 1
    for i, (w, b) in enumerate(net):
        a = torch.nn.functional.linear(h, w, b)
        h = a if i == last else torch.tanh(a)
    r = h - y
    loss = 0.5 * (r * r).sum() / x.shape[0]
    grads = torch.autograd.grad(loss, params)
    with torch.no_grad():
        for p, g in zip(params, grads):
            p.sub_(SGD_RATE * g)
    for p in params:
        p.requires_grad_(False)


def sgd_step_manual(torch, net, x, y):
    with torch.no_grad():
        hs = forward(torch, net, x)
        deltas = backward(net, hs, (hs[-1] - y) / x.shape[0])
        for (w, b), d, h in zip(net, deltas, hs):
            w.sub_(SGD_RATE * (d.t() @ h))
            b.sub_(SGD_RATE * d.sum(0))


class Ngd:
    """The Eq. 20-21 step with Levenberg-Marquardt damping; state: lam, counters, the sampler."""

    def __init__(self, torch, seed):
        self.torch = torch
        self.lam = LAMBDA0
        self.gen = torch.Generator().manual_seed(seed)
        self.steps = 0
        self.rejected = 0
        self.last = None  # (Gbar list, D list, loss_old, loss_new, rho) of the last step, for the self-check

    def step(self, net, x, y, eps=None):
        torch = self.torch
        with torch.no_grad():
            m = x.shape[0]
            depth = len(net)
            hs = forward(torch, net, x)
            out = hs[-1]
            loss_old = loss_of(torch, out, y)
            deltas = backward(net, hs, (out - y) / m)
            if eps is None:
                eps = torch.randn(out.shape, generator=self.gen, dtype=out.dtype)
            sampled = backward(net, hs, eps)
            s = math.sqrt(self.lam)
            saved = [(w.clone(), b.clone()) for w, b in net]
            gbars, ds = [], []
            sum_gd = 0.0
            for (w, b), d, e, h in zip(net, deltas, sampled, hs):
                xbar = torch.cat([h, torch.ones(m, 1, dtype=h.dtype)], 1)
                lam_in = xbar.t() @ xbar / m
                lam_out = e.t() @ e / m
                lam_in.diagonal().add_(s)
                lam_out.diagonal().add_(s)
                gbar = d.t() @ xbar
                left = torch.linalg.cholesky(lam_out)
                right = torch.linalg.cholesky(lam_in)
                y_ = torch.cholesky_solve(gbar, left)
                dd = torch.cholesky_solve(y_.t(), right).t()
                sum_gd += float((gbar.double() * dd.double()).sum())
                n_in = w.shape[1]
                w.sub_((ALPHA / depth) * dd[:, :n_in])
                b.sub_((ALPHA / depth) * dd[:, n_in])
                gbars.append(gbar)
                ds.append(dd)
            loss_new = loss_of(torch, forward(torch, net, x)[-1], y)
            predicted = (-ALPHA + ALPHA * ALPHA / 2) * sum_gd / depth
            rho = (loss_new - loss_old) / predicted
            self.steps += 1
            self.last = (gbars, ds, loss_old, loss_new, rho)
            if not math.isfinite(loss_new) or loss_new > BLOW_UP * loss_old:
                for (w, b), (w0, b0) in zip(net, saved):
                    w.copy_(w0)
                    b.copy_(b0)
                self.rejected += 1
                self.lam = min(MAX_DAMPING, self.lam * REJECTION_FACTOR)
                return False
            if rho < 0.25:
                self.lam *= 1.5
            elif rho > 0.75:
                self.lam /= 1.5
            self.lam = max(MIN_DAMPING, min(MAX_DAMPING, self.lam))
            return True


def self_check(torch, np):
    """The step on a 5-4-3-5 tanh net against a dense computation of the same formula; exits 1 on mismatch."""
    widths, m = [5, 4, 3, 5], 7
    g = torch.Generator().manual_seed(3)
    x = torch.rand(m, widths[0], generator=g, dtype=torch.float64)
    y = torch.rand(m, widths[-1], generator=g, dtype=torch.float64)
    eps = torch.randn(m, widths[-1], generator=g, dtype=torch.float64)
    net = init_net(torch, widths, torch.float64, 5)
    net = [(w, b + 0.1 * torch.randn(b.shape, generator=g, dtype=torch.float64)) for w, b in net]
    before = [(w.clone(), b.clone()) for w, b in net]
    depth = len(net)

    # Dense reference: autograd for G_i and for the sampled errors e_i = d(sum eps . f)/d a_i,
    # explicit inverses of the damped factors, and the Kronecker form of Eq. 20.
    wbars = [torch.cat([w, b[:, None]], 1).clone().requires_grad_(True) for w, b in before]
    h, xbars, pre = x, [], []
    for i, wb in enumerate(wbars):
        xb = torch.cat([h, torch.ones(m, 1, dtype=h.dtype)], 1)
        xbars.append(xb.detach().numpy())
        a = xb @ wb.t()
        pre.append(a)
        h = a if i == depth - 1 else torch.tanh(a)
    loss = 0.5 * ((h - y) ** 2).sum() / m
    grads = torch.autograd.grad(loss, wbars, retain_graph=True)
    errs = torch.autograd.grad((eps * h).sum(), pre)
    lam = LAMBDA0
    s = math.sqrt(lam)
    ref_d, sum_gd = [], 0.0
    for gi, ei, xb in zip(grads, errs, xbars):
        gi, ei = gi.numpy(), ei.numpy()
        a_inv = np.linalg.inv(ei.T @ ei / m + s * np.eye(ei.shape[1]))
        b_inv = np.linalg.inv(xb.T @ xb / m + s * np.eye(xb.shape[1]))
        vec_d = np.kron(b_inv.T, a_inv) @ gi.reshape(-1, order="F")
        di = vec_d.reshape(gi.shape, order="F")
        ref_d.append(di)
        sum_gd += float((gi * di).sum())
    ref_w = [wb.detach().numpy() - (ALPHA / depth) * di for wb, di in zip(wbars, ref_d)]

    def dense_loss(ws):
        hh = x.numpy()
        for i, wb in enumerate(ws):
            a = np.concatenate([hh, np.ones((m, 1))], 1) @ wb.T
            hh = a if i == depth - 1 else np.tanh(a)
        return 0.5 * ((hh - y.numpy()) ** 2).sum() / m

    l_old, l_new = dense_loss([wb.detach().numpy() for wb in wbars]), dense_loss(ref_w)
    rho = (l_new - l_old) / ((-ALPHA + ALPHA ** 2 / 2) * sum_gd / depth)
    if not (l_new <= BLOW_UP * l_old):
        sys.exit("torch_step self-check: the reference step blew up; pick another seed")
    ref_lam = lam * 1.5 if rho < 0.25 else (lam / 1.5 if rho > 0.75 else lam)

    opt = Ngd(torch, 0)
    ok = opt.step(net, x, y, eps=eps)
    worst = 0.0
    for (w, b), rw in zip(net, ref_w):
        got = torch.cat([w, b[:, None]], 1).numpy()
        worst = max(worst, float(np.abs(got - rw).max() / np.abs(rw).max()))
    problems = []
    if not ok:
        problems.append("the step was rejected")
    if worst > 1e-10:
        problems.append("weights after the step differ by %.3g (relative, max) from the dense formula" % worst)
    if abs(opt.last[4] - rho) > 1e-8 * max(1.0, abs(rho)):
        problems.append("rho %.12g vs dense %.12g" % (opt.last[4], rho))
    if abs(opt.lam - ref_lam) > 1e-15:
        problems.append("lambda after the step %.6g vs %.6g" % (opt.lam, ref_lam))

    # float32 against float64 on the same net and noise: rounding only (tolerance 1e-3 relative).
    net32 = [(w.float(), b.float()) for w, b in before]
    opt32 = Ngd(torch, 0)
    opt32.step(net32, x.float(), y.float(), eps=eps.float())
    worst32 = max(float(np.abs(torch.cat([w, b[:, None]], 1).double().numpy() - rw).max() / np.abs(rw).max())
                  for (w, b), rw in zip(net32, ref_w))
    if worst32 > 1e-3:
        problems.append("float32 step differs by %.3g from float64" % worst32)
    if problems:
        sys.exit("torch_step self-check FAILED: " + "; ".join(problems))
    print("self-check: NGD step vs dense Eq. 20 (float64) %.2e relative, rho %.6f (dense %.6f), "
          "lambda %.4g -> %.4g; float32 vs float64 %.2e" % (worst, opt.last[4], rho, lam, opt.lam, worst32))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15, help="timed steps of each kind after warm-up (default 15)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps of each kind first (default 3)")
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1; OPENBLAS_NUM_THREADS must match)")
    args = ap.parse_args()
    if args.runs < 1 or args.warmup < 0 or args.threads < 1:
        sys.exit("torch_step: need --runs >= 1, --warmup >= 0, --threads >= 1")
    blas_threads = os.environ.get("OPENBLAS_NUM_THREADS")
    if blas_threads != str(args.threads):
        sys.exit("torch_step: set OPENBLAS_NUM_THREADS=%d before starting (got %r): OpenBLAS reads it at load"
                 % (args.threads, blas_threads))

    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    lib, config = openblas_config()
    print("torch %s, numpy %s, python %s, torch threads %d" % (torch.__version__, np.__version__,
                                                               sys.version.split()[0], torch.get_num_threads()))
    print("blas library: %s" % lib)
    print("openblas_get_config: %s" % config)
    for var in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        print("%s=%s" % (var, os.environ.get(var, "(unset)")))
    self_check(torch, np)

    dtype = torch.float32
    g = torch.Generator().manual_seed(12)
    x = torch.rand(BATCH, WIDTHS[0], generator=g, dtype=torch.float64).to(dtype)
    y = x
    net_sgd = init_net(torch, WIDTHS, dtype, 11)
    net_man = init_net(torch, WIDTHS, dtype, 11)
    net_ngd = init_net(torch, WIDTHS, dtype, 11)
    opt = Ngd(torch, 0)
    kinds = [("torch-sgd", lambda: sgd_step_autograd(torch, net_sgd, x, y)),
             ("torch-sgd-manual", lambda: sgd_step_manual(torch, net_man, x, y)),
             ("torch-ngd", lambda: opt.step(net_ngd, x, y))]
    times = {name: [] for name, _ in kinds}
    # Interleaved run by run, so that load from other processes hits every kind alike.
    for r in range(-args.warmup, args.runs):
        for name, fn in kinds:
            t0 = time.perf_counter()
            fn()
            dt = time.perf_counter() - t0
            if r >= 0:
                times[name].append(dt * 1e3)
    print("NGD steps rejected: %d of %d, final lambda %.4g" % (opt.rejected, opt.steps, opt.lam))
    for name, _ in kinds:
        t = times[name]
        print("RESULT %s %.3f %.3f" % (name, min(t), statistics.median(t)))


if __name__ == "__main__":
    main()
