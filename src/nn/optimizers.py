"""Optimizers: rules for updating parameters from their gradients (book ch. 6, notebook 07).

Every optimizer is a subclass of :class:`Optimizer`, which writes the contract down once:
``update(params, grads)`` takes two dicts with the same keys (e.g. ``{"W1": ..., "b1": ...}``)
and changes every array in ``params`` in place, so layers that share those arrays see the new
values.  Optimizers with state (velocities, squared-gradient sums) keep one state array per key,
created at the first update.

``OPTIMIZERS`` is the one registry: a new optimizer is a subclass here and its entry there.  Each
class declares ``book_lr``, a learning rate that suits it on notebook 07's toy problem, from which
the figures take their defaults (and their colours, by registry order).
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import fraction, positive_number

__all__ = [
    "Optimizer",
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


class Optimizer:
    """The contract every optimizer follows.

    - ``update(params, grads)``: ``params`` and ``grads`` are dicts with the same keys, each
      gradient of its parameter's shape; every array of ``params`` is changed in place (nothing
      else is: not ``grads``, not the dicts).  Keys or shapes that do not match are refused
      with a ``ValueError`` before anything changes (:meth:`_checked_keys`).
    - ``lr``: the learning rate, a positive number (checked by each ``__init__``).
    - ``book_lr``, a class attribute every optimizer must declare: a learning rate that suits it
      on notebook 07's stretched bowl, where the figures and the race start from.  A subclass
      without one is refused when it is defined, with a ``TypeError`` that says so.
    """

    book_lr: float
    lr: float

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        book_lr = getattr(cls, "book_lr", None)
        if isinstance(book_lr, bool) or not isinstance(book_lr, (int, float)) or not (
            math.isfinite(book_lr) and book_lr > 0
        ):
            raise TypeError(
                f"optimizer {cls.__name__} must declare book_lr, a positive learning rate for "
                f"notebook 07's stretched bowl, as a class attribute; got {book_lr!r}"
            )

    def update(self, params: Params, grads: Params) -> None:
        raise NotImplementedError

    def _checked_keys(self, params: Params, grads: Params) -> list[str]:
        """The keys of ``params``, once they are known to match ``grads`` in names and shapes."""
        if params.keys() != grads.keys():
            raise ValueError(
                f"{type(self).__name__}.update expects grads with the keys of params; "
                f"params has {sorted(params)}, grads has {sorted(grads)}"
            )
        for key, param in params.items():
            if np.shape(grads[key]) != np.shape(param):
                raise ValueError(
                    f"{type(self).__name__}.update: grads[{key!r}] has shape "
                    f"{np.shape(grads[key])}, but params[{key!r}] has shape {np.shape(param)}"
                )
        return list(params)


class SGD(Optimizer):
    """Stochastic gradient descent: W <- W - lr * dW."""

    book_lr = 0.95  # on the stretched bowl x**2/20 + y**2 (the book's)

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = positive_number("learning rate lr", lr)

    def update(self, params: Params, grads: Params) -> None:
        for key in self._checked_keys(params, grads):
            params[key] -= self.lr * grads[key]


class Momentum(Optimizer):
    """Momentum SGD: v <- momentum * v - lr * dW;  W <- W + v.

    v is a velocity: steps in a consistent direction add up, steps that flip sign cancel.
    """

    book_lr = 0.1  # on the stretched bowl x**2/20 + y**2 (the book's)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        self.lr = positive_number("learning rate lr", lr)
        self.momentum = fraction("momentum", momentum)
        self.v: Params = {}

    def update(self, params: Params, grads: Params) -> None:
        for key in self._checked_keys(params, grads):
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            v *= self.momentum
            v -= self.lr * grads[key]
            params[key] += v


class Nesterov(Optimizer):
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
        for key in self._checked_keys(params, grads):
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            params[key] += m * m * v - (1 + m) * self.lr * grads[key]
            v *= m
            v -= self.lr * grads[key]


class AdaGrad(Optimizer):
    """AdaGrad: h <- h + dW * dW;  W <- W - lr * dW / (sqrt(h) + 1e-7).

    Each parameter gets its own learning rate, shrinking as its squared gradients add up.
    """

    book_lr = 1.5  # on the stretched bowl x**2/20 + y**2 (the book's)

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = positive_number("learning rate lr", lr)
        self.h: Params = {}

    def update(self, params: Params, grads: Params) -> None:
        for key in self._checked_keys(params, grads):
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + EPS)


class RMSprop(Optimizer):
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
        for key in self._checked_keys(params, grads):
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h *= self.decay_rate
            h += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + EPS)


class Adam(Optimizer):
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
        keys = self._checked_keys(params, grads)
        self.iter += 1
        t = self.iter
        lr_t = self.lr * math.sqrt(1 - self.beta2**t) / (1 - self.beta1**t)
        for key in keys:
            m = self.m.setdefault(key, np.zeros_like(params[key]))
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            m += (1 - self.beta1) * (grads[key] - m)
            v += (1 - self.beta2) * (grads[key] ** 2 - v)
            params[key] -= lr_t * m / (np.sqrt(v) + EPS)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "SGD": SGD,
    "Momentum": Momentum,
    "Nesterov": Nesterov,
    "AdaGrad": AdaGrad,
    "RMSprop": RMSprop,
    "Adam": Adam,
}


def optimizer_class(name: str) -> type[Optimizer]:
    """The optimizer class called ``name`` in ``OPTIMIZERS`` (case-insensitive, e.g. "adam")."""
    for known, cls in OPTIMIZERS.items():
        if known.lower() == str(name).lower():
            return cls
    raise ValueError(f"unknown optimizer {name!r}; expected one of {list(OPTIMIZERS)}")


def make_optimizer(name: str, **kwargs) -> Optimizer:
    """The optimizer called ``name`` (case-insensitive, e.g. "adam"), built with ``kwargs``."""
    return optimizer_class(name)(**kwargs)
