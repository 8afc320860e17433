"""The VGG-style deep convolutional network of book ch. 8 (notebook 09)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _checks
from ..conv import conv_output_size
from ..conv_fast import FastConvolution, FastPooling
from ..layers import Affine, Dropout, Relu
from .base import Network
from .simple_convnet import check_input_dim

__all__ = ["DeepConvNet"]

#: (filters, padding) of the six 3x3 convolutions; a 2x2 max-pool follows every second one.
#: The padding of 2 in the fourth makes the 28x28 input end as a 64 x 4 x 4 map:
#: 28 -> 28 -> 28 -> pool 14 -> 14 -> 16 -> pool 8 -> 8 -> 8 -> pool 4.
CONV_LAYERS: tuple[tuple[int, int], ...] = ((16, 1), (16, 1), (32, 1), (32, 2), (64, 1), (64, 1))


class DeepConvNet(Network):
    """Six 3x3 convolutions (16-16-32-32-64-64) with ReLU, a 2x2 max-pool after every pair,
    then Affine(hidden_size) -> ReLU -> Dropout -> Affine(output_size) -> Dropout -> softmax.

    Layers ``Conv1..Conv6``, ``Relu1..Relu7``, ``Pool1..Pool3``, ``Affine1``, ``Affine2``,
    ``Dropout1``, ``Dropout2``; parameters ``W1``..``W8``, ``b1``..``b8``. Shapes on MNIST:
    x (N, 1, 28, 28); W1 (16, 1, 3, 3), W2 (16, 16, 3, 3), W3 (32, 16, 3, 3),
    W4 (32, 32, 3, 3), W5 (64, 32, 3, 3), W6 (64, 64, 3, 3), W7 (1024, 50), W8 (50, 10).
    Weights use He initialisation, sqrt(2 / fan_in), since every activation is ReLU.
    """

    def __init__(
        self,
        input_dim: Sequence[int] = (1, 28, 28),
        hidden_size: int = 50,
        output_size: int = 10,
        dropout_ratio: float = 0.5,
        seed: int | None = 0,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__(seed=seed, dtype=dtype)
        channels, h, w = self.input_shape = check_input_dim(input_dim)
        hidden_size = _checks.positive_int("hidden_size", hidden_size)
        self.output_size = _checks.positive_int("output_size", output_size)
        dropout_ratio = _checks.fraction("dropout_ratio", dropout_ratio, "[0, 1)")

        for i, (filters, pad) in enumerate(CONV_LAYERS, start=1):
            W = self._init_weight((filters, channels, 3, 3), "he")
            self._add_layer(
                f"Conv{i}", FastConvolution(W, self._zeros(filters), stride=1, pad=pad), index=i
            )
            self._add_layer(f"Relu{i}", Relu())
            h, w = conv_output_size(h, 3, 1, pad), conv_output_size(w, 3, 1, pad)
            if i % 2 == 0:
                self._add_layer(f"Pool{i // 2}", FastPooling(2, 2, stride=2))
                h, w = conv_output_size(h, 2, 2), conv_output_size(w, 2, 2)
            channels = filters

        W7 = self._init_weight((channels * h * w, hidden_size), "he")
        W8 = self._init_weight((hidden_size, self.output_size), "he")
        self._add_layer("Affine1", Affine(W7, self._zeros(hidden_size)), index=7)
        self._add_layer("Relu7", Relu())
        self._add_layer("Dropout1", Dropout(dropout_ratio, seed=self._seed_for_layer()))
        self._add_layer("Affine2", Affine(W8, self._zeros(self.output_size)), index=8)
        self._add_layer("Dropout2", Dropout(dropout_ratio, seed=self._seed_for_layer()))
