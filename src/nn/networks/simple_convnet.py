"""The simple convolutional network of book ch. 7 (notebook 08)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .. import _checks
from ..conv import conv_output_size
from ..conv_fast import FastConvolution, FastPooling
from ..layers import Affine, Relu
from .base import Network

__all__ = ["SimpleConvNet"]

_DEFAULT_CONV = {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1}


def check_input_dim(input_dim: Sequence[int]) -> tuple[int, int, int]:
    """(C, H, W) as a tuple of positive ints, else ValueError."""
    is_sequence = isinstance(input_dim, (Sequence, np.ndarray)) and not isinstance(input_dim, str)
    if not is_sequence or len(input_dim) != 3:
        raise ValueError(
            f"input_dim must be (channels, height, width), e.g. (1, 28, 28); got {input_dim!r}"
        )
    return tuple(_checks.positive_int("input_dim entries", d) for d in input_dim)  # type: ignore


class SimpleConvNet(Network):
    """conv -> ReLU -> 2x2 max-pool -> Affine -> ReLU -> Affine -> softmax.

    Layers ``Conv1``, ``Relu1``, ``Pool1``, ``Affine1``, ``Relu2``, ``Affine2``. Shapes, with
    input_dim = (C, H, W), FN filters of size FS and a conv output of OH x OW:
    x (N, C, H, W); W1 (FN, C, FS, FS), b1 (FN,); W2 (FN * OH/2 * OW/2, hidden_size), b2;
    W3 (hidden_size, output_size), b3. On MNIST with the defaults: 30 filters of 5x5, a
    24x24 map, pooled to 12x12, so W2 is (4320, 100).

    ``conv_param`` may give any of "filter_num", "filter_size", "pad", "stride"; the rest
    keep their defaults. ``weight_init_std`` is a number or "he"/"relu"/"xavier"/"sigmoid".
    """

    def __init__(
        self,
        input_dim: Sequence[int] = (1, 28, 28),
        conv_param: Mapping[str, int] | None = None,
        hidden_size: int = 100,
        output_size: int = 10,
        weight_init_std: float | str = 0.01,
        seed: int | None = 0,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__(seed=seed, dtype=dtype)
        c, h, w = self.input_shape = check_input_dim(input_dim)
        unknown = set(conv_param or {}) - set(_DEFAULT_CONV)
        if unknown:
            raise ValueError(
                f"conv_param keys must be among {sorted(_DEFAULT_CONV)}; "
                f"got unknown {sorted(unknown)}"
            )
        p = {**_DEFAULT_CONV, **(conv_param or {})}
        self.conv_param = p
        filter_num = _checks.positive_int("filter_num", p["filter_num"])
        filter_size = _checks.positive_int("filter_size", p["filter_size"])
        hidden_size = _checks.positive_int("hidden_size", hidden_size)
        self.output_size = _checks.positive_int("output_size", output_size)

        conv_h = conv_output_size(h, filter_size, p["stride"], p["pad"])
        conv_w = conv_output_size(w, filter_size, p["stride"], p["pad"])
        if conv_h % 2 or conv_w % 2:
            raise ValueError(
                f"SimpleConvNet: the convolution gives a {conv_h}x{conv_w} map, which 2x2 pooling "
                f"with stride 2 cannot tile; choose input_dim, filter_size and pad so both are even"
            )
        pool_h, pool_w = conv_h // 2, conv_w // 2
        flat = filter_num * pool_h * pool_w

        W1 = self._init_weight((filter_num, c, filter_size, filter_size), weight_init_std)
        W2 = self._init_weight((flat, hidden_size), weight_init_std)
        W3 = self._init_weight((hidden_size, self.output_size), weight_init_std)
        conv = FastConvolution(W1, self._zeros(filter_num), stride=p["stride"], pad=p["pad"])
        self._add_layer("Conv1", conv, index=1)
        self._add_layer("Relu1", Relu())
        self._add_layer("Pool1", FastPooling(2, 2, stride=2))
        self._add_layer("Affine1", Affine(W2, self._zeros(hidden_size)), index=2)
        self._add_layer("Relu2", Relu())
        self._add_layer("Affine2", Affine(W3, self._zeros(self.output_size)), index=3)
