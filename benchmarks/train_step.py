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

When PyTorch is importable (never a dependency of nn: install it in a separate virtual
environment), the same two convolutional networks are built in PyTorch and their float32 training
step (forward + backward of the cross-entropy) is timed in short blocks that alternate with nn's
(a few steps of one library, then of the other), so that a busy moment of a shared machine slows
both; single steps in alternation would let one library's idle worker threads spin while the other
runs, which slows both at 2 threads.  Each round prints nn / PyTorch, and the end shows the median
ratio over the rounds.  Targets (issue 15): SimpleConvNet <= 1.0x PyTorch,
DeepConvNet <= 1.5x.  Compare like with like: OPENBLAS_NUM_THREADS for nn and
``torch.get_num_threads()`` (OMP_NUM_THREADS) for PyTorch are printed.
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
TARGET_RATIO = {"SimpleConvNet": 1.0, "DeepConvNet": 1.5}  # float32, nn / PyTorch

try:  # only the yardstick, never a dependency of nn
    import torch
except ImportError:
    torch = None


def make_network(name: str, dtype: type, library=nn):
    """The network ``name`` built by ``library`` (``nn``, or another version of it imported
    under another name, as ``browser_step.py`` does to time the code of an older commit)."""
    if name == "TwoLayerNet":
        return library.TwoLayerNet(input_size=784, hidden_size=50, output_size=10, dtype=dtype)
    if name == "SimpleConvNet":
        return library.SimpleConvNet(dtype=dtype)  # the book's: conv 30x5x5, pool 2, affine 100
    if name == "DeepConvNet":
        return library.DeepConvNet(dtype=dtype)
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


def torch_network(name: str):
    """The PyTorch twin of nn's SimpleConvNet or DeepConvNet (same layers and sizes)."""
    tnn = torch.nn
    if name == "SimpleConvNet":
        return tnn.Sequential(
            tnn.Conv2d(1, 30, 5), tnn.ReLU(), tnn.MaxPool2d(2), tnn.Flatten(),
            tnn.Linear(30 * 12 * 12, 100), tnn.ReLU(), tnn.Linear(100, 10),
        )
    layers = []
    channels = 1
    for i, (filters, pad) in enumerate(nn.networks.deep_convnet.CONV_LAYERS, start=1):
        layers += [tnn.Conv2d(channels, filters, 3, padding=pad), tnn.ReLU()]
        if i % 2 == 0:
            layers.append(tnn.MaxPool2d(2))
        channels = filters
    return tnn.Sequential(
        *layers, tnn.Flatten(), tnn.Linear(64 * 4 * 4, 50), tnn.ReLU(), tnn.Dropout(0.5),
        tnn.Linear(50, 10), tnn.Dropout(0.5),
    )


def side_by_side_ms(name: str, steps: int) -> tuple[float, float]:
    """Median float32 step of nn and of PyTorch, in ms, timed in alternating blocks of steps."""
    network = make_network(name, np.float32)
    x, t = make_batch(name, np.float32)
    model = torch_network(name)
    x_torch, t_torch = torch.from_numpy(x), torch.from_numpy(t)

    def torch_step() -> None:
        model.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(x_torch), t_torch).backward()

    def nn_step() -> None:
        network.gradient(x, t)

    nn_step(), torch_step()  # warm up
    times: dict[str, list[float]] = {"nn": [], "torch": []}
    block = 5
    for _ in range(max(1, steps // block)):
        times["nn"] += [_time(nn_step) for _ in range(block)]
        times["torch"] += [_time(torch_step) for _ in range(block)]
    return 1e3 * float(np.median(times["nn"])), 1e3 * float(np.median(times["torch"]))


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
    conv_names = [n for n in names if n in TARGET_RATIO]
    if torch is not None and conv_names:
        print(f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads) side by side")
    best: dict[tuple[str, str], float] = {}
    ratios: dict[str, list[float]] = {name: [] for name in conv_names}
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
        for name in conv_names if torch is not None else []:
            ours, theirs = side_by_side_ms(name, STEPS[name])
            ratios[name].append(ours / theirs)
            timings.append(
                f"{name} float32 nn {ours:.1f} vs PyTorch {theirs:.1f} ({ours / theirs:.2f}x)"
            )
        print(f"round {round_number}: matmul {round_gflops:.0f} GFLOP/s; ms: " + ", ".join(timings))

    print(f"best of {args.rounds} rounds; float32 matmul (1024x1024): {gflops:.0f} GFLOP/s")
    print(f"{'network':<14} {'float32 ms':>11} {'float64 ms':>11}   target (float32)")
    for name in names:
        f32, f64 = best[(name, "float32")], best[(name, "float64")]
        target = TARGET_MS.get(name)
        met = "met" if target is not None and f32 <= target else "NOT met"
        verdict = "" if target is None else f"<= {target:.0f} ms: {met}"
        print(f"{name:<14} {f32:>11.1f} {f64:>11.1f}   {verdict}")
    if torch is not None and conv_names:
        print(f"float32, nn / PyTorch side by side, median of {args.rounds} rounds:")
        for name in conv_names:
            ratio, target = float(np.median(ratios[name])), TARGET_RATIO[name]
            met = "met" if ratio <= target else "NOT met"
            print(f"{name:<14} {ratio:>5.2f}x   <= {target:.1f}x: {met}")


if __name__ == "__main__":
    main()
