"""Figures of notebook 08 (book ch. 7): convolution by hand, output sizes, filters, maps, pooling.

The arithmetic is the library's: feature maps come from :func:`nn.feature_map` (the
:class:`nn.Convolution` layer) and output sizes from :func:`nn.conv_output_size`, so a figure can
never disagree with the layer it explains.  This module only draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from ..demos.conv import feature_map
from ..i18n import _
from ..images import image_2d
from .style import COLORS, new_figure

__all__ = [
    "output_size_text",
    "sliding_window_figure",
    "flatten_figure",
    "convolution_figure",
    "filter_grid_figure",
    "map_grid_figure",
    "pooling_shift_figure",
]

def output_size_text(size: int, filter_size: int, stride: int, pad: int, name: str = "OH") -> str:
    """The output-size formula written out with numbers, and what happens when it is fractional."""
    numerator = size + 2 * pad - filter_size
    text = f"{name} = ({size} + 2·{pad} − {filter_size}) / {stride} + 1"
    if numerator < 0:
        return text + _(" < 1: the filter does not fit")
    whole = numerator // stride + 1
    if numerator % stride == 0:
        return text + f" = {whole}"
    return text + _(" = {value:.4g}, not whole: nn.Convolution refuses this.\n"
                    "Dropping the last {rows} row(s) the window cannot reach gives {whole}.",
                    value=numerator / stride + 1, rows=numerator % stride, whole=whole)


# --------------------------------------------------------------------------- small matrices


def _draw_matrix(
    ax,
    m: np.ndarray,
    highlight: tuple[int, int, int, int] | None = None,
    color: str = COLORS["sky"],
    fmt: str = "{:g}",
    title: str | None = None,
    pad_cells: int = 0,
) -> None:
    """Numbers in a grid; ``highlight`` = (row, col, height, width) is shaded; padded cells grey."""
    m = np.asarray(m)
    h, w = m.shape
    for i in range(h):
        for j in range(w):
            is_pad = (
                i < pad_cells or j < pad_cells or i >= h - pad_cells or j >= w - pad_cells
            )
            face = "0.9" if is_pad else "white"
            if highlight is not None:
                r, c, hh, ww = highlight
                if r <= i < r + hh and c <= j < c + ww:
                    face = color
            ax.add_patch(Rectangle((j, h - 1 - i), 1, 1, facecolor=face, edgecolor="0.4", lw=0.8))
            ax.text(j + 0.5, h - 0.5 - i, fmt.format(m[i, j]), ha="center", va="center",
                    fontsize=10, color="0.45" if is_pad else "black")
    ax.set_xlim(-0.05, w + 0.05)
    ax.set_ylim(-0.05, h + 0.05)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)


def sliding_window_figure(
    x: np.ndarray, w: np.ndarray, stride: int = 1, pad: int = 0, max_panels: int | None = None
):
    """Every position of the filter window on a small input, with the sum it produces.

    One panel per output element, in the order the window slides (left to right, top to
    bottom), or only the first ``max_panels``; the shaded cells are multiplied element-wise by
    the filter and summed.
    """
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    out = feature_map(x, w, stride=stride, pad=pad)
    xp = np.pad(x, pad)
    oh, ow = out.shape
    fh, fw = w.shape
    n = oh * ow if max_panels is None else max(1, min(oh * ow, int(max_panels)))
    ncols = min(n, 4)
    nrows = -(-n // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(2.3 * ncols, 2.5 * nrows), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        if k >= n:
            ax.axis("off")
            continue
        i, j = divmod(k, ow)
        r, c = i * stride, j * stride
        terms = xp[r: r + fh, c: c + fw] * w
        _draw_matrix(ax, xp, highlight=(r, c, fh, fw), pad_cells=pad,
                     title=f"out[{i}, {j}] = {terms.sum():g}")
    fig.suptitle(_("The filter slides over the input; each stop gives one output value"),
                 fontsize=11)
    return fig


def flatten_figure(image: np.ndarray, rng: np.random.Generator):
    """A digit, the 784-long row a fully connected layer sees, and the digit with its pixels
    shuffled."""
    img = image_2d(image)
    perm = rng.permutation(img.size)
    fig = plt.figure(figsize=(9, 2.8), layout="constrained")
    grid = fig.add_gridspec(2, 3, height_ratios=[3, 1])
    ax_img = fig.add_subplot(grid[0, 0])
    ax_shuf = fig.add_subplot(grid[0, 2])
    ax_mid = fig.add_subplot(grid[0, 1])
    ax_row = fig.add_subplot(grid[1, :])
    for ax in (ax_img, ax_shuf, ax_row, ax_mid):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    ax_img.imshow(img, cmap="gray")
    ax_img.set_title(_("the image (28×28)"), fontsize=10)
    ax_shuf.imshow(img.ravel()[perm].reshape(img.shape), cmap="gray")
    ax_shuf.set_title(_("same pixels, one fixed shuffle"), fontsize=10)
    ax_mid.axis("off")
    ax_mid.text(0.5, 0.5, _("flattened row after row,\npixels above each other\n"
                            "end up 28 places apart;\n"
                            "an Affine layer learns the\nshuffled digits just as well"),
                ha="center", va="center", fontsize=9, transform=ax_mid.transAxes)
    ax_row.imshow(img.reshape(1, -1), cmap="gray", aspect="auto")
    ax_row.set_title(_("what an Affine layer sees: one row of 784 numbers"), fontsize=10)
    ax_row.set_xticks(np.arange(0, img.size + 1, 28 * 4))
    ax_row.set_xlabel(_("pixel index"))
    return fig


# --------------------------------------------------------------------------- feature maps


def _symmetric_limits(a: np.ndarray) -> tuple[float, float]:
    m = float(np.max(np.abs(a))) if a.size else 0.0
    m = m if m > 0 else 1.0
    return -m, m


def convolution_figure(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, pad: int = 0, title: str = ""
):
    """Input (with its padding), filter, and the feature map, with the output-size formula."""
    img = image_2d(image)
    k = np.asarray(kernel, dtype=np.float64)
    fmap = feature_map(img, k, stride=stride, pad=pad)
    fig, axes = new_figure(1, 3, figsize=(9.0, 3.6), gridspec_kw={"width_ratios": [3, 1.6, 3]})
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    padded = np.pad(img, pad)
    axes[0].imshow(padded, cmap="gray", vmin=0, vmax=max(1.0, float(img.max())))
    if pad:
        h, w = padded.shape
        axes[0].add_patch(Rectangle((pad - 0.5, pad - 0.5), w - 2 * pad, h - 2 * pad,
                                    fill=False, edgecolor=COLORS["orange"], lw=1, ls="--"))
    fh, fw = k.shape
    for j, style in enumerate(("-", ":")):  # the window's first stop, and its next one
        if j * stride + fw <= padded.shape[1]:
            axes[0].add_patch(Rectangle((j * stride - 0.5, -0.5), fw, fh, fill=False, ls=style,
                                        edgecolor=COLORS["vermillion"], lw=2, clip_on=False))
    axes[0].set_title(_("input {h}×{w}, padding {pad}", h=img.shape[0], w=img.shape[1], pad=pad),
                      fontsize=10)
    lo, hi = _symmetric_limits(k)
    axes[1].imshow(k, cmap="RdBu_r", vmin=lo, vmax=hi)
    if k.size <= 25:
        for (i, j), v in np.ndenumerate(k):
            axes[1].text(j, i, f"{v:.2g}".replace("-", "−"), ha="center", va="center",
                         fontsize=8, color="white" if abs(v) > 0.6 * hi else "black")
    axes[1].set_title(_("filter {fh}×{fw}", fh=fh, fw=fw), fontsize=10)
    lo, hi = _symmetric_limits(fmap)
    axes[2].imshow(fmap, cmap="RdBu_r", vmin=lo, vmax=hi)
    oh, ow = fmap.shape
    axes[2].set_title(_("feature map {oh}×{ow} (stride {stride})", oh=oh, ow=ow, stride=stride),
                      fontsize=10)
    fig.suptitle(
        (title + "\n" if title else "") + output_size_text(img.shape[0], fh, stride, pad),
        fontsize=10,
    )
    return fig


def filter_grid_figure(W: np.ndarray, ncols: int = 10, title: str = "", size: float = 0.75):
    """The filters of a conv layer, W shaped (FN, C, FH, FW): channel 0 of each, gray.

    Each filter is scaled to its own range (black = its smallest weight, white = its largest),
    as the book draws them; a constant filter shows mid-grey.
    """
    W = np.asarray(W)
    if W.ndim != 4:
        raise ValueError(f"W must be (FN, C, FH, FW), got shape {W.shape}")
    fn = W.shape[0]
    nrows = -(-fn // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(size * ncols, size * nrows + 0.4),
                           squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if k >= fn:
            ax.axis("off")
            continue
        f = W[k, 0].astype(np.float64)
        lo, hi = float(f.min()), float(f.max())
        shown = (f - lo) / (hi - lo) if hi > lo else np.full_like(f, 0.5)
        ax.imshow(shown, cmap="gray", vmin=0, vmax=1)
        ax.set_title(str(k), fontsize=7, pad=1)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


def map_grid_figure(
    maps: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 10,
    title: str = "",
    size: float = 0.9,
    cmap: str = "gray",
):
    """A grid of 2-D maps (N, H, W), each on its own colour scale."""
    maps = np.asarray(maps)
    if maps.ndim != 3:
        raise ValueError(f"maps must be (N, H, W), got shape {maps.shape}")
    if titles is not None and len(titles) != len(maps):
        raise ValueError(f"got {len(maps)} maps but {len(titles)} titles")
    n = len(maps)
    ncols = min(ncols, max(n, 1))
    nrows = -(-n // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(size * ncols, size * nrows * 1.15 + 0.4),
                           squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if k >= n:
            ax.axis("off")
            continue
        ax.imshow(maps[k], cmap=cmap)
        if titles is not None:
            ax.set_title(titles[k], fontsize=7, pad=1)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


def pooling_shift_figure(
    image: np.ndarray, shifted: np.ndarray, pooled: np.ndarray, pooled_shifted: np.ndarray
):
    """A digit and its one-pixel shift, before and after max pooling, with where they differ.

    The third column's title gives the total change relative to the original,
    ``sum|a - b| / sum|a|``: smaller after pooling means pooling absorbed part of the shift.
    """
    rows = [
        (_("pixels"), image_2d(image), image_2d(shifted)),
        (_("after max pooling"), image_2d(pooled), image_2d(pooled_shifted)),
    ]
    fig, axes = new_figure(2, 3, figsize=(7.2, 5.0))
    for r, (name, a, b) in enumerate(rows):
        changed = np.abs(a - b)
        share = float(changed.sum() / max(np.abs(a).sum(), 1e-12))
        panels = [(a, _("{name}: original", name=name)),
                  (b, _("{name}: shifted 1 px right", name=name)),
                  (changed, _("|difference| (Σ = {share:.0%} of Σ|original|)", share=share))]
        for c, (img, t) in enumerate(panels):
            ax = axes[r, c]
            ax.imshow(img, cmap="magma" if c == 2 else "gray", vmin=0, vmax=1)
            ax.set_title(t, fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
    return fig
