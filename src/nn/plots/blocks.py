"""The book's block diagrams of chapter 8 (notebook 08): convolution as boxes, the batched data
flow (N, C, H, W) through convolution and pooling, and im2col turning a 3-D input into a matrix.

Shapes only, no data: each function draws and returns a figure.
"""

from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

from ..i18n import _
from .style import COLORS, new_figure

__all__ = ["conv_blocks_figure", "batch_flow_figure", "im2col_figure"]

_DEPTH = (0.45, 0.3)  # how far a box's back face is drawn to the right and up


def _box(ax, x: float, y: float, w: float, h: float, depth: float, color: str,
         label: str = "", below: str = "") -> None:
    """A box seen slightly from above and the right: front face at (x, y), w x h, and a depth
    (in units of _DEPTH) for the channels."""
    dx, dy = _DEPTH[0] * depth, _DEPTH[1] * depth
    faces = [
        [(x, y), (x + w, y), (x + w, y + h), (x, y + h)],                        # front
        [(x, y + h), (x + w, y + h), (x + w + dx, y + h + dy), (x + dx, y + h + dy)],  # top
        [(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy), (x + w, y + h)],  # side
    ]
    for face, alpha in zip(faces, (0.55, 0.8, 0.35), strict=True):
        ax.add_patch(Polygon(face, closed=True, facecolor=color, alpha=alpha,
                             edgecolor="black", linewidth=0.8))
    if label:
        ax.text(x + w / 2, y + h / 2, label, ha="center", va="center", fontsize=9)
    if below:
        ax.text(x + (w + dx) / 2, y - 0.25, below, ha="center", va="top", fontsize=9)


def _sign(ax, x: float, y: float, text: str) -> None:
    ax.text(x, y, text, ha="center", va="center", fontsize=15)


def _arrow(ax, x0: float, x1: float, y: float, text: str = "") -> None:
    ax.add_patch(FancyArrowPatch((x0, y), (x1, y), arrowstyle="-|>", mutation_scale=14,
                                 color="black", linewidth=1.2))
    if text:
        ax.text((x0 + x1) / 2, y + 0.2, text, ha="center", va="bottom", fontsize=9)


def _canvas(width: float, height: float, xlim: float, ylim: tuple[float, float], title: str):
    fig, ax = new_figure(figsize=(width, height))
    ax.set_xlim(0, xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11)
    return fig


def conv_blocks_figure():
    """One convolution layer in blocks: input (C, H, W) convolved with FN filters
    (FN, C, FH, FW) gives FN maps (FN, OH, OW); the bias (FN, 1, 1) is added to each map."""
    fig = _canvas(11.5, 3.2, 19.0, (-1.4, 3.4),
                  _("a convolution layer in blocks: FN filters make FN output maps"))
    ax = fig.axes[0]
    _box(ax, 0.2, 0.2, 2.2, 2.2, 3, COLORS["sky"], "", _("input") + "\n(C, H, W)")
    _sign(ax, 3.9, 1.3, "⊛")
    for k in range(3):  # a stack of filters, drawn apart
        _box(ax, 4.7 + 0.5 * k, 0.7 + 0.45 * k, 1.0, 1.0, 3, COLORS["orange"])
    ax.text(5.7, 0.45, _("FN filters") + "\n(FN, C, FH, FW)", ha="center", va="top", fontsize=9)
    _arrow(ax, 8.0, 9.1, 1.3)
    _box(ax, 9.3, 0.45, 1.7, 1.7, 4, COLORS["green"], "", _("FN maps") + "\n(FN, OH, OW)")
    _sign(ax, 12.6, 1.3, "+")
    _box(ax, 13.1, 1.1, 0.35, 0.35, 4, COLORS["purple"], "", _("bias") + "\n(FN, 1, 1)")
    _arrow(ax, 14.4, 15.2, 1.3)
    _box(ax, 15.3, 0.45, 1.7, 1.7, 4, COLORS["green"])
    ax.text(16.2, 0.2, "(FN, OH, OW)", ha="center", va="top", fontsize=9)
    return fig


def batch_flow_figure():
    """A mini-batch through a convolution and a pooling layer: every array carries N first."""
    fig = _canvas(11, 3.0, 17.5, (-1.2, 3.2),
                  _("a mini-batch of N samples flows through as 4-D arrays"))
    ax = fig.axes[0]
    for start, (w, depth, color, label) in enumerate((
            (2.0, 2, COLORS["sky"], "(N, C, H, W)"),
            (1.8, 4, COLORS["green"], "(N, FN, OH, OW)"),
            (0.9, 4, COLORS["green"], "(N, FN, OH/2, OW/2)"))):
        x0 = [0.3, 6.5, 13.0][start]
        for n in range(3):  # N samples, stacked
            _box(ax, x0 + 0.3 * n, 0.2 + 0.3 * n, w, w, depth, color)
        ax.text(x0 + w / 2 + 0.6, -0.1, label, ha="center", va="top", fontsize=9)
    _arrow(ax, 3.9, 6.2, 1.4, _("convolution\n+ bias"))
    _arrow(ax, 10.5, 12.7, 1.4, _("2×2 pooling"))
    return fig


def im2col_figure():
    """im2col: every window of a (C, H, W) input becomes one row of a 2-D matrix; one matrix
    product with the filters as columns gives every output value; a reshape makes maps again."""
    fig = _canvas(12, 3.6, 20.5, (-1.5, 3.8),
                  _("im2col: a 3-D convolution becomes one matrix product"))
    ax = fig.axes[0]
    _box(ax, 0.2, 0.3, 2.4, 2.4, 3, COLORS["sky"], "", _("input") + " (C, H, W)")
    _box(ax, 0.2, 1.7, 1.0, 1.0, 3, COLORS["orange"])  # one window
    _arrow(ax, 4.0, 5.4, 1.5, "im2col")
    ax.add_patch(Rectangle((5.6, 0.1), 2.6, 2.8, facecolor=COLORS["sky"], alpha=0.5,
                           edgecolor="black"))
    ax.add_patch(Rectangle((5.6, 2.55), 2.6, 0.35, facecolor=COLORS["orange"], alpha=0.8,
                           edgecolor="black"))
    ax.text(6.9, -0.15, _("col: one row per window") + "\n(OH·OW, C·FH·FW)", ha="center", va="top",
            fontsize=9)
    _sign(ax, 8.8, 1.5, "@")
    ax.add_patch(Rectangle((9.4, 0.6), 1.3, 1.9, facecolor=COLORS["orange"], alpha=0.5,
                           edgecolor="black"))
    ax.text(10.05, 0.35, _("filters as columns") + "\n(C·FH·FW, FN)", ha="center", va="top",
            fontsize=9)
    _sign(ax, 11.3, 1.5, "=")
    ax.add_patch(Rectangle((11.9, 0.1), 1.3, 2.8, facecolor=COLORS["green"], alpha=0.5,
                           edgecolor="black"))
    ax.text(12.55, -0.15, "(OH·OW, FN)", ha="center", va="top", fontsize=9)
    _arrow(ax, 13.6, 15.4, 1.5, _("reshape,\ntranspose"))
    _box(ax, 15.8, 0.5, 1.8, 1.8, 4, COLORS["green"], "", "(FN, OH, OW)")
    return fig
