"""Weight initialisation scales (book ch. 6, notebook 07).

Weights are drawn as ``scale * rng.standard_normal(shape)``; the scale either is given as a
number or follows the number of inputs of the layer (fan_in), so that activations neither
vanish nor saturate as they pass through many layers.  :func:`activation_layers` is the
notebook's experiment: push random inputs through a stack of layers and look at what comes out.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import non_negative_number, positive_int
from .activations import ACTIVATIONS, get_activation

__all__ = ["weight_scale", "activation_layers"]

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


def activation_layers(
    std: float | str = 1.0,
    activation: str = "sigmoid",
    n_layers: int = 5,
    n_units: int = 100,
    n_samples: int = 1000,
    seed: int = 0,
) -> list[np.ndarray]:
    """Outputs of ``n_layers`` fully connected layers (no bias) for standard-normal inputs.

    Layer ``k`` computes ``z_k = h(z_{k-1} @ W_k)`` with ``W_k`` drawn from N(0, scale²), where
    ``scale = weight_scale(std, n_units)`` and h is ``nn.ACTIVATIONS[activation]``.  Returns the
    list ``[z_1, ..., z_n]``, each of shape (n_samples, n_units), float64.  Deterministic for a
    given ``seed``.
    """
    h = get_activation(activation).function
    n_layers = positive_int("n_layers", n_layers)
    n_units = positive_int("n_units", n_units)
    n_samples = positive_int("n_samples", n_samples)
    scale = weight_scale(std, n_units)
    if scale == 0:
        raise ValueError(
            f"weight_init_std must be > 0 here (every layer would output h(0)); got {std!r}"
        )
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_samples, n_units))
    outputs = []
    with np.errstate(over="ignore"):
        for _ in range(n_layers):
            W = rng.standard_normal((n_units, n_units)) * scale
            z = h(z @ W)
            outputs.append(np.asarray(z, dtype=np.float64))
    return outputs
