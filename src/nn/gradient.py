"""Numerical differentiation and gradient descent (book ch. 4, notebook 05).

The derivative is approximated by the central difference (f(x + h) - f(x - h)) / 2h, whose
error shrinks like h**2 (the forward difference's only like h).  It is slow, one pair of
function calls per parameter, but simple and hard to get wrong, which is why backpropagation's
gradients are checked against it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _checks

__all__ = [
    "numerical_diff",
    "numerical_gradient",
    "gradient_descent",
    "gradient_check",
]


def numerical_diff(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    """Derivative of f at x by the central difference with step h.

    h = 1e-4 balances the two errors: larger h, worse approximation; smaller h, more of the
    result is lost to rounding when two nearly equal values of f are subtracted.
    """
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4
) -> np.ndarray:
    """Gradient of the scalar function f at x (a float array of any shape), same shape as x.

    Each element of x is moved by +h and -h *in place*, f(x) is evaluated, and the element is
    put back exactly as it was.  Working in place is what lets f ignore its argument: with
    ``f = lambda W: net.loss(x, t)`` and ``x = net.W``, moving an element of net.W changes
    the loss.  For the same reason x must be a writable float array.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        dtype = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise ValueError(
            f"numerical_gradient expects a float NumPy array x (it moves x's elements by "
            f"h = {h} in place); got {dtype}. Convert it first, e.g. x.astype(float)"
        )
    if not x.flags.writeable:
        raise ValueError("numerical_gradient needs a writable x (it moves x's elements in place)")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        try:
            x[index] = original + h
            f_plus = f(x)
            x[index] = original - h
            f_minus = f(x)
        finally:
            x[index] = original  # restored even if f raises
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def _start(init_x: np.ndarray) -> np.ndarray:
    """A float copy of init_x (finite numbers), so that descending never touches the caller's
    array."""
    x = np.array(_checks.finite_array("init_x", init_x))
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def gradient_descent(
    f: Callable[[np.ndarray], float], init_x: np.ndarray, lr: float = 0.01, step_num: int = 100
) -> np.ndarray:
    """step_num steps of x <- x - lr * grad f(x) from init_x (left unchanged); returns x.

    As in the book, nothing stops a diverging run here: x may end as inf or NaN
    (:func:`nn.optimization_path` stops at the first position out of bounds)."""
    x = _start(init_x)
    lr = _checks.finite_number("lr", lr)
    for _ in range(_checks.non_negative_int("step_num", step_num)):
        x -= lr * numerical_gradient(f, x)
    return x


def gradient_check(network, x: np.ndarray, t: np.ndarray) -> dict[str, float]:
    """Mean absolute difference, per parameter, between backpropagation's gradients
    ``network.gradient(x, t)`` and the numerical ones ``network.numerical_gradient(x, t)``.

    Both must return dicts with the same keys and shapes.  Differences around 1e-10 (float64)
    mean backpropagation is right; a bug usually shows as 1e-2 or more.
    """
    numerical = network.numerical_gradient(x, t)
    backprop = network.gradient(x, t)
    if set(numerical) != set(backprop):
        raise ValueError(
            f"gradient_check expects gradient() and numerical_gradient() to have the same keys; "
            f"got {sorted(backprop)} and {sorted(numerical)}"
        )
    diffs = {}
    for key, num in numerical.items():
        if np.shape(backprop[key]) != np.shape(num):
            raise ValueError(
                f"gradient_check: gradient[{key!r}] has shape {np.shape(backprop[key])} but "
                f"numerical_gradient[{key!r}] has shape {np.shape(num)}"
            )
        diffs[key] = float(np.mean(np.abs(backprop[key] - num)))
    return diffs
