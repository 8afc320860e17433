"""Softmax with a temperature and random networks per activation: notebook 03's demonstrations."""

from __future__ import annotations

import numpy as np

from .._checks import check_ndim, finite_array, non_empty, positive_int, positive_number
from ..activations import ACTIVATIONS, get_activation
from ..functions import softmax

__all__ = ["softmax_with_temperature", "naive_softmax_overflows", "random_network_outputs"]


def softmax_with_temperature(logits, temperature: float = 1.0) -> np.ndarray:
    """``softmax(logits / temperature)`` with :func:`nn.softmax` (overflow-safe). ``logits`` is
    1-D; ``temperature`` must be a positive finite number."""
    a = finite_array("logits", logits).astype(np.float64)
    check_ndim("logits", a, 1, "(C,)")
    non_empty("logits", a)
    temperature = positive_number("temperature", temperature)
    # Shift by the largest logit *before* dividing: a / T alone overflows to inf for huge logits
    # or a tiny T, and inf - inf in softmax is NaN.  (a - max) / T is <= 0, so exp cannot
    # overflow, and the shift cancels in the ratio as it does inside softmax.
    with np.errstate(over="ignore"):  # (a - max) may reach -inf: exp(-inf) = 0 is right
        return softmax((a - a.max()) / temperature)


def naive_softmax_overflows(logits, temperature: float = 1.0) -> bool:
    """Whether ``exp(a / T)`` of the textbook formula overflows float64 for some logit."""
    with np.errstate(over="ignore"):  # the overflow is the answer, not a warning
        a = np.asarray(logits, dtype=np.float64) / float(temperature)
    return bool(np.max(a) > np.log(np.finfo(np.float64).max))


def random_network_outputs(
    x: np.ndarray,
    names: tuple[str, ...] = ("identity", "sigmoid", "relu", "tanh"),
    depth: int = 3,
    width: int = 8,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """The output (N,) of one random network with 1 input, ``depth`` hidden layers of ``width``
    neurons and 1 linear output, at the inputs ``x`` (N,), once per hidden activation in
    ``names`` (the same weights every time).  Keyed by the activations' names.

    With the identity the output is a straight line however deep the network (a product of
    linear maps is linear); with a non-linear activation it bends.
    """
    depth, width = positive_int("depth", depth), positive_int("width", width)
    x = finite_array("x", x).astype(np.float64).reshape(-1, 1)
    rng = np.random.default_rng(seed)
    sizes = [1] + [width] * depth + [1]
    weights = [rng.normal(0.0, 2.0 / np.sqrt(m), size=(m, n))
               for m, n in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.normal(0.0, 1.0, size=n) for n in sizes[1:]]
    outputs = {}
    for key in names:
        h = get_activation(key).function
        z = x
        for k, (W, b) in enumerate(zip(weights, biases, strict=True)):
            a = z @ W + b
            z = a if k == len(weights) - 1 else h(a)  # the output layer stays linear
        outputs[ACTIVATIONS[key.lower()].name] = z[:, 0]
    return outputs
