"""Time one training step (forward + backward, batch of 100 MNIST-sized images) of the book's networks.

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
    if not hasattr(nn, name):  # the core layers/networks are not written yet: stand-ins
        return _standin_network(name, dtype)
    if name == "TwoLayerNet":
        return nn.TwoLayerNet(input_size=784, hidden_size=50, output_size=10, dtype=dtype)
    if name == "SimpleConvNet":
        return nn.SimpleConvNet(dtype=dtype)  # the book's: conv 30x5x5, pool 2, affine 100, 10
    if name == "DeepConvNet":
        return nn.DeepConvNet(dtype=dtype)
    raise ValueError(f"unknown network {name!r}")


# --- Stand-ins, used only while nn.SimpleConvNet / nn.DeepConvNet / nn.TwoLayerNet are missing ---
# The same architectures from nn.Convolution and nn.Pooling plus minimal Affine/Relu/Dropout/
# softmax-loss layers, so the convolution code can be timed before the rest of nn exists.


class _Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.shape, self.x = x.shape, x.reshape(len(x), -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.shape)


class _Relu:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


class _Dropout:
    def __init__(self, ratio=0.5):
        self.ratio, self.rng = ratio, np.random.default_rng(0)

    def forward(self, x):
        self.mask = self.rng.random(x.shape, dtype=x.dtype) > self.ratio
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


class _StandinNet:
    def __init__(self, layers):
        self.layers = layers

    def gradient(self, x, t):
        for layer in self.layers:
            x = layer.forward(x)
        y = np.exp(x - x.max(axis=1, keepdims=True))
        y /= y.sum(axis=1, keepdims=True)
        dout = y.copy()
        dout[np.arange(len(t)), t] -= 1
        dout /= len(t)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout


def _standin_network(name: str, dtype: type) -> _StandinNet:
    rng = np.random.default_rng(0)

    def weights(*shape, std):
        return (std * rng.standard_normal(shape)).astype(dtype)

    def zeros(n):
        return np.zeros(n, dtype=dtype)

    if name == "TwoLayerNet":
        layers = [_Affine(weights(784, 50, std=0.01), zeros(50)), _Relu(),
                  _Affine(weights(50, 10, std=0.01), zeros(10))]
    elif name == "SimpleConvNet":
        layers = [nn.Convolution(weights(30, 1, 5, 5, std=0.01), zeros(30)), _Relu(),
                  nn.Pooling(2, 2, stride=2),
                  _Affine(weights(30 * 12 * 12, 100, std=0.01), zeros(100)), _Relu(),
                  _Affine(weights(100, 10, std=0.01), zeros(10))]
    else:  # DeepConvNet: 28 -> 28 -> 28 -pool-> 14 -> 14 -> 16 (pad 2) -pool-> 8 -> 8 -> 8 -pool-> 4
        layers, channels = [], 1
        for spec in [(16, 1), (16, 1), "pool", (32, 1), (32, 2), "pool", (64, 1), (64, 1), "pool"]:
            if spec == "pool":
                layers.append(nn.Pooling(2, 2, stride=2))
                continue
            filters, pad = spec
            std = np.sqrt(2.0 / (channels * 9))
            layers += [nn.Convolution(weights(filters, channels, 3, 3, std=std), zeros(filters), 1, pad),
                       _Relu()]
            channels = filters
        layers += [_Affine(weights(64 * 4 * 4, 50, std=np.sqrt(2 / 1024)), zeros(50)), _Relu(), _Dropout(),
                   _Affine(weights(50, 10, std=np.sqrt(2 / 50)), zeros(10)), _Dropout()]
    return _StandinNet(layers)


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
    for _ in range(args.rounds):  # rounds interleave the networks, so a busy moment hits one round
        gflops = max(gflops, matmul_gflops())
        for name in names:
            for dtype in (np.float32, np.float64):
                network = make_network(name, dtype)
                x, t = make_batch(name, dtype)
                ms = median_step_ms(network, x, t, STEPS[name])
                key = (name, np.dtype(dtype).name)
                best[key] = min(best.get(key, np.inf), ms)

    print(f"float32 matmul (1024x1024): {gflops:.0f} GFLOP/s")
    missing = [n for n in names if not hasattr(nn, n)]
    if missing:
        print(f"(stand-in networks built from nn.Convolution/nn.Pooling for: {', '.join(missing)})")
    print(f"{'network':<14} {'float32 ms':>11} {'float64 ms':>11}   target (float32)")
    for name in names:
        f32, f64 = best[(name, "float32")], best[(name, "float64")]
        target = TARGET_MS.get(name)
        verdict = "" if target is None else f"<= {target:.0f} ms: {'met' if f32 <= target else 'NOT met'}"
        print(f"{name:<14} {f32:>11.1f} {f64:>11.1f}   {verdict}")


if __name__ == "__main__":
    main()
