"""Figures of the optimizer race and the loss curves of notebook 07 (book ch. 6).

Notebook 07 races the library's optimizers (``nn.SGD``, ``nn.Momentum``, ...) on the stretched
bowl ``f(x, y) = x**2 / 20 + y**2`` of :mod:`nn.surfaces`, starting from ``(-7, 2)``: steep
along ``y``, nearly flat along ``x``, minimum at the origin.  The paths come from
:func:`nn.optimizer_path`; this module only draws them, and the MNIST comparison as smoothed
loss curves (:func:`plot_loss_curves`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..i18n import _, translate_text
from ..metrics import smooth_curve
from ..optimizers import OPTIMIZERS
from ..surfaces import SURFACES, OptimizationPath
from .style import COLORS, CYCLE, new_figure

__all__ = [
    "OPTIMIZER_COLORS",
    "plot_optimizer_paths",
    "plot_optimizer_race",
    "plot_loss_curves",
]

_PALETTE = [COLORS[k] for k in ("vermillion", "blue", "sky", "green", "purple", "orange")]

#: One fixed colour per optimizer of the registry, in registry order, so every figure of the
#: chapter agrees (a new optimizer takes the next colour of the cycle).
OPTIMIZER_COLORS: dict[str, str] = {
    name: (_PALETTE + CYCLE)[i % len(_PALETTE + CYCLE)] for i, name in enumerate(OPTIMIZERS)
}

_RACE = SURFACES["stretched_bowl"]
_EXTENT = _RACE.extent  # xmin, xmax, ymin, ymax of the race figures


def _color(run: OptimizationPath) -> str:
    return OPTIMIZER_COLORS.get(run.optimizer, COLORS["black"])


def _draw_contour(ax, extent=_EXTENT) -> None:
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, 121), np.linspace(y0, y1, 81))
    z = _RACE.f(gx, gy)
    levels = [0.05, 0.2, 0.5, 1, 2, 4, 7, 11, 16, 22, 29]
    ax.contour(gx, gy, z, levels=levels, colors="0.65", linewidths=0.7)
    ax.plot(0, 0, "+", color=COLORS["black"], ms=10, mew=2)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)


def _diverged_box(ax, text: str, fontsize: float = 13) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=fontsize, color=COLORS["vermillion"], fontweight="bold",
            bbox=dict(boxstyle="round", fc="white", ec=COLORS["vermillion"], alpha=0.9))


def plot_optimizer_paths(runs: Sequence[OptimizationPath], ncols: int = 3):
    """One panel per run of :func:`nn.optimizer_path`: its path on the contours of the stretched
    bowl ``x**2/20 + y**2``.

    Each panel's title gives the optimizer, its learning rate and the final distance to the
    minimum; a run that blew up says "diverged".  Returns the figure.
    """
    if not runs:
        raise ValueError("plot_optimizer_paths needs at least one run")
    n = len(runs)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    # A fixed layout: constrained layout would double the drawing time.
    fig, axes = new_figure(nrows, ncols, figsize=(4.1 * ncols, 2.45 * nrows + 0.4),
                           squeeze=False, layout=None)
    fig.subplots_adjust(left=0.06 if ncols > 1 else 0.15, right=0.98, bottom=0.5 / (nrows + 1),
                        top=1 - 0.6 / (2.45 * nrows + 0.4), wspace=0.22, hspace=0.55)
    for ax, run in zip(axes.ravel(), runs, strict=False):  # the grid may have spare panels
        _draw_contour(ax)
        ax.plot(run.path[:, 0], run.path[:, 1], "-o", color=_color(run), ms=2.8, lw=1.1)
        ax.plot(*run.path[0], "s", color=COLORS["black"], ms=5)
        if run.diverged:
            ax.set_title(f"{run.optimizer}  (lr = {run.lr:.3g})", fontsize=10)
            _diverged_box(ax, _("diverged after {steps} steps", steps=run.steps))
        else:
            ax.set_title(f"{run.optimizer}  (lr = {run.lr:.3g})\n"
                         + _("distance to minimum after {steps} steps: {distance:.3g}",
                             steps=run.steps, distance=run.distance),
                         fontsize=9.5)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    return fig


def plot_optimizer_race(runs: Sequence[OptimizationPath], ax=None):
    """Several runs of :func:`nn.optimizer_path` (usually one learning rate, one start) on ONE
    contour plot of the stretched bowl.

    The legend lists each optimizer's final distance to the minimum, or "diverged"; the names
    of diverged runs are also written in the middle of the plot.  Returns the figure.
    """
    if ax is None:
        fig, ax = new_figure(figsize=(8.4, 3.9))
    else:
        fig = ax.figure
    _draw_contour(ax)
    if runs:
        ax.plot(*runs[0].path[0], "s", color=COLORS["black"], ms=7, label=_("start"), zorder=5)
    diverged = []
    for run in runs:
        if run.diverged:
            diverged.append(run.optimizer)
            label = _("{name}: diverged", name=run.optimizer)
        else:
            label = _("{name}: distance {distance:.3g}", name=run.optimizer,
                      distance=run.distance)
        ax.plot(run.path[:, 0], run.path[:, 1], "-o", color=_color(run), ms=2.5,
                lw=1.2, label=label, alpha=0.9)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if runs:
        rates = sorted({run.lr for run in runs})
        lr_text = (_("lr = {lr:.3g} for every optimizer", lr=rates[0]) if len(rates) == 1
                   else _("lr varies"))
        steps = max(len(run.path) for run in runs) - 1
        ax.set_title(_("f = x²/20 + y²,  {lr_text},  up to {steps} steps", lr_text=lr_text,
                       steps=steps))
    else:
        ax.set_title("f = x²/20 + y²")
        ax.text(0.5, 0.9, _("tick at least one optimizer"), transform=ax.transAxes,
                ha="center")
    if diverged:
        _diverged_box(ax, _("diverged: {names}", names=", ".join(diverged)), fontsize=12)
    if runs:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8.5)
    return fig


def plot_loss_curves(
    curves: Mapping[str, Sequence[float]],
    window: int = 25,
    title: str | None = None,
    ylim: tuple[float, float] | None = None,
    colors: Mapping[str, str] | None = None,
    ax=None,
):
    """Mini-batch loss per iteration, raw (faint) and smoothed (bold), one line per entry.

    ``colors`` maps names to colours; optimizers get their chapter colour by default.
    ``title`` defaults to "training loss" (in the current language). Returns the figure.
    """
    if not curves:
        raise ValueError("plot_loss_curves needs at least one curve")
    if ax is None:
        fig, ax = new_figure(figsize=(7.0, 4.0))
    else:
        fig = ax.figure
    for i, (name, values) in enumerate(curves.items()):
        y = np.asarray(values, dtype=np.float64)
        color = (colors or {}).get(name) or OPTIMIZER_COLORS.get(name) or CYCLE[i % len(CYCLE)]
        finite = np.isfinite(y)
        if not finite.all():  # plot the part before the run blew up, and say so
            y = y[: int(np.argmin(finite))]
            name = _("{name} (diverged)", name=translate_text(name))
        it = np.arange(y.size)
        ax.plot(it, y, color=color, alpha=0.18, lw=0.8)
        if y.size:
            ax.plot(it, smooth_curve(y, window), color=color, lw=2.0, label=name)
    ax.set_xlabel(_("iteration"))
    ax.set_ylabel(_("mini-batch loss"))
    ax.set_title(_("training loss") if title is None else title)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if len(curves) > 1:
        ax.legend()
    return fig
