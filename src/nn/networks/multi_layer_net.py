"""The fully connected network of book ch. 6, notebook 07 (weight decay, dropout, batch norm)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _checks
from ..activations import get_activation
from ..layers import Affine, BatchNormalization, Dropout
from .base import Network

__all__ = ["MultiLayerNet"]


class MultiLayerNet(Network):
    """A fully connected network with any number of hidden layers.

    For each hidden layer i = 1 .. L-1:
    ``Affine{i}`` -> [``BatchNorm{i}``] -> ``Activation_function{i}`` -> [``Dropout{i}``],
    then a last ``Affine{L}`` -> softmax.  Shapes: x (N, input_size); ``W{i}`` (n_{i-1}, n_i),
    ``b{i}`` (n_i,), and with batch norm ``gamma{i}``, ``beta{i}`` (n_i,), where
    n = [input_size, *hidden_size_list, output_size].

    Parameters
    ----------
    activation : "relu", "sigmoid" or "tanh".
    weight_init_std : a standard deviation, or "relu"/"he" (sqrt(2/n)), "sigmoid"/"tanh"/
        "xavier" (sqrt(1/n)), n being the number of inputs of the layer.
    weight_decay_lambda : λ of the L2 penalty 0.5 * λ * Σ W² added to the loss.
    use_dropout, dropout_ratio : Dropout after every hidden activation.
    use_batchnorm : batch normalisation between every hidden Affine and its activation.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size_list: Sequence[int],
        output_size: int,
        activation: str = "relu",
        weight_init_std: float | str = "relu",
        weight_decay_lambda: float = 0,
        use_dropout: bool = False,
        dropout_ratio: float = 0.5,
        use_batchnorm: bool = False,
        seed: int | None = 0,
        dtype: Any = np.float64,
    ) -> None:
        super().__init__(seed=seed, dtype=dtype)
        input_size = _checks.positive_int("input_size", input_size)
        if isinstance(hidden_size_list, (int, np.integer)):
            raise ValueError(
                "hidden_size_list must be a list of layer sizes, e.g. [100, 100]; "
                f"got {hidden_size_list!r}"
            )
        hidden = [_checks.positive_int("each hidden size", h) for h in hidden_size_list]
        self.output_size = _checks.positive_int("output_size", output_size)
        self.input_shape = (input_size,)
        hidden_activation = get_activation(activation, trainable=True)  # from nn.ACTIVATIONS
        weight_decay_lambda = _checks.non_negative_number(
            "weight_decay_lambda", weight_decay_lambda
        )
        use_dropout = _checks.flag("use_dropout", use_dropout)
        use_batchnorm = _checks.flag("use_batchnorm", use_batchnorm)
        if use_dropout:
            dropout_ratio = _checks.fraction("dropout_ratio", dropout_ratio, "[0, 1)")
        self.hidden_size_list = hidden
        self.activation = str(activation).lower()
        self.weight_decay_lambda = float(weight_decay_lambda)
        self.use_dropout = bool(use_dropout)
        self.use_batchnorm = bool(use_batchnorm)

        sizes = [input_size, *hidden, self.output_size]
        for i in range(1, len(sizes)):
            W = self._init_weight((sizes[i - 1], sizes[i]), weight_init_std)
            self._add_layer(f"Affine{i}", Affine(W, self._zeros(sizes[i])), index=i)
            if i == len(sizes) - 1:
                break  # the output layer: no activation, softmax follows
            if self.use_batchnorm:
                gamma, beta = np.ones(sizes[i], dtype=self.dtype), self._zeros(sizes[i])
                self._add_layer(f"BatchNorm{i}", BatchNormalization(gamma, beta), index=i)
            self._add_layer(f"Activation_function{i}", hidden_activation.layer())
            if self.use_dropout:
                self._add_layer(f"Dropout{i}", Dropout(dropout_ratio, seed=self._seed_for_layer()))
