"""Functions of two variables to minimise, and the path an optimizer takes on them.

Book ch. 4 (notebook 05) runs gradient descent on ``x0**2 + x1**2``; book ch. 6
(notebook 07) races the optimizers of :mod:`nn.optimizers` on the stretched bowl
``x**2 / 20 + y**2``.  Both are one loop, :func:`optimization_path`: feed the gradient at the
current point to an optimizer's ``update(params, grads)``, exactly as a network's training loop
does, and record every position.  The gradients of the surfaces here are exact (analytic), so
a path costs a millisecond and a widget can redraw at once.

One rule says when a run has diverged: a coordinate left ``±DIVERGENCE_LIMIT`` or stopped being
finite.  The run stops there, and its path ends at that first position outside, clipped to
``±10 * DIVERGENCE_LIMIT`` so that the path stays finite and drawable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ._checks import check_shape, finite_array, non_negative_int
from .i18n import N_
from .optimizers import OPTIMIZERS, SGD, optimizer_class

__all__ = [
    "DIVERGENCE_LIMIT",
    "CONVERGENCE_TOL",
    "Surface",
    "SURFACES",
    "get_surface",
    "OptimizationPath",
    "optimization_path",
    "descent_path",
    "optimizer_path",
    "BOOK_LEARNING_RATES",
]

Array = np.ndarray

#: A run has diverged once a coordinate exceeds this size (or stops being finite).
DIVERGENCE_LIMIT = 1e6
#: A run has converged once the gradient norm at its last position is below this.
CONVERGENCE_TOL = 1e-3


@dataclass(frozen=True)
class Surface:
    """A function of two variables with its exact gradient and a good window to look at it.

    ``f`` and ``grad`` take the coordinates ``(x, y)`` as two arrays of any (equal) shape;
    ``grad`` returns ``(df/dx, df/dy)``.  ``start``, ``lr`` and ``steps`` are the settings
    the chapter shows first.
    """

    label: str
    f: Callable[[Array, Array], Array]
    grad: Callable[[Array, Array], tuple[Array, Array]]
    extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax
    start: tuple[float, float]
    lr: float
    steps: int
    note: str

    def gradient(self, point: Array) -> Array:
        """The gradient (2,) at one point (2,): ``grad`` for an optimizer."""
        return np.array(self.grad(point[0], point[1]), dtype=np.float64)


SURFACES: dict[str, Surface] = {
    "bowl": Surface(
        label="x0² + x1²",
        f=lambda x, y: x**2 + y**2,
        grad=lambda x, y: (2 * x, 2 * y),
        extent=(-4.5, 4.5, -4.5, 4.5),
        start=(-3.0, 4.0),
        lr=0.1,
        steps=20,
        note=N_(
            "one minimum at (0, 0); x ← (1 − 2·lr)·x, so lr > 0.5 overshoots and lr > 1 diverges"
        ),
    ),
    "saddle": Surface(
        label="y² − x²",
        f=lambda x, y: y**2 - x**2,
        grad=lambda x, y: (-2 * x, 2 * y),
        extent=(-3.0, 3.0, -3.0, 3.0),
        start=(0.1, 2.5),
        lr=0.1,
        steps=20,
        note=N_("(0, 0) is a saddle point: the gradient vanishes there, yet it is no minimum"),
    ),
    "quartic": Surface(
        label="y⁴ + 3x⁴ + 8x³ − 48x²",
        f=lambda x, y: y**4 + 3 * x**4 + 8 * x**3 - 48 * x**2,
        grad=lambda x, y: (12 * x**3 + 24 * x**2 - 96 * x, 4 * y**3),
        extent=(-6.0, 4.0, -2.5, 2.5),
        start=(0.5, 2.0),
        lr=0.005,
        steps=100,
        note=N_("global minimum −512 at (−4, 0), local minimum −80 at (2, 0)"),
    ),
    "stretched_bowl": Surface(
        label="x²/20 + y²",
        f=lambda x, y: x**2 / 20.0 + y**2,
        grad=lambda x, y: (x / 10.0, 2.0 * y),
        extent=(-10.0, 10.0, -5.0, 5.0),
        start=(-7.0, 2.0),  # the book's starting point for the optimizer race
        lr=0.9,
        steps=40,
        note=N_("stretched bowl: steep in y, nearly flat in x — plain SGD zig-zags"),
    ),
}

#: The learning rate that suits each optimizer on the stretched bowl, from the registry
#: (each optimizer class carries its own ``book_lr``), so a new optimizer is one edit.
BOOK_LEARNING_RATES: dict[str, float] = {name: cls.book_lr for name, cls in OPTIMIZERS.items()}


@dataclass(frozen=True)
class OptimizationPath:
    """The positions visited (``path``, shape (k+1, D), the start included) and how it ended:
    ``status`` is "converged", "diverged" or "running" (neither, yet).  It also says what ran:
    the ``optimizer``'s name and learning rate ``lr``, and the ``surface`` (a key of
    ``SURFACES``, or None for any other function), so a figure can draw it from this alone."""

    path: Array
    status: str
    optimizer: str = ""
    lr: float | None = None
    surface: str | None = None

    @property
    def steps(self) -> int:
        """Number of steps taken (fewer than asked when the run diverged)."""
        return len(self.path) - 1

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"

    @property
    def final(self) -> Array:
        return self.path[-1]

    @property
    def distance(self) -> float:
        """Distance of the final position from the origin (the minimum of bowl and race)."""
        return float(np.linalg.norm(self.path[-1]))


def optimization_path(
    gradient: Callable[[Array], Array],
    start: Sequence[float] | Array,
    optimizer,
    steps: int,
    tol: float = CONVERGENCE_TOL,
) -> OptimizationPath:
    """Run ``optimizer`` for ``steps`` updates from ``start``, feeding it ``gradient(p)``.

    ``gradient`` maps a position (D,) to the gradient (D,); ``optimizer`` is anything with
    ``update(params, grads)``.  The caller's ``start`` is never changed.  A run that diverges
    stops at once (see the module's rule), without overflow warnings; one that has not, has
    "converged" when the gradient norm at its end is below ``tol`` (``tol=0``: never asked).
    """
    steps = non_negative_int("steps", steps)
    position = finite_array("start", start).astype(np.float64).ravel()
    params = {"p": position}
    path = [position.copy()]
    status = "running"
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(steps):
            optimizer.update(params, {"p": np.asarray(gradient(params["p"]), dtype=np.float64)})
            position = params["p"]
            if not np.all(np.isfinite(position)) or np.max(np.abs(position)) > DIVERGENCE_LIMIT:
                outside = np.nan_to_num(position, nan=DIVERGENCE_LIMIT)
                path.append(np.clip(outside, -10 * DIVERGENCE_LIMIT, 10 * DIVERGENCE_LIMIT))
                status = "diverged"
                break
            path.append(position.copy())
        if status != "diverged" and tol > 0 and np.linalg.norm(gradient(path[-1])) < tol:
            status = "converged"
    lr = getattr(optimizer, "lr", None)
    return OptimizationPath(np.array(path), status, type(optimizer).__name__, lr)


def get_surface(name: str) -> Surface:
    """``SURFACES[name]``, or a ValueError that lists the known names."""
    if name not in SURFACES:
        raise ValueError(f"unknown function {name!r}; expected one of {sorted(SURFACES)}")
    return SURFACES[name]


def _start(surface: Surface, start: Sequence[float] | None) -> Array:
    """The start point: two finite numbers inside ±DIVERGENCE_LIMIT (outside it a run counts
    as diverged before its first step, and f itself may overflow)."""
    point = finite_array("start", surface.start if start is None else start)
    check_shape("start (x, y)", point, (2,))
    if np.max(np.abs(point)) > DIVERGENCE_LIMIT:
        raise ValueError(
            f"start must lie within ±{DIVERGENCE_LIMIT:g} in both coordinates (beyond, a run "
            f"counts as diverged before it starts); got {tuple(point.tolist())}"
        )
    return point.astype(np.float64)


def descent_path(
    name: str, lr: float, steps: int, start: Sequence[float] | None = None
) -> OptimizationPath:
    """Plain gradient descent ``p ← p − lr·∇f(p)`` (``nn.SGD``) on ``SURFACES[name]``, from
    ``start`` (default: the surface's own)."""
    surface = get_surface(name)
    run = optimization_path(surface.gradient, _start(surface, start), SGD(lr), steps)
    return replace(run, surface=name)


def optimizer_path(
    name: str,
    lr: float | None = None,
    steps: int = 30,
    start: Sequence[float] | None = None,
    surface: str = "stretched_bowl",
) -> OptimizationPath:
    """The library optimizer ``name`` (``nn.make_optimizer(name, lr=lr)``, its other settings
    at their defaults) on ``SURFACES[surface]``, from ``start`` (default: the surface's own).

    ``lr`` defaults to ``BOOK_LEARNING_RATES[name]``.
    """
    cls = optimizer_class(name)
    chosen = get_surface(surface)
    optimizer = cls(lr=cls.book_lr if lr is None else lr)
    run = optimization_path(chosen.gradient, _start(chosen, start), optimizer, steps)
    return replace(run, surface=surface)
