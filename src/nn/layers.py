"""Layers with forward and backward passes (book ch. 5 and 6, notebooks 06-07).

Each layer is one small class: ``forward`` computes the output and keeps what ``backward``
will need; ``backward(dout)`` takes the gradient of the loss with respect to the output and
returns the gradient with respect to the input.  A layer is of one of three kinds, each a base
class that writes its contract down once:

- :class:`Layer`: one input, ``forward(x)`` -> ``backward(dout)`` -> dx (Relu, Affine, the
  convolution and pooling layers of :mod:`nn.conv`, ...);
- :class:`TwoInputLayer`: a node of a computational graph with two inputs, ``forward(x, y)``
  -> ``backward(dout)`` -> (dx, dy) (MulLayer, AddLayer);
- :class:`LossLayer`: the end of a network, ``forward(x, t)`` -> a scalar loss ->
  ``backward(dout=1)`` -> dx (SoftmaxWithLoss).
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .backend import matmul, maximum, zero_where
from .functions import _check_labels, sigmoid, softmax

__all__ = [
    "Layer",
    "TwoInputLayer",
    "LossLayer",
    "MulLayer",
    "AddLayer",
    "Relu",
    "Sigmoid",
    "Tanh",
    "Affine",
    "SoftmaxWithLoss",
    "Dropout",
    "BatchNormalization",
]


class _LayerBase:
    """What the three kinds of layer have in common.

    - ``params``: dict name -> array, the very arrays the layer computes with (the book's
      attributes ``W``, ``b``, ``gamma``, ``beta`` are the same objects), so an optimizer that
      updates ``params`` in place updates the layer.  ``grads``: the same keys, filled by
      ``backward`` (also kept as the book's ``dW``, ``db``, ...).  Both are empty for a layer
      without parameters.
    - ``buffers``: names of attributes that are state but are not trained (BatchNormalization's
      running statistics).  A network saves them with the parameters.
    - ``backward`` called before any ``forward`` raises
      ``RuntimeError("<Layer>.backward called before forward")``.
    - One dtype policy: parameters are floating point.  A float array keeps its dtype (float32
      stays float32) and is used without a copy; anything else (an integer ``W``, a list) becomes
      float64, so gradients are never silently integer.  Inputs are converted to the
      parameters' dtype.
    - A layer never modifies an array passed to it.
    """

    buffers: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def _param(self, value: object, dtype: object, name: str) -> np.ndarray:
        """``value`` as a parameter under the dtype policy: ``dtype`` if given, else value's
        own float dtype, else float64.  No copy when the dtype already matches."""
        value = _checks.finite_array(f"{type(self).__name__}: {name}", value)
        if dtype is None:
            dtype = value.dtype if np.issubdtype(value.dtype, np.floating) else np.float64
        if not np.issubdtype(np.dtype(dtype), np.floating):
            raise ValueError(
                f"{type(self).__name__} expects a floating dtype for {name}; got {np.dtype(dtype)}"
            )
        return value.astype(dtype, copy=False)

    def _saved(self, value):
        """What forward kept for backward, or the contract's error if forward has not run."""
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return value


class Layer(_LayerBase):
    """A layer with one input: the kind a network stacks (its contract adds to the shared one).

    - ``forward(x, train_flg=True)`` -> out, and keeps what ``backward`` needs; ``train_flg``
      matters only to Dropout and BatchNormalization.
    - ``backward(dout)`` -> dx, of x's shape (never None), and fills ``grads``.
    - ``backward_params(dout)`` fills ``grads`` only: a network calls it on its first layer,
      whose input is the data, whose gradient nothing needs.  Here it calls ``backward``; a
      layer that can save work by skipping dx overrides it (:class:`nn.Affine`,
      :class:`nn.FastConvolution`).
    """

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward_params(self, dout: np.ndarray) -> None:
        self.backward(dout)


class TwoInputLayer(_LayerBase):
    """A node of a computational graph with two inputs (book ch. 5's multiplication and
    addition nodes).

    - ``forward(x, y)`` -> out, and keeps what ``backward`` needs.
    - ``backward(dout)`` -> the pair (dx, dy), the gradients with respect to x and to y.
    """

    def forward(self, x, y):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError


class LossLayer(_LayerBase):
    """The last layer of a network: scores and targets in, one number out.

    - ``forward(x, t)`` -> the mean loss over the batch, a Python float; ``t`` holds the
      targets (labels or one-hot rows).
    - ``backward(dout=1)`` -> dx, the gradient of ``dout * loss`` with respect to x (x's shape).
    """

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self, dout: float = 1) -> np.ndarray:
        raise NotImplementedError


class MulLayer(TwoInputLayer):
    """out = x * y (elementwise).  backward: dout -> (dout * y, dout * x)."""

    def __init__(self) -> None:
        super().__init__()
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        # Each input's gradient is dout times the *other* input.
        return dout * self._saved(self.y), dout * self._saved(self.x)


class AddLayer(TwoInputLayer):
    """out = x + y.  backward: dout -> (dout, dout): addition passes the gradient on.

    The gradient needs neither input, so forward keeps only that it ran (``done``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.done = None

    def forward(self, x, y):
        self.done = True
        return x + y

    def backward(self, dout):
        self._saved(self.done)
        return dout * 1, dout * 1


class Relu(Layer):
    """out = max(0, x), any shape.  backward passes dout where x > 0 and blocks it elsewhere.

    ``mask`` is True where x <= 0 (there the output, and the gradient, is 0).
    """

    def __init__(self) -> None:
        super().__init__()
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _checks.numeric_array("Relu.forward: x", x)
        self.mask = x <= 0
        return maximum(x, 0)  # np.maximum(x, 0), in the browser's fastest spelling

    def backward(self, dout: np.ndarray) -> np.ndarray:
        dout = np.asarray(dout)
        return zero_where(self._saved(self.mask), dout)  # 0 where x <= 0, dout elsewhere


class Sigmoid(Layer):
    """out = 1 / (1 + exp(-x)), any shape.  backward: dx = dout * out * (1 - out).

    The derivative needs only the output, so ``out`` is what forward keeps.
    """

    def __init__(self) -> None:
        super().__init__()
        self.out: np.ndarray | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        self.out = sigmoid(_checks.numeric_array("Sigmoid.forward: x", x))
        return self.out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        out = self._saved(self.out)
        return dout * (1.0 - out) * out


class Tanh(Layer):
    """out = tanh(x), any shape.  backward: dx = dout * (1 - out**2).

    Not one of the book's layers, but book ch. 6 compares it with sigmoid: tanh is
    sigmoid stretched to (-1, 1) and centred on 0 (tanh(x) = 2 * sigmoid(2x) - 1).  Like
    Sigmoid, its derivative needs only the output, so ``out`` is what forward keeps.
    """

    def __init__(self) -> None:
        super().__init__()
        self.out: np.ndarray | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _checks.numeric_array("Tanh.forward: x", x)
        self.out = np.tanh(x if x.dtype.kind == "f" else x.astype(np.float64))
        return self.out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        out = self._saved(self.out)
        return dout * (1.0 - out * out)


class Affine(Layer):
    """Fully connected layer: out = x @ W + b.

    W: (D, M), b: (M,).  forward: x (N, D), or (N, d1, d2, ...) with d1*d2*... = D (an image
    batch is flattened per sample) -> (N, M).  backward: dout (N, M) -> dx of x's shape, and
    dW = x.T @ dout (D, M), db = dout summed over the batch (M,).
    ``dtype`` (default: W's float dtype) converts W and b if they differ from it.
    ``matmul(x, W)`` is ``x @ W`` (:mod:`nn.backend`: the same product, faster in the browser).
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, dtype: object = None) -> None:
        super().__init__()
        self.W = self._param(W, dtype, "W")
        self.b = self._param(b, self.W.dtype, "b")
        if self.W.ndim != 2 or self.b.shape != (self.W.shape[1],):
            raise ValueError(
                f"Affine expects W of shape (D, M) and b of shape (M,); "
                f"got W {self.W.shape} and b {self.b.shape}"
            )
        self.params = {"W": self.W, "b": self.b}
        self.x: np.ndarray | None = None
        self.original_x_shape: tuple | None = None
        self.dW: np.ndarray | None = None
        self.db: np.ndarray | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _checks.numeric_array("Affine.forward: x", x)
        d, m = self.W.shape
        if x.ndim < 2:
            raise ValueError(
                f"Affine expects x, a batch of inputs (N, {d}) (W is {d}x{m}); got shape {x.shape}"
            )
        features = int(np.prod(x.shape[1:]))
        if features != d:
            raise ValueError(
                f"Affine expects x with {d} features (W is {d}x{m}); got {features} "
                f"(input shape {x.shape})"
            )
        self.original_x_shape = x.shape
        self.x = x.reshape(len(x), d).astype(self.W.dtype, copy=False)
        return matmul(self.x, self.W) + self.b  # x @ W + b

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self.backward_params(dout)
        dout = np.asarray(dout).astype(self.W.dtype, copy=False)
        dx = matmul(dout, self.W.T)  # dout @ W.T
        return dx.reshape(self.original_x_shape)

    def backward_params(self, dout: np.ndarray) -> None:
        """dW and db only: backward without dx.  A network calls it on its first Affine, whose
        input is the data, and saves a third of the layer's work."""
        x = self._saved(self.x)
        dout = np.asarray(dout).astype(self.W.dtype, copy=False)
        self.dW = matmul(x.T, dout)  # x.T @ dout
        self.db = np.sum(dout, axis=0)
        self.grads = {"W": self.dW, "b": self.db}


class SoftmaxWithLoss(LossLayer):
    """Softmax followed by the cross-entropy loss, as one layer.

    forward(x, t): scores x (N, C) and targets t, one-hot (N, C) or labels (N,) -> the mean
    loss (a float); keeps the probabilities ``y`` = softmax(x).  backward(dout=1) -> dx (N, C)
    = (y - t) / N * dout: the combined gradient is that simple, which is why the two are one
    layer.  As in the book the loss is computed with log(y + 1e-7), while backward is the
    exact gradient; they disagree noticeably only where a target's probability is below
    about 1e-5 (keep that in mind when checking gradients numerically).
    """

    def __init__(self) -> None:
        super().__init__()
        self.loss: float | None = None
        self.y: np.ndarray | None = None
        self.t: np.ndarray | None = None

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        x = _checks.numeric_array("SoftmaxWithLoss.forward: x", x)
        t = _checks.numeric_array("SoftmaxWithLoss.forward: t", t)
        if x.ndim != 2:
            raise ValueError(
                f"SoftmaxWithLoss expects x, scores of shape (N, C); got shape {x.shape}"
            )
        if len(x) == 0:  # the mean loss of no samples is 0/0: refuse rather than return nan
            raise ValueError(
                "SoftmaxWithLoss got an empty batch x (0 samples); expected N >= 1, "
                f"got shape {x.shape}"
            )
        self.y = softmax(x)
        if t.shape == x.shape:
            self.t = t.astype(self.y.dtype, copy=False)  # float32 y - float64 t would upcast
            loss = -np.sum(self.t * np.log(self.y + 1e-7)) / len(x)
        else:
            self.t = _check_labels(t, *x.shape, who="SoftmaxWithLoss")
            loss = -np.sum(np.log(self.y[np.arange(len(x)), self.t] + 1e-7)) / len(x)
        self.loss = float(loss)
        return self.loss

    def backward(self, dout: float = 1) -> np.ndarray:
        batch_size = len(self._saved(self.y))
        if self.t.shape == self.y.shape:
            dx = self.y - self.t
        else:
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1  # subtracting the one-hot t without building it
        return dx * (float(dout) / batch_size)


class Dropout(Layer):
    """Dropout: in training, each unit is dropped (set to 0) with probability dropout_ratio.

    forward(x, train_flg=True) draws a new random ``mask`` (True = kept) and returns x * mask;
    backward sends dout through the same mask.  At inference (train_flg=False) nothing is
    dropped and the output is scaled by (1 - dropout_ratio), the fraction kept in training,
    so that its expected size matches; this is the book's form (not "inverted dropout", which
    scales in training instead).  ``seed`` seeds the layer's own random generator.
    """

    def __init__(self, dropout_ratio: float = 0.5, seed: int | None = None) -> None:
        super().__init__()
        self.dropout_ratio = _checks.fraction("dropout_ratio", dropout_ratio, "[0, 1)")
        self.rng = np.random.default_rng(seed)
        self.mask: np.ndarray | None = None
        self.train_flg: bool | None = None  # of the latest forward

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _checks.numeric_array("Dropout.forward: x", x)
        self.train_flg = bool(train_flg)
        if train_flg:
            self.mask = self.rng.random(x.shape, dtype=np.float32) >= self.dropout_ratio
            return x * self.mask
        self.mask = None
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self._saved(self.train_flg):
            return dout * self.mask
        return dout * (1.0 - self.dropout_ratio)  # after an inference forward: a constant scaling


class BatchNormalization(Layer):
    """Batch normalisation: out = gamma * (x - mean) / sqrt(var + eps) + beta.

    x: (N, D) with gamma, beta of shape (D,); or images (N, C, H, W) with either gamma, beta
    of shape (C,) (one mean and variance per channel, over N, H and W, as is usual for
    convolutions) or of shape (C*H*W,) (one per pixel of each channel: the book's form, which
    flattens each image).  eps = 1e-6 (the book's 10e-7).

    Training (train_flg=True) normalises with the batch's own mean and (biased) variance and
    updates the running averages: running = momentum * running + (1 - momentum) * batch.
    Inference (train_flg=False) normalises with running_mean and running_var (defaults: 0 and
    1, so an untrained layer passes x through as gamma * x + beta).
    """

    eps = 1e-6
    buffers = ("running_mean", "running_var")

    def __init__(
        self,
        gamma: np.ndarray,
        beta: np.ndarray,
        momentum: float = 0.9,
        running_mean: np.ndarray | None = None,
        running_var: np.ndarray | None = None,
        dtype: object = None,
    ) -> None:
        super().__init__()
        self.gamma = self._param(gamma, dtype, "gamma")
        self.beta = self._param(beta, self.gamma.dtype, "beta")
        if self.gamma.ndim != 1 or self.beta.shape != self.gamma.shape:
            raise ValueError(
                f"BatchNormalization expects gamma and beta of the same shape (D,); "
                f"got {self.gamma.shape} and {self.beta.shape}"
            )
        self.momentum = _checks.fraction("momentum", momentum, "[0, 1]")
        size, dt = self.gamma.shape, self.gamma.dtype
        # Copies: the caller's arrays must not change when the running averages do.
        self.running_mean = (
            np.zeros(size, dt) if running_mean is None else np.array(running_mean, dt)
        )
        self.running_var = np.ones(size, dt) if running_var is None else np.array(running_var, dt)
        if self.running_mean.shape != size or self.running_var.shape != size:
            raise ValueError(
                f"BatchNormalization expects running_mean and running_var of shape {size}; "
                f"got {self.running_mean.shape} and {self.running_var.shape}"
            )
        self.params = {"gamma": self.gamma, "beta": self.beta}
        self.dgamma: np.ndarray | None = None
        self.dbeta: np.ndarray | None = None
        self.input_shape: tuple | None = None
        self.per_channel = False
        self.xn: np.ndarray | None = None  # normalised input, (rows, D)
        self.std: np.ndarray | None = None
        self.train_flg = True

    def _to_rows(self, x: np.ndarray) -> np.ndarray:
        """(N, D) as is; (N, C, H, W) -> (N*H*W, C) per channel or (N, C*H*W) per pixel."""
        if self.per_channel:
            return x.transpose(0, 2, 3, 1).reshape(-1, x.shape[1])
        return x.reshape(len(x), self.gamma.size)  # not -1: that is ambiguous for an empty batch

    def _from_rows(self, rows: np.ndarray) -> np.ndarray:
        """The inverse of _to_rows, back to the input's shape."""
        if self.per_channel:
            n, c, h, w = self.input_shape
            return rows.reshape(n, h, w, c).transpose(0, 3, 1, 2)
        return rows.reshape(self.input_shape)

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _checks.numeric_array("BatchNormalization.forward: x", x)
        x = x.astype(self.gamma.dtype, copy=False)
        d = self.gamma.size
        ok = (x.ndim == 2 and x.shape[1] == d) or (
            x.ndim == 4 and d in (x.shape[1], int(np.prod(x.shape[1:])))
        )
        if not ok:
            raise ValueError(
                f"BatchNormalization with gamma of shape ({d},) expects x of shape (N, {d}), "
                f"or (N, {d}, H, W), or (N, C, H, W) with C*H*W = {d}; got shape {x.shape}"
            )
        self.input_shape = x.shape
        self.per_channel = x.ndim == 4 and x.shape[1] == d
        self.train_flg = train_flg
        rows = self._to_rows(x)
        # The mean of no rows is NaN, and would stay in running_mean: refuse an empty batch.
        if train_flg and len(rows) == 0:
            raise ValueError(
                "BatchNormalization.forward: x must hold at least one sample in training "
                f"(the batch's mean and variance are needed); got shape {x.shape}"
            )
        if train_flg:
            mean = rows.mean(axis=0)
            centred = rows - mean
            var = np.mean(centred**2, axis=0)
            m = self.momentum
            self.running_mean = m * self.running_mean + (1 - m) * mean
            self.running_var = m * self.running_var + (1 - m) * var
        else:
            centred = rows - self.running_mean
            var = self.running_var
        self.std = np.sqrt(var + self.eps)
        self.xn = centred / self.std
        return self._from_rows(self.gamma * self.xn + self.beta)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self._saved(self.xn)
        dout = self._to_rows(np.asarray(dout).astype(self.gamma.dtype, copy=False))
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        self.grads = {"gamma": self.dgamma, "beta": self.dbeta}
        dxn = dout * self.gamma
        if not self.train_flg:  # fixed running statistics: a plain elementwise scaling
            return self._from_rows(dxn / self.std)
        # In training the mean and variance depend on every row too; their contributions give
        # dx = (dxn - mean(dxn) - xn * mean(dxn * xn)) / std.
        dx = (dxn - dxn.mean(axis=0) - self.xn * np.mean(dxn * self.xn, axis=0)) / self.std
        return self._from_rows(dx)
