"""Weight initialisation scales (chapter 6 of the book, chapter 07 here).

Weights are drawn as ``scale * rng.standard_normal(shape)``; the scale either is given as a
number or follows the number of inputs of the layer (fan_in), so that activations neither
vanish nor saturate as they pass through many layers.
"""

from __future__ import annotations

import math

from . import _checks

__all__ = ["weight_scale"]

_SCALES = {
    # Xavier/Glorot: keeps the activation variance for sigmoid and tanh.
    "xavier": 1.0,
    "sigmoid": 1.0,
    "tanh": 1.0,
    # He: ReLU zeroes half its inputs, so twice the variance keeps the signal alive.
    "he": 2.0,
    "relu": 2.0,
}


def weight_scale(weight_init_std: float | str, fan_in: int) -> float:
    """Standard deviation of a layer's initial weights.

    A number is returned as is; ``"xavier"``/``"sigmoid"``/``"tanh"`` gives sqrt(1 / fan_in) and
    ``"he"``/``"relu"`` gives sqrt(2 / fan_in) (names are case-insensitive).
    """
    if isinstance(weight_init_std, str):
        key = weight_init_std.lower()
        if key not in _SCALES:
            raise ValueError(
                f"weight_init_std must be a number or one of {sorted(_SCALES)}; "
                f"got {weight_init_std!r}"
            )
        return math.sqrt(_SCALES[key] / _checks.positive_int("fan_in", fan_in))
    return _checks.non_negative_number("weight_init_std", weight_init_std)
