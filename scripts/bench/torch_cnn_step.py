#!/usr/bin/env python3
"""Times one SGD step of the LeNet-like CNN of issue 17 in PyTorch (float32), the reference for
natgrad-bench's CnnStep (docs/benchmarks.md "One CNN SGD step side by side with PyTorch").

Network: nn.Sequential(Conv2d(1, 32, 5), ReLU, MaxPool2d(2), Conv2d(32, 64, 5), ReLU, MaxPool2d(2),
Flatten, Linear(1024, 128), ReLU, Linear(128, 10)), natgrad's model string
"input 1x28x28, conv 32 5x5, relu, maxpool 2, conv 64 5x5, relu, maxpool 2, flatten, dense 128,
relu, dense 10". One batch of M images (pixels uniform in [0, 1)) with uniform labels, reused for
every step. Step: forward, cross-entropy (mean), autograd backward, p <- p - 0.01 grad.

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench/torch_cnn_step.py [--runs 10]
[--warmup 3] [--threads 1] [--batch 128]. Prints "RESULT torch-cnn-sgd min_ms median_ms".
"""
import argparse
import statistics
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    a = p.parse_args()
    if a.runs < 1 or a.warmup < 0 or a.threads < 1 or a.batch < 1:
        raise SystemExit("torch_cnn_step: need runs >= 1, warmup >= 0, threads >= 1, batch >= 1")
    torch.set_num_threads(a.threads)
    torch.manual_seed(5)
    nn = torch.nn
    net = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 10))
    x = torch.rand(a.batch, 1, 28, 28)
    y = torch.randint(0, 10, (a.batch,))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        for q in net.parameters():
            q.grad = None
        loss = loss_fn(net(x), y)
        loss.backward()
        with torch.no_grad():
            for q in net.parameters():
                q.sub_(0.01 * q.grad)

    for _ in range(a.warmup):
        step()
    ms = []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        step()
        ms.append((time.perf_counter() - t0) * 1e3)
    n = sum(q.numel() for q in net.parameters())
    print(f"torch {torch.__version__} CNN SGD step, batch {a.batch}, {n} parameters, float32, {a.threads} threads")
    print(f"RESULT torch-cnn-sgd {min(ms):.3f} {statistics.median(ms):.3f}")


if __name__ == "__main__":
    main()
