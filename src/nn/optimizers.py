"""Optimizers: rules for updating parameters from their gradients (book ch. 6, notebook 07).

Each optimizer has ``update(params, grads)``: both are dicts with the same keys (e.g.
``{"W1": ..., "b1": ...}``), and every array in ``params`` is changed in place, so layers that
share those arrays see the new values.  Optimizers with state (velocities, squared-gradient
sums) keep one state array per key, created at the first update.

``OPTIMIZERS`` is the one registry: a new optimizer is a class here and its entry there.  Each
class carries ``book_lr``, a learning rate that suits it on notebook 07's toy problem, from which
the figures take their defaults (and their colours, by registry order).
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import fraction, positive_number

__all__ = [
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSprop",
    "Adam",
    "OPTIMIZERS",
    "optimizer_class",
    "make_optimizer",
]

Params = dict[str, np.ndarray]

#: Added to the denominators of AdaGrad, RMSprop and Adam so that a zero gradient history
#: does not divide by zero.
EPS = 1e-7


class SGD:
    """Stochastic gradient descent: W <- W - lr * dW."""

    book_lr = 0.95  # on the stretched bowl x**2/20 + y**2 (the book's)

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = positive_number("learning rate lr", lr)

    def update(self, params: Params, grads: Params) -> None:
        for key in params:
            params[key] -= self.lr * grads[key]


class Momentum:
    """Momentum SGD: v <- momentum * v - lr * dW;  W <- W + v.

    v is a velocity: steps in a consistent direction add up, steps that flip sign cancel.
    """

    book_lr = 0.1  # on the stretched bowl x**2/20 + y**2 (the book's)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        self.lr = positive_number("learning rate lr", lr)
        self.momentum = fraction("momentum", momentum)
        self.v: Params = {}

    def update(self, params: Params, grads: Params) -> None:
        for key in params:
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            v *= self.momentum
            v -= self.lr * grads[key]
            params[key] += v


class Nesterov:
    """Nesterov's accelerated gradient: Momentum that looks ahead.

    Nesterov's method takes the gradient at the look-ahead point W + momentum * v instead of
    at W.  A training loop only gives gradients at the parameters it holds, so (as in the
    book) the parameters held are the look-ahead point, and the update becomes
    W <- W + momentum**2 * v - (1 + momentum) * lr * dW, then v <- momentum * v - lr * dW.
    The W update uses v from *before* this step (Bengio et al. 2013, the form the book's
    sample code cites; that code applies it to the already updated v).
    """

    book_lr = 0.1  # on the stretched bowl x**2/20 + y**2 (tuned by hand)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        self.lr = positive_number("learning rate lr", lr)
        self.momentum = fraction("momentum", momentum)
        self.v: Params = {}

    def update(self, params: Params, grads: Params) -> None:
        m = self.momentum
        for key in params:
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            params[key] += m * m * v - (1 + m) * self.lr * grads[key]
            v *= m
            v -= self.lr * grads[key]


class AdaGrad:
    """AdaGrad: h <- h + dW * dW;  W <- W - lr * dW / (sqrt(h) + 1e-7).

    Each parameter gets its own learning rate, shrinking as its squared gradients add up.
    """

    book_lr = 1.5  # on the stretched bowl x**2/20 + y**2 (the book's)

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = positive_number("learning rate lr", lr)
        self.h: Params = {}

    def update(self, params: Params, grads: Params) -> None:
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + EPS)


class RMSprop:
    """RMSprop: h <- decay_rate * h + (1 - decay_rate) * dW * dW;
    W <- W - lr * dW / (sqrt(h) + 1e-7).

    Like AdaGrad, but h is a moving average, so old gradients are forgotten and the step
    size does not shrink to zero.
    """

    book_lr = 0.15  # on the stretched bowl x**2/20 + y**2 (tuned by hand)

    def __init__(self, lr: float = 0.01, decay_rate: float = 0.99) -> None:
        self.lr = positive_number("learning rate lr", lr)
        self.decay_rate = fraction("decay_rate", decay_rate)
        self.h: Params = {}

    def update(self, params: Params, grads: Params) -> None:
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h *= self.decay_rate
            h += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + EPS)


class Adam:
    """Adam: Momentum's velocity plus RMSprop's per-parameter scaling, with bias correction.

    At step t:  m <- beta1 * m + (1 - beta1) * dW;  v <- beta2 * v + (1 - beta2) * dW**2;
    W <- W - lr_t * m / (sqrt(v) + 1e-7)  with  lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t).
    The book's form: the bias correction of m and v (which start at 0) is folded into lr_t;
    it differs from the paper's form only in where the 1e-7 sits.
    """

    book_lr = 0.3  # on the stretched bowl x**2/20 + y**2 (the book's)

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999) -> None:
        self.lr = positive_number("learning rate lr", lr)
        self.beta1 = fraction("beta1", beta1)
        self.beta2 = fraction("beta2", beta2)
        self.iter = 0
        self.m: Params = {}
        self.v: Params = {}

    def update(self, params: Params, grads: Params) -> None:
        self.iter += 1
        t = self.iter
        lr_t = self.lr * math.sqrt(1 - self.beta2**t) / (1 - self.beta1**t)
        for key in params:
            m = self.m.setdefault(key, np.zeros_like(params[key]))
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            m += (1 - self.beta1) * (grads[key] - m)
            v += (1 - self.beta2) * (grads[key] ** 2 - v)
            params[key] -= lr_t * m / (np.sqrt(v) + EPS)


OPTIMIZERS: dict[str, type] = {
    "SGD": SGD,
    "Momentum": Momentum,
    "Nesterov": Nesterov,
    "AdaGrad": AdaGrad,
    "RMSprop": RMSprop,
    "Adam": Adam,
}


def optimizer_class(name: str) -> type:
    """The optimizer class called ``name`` in ``OPTIMIZERS`` (case-insensitive, e.g. "adam")."""
    for known, cls in OPTIMIZERS.items():
        if known.lower() == str(name).lower():
            return cls
    raise ValueError(f"unknown optimizer {name!r}; expected one of {list(OPTIMIZERS)}")


def make_optimizer(name: str, **kwargs):
    """The optimizer called ``name`` (case-insensitive, e.g. "adam"), built with ``kwargs``."""
    return optimizer_class(name)(**kwargs)
