"""Gradient descent on two-variable functions: the test functions, their paths, and the figures.

Chapter 5 draws the negative-gradient field of ``x0**2 + x1**2`` and the paths of gradient
descent for several learning rates; the gradient descent playground widget redraws
:func:`plot_descent` whenever a control moves.  The gradients here are analytic (exact and
instant), so a redraw costs a few milliseconds; chapter 5 shows the numerical ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .style import COLORS, new_figure

__all__ = [
    "DescentFunction",
    "DESCENT_FUNCTIONS",
    "DescentResult",
    "descent_path",
    "plot_descent",
    "plot_gradient_field",
]

Array = np.ndarray

#: A run is called diverged once a coordinate exceeds this size (or stops being finite).
DIVERGENCE_LIMIT = 1e6
#: A run is called converged once the gradient norm falls below this.
CONVERGENCE_TOL = 1e-3


@dataclass(frozen=True)
class DescentFunction:
    """A function of two variables with its exact gradient and a good window to look at it.

    ``f`` and ``grad`` take the coordinates ``(x, y)`` as two arrays of any (equal) shape;
    ``grad`` returns ``(df/dx, df/dy)``.
    """

    label: str
    f: Callable[[Array, Array], Array]
    grad: Callable[[Array, Array], tuple[Array, Array]]
    extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax
    start: tuple[float, float]
    lr: float
    steps: int
    note: str


DESCENT_FUNCTIONS: dict[str, DescentFunction] = {
    "bowl": DescentFunction(
        label="x0² + x1²",
        f=lambda x, y: x**2 + y**2,
        grad=lambda x, y: (2 * x, 2 * y),
        extent=(-4.5, 4.5, -4.5, 4.5),
        start=(-3.0, 4.0),
        lr=0.1,
        steps=20,
        note="one minimum at (0, 0); x ← (1 − 2·lr)·x, so lr > 0.5 overshoots and lr > 1 diverges",
    ),
    "saddle": DescentFunction(
        label="y² − x²",
        f=lambda x, y: y**2 - x**2,
        grad=lambda x, y: (-2 * x, 2 * y),
        extent=(-3.0, 3.0, -3.0, 3.0),
        start=(0.1, 2.5),
        lr=0.1,
        steps=20,
        note="(0, 0) is a saddle point: the gradient vanishes there, yet it is no minimum",
    ),
    "quartic": DescentFunction(
        label="y⁴ + 3x⁴ + 8x³ − 48x²",
        f=lambda x, y: y**4 + 3 * x**4 + 8 * x**3 - 48 * x**2,
        grad=lambda x, y: (12 * x**3 + 24 * x**2 - 96 * x, 4 * y**3),
        extent=(-6.0, 4.0, -2.5, 2.5),
        start=(0.5, 2.0),
        lr=0.005,
        steps=100,
        note="global minimum −512 at (−4, 0), local minimum −80 at (2, 0)",
    ),
    "ellipse": DescentFunction(
        label="x²/20 + y²",
        f=lambda x, y: x**2 / 20 + y**2,
        grad=lambda x, y: (x / 10, 2 * y),
        extent=(-10.0, 10.0, -5.0, 5.0),
        start=(-7.0, 2.0),
        lr=0.9,
        steps=40,
        note="stretched bowl: steep in y, nearly flat in x — plain SGD zig-zags",
    ),
}


@dataclass(frozen=True)
class DescentResult:
    """The positions visited (``path``, shape (k+1, 2), the start included) and how it ended."""

    path: Array
    status: str  # "converged", "diverged" or "running"

    @property
    def diverged(self) -> bool:
        return self.status == "diverged"

    @property
    def final(self) -> Array:
        return self.path[-1]


def _lookup(name: str) -> DescentFunction:
    if name not in DESCENT_FUNCTIONS:
        raise ValueError(
            f"unknown function {name!r}; expected one of {sorted(DESCENT_FUNCTIONS)}"
        )
    return DESCENT_FUNCTIONS[name]


def descent_path(
    name: str, lr: float, steps: int, start: Sequence[float] | None = None
) -> DescentResult:
    """Run plain gradient descent ``p ← p − lr·∇f(p)`` on ``DESCENT_FUNCTIONS[name]``.

    Stops early, with status ``"diverged"``, as soon as a coordinate leaves
    ``±DIVERGENCE_LIMIT`` (so nothing overflows into inf or NaN); the path then ends at the
    first position outside.  Otherwise the status is ``"converged"`` when the final gradient
    norm is below ``CONVERGENCE_TOL`` and ``"running"`` when it is not (yet).
    """
    fn = _lookup(name)
    if not np.isfinite(lr) or lr < 0:
        raise ValueError(f"learning rate must be a finite number >= 0; got {lr!r}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0; got {steps!r}")
    p = np.array(fn.start if start is None else start, dtype=np.float64)
    if p.shape != (2,) or not np.all(np.isfinite(p)):
        raise ValueError(f"start must be two finite numbers (x, y); got {start!r}")
    path = [p.copy()]
    status = "running"
    for _ in range(int(steps)):
        gx, gy = fn.grad(p[0], p[1])
        p = p - lr * np.array([gx, gy])
        path.append(p.copy())
        if np.max(np.abs(p)) > DIVERGENCE_LIMIT:
            status = "diverged"
            break
    if status != "diverged":
        gx, gy = fn.grad(p[0], p[1])
        if np.hypot(gx, gy) < CONVERGENCE_TOL:
            status = "converged"
    return DescentResult(np.array(path), status)


def _window(fn: DescentFunction, start: Array) -> tuple[float, float, float, float]:
    """The function's window, widened (with a margin) to contain the start point."""
    x0, x1, y0, y1 = fn.extent
    sx, sy = start
    mx, my = 0.1 * (x1 - x0), 0.1 * (y1 - y0)
    return (min(x0, sx - mx), max(x1, sx + mx), min(y0, sy - my), max(y1, sy + my))


def plot_descent(
    name: str = "bowl",
    lr: float | None = None,
    steps: int | None = None,
    start: Sequence[float] | None = None,
    ax=None,
):
    """Contour plot of ``DESCENT_FUNCTIONS[name]`` with the gradient-descent path drawn on it.

    ``lr``, ``steps`` and ``start`` default to the function's own settings.  The final point is
    marked; a run that blows up says "diverged" in the figure.  Returns the figure.
    """
    fn = _lookup(name)
    lr = fn.lr if lr is None else lr
    steps = fn.steps if steps is None else steps
    start = np.array(fn.start if start is None else start, dtype=np.float64)
    result = descent_path(name, lr, steps, start)
    if ax is None:
        fig, ax = new_figure(figsize=(6.4, 4.6))
    else:
        fig = ax.figure

    x0, x1, y0, y1 = _window(fn, start)
    gx, gy = np.meshgrid(np.linspace(x0, x1, 201), np.linspace(y0, y1, 201))
    z = fn.f(gx, gy)
    # Levels spaced by rank, so the flat valley and the steep walls both get lines.
    levels = np.unique(np.quantile(z, np.linspace(0.0, 1.0, 16) ** 1.5))
    cs = ax.contour(gx, gy, z, levels=levels, cmap="viridis", linewidths=0.8)
    ax.clabel(cs, cs.levels[::2], fontsize=7, fmt="%.3g", inline=True)

    path = result.path
    ax.plot(path[:, 0], path[:, 1], "-o", color=COLORS["vermillion"], ms=3.5, lw=1.2,
            label=f"path ({len(path) - 1} steps)")
    ax.plot(*path[0], "s", color=COLORS["black"], ms=7, label="start")
    ax.plot(*path[-1], "*", color=COLORS["orange"], mec=COLORS["black"], ms=14, label="final")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x (x0)")
    ax.set_ylabel("y (x1)")
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)
    ax.legend(loc="upper right", fontsize=8, frameon=True, framealpha=0.85)

    fx, fy = result.final
    ax.set_title(f"f = {fn.label},  lr = {lr:.3g}\n{fn.note}", fontsize=9)
    if result.diverged:
        msg = f"diverged after {len(path) - 1} steps\n(|x| or |y| > {DIVERGENCE_LIMIT:.0e})"
        ax.text(0.5, 0.5, msg, transform=ax.transAxes, ha="center", va="center", fontsize=16,
                color=COLORS["vermillion"], fontweight="bold",
                bbox=dict(boxstyle="round", fc="white", ec=COLORS["vermillion"], alpha=0.9))
    else:
        word = "converged" if result.status == "converged" else "not converged yet"
        outside = not (x0 <= fx <= x1 and y0 <= fy <= y1)
        where = " (outside the window)" if outside else ""
        ax.text(0.02, 0.02,
                f"{word}: final ({fx:.4g}, {fy:.4g}){where}, f = {fn.f(fx, fy):.4g}",
                transform=ax.transAxes, fontsize=8.5,
                bbox=dict(boxstyle="round", fc="white", ec="0.7", alpha=0.9))
    return fig


def plot_gradient_field(
    f_grad: Callable[[Array, Array], tuple[Array, Array]] | None = None,
    extent: tuple[float, float, float, float] = (-2.0, 2.5, -2.0, 2.5),
    n: int = 18,
    ax=None,
):
    """Arrows of the NEGATIVE gradient on an ``n`` × ``n`` grid (default: ``x0**2 + x1**2``).

    Each arrow points where the function falls fastest; its length is the gradient's size.
    Returns the figure.
    """
    f_grad = f_grad or DESCENT_FUNCTIONS["bowl"].grad
    if ax is None:
        fig, ax = new_figure(figsize=(5.2, 5.0))
    else:
        fig = ax.figure
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    dx, dy = f_grad(gx, gy)
    ax.quiver(gx, gy, -dx, -dy, np.hypot(dx, dy), cmap="viridis", angles="xy", width=0.004)
    ax.plot(0, 0, "+", color=COLORS["vermillion"], ms=12, mew=2)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_title("−∇f for f = x0² + x1²\nevery arrow points downhill, toward the minimum (0, 0)")
    return fig
