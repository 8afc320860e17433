"""Figures of notebook 09 (book ch. 8): augmented digits, receptive fields, a residual block.

The transforms drawn here live in :mod:`nn.images` and the receptive-field size in
:func:`nn.receptive_field` (:mod:`nn.demos.conv`); this module only draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from ..i18n import _
from .style import COLORS, new_figure

__all__ = [
    "augmentation_figure",
    "receptive_field_figure",
    "resnet_block_figure",
]


def augmentation_figure(
    images: np.ndarray,
    transforms: Sequence[tuple[str, Callable[[np.ndarray], np.ndarray]]],
    size: float = 1.0,
):
    """A grid: one column per transform (the first column is the original), one row per image."""
    images = np.asarray(images)
    if images.ndim == 2 and images.shape[1] == 784:
        images = images.reshape(-1, 28, 28)
    elif images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(
            f"expected images shaped (N, 784), (N, 28, 28) or (N, 1, 28, 28), got {images.shape}"
        )
    columns = [(_("original"), lambda im: im), *transforms]
    n, m = len(images), len(columns)
    fig, axes = new_figure(n, m, figsize=(size * m, size * n * 1.1 + 0.3), squeeze=False)
    for j, (name, transform) in enumerate(columns):
        for i, img in enumerate(images):
            ax = axes[i, j]
            ax.imshow(transform(img), cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            if i == 0:
                ax.set_title(name, fontsize=8)
    return fig


# --------------------------------------------------------------------------- receptive fields


def _grid(ax, x0: float, y0: float, n: int, cell: float, fill: dict | None = None):
    """An n x n grid of cells; ``fill`` maps (row, col) to a face colour (default white)."""
    fill = fill or {}
    for i in range(n):
        for j in range(n):
            face = fill.get((i, j), "white")
            ax.add_patch(
                Rectangle((x0 + j * cell, y0 + (n - 1 - i) * cell), cell, cell,
                          facecolor=face, edgecolor="0.35", lw=0.8)
            )


def receptive_field_figure():
    """Two stacked 3x3 convolutions see a 5x5 patch of the input, as one 5x5 convolution does."""
    fig, ax = new_figure(figsize=(7.5, 3.2))
    cell = 1.0
    # input 5x5 at x=0; first-layer map 3x3; second-layer output 1x1
    sky, blue = COLORS["sky"], COLORS["blue"]
    _grid(ax, 0, 0, 5, cell, {(i, j): blue if i < 3 and j < 3 else sky
                              for i in range(5) for j in range(5)})
    _grid(ax, 8, 1, 3, cell, {(i, j): blue if i == j == 0 else sky
                              for i in range(3) for j in range(3)})
    _grid(ax, 14, 2, 1, cell, {(0, 0): COLORS["orange"]})
    # the output unit sees all of layer 1; layer 1's top-left unit sees the top-left 3x3
    for (xa, ya), (xb, yb) in [((14, 2), (11, 1)), ((14, 3), (11, 4))]:
        ax.plot([xa, xb], [ya, yb], color=COLORS["orange"], lw=1)
    for (xa, ya), (xb, yb) in [((8, 4), (3, 5)), ((8, 3), (3, 2))]:
        ax.plot([xa, xb], [ya, yb], color=COLORS["blue"], lw=1)
    ax.text(2.5, -0.7, _("input: a 5×5 patch"), ha="center", fontsize=9)
    ax.text(9.5, -0.7, _("after conv 3×3 #1"), ha="center", fontsize=9)
    ax.text(14.5, -0.7, _("after conv 3×3 #2"), ha="center", fontsize=9)
    ax.set_xlim(-0.5, 16)
    ax.set_ylim(-1.2, 5.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(16, 4.6, _("dark: what the first-layer unit sees\n"
                       "light + dark: what the output unit sees"), ha="right", fontsize=8)
    ax.set_title(_("Two 3×3 layers: one output value depends on a 5×5 input patch"))
    return fig


# --------------------------------------------------------------------------- the residual block


def _box(ax, x: float, y: float, text: str, color: str, w: float = 2.6, h: float = 0.6):
    ax.add_patch(
        FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05",
                       facecolor=color, edgecolor="0.2", lw=1)
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, a: tuple[float, float], b: tuple[float, float], **kw):
    kw.setdefault("color", "0.2")
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=12, **kw))


def resnet_block_figure():
    """A residual block: two weight layers compute F(x); the shortcut adds x back: F(x) + x."""
    fig, ax = new_figure(figsize=(4.6, 5.2))
    x = 0.0
    ys = {"in": 6.0, "w1": 5.0, "relu1": 4.0, "w2": 3.0, "add": 2.0, "relu2": 1.0, "out": 0.1}
    ax.text(x, ys["in"] + 0.1, "x", ha="center", va="center", fontsize=12)
    _box(ax, x, ys["w1"], _("weight layer (conv 3×3)"), COLORS["sky"])
    _box(ax, x, ys["relu1"], "ReLU", "0.92")
    _box(ax, x, ys["w2"], _("weight layer (conv 3×3)"), COLORS["sky"])
    ax.add_patch(plt.Circle((x, ys["add"]), 0.25, facecolor="white", edgecolor="0.2"))
    ax.text(x, ys["add"], "+", ha="center", va="center", fontsize=13)
    _box(ax, x, ys["relu2"], "ReLU", "0.92")
    ax.text(x, ys["out"] - 0.1, "F(x) + x", ha="center", va="center", fontsize=11)
    _arrow(ax, (x, ys["in"] - 0.15), (x, ys["w1"] + 0.35))
    _arrow(ax, (x, ys["w1"] - 0.35), (x, ys["relu1"] + 0.35))
    _arrow(ax, (x, ys["relu1"] - 0.35), (x, ys["w2"] + 0.35))
    _arrow(ax, (x, ys["w2"] - 0.35), (x, ys["add"] + 0.27))
    _arrow(ax, (x, ys["add"] - 0.27), (x, ys["relu2"] + 0.35))
    _arrow(ax, (x, ys["relu2"] - 0.35), (x, ys["out"] + 0.2))
    ax.text(x - 0.25, (ys["w2"] + ys["add"]) / 2, "F(x)", ha="right", va="center", fontsize=10)
    # the shortcut: from x around the right of the weight layers into the sum
    _arrow(ax, (x + 0.2, ys["in"]), (x + 0.27, ys["add"]),
           connectionstyle="bar,fraction=-0.25", color=COLORS["vermillion"], lw=1.5)
    ax.text(x + 1.45, (ys["in"] + ys["add"]) / 2, _("shortcut:\nidentity x"),
            ha="left", va="center", fontsize=9, color=COLORS["vermillion"])
    ax.set_xlim(-1.9, 3.0)
    ax.set_ylim(-0.4, 6.5)
    ax.axis("off")
    ax.set_title(_("A residual block: the layers learn F(x), the shortcut adds x"))
    return fig
