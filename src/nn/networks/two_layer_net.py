"""The two-layer network of book ch. 4 and 5 (notebooks 05-06), built from layers."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _checks
from ..layers import Affine, Relu
from .base import Network

__all__ = ["TwoLayerNet"]


class TwoLayerNet(Network):
    """input -> Affine1 -> ReLU -> Affine2 -> softmax.

    Shapes: x (N, input_size); W1 (input_size, hidden_size), b1 (hidden_size,);
    W2 (hidden_size, output_size), b2 (output_size,). Weights are Gaussian with standard
    deviation ``weight_init_std``, biases start at zero.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        weight_init_std: float = 0.01,
        seed: int | None = 0,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__(seed=seed, dtype=dtype)
        input_size = _checks.positive_int("input_size", input_size)
        hidden_size = _checks.positive_int("hidden_size", hidden_size)
        self.output_size = _checks.positive_int("output_size", output_size)
        self.input_shape = (input_size,)

        W1 = self._init_weight((input_size, hidden_size), weight_init_std)
        W2 = self._init_weight((hidden_size, output_size), weight_init_std)
        self._add_layer("Affine1", Affine(W1, self._zeros(hidden_size)), index=1)
        self._add_layer("Relu1", Relu())
        self._add_layer("Affine2", Affine(W2, self._zeros(output_size)), index=2)
