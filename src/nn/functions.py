"""Activation functions, softmax and loss functions (book ch. 3 and 4, notebooks 03-05).

All functions are elementwise or work along the last axis, so they accept a single sample
``(C,)`` as well as a batch ``(N, C)``.  Floating inputs keep their dtype (float32 stays
float32); integer inputs are computed in float64.  Anything that is not an array of real
numbers (strings, objects, ragged lists) is a ``ValueError`` naming the argument.
"""

from __future__ import annotations

import numpy as np

from . import _checks

__all__ = [
    "step_function",
    "sigmoid",
    "relu",
    "tanh",
    "identity_function",
    "softmax",
    "mean_squared_error",
    "cross_entropy_error",
    "step_grad",
    "sigmoid_grad",
    "relu_grad",
    "tanh_grad",
]


def _as_float(x: object, name: str = "x") -> np.ndarray:
    """x as a floating array: float inputs keep their dtype, other numbers become float64."""
    x = _checks.numeric_array(name, x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    return x


def step_function(x: np.ndarray) -> np.ndarray:
    """1 where x > 0, else 0 (an int array of x's shape): the perceptron's activation."""
    return (_checks.numeric_array("x", x) > 0).astype(int)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), elementwise."""
    x = _as_float(x)
    # exp(-x) overflows to inf for x below about -709.78 (float64) or -88.72 (float32), and
    # 1 / (1 + inf) = 0 is then exactly the right answer: the warning would only alarm the reader.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def relu(x: np.ndarray) -> np.ndarray:
    """max(0, x), elementwise."""
    return np.maximum(0, _checks.numeric_array("x", x))


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent, elementwise: (e^x - e^-x) / (e^x + e^-x)."""
    return np.tanh(_as_float(x))


def identity_function(x: np.ndarray) -> np.ndarray:
    """x unchanged: the output activation for regression."""
    _checks.numeric_array("x", x)
    return x


def softmax(x: np.ndarray) -> np.ndarray:
    """exp(x) / sum(exp(x)) along the last axis; x: (C,) or (N, C), same shape out.

    Subtracting the row maximum first changes nothing mathematically (the factor exp(-max)
    cancels) but keeps exp from overflowing for large scores.
    """
    x = _as_float(x)
    if x.ndim == 0:
        raise ValueError(f"softmax: x must be an array of scores (C,) or (N, C); got a scalar {x}")
    if x.shape[-1] == 0:  # no classes: nothing to normalise (and max of nothing is undefined)
        return x.copy()
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def mean_squared_error(y: np.ndarray, t: np.ndarray) -> float:
    """0.5 * sum((y - t)**2) over all elements, as in the book; y and t of the same shape."""
    y, t = _as_float(y, "y"), _as_float(t, "t")
    if y.shape != t.shape:
        raise ValueError(
            f"mean_squared_error expects y and t of the same shape; got {y.shape} and {t.shape}"
        )
    return float(0.5 * np.sum((y - t) ** 2))


def cross_entropy_error(y: np.ndarray, t: np.ndarray) -> float:
    """Mean over the batch of -sum(t * log(y + 1e-7)).

    y: probabilities, (C,) or (N, C).  t: one-hot (or any distribution) of y's shape, or class
    labels, a scalar or (N,) integers in [0, C).  The 1e-7 keeps log finite when y = 0.
    """
    y = _as_float(y, "y")
    t = _checks.numeric_array("t", t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size and t.size > 1 else t.reshape(1)
    if y.ndim != 2 or y.shape[1] == 0:
        raise ValueError(f"cross_entropy_error expects y of shape (C,) or (N, C); got {y.shape}")
    if len(y) == 0:  # the mean over no samples is 0/0: refuse rather than return nan
        raise ValueError("cross_entropy_error: y must hold at least one sample; got shape "
                         f"{y.shape}")
    batch_size, num_classes = y.shape
    if t.shape == y.shape:
        return float(-np.sum(t * np.log(y + 1e-7)) / batch_size)
    labels = _check_labels(t, batch_size, num_classes, "cross_entropy_error")
    return float(-np.sum(np.log(y[np.arange(batch_size), labels] + 1e-7)) / batch_size)


def _check_labels(t: np.ndarray, batch_size: int, num_classes: int, who: str) -> np.ndarray:
    """Return t as (N,) integer labels, or raise a ValueError saying what was expected."""
    if np.shape(t) != (batch_size,):
        raise ValueError(
            f"{who} expects t one-hot of shape ({batch_size}, {num_classes}) or labels of shape "
            f"({batch_size},); got shape {np.shape(t)}"
        )
    return _checks.class_labels(f"{who}: t", t, num_classes)


def step_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of step_function: 0 everywhere (undefined at 0, where we also return 0)."""
    return np.zeros_like(_as_float(x))


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of sigmoid: sigmoid(x) * (1 - sigmoid(x))."""
    s = sigmoid(x)
    return s * (1 - s)


def relu_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of relu: 1 where x > 0, else 0 (0 at x = 0, as the Relu layer uses)."""
    x = _as_float(x)
    return (x > 0).astype(x.dtype)


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of tanh: 1 - tanh(x)**2."""
    return 1 - np.tanh(_as_float(x)) ** 2
