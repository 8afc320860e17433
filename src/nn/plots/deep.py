"""Chapter 9's figures: data augmentation of digits, receptive fields, a residual block.

The augmentation transforms are written with NumPy alone. Geometric ones (rotation, scaling)
use *inverse mapping*: for every pixel of the output image we ask where it comes from in the
input and sample the input there (nearest neighbour or bilinear), so the output has no holes.
Pixels that come from outside the input are 0 (black background, as in MNIST).

Every transform accepts one image shaped (28, 28), (784,) or (1, 28, 28) -- any height and width
for the 2-D and 3-D forms -- and returns a new float array of the same shape; the input is never
modified.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from .style import COLORS, new_figure

__all__ = [
    "shift_image",
    "rotate_image",
    "scale_image",
    "crop_resize",
    "flip_image",
    "adjust_brightness",
    "random_augment",
    "augmentation_figure",
    "receptive_field",
    "receptive_field_figure",
    "resnet_block_figure",
]

_ORDERS = ("nearest", "bilinear")


# --------------------------------------------------------------------------- shape handling


def _as_2d(image: np.ndarray) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """The image as a 2-D float array, and a function that gives a result the input's shape."""
    arr = np.asarray(image)
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise ValueError(f"expected a real-valued image, got dtype {arr.dtype}")
    shape = arr.shape
    if arr.ndim == 1 and arr.size == 784:
        img = arr.reshape(28, 28)
    elif arr.ndim == 2:
        img = arr
    elif arr.ndim == 3 and shape[0] == 1:
        img = arr[0]
    else:
        raise ValueError(
            "expected one image shaped (H, W), (1, H, W) or (784,); "
            f"got an array of shape {shape}"
        )
    if img.shape[0] < 1 or img.shape[1] < 1:
        raise ValueError(f"the image is empty: shape {shape}")
    out_dtype = arr.dtype if np.issubdtype(arr.dtype, np.floating) else np.float64
    return img.astype(np.float64), lambda out: out.reshape(shape).astype(out_dtype)


def _sample(img: np.ndarray, rows: np.ndarray, cols: np.ndarray, order: str) -> np.ndarray:
    """``img`` read at the (fractional) coordinates ``rows, cols``; 0 outside the image."""
    if order not in _ORDERS:
        raise ValueError(f"order must be one of {_ORDERS}, got {order!r}")
    h, w = img.shape
    if order == "nearest":
        r = np.rint(rows).astype(np.int64)
        c = np.rint(cols).astype(np.int64)
        inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
        out = np.zeros(rows.shape)
        out[inside] = img[r[inside], c[inside]]
        return out
    # Bilinear: a weighted mean of the four neighbours. A one-pixel frame of zeros around the
    # image lets every neighbour outside it read 0 after clipping the indices into the frame.
    framed = np.pad(img, 1)
    r0 = np.floor(rows)
    c0 = np.floor(cols)
    fr = rows - r0
    fc = cols - c0
    r0 = r0.astype(np.int64)
    c0 = c0.astype(np.int64)

    def at(r: np.ndarray, c: np.ndarray) -> np.ndarray:
        return framed[np.clip(r, -1, h) + 1, np.clip(c, -1, w) + 1]

    return (
        (1 - fr) * (1 - fc) * at(r0, c0)
        + (1 - fr) * fc * at(r0, c0 + 1)
        + fr * (1 - fc) * at(r0 + 1, c0)
        + fr * fc * at(r0 + 1, c0 + 1)
    )


def _warp(img: np.ndarray, inverse: np.ndarray, order: str) -> np.ndarray:
    """Apply the 2x2 ``inverse`` map about the image centre: out[p] = img[c + inverse @ (p - c)]."""
    h, w = img.shape
    cy, cx = (h - 1) / 2, (w - 1) / 2
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    dy, dx = yy - cy, xx - cx
    src_r = cy + inverse[0, 0] * dy + inverse[0, 1] * dx
    src_c = cx + inverse[1, 0] * dy + inverse[1, 1] * dx
    return _sample(img, src_r, src_c, order)


# --------------------------------------------------------------------------- the transforms


def shift_image(image: np.ndarray, dx: int = 0, dy: int = 0) -> np.ndarray:
    """Move the image ``dx`` pixels right and ``dy`` pixels down, filling with 0 (no wrap)."""
    if int(dx) != dx or int(dy) != dy:
        raise ValueError(f"shift_image moves by whole pixels; got dx={dx!r}, dy={dy!r}")
    img, restore = _as_2d(image)
    h, w = img.shape
    dx, dy = int(dx), int(dy)
    out = np.zeros_like(img)
    if abs(dx) < w and abs(dy) < h:
        out[max(dy, 0): h + min(dy, 0), max(dx, 0): w + min(dx, 0)] = img[
            max(-dy, 0): h + min(-dy, 0), max(-dx, 0): w + min(-dx, 0)
        ]
    return restore(out)


def rotate_image(image: np.ndarray, degrees: float, order: str = "bilinear") -> np.ndarray:
    """Rotate the image ``degrees`` anticlockwise (as it appears on screen) about its centre."""
    if not np.isfinite(degrees):
        raise ValueError(f"degrees must be a finite number, got {degrees!r}")
    img, restore = _as_2d(image)
    t = np.deg2rad(degrees)
    # Rows point down, so an on-screen anticlockwise turn is clockwise in (row, col); the inverse
    # map turns each output pixel back by the same angle to find where it came from.
    inverse = np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]])
    return restore(_warp(img, inverse, order))


def scale_image(image: np.ndarray, factor: float, order: str = "bilinear") -> np.ndarray:
    """Zoom about the centre: ``factor`` > 1 enlarges the digit, < 1 shrinks it (size kept)."""
    if not np.isfinite(factor) or factor <= 0:
        raise ValueError(f"factor must be a positive finite number, got {factor!r}")
    img, restore = _as_2d(image)
    return restore(_warp(img, np.eye(2) / factor, order))


def crop_resize(
    image: np.ndarray, top: int, left: int, size: int, order: str = "bilinear"
) -> np.ndarray:
    """Cut the ``size`` x ``size`` square at (``top``, ``left``) and stretch it back to full size.

    This is the "random crop" of ImageNet training, for square images: a crop that misses a
    border strip, enlarged again so every sample keeps the network's input shape.
    """
    img, restore = _as_2d(image)
    h, w = img.shape
    if h != w:
        raise ValueError(f"crop_resize expects a square image, got {h}x{w}")
    if not (1 <= size <= h and 0 <= top <= h - size and 0 <= left <= w - size):
        raise ValueError(
            f"the crop (top={top}, left={left}, size={size}) must lie inside the {h}x{w} image"
        )
    # Output pixel i samples crop coordinate i * (size - 1) / (h - 1): corners map to corners.
    step = (size - 1) / (h - 1) if h > 1 else 0.0
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    return restore(_sample(img, top + yy * step, left + xx * step, order))


def flip_image(image: np.ndarray, horizontal: bool = True) -> np.ndarray:
    """Mirror left-right (``horizontal=True``) or upside down."""
    img, restore = _as_2d(image)
    return restore(img[:, ::-1] if horizontal else img[::-1, :])


def adjust_brightness(image: np.ndarray, factor: float) -> np.ndarray:
    """Multiply the intensities by ``factor`` and clip to [0, 1] (pixels normalised to [0, 1])."""
    if not np.isfinite(factor) or factor < 0:
        raise ValueError(f"factor must be a finite number >= 0, got {factor!r}")
    img, restore = _as_2d(image)
    return restore(np.clip(img * factor, 0.0, 1.0))


def random_augment(
    image: np.ndarray,
    rng: np.random.Generator,
    max_shift: int = 2,
    max_degrees: float = 15.0,
    scale_range: tuple[float, float] = (0.9, 1.1),
) -> np.ndarray:
    """One random label-preserving variant of a digit: rotate, scale, then shift (no flip)."""
    out = rotate_image(image, rng.uniform(-max_degrees, max_degrees))
    out = scale_image(out, rng.uniform(*scale_range))
    dx, dy = rng.integers(-max_shift, max_shift + 1, size=2)
    return shift_image(out, int(dx), int(dy))


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
    columns = [("original", lambda im: im), *transforms]
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


def receptive_field(n_layers: int, filter_size: int = 3, stride: int = 1) -> int:
    """Side of the input square that one unit after ``n_layers`` equal conv layers depends on."""
    if n_layers < 0 or filter_size < 1 or stride < 1:
        raise ValueError(
            f"need n_layers >= 0, filter_size >= 1, stride >= 1; got {n_layers}, "
            f"{filter_size}, {stride}"
        )
    side, jump = 1, 1
    for _ in range(n_layers):
        side += (filter_size - 1) * jump
        jump *= stride
    return side


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
    ax.text(2.5, -0.7, "input: a 5×5 patch", ha="center", fontsize=9)
    ax.text(9.5, -0.7, "after conv 3×3 #1", ha="center", fontsize=9)
    ax.text(14.5, -0.7, "after conv 3×3 #2", ha="center", fontsize=9)
    ax.set_xlim(-0.5, 16)
    ax.set_ylim(-1.2, 5.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(16, 4.6, "dark: what the first-layer unit sees\n"
            "light + dark: what the output unit sees", ha="right", fontsize=8)
    ax.set_title("Two 3×3 layers: one output value depends on a 5×5 input patch")
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
    _box(ax, x, ys["w1"], "weight layer (conv 3×3)", COLORS["sky"])
    _box(ax, x, ys["relu1"], "ReLU", "0.92")
    _box(ax, x, ys["w2"], "weight layer (conv 3×3)", COLORS["sky"])
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
    ax.text(x + 1.45, (ys["in"] + ys["add"]) / 2, "shortcut:\nidentity x",
            ha="left", va="center", fontsize=9, color=COLORS["vermillion"])
    ax.set_xlim(-1.9, 3.0)
    ax.set_ylim(-0.4, 6.5)
    ax.axis("off")
    ax.set_title("A residual block: the layers learn F(x), the shortcut adds x")
    return fig
