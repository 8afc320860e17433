"""Figures of gradient descent on two-variable functions (notebook 05).

Notebook 05 draws the negative-gradient field of ``x0**2 + x1**2`` and the paths of gradient
descent for several learning rates; the gradient descent playground widget redraws
:func:`plot_descent` whenever a control moves.  The functions and the path come from
:mod:`nn.surfaces` (``SURFACES``, ``descent_path``); this module only draws.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np

from ..i18n import _
from ..surfaces import DIVERGENCE_LIMIT, SURFACES, OptimizationPath, Surface, get_surface
from .style import COLORS, new_figure

__all__ = ["plot_descent", "plot_gradient_field"]

Array = np.ndarray


def _window(fn: Surface, start: Array) -> tuple[float, float, float, float]:
    """The function's window, widened (with a margin) to contain the start point."""
    x0, x1, y0, y1 = fn.extent
    sx, sy = start
    mx, my = 0.1 * (x1 - x0), 0.1 * (y1 - y0)
    return (min(x0, sx - mx), max(x1, sx + mx), min(y0, sy - my), max(y1, sy + my))


def plot_descent(run: OptimizationPath, ax=None):
    """Contour plot of the surface ``run`` went over (``nn.SURFACES[run.surface]``) with its
    path drawn on it, e.g. ``plot_descent(nn.descent_path("bowl", 0.1, 20))``.

    The start and final point are marked; a run that blew up says "diverged" in the figure.
    Returns the figure.
    """
    if run.surface is None:
        raise ValueError("plot_descent draws a run on one of nn.SURFACES; this run has none")
    fn = get_surface(run.surface)
    start = run.path[0]
    if np.max(np.abs(start)) > DIVERGENCE_LIMIT:  # before any figure exists
        raise ValueError(
            f"plot_descent draws runs that start within ±{DIVERGENCE_LIMIT:g}; this run starts "
            f"at {tuple(start.tolist())}"
        )
    own_figure = ax is None
    if own_figure:
        fig, ax = new_figure(figsize=(6.4, 4.6))
    else:
        fig = ax.figure
    try:
        _draw_descent(ax, fn, start, run)
    except BaseException:
        if own_figure:  # never leave a half-drawn figure open
            plt.close(fig)
        raise
    return fig


def _draw_descent(ax, fn: Surface, start: Array, run: OptimizationPath) -> None:
    x0, x1, y0, y1 = _window(fn, start)
    gx, gy = np.meshgrid(np.linspace(x0, x1, 201), np.linspace(y0, y1, 201))
    z = fn.f(gx, gy)
    # Levels spaced by rank, so the flat valley and the steep walls both get lines.
    levels = np.unique(np.quantile(z, np.linspace(0.0, 1.0, 16) ** 1.5))
    cs = ax.contour(gx, gy, z, levels=levels, cmap="viridis", linewidths=0.8)
    ax.clabel(cs, cs.levels[::2], fontsize=7, fmt="%.3g", inline=True)

    path = run.path
    ax.plot(path[:, 0], path[:, 1], "-o", color=COLORS["vermillion"], ms=3.5, lw=1.2,
            label=_("path ({steps} steps)", steps=len(path) - 1))
    ax.plot(*path[0], "s", color=COLORS["black"], ms=7, label=_("start"))
    ax.plot(*path[-1], "*", color=COLORS["orange"], mec=COLORS["black"], ms=14, label=_("final"))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x (x0)")
    ax.set_ylabel("y (x1)")
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)
    ax.legend(loc="upper right", fontsize=8, frameon=True, framealpha=0.85)

    fx, fy = run.final
    ax.set_title(f"f = {fn.label},  lr = {run.lr:.3g}\n{_(fn.note)}", fontsize=9)
    if run.diverged:
        msg = _("diverged after {steps} steps", steps=len(path) - 1) + "\n" + _(
            "(|x| or |y| > {limit:.0e})", limit=DIVERGENCE_LIMIT)
        ax.text(0.5, 0.5, msg, transform=ax.transAxes, ha="center", va="center", fontsize=16,
                color=COLORS["vermillion"], fontweight="bold",
                bbox=dict(boxstyle="round", fc="white", ec=COLORS["vermillion"], alpha=0.9))
    else:
        word = _("converged") if run.status == "converged" else _("not converged yet")
        outside = not (x0 <= fx <= x1 and y0 <= fy <= y1)
        where = _(" (outside the window)") if outside else ""
        ax.text(0.02, 0.02,
                _("{word}: final ({fx:.4g}, {fy:.4g}){where}, f = {f:.4g}", word=word, fx=fx,
                  fy=fy, where=where, f=fn.f(fx, fy)),
                transform=ax.transAxes, fontsize=8.5,
                bbox=dict(boxstyle="round", fc="white", ec="0.7", alpha=0.9))


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
    f_grad = f_grad or SURFACES["bowl"].grad
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
    ax.set_title(_("−∇f for f = x0² + x1²") + "\n"
                 + _("every arrow points downhill, toward the minimum (0, 0)"))
    return fig
