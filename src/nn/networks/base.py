"""What every network of the book has in common.

A network here is a list of layers (``layers``, an ordered dict) followed by a
``SoftmaxWithLoss`` (``last_layer``). Each concrete network (``TwoLayerNet``, ``MultiLayerNet``,
``SimpleConvNet``, ``DeepConvNet``) only builds that list; prediction, the loss, accuracy,
backpropagation, the numerical gradient and saving/loading the weights are written once, here.

Parameters are named like the book: ``W1``, ``b1``, ``W2``, ... for the weights and biases of
the Affine and Convolution layers (numbered in order), ``gamma1``, ``beta1``, ... for batch
normalisation. ``network.params[name]`` is the very array the layer computes with, so an
optimizer that updates ``params`` in place updates the network.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from .. import _checks
from .._npz import load_npz, save_npz_atomic
from ..gradient import numerical_gradient as _numerical_gradient
from ..initializers import weight_scale
from ..layers import Layer, SoftmaxWithLoss

__all__ = ["Network"]

#: Prefix of the extra (non-weight) arrays a weight file may carry, e.g. ``meta_test_accuracy``.
METADATA_PREFIX = "meta_"


class Network:
    """Base class: a stack of layers ending in softmax with cross-entropy loss.

    Subclasses call :meth:`_add_layer` in order and set ``input_shape`` (the shape of ONE
    sample, e.g. ``(784,)`` or ``(1, 28, 28)``) and ``output_size``.

    Attributes
    ----------
    params : dict name -> array, ``"W1"``, ``"b1"``, ... (plus ``"gamma1"``, ``"beta1"`` with
        batch normalisation); the same arrays the layers use.
    layers : OrderedDict name -> layer, e.g. ``"Affine1"``, ``"Relu1"``, ``"Affine2"``.
    last_layer : the ``SoftmaxWithLoss`` layer.
    dtype : the floating-point type of every parameter and of the computation.
    weight_decay_lambda : L2 penalty λ; the loss adds ``0.5 * λ * sum(W**2)`` over every ``W``.
    """

    input_shape: tuple[int, ...] = ()
    output_size: int = 0

    def __init__(self, seed: int | None = 0, dtype: Any = np.float64) -> None:
        self.dtype = _checks.float_dtype("dtype", dtype)
        self.rng = np.random.default_rng(seed)
        self.weight_decay_lambda = 0.0
        self.params: dict[str, np.ndarray] = {}
        self.layers: OrderedDict[str, Any] = OrderedDict()
        self.last_layer = SoftmaxWithLoss()
        self.last_loss: float | None = None  # loss of the latest gradient() call
        self._grad_source: dict[str, tuple[Any, str]] = {}  # param name -> (layer, key)
        self._buffers: dict[str, tuple[Any, str]] = {}  # e.g. "running_mean1" -> (bn layer, attr)

    # ------------------------------------------------------------------ building

    def _init_weight(self, shape: tuple[int, ...], weight_init_std: float | str) -> np.ndarray:
        """A ``shape`` array of Gaussian weights, in dtype.

        The standard deviation is ``weight_init_std`` if it is a number, or follows from the
        fan-in ``prod(shape[1:])`` for a filter bank (FN, C, FH, FW), ``shape[0]`` for an Affine
        matrix (in, out): "he"/"relu" -> sqrt(2 / fan_in), "xavier"/"sigmoid" -> sqrt(1 / fan_in).
        """
        fan_in = int(np.prod(shape[1:])) if len(shape) == 4 else shape[0]
        scale = weight_scale(weight_init_std, fan_in)
        with np.errstate(over="ignore"):
            weights = (scale * self.rng.standard_normal(shape)).astype(self.dtype)
        if not np.all(np.isfinite(weights)):
            raise ValueError(
                f"weight_init_std must give weights that fit {self.dtype}; "
                f"got {weight_init_std!r}, whose weights overflow to inf"
            )
        return weights

    def _zeros(self, shape: int | tuple[int, ...]) -> np.ndarray:
        return np.zeros(shape, dtype=self.dtype)

    def _add_layer(self, name: str, layer: Layer, index: int | None = None) -> None:
        """Append ``layer``, an :class:`nn.Layer` (one input).  Its parameters (if any) join
        ``params`` as e.g. ``W{index}``, its buffers the saved state as ``running_mean{index}``.
        """
        if not isinstance(layer, Layer):
            raise TypeError(
                f"a network stacks layers with one input (nn.Layer); layer {name} is a "
                f"{type(layer).__name__}"
            )
        self.layers[name] = layer
        if not layer.params:
            return
        if index is None:
            raise ValueError(f"layer {name} has parameters, so it needs an index")
        for key, array in layer.params.items():
            self.params[f"{key}{index}"] = array
            self._grad_source[f"{key}{index}"] = (layer, key)
        for attr in layer.buffers:
            self._buffers[f"{attr}{index}"] = (layer, attr)

    def _seed_for_layer(self) -> int:
        """A seed for a layer's own generator (Dropout), drawn from the network's generator."""
        return int(self.rng.integers(2**32))

    # ------------------------------------------------------------------ checking input

    def _check_x(self, x: Any) -> tuple[np.ndarray, bool]:
        """Return (x as a batch in ``dtype``, whether x was a single sample).

        x must hold finite numbers: NaN or inf in the input would only come out as a NaN score
        (and an "accuracy" computed from it), so it is refused here, naming where it is."""
        x = _checks.finite_array("x", x)
        shape = tuple(self.input_shape)
        if x.shape == shape:  # one sample: add the batch axis
            return x.astype(self.dtype, copy=False)[np.newaxis], True
        if x.ndim == len(shape) + 1 and x.shape[1:] == shape:
            return x.astype(self.dtype, copy=False), False
        hint = ""
        if x.ndim == 2 and len(shape) == 3 and x.shape[1] == int(np.prod(shape)):
            dims = ", ".join(map(str, shape))
            hint = f"; reshape it with x.reshape(-1, {dims}) (load_mnist(flatten=False))"
        elif len(shape) == 1 and x.ndim > 2 and int(np.prod(x.shape[1:])) == shape[0]:
            hint = "; flatten it with x.reshape(len(x), -1) (load_mnist(flatten=True))"
        raise ValueError(
            f"{type(self).__name__} expects input of shape (N, {', '.join(map(str, shape))}) "
            f"or one sample of shape {shape}; got shape {x.shape}{hint}"
        )

    def _check_t(self, t: Any, n: int, single: bool) -> np.ndarray:
        """Return t as integer labels (N,) or one-hot rows (N, C), after checking it."""
        t = _checks.numeric_array("t", t)
        if single:
            t = t[np.newaxis]
        c = self.output_size
        if t.ndim == 2 and t.shape == (n, c):  # one-hot
            return _checks.finite_array("t", t).astype(self.dtype, copy=False)
        if t.ndim != 1 or len(t) != n:
            raise ValueError(
                f"t must hold {n} labels, shape ({n},), or {n} one-hot rows, shape ({n}, {c}), "
                f"to match x; got shape {t.shape}"
            )
        return _checks.class_labels("t", t, c)

    # ------------------------------------------------------------------ forward

    def predict(self, x: np.ndarray, train_flg: bool = False) -> np.ndarray:
        """Scores before softmax. x: (N, *input_shape) -> (N, output_size).

        A single sample of shape ``input_shape`` gives a 1-D ``(output_size,)`` result.
        ``train_flg=True`` makes Dropout drop and BatchNorm use the batch's statistics.
        """
        x, single = self._check_x(x)
        y = self.forward(x, train_flg)
        return y[0] if single else y

    def forward(self, x: np.ndarray, train_flg: bool = False) -> np.ndarray:
        """Scores of a batch x (already checked, in ``dtype``): every layer's forward in order."""
        for layer in self.layers.values():
            x = layer.forward(x, train_flg=train_flg)
        return x

    def weight_decay_loss(self) -> float:
        """0.5 * λ * (sum of squares of every weight W), 0 when λ = 0."""
        if not self.weight_decay_lambda:
            return 0.0
        total = sum(float(np.sum(self.params[name] ** 2)) for name in self.decayed_params())
        return 0.5 * self.weight_decay_lambda * total

    def decayed_params(self) -> list[str]:
        """Names of the parameters weight decay applies to: every weight ``W`` (no biases, no
        batch-norm ``gamma``/``beta``)."""
        return [name for name, (_, key) in self._grad_source.items() if key == "W"]

    def loss(self, x: np.ndarray, t: np.ndarray, train_flg: bool = True) -> float:
        """Mean cross-entropy of softmax(predict(x)) against t, plus the weight decay.

        x: (N, *input_shape); t: labels (N,) or one-hot (N, output_size).
        """
        x, single = self._check_x(x)
        _checks.non_empty("x", x)  # the mean loss of no samples is 0/0
        t = self._check_t(t, len(x), single)
        y = self.forward(x, train_flg)
        return float(self.last_layer.forward(y, t)) + self.weight_decay_loss()

    def accuracy(self, x: np.ndarray, t: np.ndarray, batch_size: int = 100) -> float:
        """Fraction of samples whose largest score is the true class (inference mode).

        x: (N, *input_shape); t: labels (N,) or one-hot (N, output_size). Predicts
        ``batch_size`` samples at a time to bound memory.
        """
        batch_size = _checks.positive_int("batch_size", batch_size)
        x, single = self._check_x(x)
        t = self._check_t(t, len(x), single)
        if len(x) == 0:
            raise ValueError("accuracy needs at least one sample; got an empty x")
        labels = t if t.ndim == 1 else np.argmax(t, axis=1)
        correct = 0
        for start in range(0, len(x), batch_size):
            y = self.forward(x[start : start + batch_size], train_flg=False)
            correct += int(np.sum(np.argmax(y, axis=1) == labels[start : start + batch_size]))
        return correct / len(x)

    # ------------------------------------------------------------------ gradients

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of ``loss(x, t, train_flg=True)`` by backpropagation.

        Returns a dict keyed like ``params`` (same shapes), including the weight-decay term
        ``λ * W`` for every weight. The loss of this forward pass is kept in ``last_loss``.
        """
        self.last_loss = self.loss(x, t, train_flg=True)
        dout = self.last_layer.backward(1)
        first, *others = self.layers.values()
        for layer in reversed(others):
            dout = layer.backward(dout)
        first.backward_params(dout)  # its input is the data: only its parameters' gradients

        grads = {name: layer.grads[key] for name, (layer, key) in self._grad_source.items()}
        for name in self.decayed_params() if self.weight_decay_lambda else []:
            grads[name] = grads[name] + self.weight_decay_lambda * self.params[name]
        return grads

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradient of ``loss(x, t)`` by central differences, one parameter entry at a time.

        Slow (two forward passes per entry) but obviously right: the reference that
        :meth:`gradient` is checked against. Use float64 and small inputs. (With Dropout in
        training mode every forward pass draws a new mask, so the two cannot agree.)
        """

        def loss_w(_: np.ndarray) -> float:
            return self.loss(x, t, train_flg=True)

        return {name: _numerical_gradient(loss_w, param) for name, param in self.params.items()}

    # ------------------------------------------------------------------ saving and loading

    def state_dict(self) -> dict[str, np.ndarray]:
        """Every array that defines the trained network: ``params`` plus BatchNorm's running
        statistics (``running_mean1``, ``running_var1``, ...). Copies."""
        state = {name: np.array(p) for name, p in self.params.items()}
        for name, (layer, attr) in self._buffers.items():
            value = getattr(layer, attr)
            if value is not None:
                state[name] = np.array(value)
        return state

    def load_state_dict(self, state: dict[str, np.ndarray], source: str = "state") -> None:
        """Copy ``state`` (as made by :meth:`state_dict`) into the network, checking names and
        shapes first, so that a bad file changes nothing. Cast to the network's dtype."""
        expected = {name: p.shape for name, p in self.params.items()}
        missing = [name for name in expected if name not in state]
        unknown = [name for name in state if name not in expected and name not in self._buffers]
        if missing or unknown:
            raise ValueError(
                f"{source} does not fit this {type(self).__name__}: "
                + (f"missing {missing}" if missing else "")
                + ("; " if missing and unknown else "")
                + (f"unexpected {unknown}" if unknown else "")
                + f" (expected keys {sorted(expected) + sorted(self._buffers)})"
            )
        for name, value in state.items():
            value = np.asarray(value)
            if name in expected:
                want = expected[name]
            else:
                layer, attr = self._buffers[name]
                want = np.shape(getattr(layer, attr))
            if value.shape != want:
                raise ValueError(
                    f"{source}: {name} has shape {value.shape}, but this {type(self).__name__} "
                    f"expects shape {want}"
                )
            if value.dtype.kind not in "fiu" or not np.all(np.isfinite(value)):
                raise ValueError(
                    f"{source}: {name} must hold finite numbers; got dtype {value.dtype}"
                )
        for name, value in state.items():
            if name in expected:
                self.params[name][...] = value  # in place: the layers hold these arrays
            else:
                layer, attr = self._buffers[name]
                setattr(layer, attr, np.array(value, dtype=self.dtype))

    def save_params(self, path: str | os.PathLike, metadata: dict[str, Any] | None = None) -> None:
        """Write :meth:`state_dict` to ``path`` as an uncompressed ``.npz`` (no pickle).

        ``metadata`` (e.g. ``{"test_accuracy": 0.98}``) is stored as 0-d or 1-d arrays under
        ``meta_<key>``. The file is written to a temporary name and then renamed, so ``path``
        never holds half a file.
        """
        path = Path(path)
        arrays = self.state_dict()
        for key, value in (metadata or {}).items():
            array = np.asarray(value)
            if array.dtype.kind == "O":
                raise ValueError(
                    f"metadata {key!r} must be a number or a string (or a list of them); "
                    f"got {_checks.describe(value)}"
                )
            arrays[METADATA_PREFIX + key] = array
        save_npz_atomic(path, arrays)

    def load_params(self, path: str | os.PathLike) -> dict[str, Any]:
        """Load weights saved by :meth:`save_params` into this network (in place).

        Every failure is a ``ValueError`` that names the path and what is wrong: a file that is
        missing, empty, not a ``.npz``, truncated or damaged, or holds Python objects ("cannot
        read weights from ..."); or, for a file that does not fit the network, the key, the
        expected shape and the shape found.  A bad file changes nothing in the network.
        Returns the file's metadata as a dict (numbers and strings), empty if there is none.
        """
        arrays = load_npz(path, what="weights")
        state = {k: v for k, v in arrays.items() if not k.startswith(METADATA_PREFIX)}
        self.load_state_dict(state, source=str(path))
        return {
            k[len(METADATA_PREFIX) :]: v.item() if v.ndim == 0 else v
            for k, v in arrays.items()
            if k.startswith(METADATA_PREFIX)
        }

    # ------------------------------------------------------------------ display

    def __repr__(self) -> str:
        lines = [
            f"{type(self).__name__}(dtype={self.dtype}, input_shape={tuple(self.input_shape)})"
        ]
        owner = {id(layer): [] for layer in self.layers.values()}
        for name, (layer, _) in self._grad_source.items():
            owner[id(layer)].append(f"{name}{self.params[name].shape}")
        for name, layer in self.layers.items():
            detail = ", ".join(owner[id(layer)])
            lines.append(f"  {name:<22} {detail}".rstrip())
        lines.append(f"  {'SoftmaxWithLoss':<22}")
        total = sum(p.size for p in self.params.values())
        lines.append(f"  {total:,} parameters")
        return "\n".join(lines)
