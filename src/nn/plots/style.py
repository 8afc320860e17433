"""The book's figure style: colour-blind-safe colours, labelled axes, digits without ticks."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["COLORS", "CYCLE", "use_book_style", "show_digits", "new_figure", "figure_png"]

# Okabe & Ito's palette: distinguishable with every common colour-vision deficiency.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
CYCLE = [COLORS[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]

_RC = {
    "axes.prop_cycle": mpl.cycler(color=CYCLE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (6.0, 4.0),
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.frameon": False,
    "image.cmap": "viridis",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style to every figure drawn after this call."""
    mpl.rcParams.update(_RC)


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """``plt.subplots`` in the book's style; returns ``(fig, ax_or_axes)``."""
    use_book_style()
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, **kwargs)


def show_digits(
    images: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 10,
    size: float = 1.1,
    axes: Sequence[plt.Axes] | None = None,
):
    """Draw digit images in a grid: gray colour map, no ticks, an optional title under each.

    ``images`` is (N, 784), (N, 28, 28) or (N, 1, 28, 28) of any numeric dtype.
    Returns the figure.
    """
    images = np.asarray(images)
    if images.ndim == 2 and images.shape[1] == 784:
        images = images.reshape(-1, 28, 28)
    elif images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    if images.ndim != 3:
        raise ValueError(
            "show_digits expects images shaped (N, 784), (N, 28, 28) or (N, 1, 28, 28); "
            f"got {images.shape}"
        )
    n = len(images)
    if titles is not None and len(titles) != n:
        raise ValueError(f"show_digits got {n} images but {len(titles)} titles")
    if axes is None:
        nrows = max(1, -(-n // ncols))
        fig, grid = new_figure(
            nrows, min(ncols, max(n, 1)),
            figsize=(size * min(ncols, max(n, 1)), size * nrows * 1.2),
            squeeze=False,
        )
        axes = grid.ravel()
    else:
        fig = axes[0].figure
    for i, ax in enumerate(axes):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if i < n:
            ax.imshow(images[i], cmap="gray")
            if titles is not None:
                ax.set_title(titles[i], fontsize=9)
        else:
            ax.axis("off")
    return fig


def figure_png(fig, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes, at ``dpi`` (default: the book's 100); the figure is closed."""
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    return buf.getvalue()
