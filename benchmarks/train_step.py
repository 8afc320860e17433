"""Time one training step (forward + backward, batch of 100 MNIST-sized images) of the book's
networks.

    NN_DATA_DIR is not needed: the images are seeded random numbers in [0, 1), which cost the same
    as real digits.  Usage::

        .venv/bin/python benchmarks/train_step.py [--rounds 3] [--only deep]

Prints, for TwoLayerNet, SimpleConvNet and DeepConvNet in float32 and float64, the median time
of one ``network.gradient(x, t)`` call, and the float32 matrix-multiply speed of this machine
measured in the same run (GFLOP/s), so the figures can be compared across machines.  The machine
may be shared: every measurement is repeated in several rounds and the best round's median is
reported (``--rounds``).  Targets (issue 3, 2-core machine, float32): SimpleConvNet <= 40 ms,
DeepConvNet <= 150 ms.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import nn

BATCH = 100
STEPS = {"TwoLayerNet": 60, "SimpleConvNet": 25, "DeepConvNet": 12}  # timed steps per round
TARGET_MS = {"SimpleConvNet": 40.0, "DeepConvNet": 150.0}  # float32


def make_network(name: str, dtype: type):
    if name == "TwoLayerNet":
        return nn.TwoLayerNet(input_size=784, hidden_size=50, output_size=10, dtype=dtype)
    if name == "SimpleConvNet":
        return nn.SimpleConvNet(dtype=dtype)  # the book's: conv 30x5x5, pool 2, affine 100, 10
    if name == "DeepConvNet":
        return nn.DeepConvNet(dtype=dtype)
    raise ValueError(f"unknown network {name!r}")


def make_batch(name: str, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.random((BATCH, 1, 28, 28), dtype=np.float64).astype(dtype)
    if name == "TwoLayerNet":
        x = x.reshape(BATCH, 784)
    t = rng.integers(0, 10, size=BATCH)
    return x, t


def median_step_ms(network, x: np.ndarray, t: np.ndarray, steps: int) -> float:
    network.gradient(x, t)  # warm up: first-touch allocations, BLAS thread start
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        network.gradient(x, t)
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def matmul_gflops(size: int = 1024, repeats: int = 10) -> float:
    """float32 (size x size) @ (size x size): best of several, in GFLOP/s."""
    rng = np.random.default_rng(0)
    a = rng.random((size, size), dtype=np.float32)
    b = rng.random((size, size), dtype=np.float32)
    a @ b
    best = min(_time(lambda: a @ b) for _ in range(repeats))
    return 2 * size**3 / best / 1e9


def _time(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best median is kept")
    parser.add_argument("--only", choices=["two", "simple", "deep"], help="time one network only")
    args = parser.parse_args()
    names = [n for n in STEPS if args.only is None or n.lower().startswith(args.only)]

    print(f"numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
          f"batch {BATCH}, best of {args.rounds} rounds")
    best: dict[tuple[str, str], float] = {}
    gflops = 0.0
    # Rounds interleave the networks, so a busy moment of a shared machine hits one round; each
    # round's line shows how fast the machine was then (its matmul speed) next to the timings.
    for round_number in range(1, args.rounds + 1):
        round_gflops = matmul_gflops()
        gflops = max(gflops, round_gflops)
        timings = []
        for name in names:
            for dtype in (np.float32, np.float64):
                network = make_network(name, dtype)
                x, t = make_batch(name, dtype)
                ms = median_step_ms(network, x, t, STEPS[name])
                key = (name, np.dtype(dtype).name)
                best[key] = min(best.get(key, np.inf), ms)
                timings.append(f"{name} {np.dtype(dtype).name} {ms:.1f}")
        print(f"round {round_number}: matmul {round_gflops:.0f} GFLOP/s; ms: " + ", ".join(timings))

    print(f"best of {args.rounds} rounds; float32 matmul (1024x1024): {gflops:.0f} GFLOP/s")
    print(f"{'network':<14} {'float32 ms':>11} {'float64 ms':>11}   target (float32)")
    for name in names:
        f32, f64 = best[(name, "float32")], best[(name, "float64")]
        target = TARGET_MS.get(name)
        met = "met" if target is not None and f32 <= target else "NOT met"
        verdict = "" if target is None else f"<= {target:.0f} ms: {met}"
        print(f"{name:<14} {f32:>11.1f} {f64:>11.1f}   {verdict}")


if __name__ == "__main__":
    main()
