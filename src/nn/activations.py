"""The one table of activation functions: the function, its derivative, its layer, its init.

Book ch. 3 plots the functions, book ch. 5 turns them into layers with a backward pass,
book ch. 6 picks the initial weight scale that suits each one.  Every part of ``nn`` that
needs "the activation called ``name``" looks it up here (``MultiLayerNet``, ``weight_scale``,
the figures and widgets), so a new activation is one entry in ``ACTIVATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .functions import (
    identity_function,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
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
