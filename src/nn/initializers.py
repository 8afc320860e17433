"""Weight initialisation scales (book ch. 6, notebook 07).

Weights are drawn as ``scale * rng.standard_normal(shape)``; the scale either is given as a
number or follows the number of inputs of the layer (fan_in), so that activations neither
vanish nor saturate as they pass through many layers (notebook 07's experiment that shows it
is :func:`nn.activation_layers`, in :mod:`nn.demos`).
"""

from __future__ import annotations

import math

from ._checks import non_negative_number, positive_int
from .activations import ACTIVATIONS

__all__ = ["weight_scale"]

# Xavier/Glorot (gain 1) keeps the activation variance for sigmoid and tanh; He (gain 2) for
# ReLU, which zeroes half its inputs, so twice the variance keeps the signal alive.  An
# activation's name stands for its own gain (nn.ACTIVATIONS).
_GAINS = {"xavier": 1.0, "he": 2.0} | {
    key: a.weight_gain for key, a in ACTIVATIONS.items() if a.weight_gain is not None
}


def weight_scale(weight_init_std: float | str, fan_in: int) -> float:
    """Standard deviation of a layer's initial weights.

    A number is returned as is; ``"xavier"``/``"sigmoid"``/``"tanh"`` gives sqrt(1 / fan_in) and
    ``"he"``/``"relu"`` gives sqrt(2 / fan_in) (names are case-insensitive).
    """
    if isinstance(weight_init_std, str):
        key = weight_init_std.lower()
        if key not in _GAINS:
            raise ValueError(
                f"weight_init_std must be a number or one of {sorted(_GAINS)}; "
                f"got {weight_init_std!r}"
            )
        return math.sqrt(_GAINS[key] / positive_int("fan_in", fan_in))
    return non_negative_number("weight_init_std", weight_init_std)
