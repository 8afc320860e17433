"""The one table of activation functions: the function, its derivative, its layer, its init.

Also softmax with a temperature, the output activation that notebook 03 lets the reader play with.

Book ch. 3 plots the functions, book ch. 5 turns them into layers with a backward pass,
book ch. 6 picks the initial weight scale that suits each one.  Every part of ``nn`` that
needs "the activation called ``name``" looks it up here (``MultiLayerNet``, ``weight_scale``,
the figures and widgets), so a new activation is one entry in ``ACTIVATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import check_ndim, finite_array, non_empty, positive_int, positive_number
from .functions import (
    identity_function,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    step_function,
    step_grad,
    tanh,
    tanh_grad,
)
from .layers import Relu, Sigmoid, Tanh

__all__ = [
    "Activation",
    "ACTIVATIONS",
    "get_activation",
    "softmax_with_temperature",
    "naive_softmax_overflows",
    "random_network_outputs",
]


def _identity_grad(x: np.ndarray) -> np.ndarray:
    return np.ones_like(np.asarray(x, dtype=np.float64))


@dataclass(frozen=True)
class Activation:
    """One activation function ``h``.

    ``name`` is how the book writes it; ``function`` is h and ``derivative`` is h' (both
    elementwise, any shape); ``layer`` is the layer class with forward/backward, or None when
    the function cannot be trained through (the step function: its derivative is 0 almost
    everywhere); ``weight_gain`` is the g of the initial weight scale sqrt(g / fan_in) that
    keeps the signal alive through many layers (1: Xavier, 2: He), or None.
    """

    name: str
    function: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    layer: type | None
    weight_gain: float | None


#: Every activation of the book, keyed by lower-case name, in the order notebook 03 shows them.
ACTIVATIONS: dict[str, Activation] = {
    "step": Activation("step", step_function, step_grad, None, None),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_grad, Sigmoid, 1.0),
    "relu": Activation("ReLU", relu, relu_grad, Relu, 2.0),
    "tanh": Activation("tanh", tanh, tanh_grad, Tanh, 1.0),
    "identity": Activation("identity", identity_function, _identity_grad, None, None),
}


def get_activation(name: str, trainable: bool = False) -> Activation:
    """``ACTIVATIONS[name]``, case-insensitive (``"ReLU"`` and ``"relu"`` are one).

    With ``trainable=True`` only activations that have a layer are accepted.  An unknown name
    is a ValueError that lists the choices.
    """
    choices = [k for k, a in ACTIVATIONS.items() if a.layer is not None or not trainable]
    key = str(name).lower()
    if key not in choices:
        raise ValueError(f"unknown activation {name!r}; expected one of {choices}")
    return ACTIVATIONS[key]


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
