"""Image transforms for data augmentation (book ch. 8, notebook 09).

Written with NumPy alone.  Geometric transforms (rotation, scaling) use *inverse mapping*: for
every pixel of the output image we ask where it comes from in the input and sample the input
there (nearest neighbour or bilinear), so the output has no holes.  Pixels that come from
outside the input are 0 (black background, as in MNIST).

Every transform of one image accepts it shaped (28, 28), (784,) or (1, 28, 28) -- any height
and width for the 2-D and 3-D forms -- and returns a new float array of the same shape; the
input is never modified.  :func:`shift_images` moves a whole batch (N, C, H, W) at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._checks import finite_number, int_at_least, non_negative_number, positive_number
from .i18n import N_

__all__ = [
    "image_2d",
    "shift_image",
    "shift_images",
    "rotate_image",
    "scale_image",
    "crop_resize",
    "flip_image",
    "transform_digit",
    "FLIPS",
    "adjust_brightness",
]

_ORDERS = ("nearest", "bilinear")


# --------------------------------------------------------------------------- shape handling


def image_2d(image: np.ndarray) -> np.ndarray:
    """One gray image shaped (H, W), (1, H, W) or (784,) as a 2-D float64 array (H, W)."""
    arr = np.asarray(image)
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise ValueError(f"expected a real-valued image, got dtype {arr.dtype}")
    if arr.ndim == 1 and arr.size == 784:
        img = arr.reshape(28, 28)
    elif arr.ndim == 2:
        img = arr
    elif arr.ndim == 3 and arr.shape[0] == 1:
        img = arr[0]
    else:
        raise ValueError(
            "expected one image shaped (H, W), (1, H, W) or (784,); "
            f"got an array of shape {arr.shape}"
        )
    if img.shape[0] < 1 or img.shape[1] < 1:
        raise ValueError(f"the image is empty: shape {arr.shape}")
    return img.astype(np.float64)


def _as_2d(image: np.ndarray) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """The image as a 2-D float array, and a function that gives a result the input's shape."""
    img, arr = image_2d(image), np.asarray(image)
    out_dtype = arr.dtype if np.issubdtype(arr.dtype, np.floating) else np.float64
    return img, lambda out: out.reshape(arr.shape).astype(out_dtype)


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


def _whole_pixels(dx: object, dy: object, who: str) -> tuple[int, int]:
    """(dx, dy) as ints: an image moves by whole pixels (``int_at_least`` wording)."""
    try:
        return int_at_least(f"{who}: dx", dx, -(2**31)), int_at_least(f"{who}: dy", dy, -(2**31))
    except ValueError as exc:
        raise ValueError(f"{who} moves by whole pixels; {exc}") from None


def _shifted(x: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """x moved dx columns right and dy rows down along its last two axes, zero-filled."""
    h, w = x.shape[-2:]
    out = np.zeros_like(x)
    if abs(dx) < w and abs(dy) < h:
        out[..., max(dy, 0): h + min(dy, 0), max(dx, 0): w + min(dx, 0)] = x[
            ..., max(-dy, 0): h + min(-dy, 0), max(-dx, 0): w + min(-dx, 0)
        ]
    return out


def shift_image(image: np.ndarray, dx: int = 0, dy: int = 0) -> np.ndarray:
    """Move the image ``dx`` pixels right and ``dy`` pixels down, filling with 0 (no wrap)."""
    dx, dy = _whole_pixels(dx, dy, "shift_image")
    img, restore = _as_2d(image)
    return restore(_shifted(img, dx, dy))


def shift_images(images: np.ndarray, dx: int = 0, dy: int = 0) -> np.ndarray:
    """Every image of a batch (N, C, H, W) moved ``dx`` pixels right and ``dy`` down, as
    :func:`shift_image` moves one: a new array of the same dtype, 0 where nothing moved in."""
    dx, dy = _whole_pixels(dx, dy, "shift_images")
    x = np.asarray(images)
    if x.ndim != 4:
        raise ValueError(f"shift_images expects images (N, C, H, W); got shape {x.shape}")
    return _shifted(x, dx, dy)


def rotate_image(image: np.ndarray, degrees: float, order: str = "bilinear") -> np.ndarray:
    """Rotate the image ``degrees`` anticlockwise (as it appears on screen) about its centre."""
    degrees = finite_number("degrees", degrees)
    img, restore = _as_2d(image)
    t = np.deg2rad(degrees)
    # Rows point down, so an on-screen anticlockwise turn is clockwise in (row, col); the inverse
    # map turns each output pixel back by the same angle to find where it came from.
    inverse = np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]])
    return restore(_warp(img, inverse, order))


def scale_image(image: np.ndarray, factor: float, order: str = "bilinear") -> np.ndarray:
    """Zoom about the centre: ``factor`` > 1 enlarges the digit, < 1 shrinks it (size kept)."""
    factor = positive_number("factor", factor)
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


#: The flips :func:`transform_digit` knows, by name.
FLIPS = (N_("none"), N_("left-right"), N_("upside down"))


def transform_digit(
    image: np.ndarray,
    dx: int = 0,
    dy: int = 0,
    degrees: float = 0.0,
    scale: float = 1.0,
    flip: str = "none",
) -> np.ndarray:
    """One image after a flip, a zoom by ``scale``, a turn of ``degrees`` (anticlockwise) and
    a shift of ``dx`` pixels right and ``dy`` down, in that order (all about the centre, so the
    shift is the last word on where the digit ends up).  The defaults leave the image as it is.

    The same shape comes back: (H, W), (1, H, W) or (784,).
    """
    if flip not in FLIPS:
        raise ValueError(f"flip must be one of {FLIPS}; got {flip!r}")
    out = np.asarray(image)
    if flip != "none":
        out = flip_image(out, horizontal=flip == "left-right")
    if scale != 1.0:
        out = scale_image(out, scale)
    if degrees != 0.0:
        out = rotate_image(out, degrees)
    return shift_image(out, dx, dy)


def adjust_brightness(image: np.ndarray, factor: float) -> np.ndarray:
    """Multiply the intensities by ``factor`` and clip to [0, 1] (pixels normalised to [0, 1])."""
    factor = non_negative_number("factor", factor)
    img, restore = _as_2d(image)
    return restore(np.clip(img * factor, 0.0, 1.0))
