"""The book's figure style: colour-blind-safe colours, labelled axes, digits without ticks."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.transforms import Bbox

__all__ = [
    "COLORS", "CYCLE", "use_book_style", "show_digits", "new_figure", "figure_png", "compact_png",
    "cropped_png",
]

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
    """Apply the book's matplotlib style to every figure drawn after this call.

    In a notebook it also draws every figure a cell shows itself: in CPython as a compact PNG
    (see :func:`compact_png`), so the executed chapters stay light; in the browser drawn once,
    not twice (see :func:`cropped_png`), so the live chapters show their figures sooner. In Chinese
    (``nn.set_language("zh_CN")``) the font draws Chinese too, and the texts of figures drawn
    by a chapter's own cells are translated when the figure is shown (:mod:`nn.i18n`).
    """
    from ..i18n import font_rc

    mpl.rcParams.update({**_RC, **font_rc()})
    _show_figures_with_inline_png()


def compact_png(png: bytes) -> bytes:
    """``png`` redrawn with a palette of at most 256 colours, when that makes it smaller.

    A chart has few colours (the palette, grays, their antialiased edges), so the palette image
    looks the same and is usually 3-4 times smaller.  Returned unchanged without Pillow.
    """
    try:
        from PIL import Image
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png))
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")  # transparent parts as the page shows them
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    palette = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    palette.save(out, format="PNG")
    smaller = out.getvalue()
    return smaller if len(smaller) < len(png) else png


def cropped_png(fig, margin: float = 1.0) -> bytes:
    """The figure as PNG, cropped to what it draws plus ``savefig.pad_inches`` on every side:
    the picture ``bbox_inches="tight"`` gives, drawn once instead of twice.

    To find the tight box, matplotlib lays the figure out and measures every artist before it
    draws; for a figure of several axes without a layout engine that costs more than the
    drawing (in the browser 0.32 s of 0.55 s for chapter 7's activation histograms).  Here the
    figure is drawn once onto a canvas ``margin`` inches larger on every side, and the rows and
    columns of pixels that differ from the background are kept.  Whatever lies further than
    ``margin`` outside the figure is cut, where the tight box would keep it.
    """
    from PIL import Image  # matplotlib's own dependency

    dpi = mpl.rcParams["savefig.dpi"]
    dpi = fig.dpi if dpi == "figure" else float(dpi)
    width, height = fig.get_size_inches()
    canvas = Bbox([[-margin, -margin], [width + margin, height + margin]])
    buf = io.BytesIO()  # a PNG without compression: its header says the size matplotlib drew
    fig.canvas.print_figure(buf, format="png", dpi=dpi, bbox_inches=canvas,
                            pil_kwargs={"compress_level": 0})
    pixels = np.asarray(Image.open(buf).convert("RGBA"))
    drawn = (pixels != pixels[0, 0]).any(axis=2)  # the corner is background: it is in the margin
    pad = round(mpl.rcParams["savefig.pad_inches"] * dpi)
    used_rows, used_cols = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    if used_rows.size:
        pixels = pixels[max(used_rows[0] - pad, 0) : used_rows[-1] + 1 + pad,
                        max(used_cols[0] - pad, 0) : used_cols[-1] + 1 + pad]
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(out, format="PNG")
    return out.getvalue()


def _inline_png(fig) -> str | None:
    """What a notebook shows for a figure: as the inline backend draws it (cropped to its
    contents), its texts in the reader's language, as base64 text (what the inline backend's
    own printer returns: the browser's kernel passes raw bytes on as they are, and the page
    cannot show them).  In CPython, where the chapters are stored, matplotlib's own tight box
    and a compacted PNG; in the browser :func:`cropped_png`, which draws the figure once."""
    from .. import live
    from ..i18n import translate_figure

    if not fig.axes and not fig.lines and not fig.images:
        return None
    translate_figure(fig)
    if live.IN_BROWSER:
        png = cropped_png(fig)
    else:
        buf = io.BytesIO()
        fig.canvas.print_figure(buf, format="png", bbox_inches="tight")
        png = compact_png(buf.getvalue())
    return base64.b64encode(png).decode("ascii")


def _show_figures_with_inline_png() -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    if formatter.lookup_by_type(Figure) is _inline_png if Figure in formatter else False:
        return
    # The inline backend registers its own PNG printer when it is loaded, on the first figure:
    # load it now, so that ours comes last and stays.
    plt.close(plt.figure())
    formatter.for_type(Figure, _inline_png)


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
    """The figure as PNG bytes, at ``dpi`` (default: the book's 100), compacted (outside the
    browser); the figure is closed."""
    from .. import live
    from ..i18n import translate_figure

    translate_figure(fig)
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=dpi)
    finally:
        plt.close(fig)
    # The stored widget states are drawn in CPython; in the browser a redraw stays as cheap as
    # possible.
    return buf.getvalue() if live.IN_BROWSER else compact_png(buf.getvalue())
