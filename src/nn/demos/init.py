"""What random weights do to a deep stack of layers: notebook 07's experiment (book ch. 6)."""

from __future__ import annotations

import numpy as np

from .._checks import positive_int
from ..activations import get_activation
from ..initializers import weight_scale

__all__ = ["activation_layers"]


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
