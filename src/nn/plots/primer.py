"""Figures of notebook 01 (the Python and NumPy primer, book ch. 1)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from ..i18n import _
from .style import COLORS, new_figure

__all__ = ["draw_broadcast"]

_OPS = {"*": np.multiply, "+": np.add, "-": np.subtract, "/": np.true_divide}


def _as_2d(x) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim > 2:
        raise ValueError(
            f"draw_broadcast draws arrays of at most 2 dimensions; got shape {x.shape}"
        )
    return x.reshape((1,) * (2 - x.ndim) + x.shape)


def _draw_grid(ax: plt.Axes, values: np.ndarray, left: float, original: tuple[int, int],
               color: str, rows: int, label: str) -> float:
    """Draw a (rows, cols) grid of cells whose top-left (original) block is solid and the
    stretched copies are dashed and pale. Returns the x after the grid."""
    cols = values.shape[1]
    top = rows  # row 0 drawn at the top
    for i in range(rows):
        for j in range(cols):
            copied = i >= original[0] or j >= original[1]
            ax.add_patch(Rectangle(
                (left + j, top - i - 1), 1, 1, facecolor=color, alpha=0.18 if copied else 0.55,
                edgecolor="black", lw=1.0, linestyle="--" if copied else "-",
            ))
            text = f"{values[i, j]:g}"
            ax.text(left + j + 0.5, top - i - 0.5, text, ha="center", va="center",
                    fontsize=13, color="#555555" if copied else "black")
    ax.text(left + cols / 2, -0.2, label, ha="center", va="top", fontsize=10)
    return left + cols


def draw_broadcast(a, b, op: str = "*", ax: plt.Axes | None = None):
    """Picture of NumPy broadcasting for ``a op b`` (arrays of at most 2 dimensions).

    Each operand is drawn at the result's shape: its own cells solid, the cells NumPy makes by
    stretching it (repeating a length-1 axis) dashed and pale; then the result. Raises the
    same ``ValueError`` as NumPy when the shapes do not broadcast. Returns the figure.
    """
    if op not in _OPS:
        raise ValueError(f"op must be one of {sorted(_OPS)}; got {op!r}")
    a_arr, b_arr = np.asarray(a), np.asarray(b)
    result = _OPS[op](a_arr, b_arr)  # NumPy's own error if the shapes are incompatible
    a2, b2, r2 = _as_2d(a_arr), _as_2d(b_arr), _as_2d(result)
    rows, cols = r2.shape
    if ax is None:
        width = 3 * cols + 2.6
        fig, ax = new_figure(figsize=(0.75 * width + 0.4, 0.75 * rows + 1.0))
    else:
        fig = ax.figure
    ax.axis("off")
    ax.set_aspect("equal")
    x = 0.0
    x = _draw_grid(ax, np.broadcast_to(a2, r2.shape), x, a2.shape, COLORS["blue"], rows,
                   _("a: shape {shape}", shape=a_arr.shape))
    ax.text(x + 0.65, rows / 2, op.replace("*", "×"), ha="center", va="center", fontsize=18)
    x = _draw_grid(ax, np.broadcast_to(b2, r2.shape), x + 1.3, b2.shape, COLORS["orange"], rows,
                   _("b: shape {shape}", shape=b_arr.shape))
    ax.text(x + 0.65, rows / 2, "=", ha="center", va="center", fontsize=18)
    _draw_grid(ax, r2, x + 1.3, r2.shape, COLORS["green"], rows,
               _("a {op} b: shape {shape}", op=op, shape=result.shape))
    ax.set_title(_("Broadcasting: pale dashed cells are stretched copies, not stored in memory"),
                 fontsize=10)
    ax.set_xlim(-0.2, x + 1.3 + cols + 0.2)
    ax.set_ylim(-0.8, rows + 0.1)
    return fig
