"""Convolution seen by hand: notebook 08's filters and feature maps, notebook 09's receptive
fields (book ch. 7 and 8)."""

from __future__ import annotations

import numpy as np

from .._checks import non_negative_int, positive_int
from ..conv import Convolution
from ..i18n import N_
from ..images import image_2d

__all__ = ["receptive_field", "HAND_FILTERS", "feature_map"]


def receptive_field(n_layers: int, filter_size: int = 3, stride: int = 1) -> int:
    """Side of the input square that one unit after ``n_layers`` equal conv layers depends on.

    Each layer widens the field by ``filter_size - 1`` steps of the layer below, and a step of
    layer k is ``stride**k`` input pixels: two 3x3 layers see 5x5, three see 7x7.
    """
    n_layers = non_negative_int("n_layers", n_layers)
    filter_size = positive_int("filter_size", filter_size)
    stride = positive_int("stride", stride)
    side, jump = 1, 1
    for _ in range(n_layers):
        side += (filter_size - 1) * jump
        jump *= stride
    return side


#: Hand-made 3x3 filters. Convolution layers compute a cross-correlation (no kernel flip), so
#: "horizontal edge" responds where brightness changes from one row to the next: it is positive
#: on the top edge of a horizontal stroke and negative on its bottom edge.
HAND_FILTERS: dict[str, np.ndarray] = {
    N_("horizontal edge"): np.array([[-1.0, -1.0, -1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]),
    N_("vertical edge"): np.array([[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]),
    N_("blur"): np.full((3, 3), 1.0 / 9.0),
}


def feature_map(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, pad: int = 0, bias: float = 0.0
) -> np.ndarray:
    """One filter applied to one gray image by the library's ``Convolution`` layer -> (OH, OW).

    ``image`` is (H, W), (1, H, W) or (784,); ``kernel`` is (FH, FW). ``nn.Convolution``
    refuses a stride that does not tile the padded image exactly; here, as in the book's
    ``im2col`` and in most frameworks, the rows and columns the window cannot reach are dropped
    (the output size is rounded down) so that every slider setting has a picture. Raises
    ``ValueError`` when the filter does not fit even once.
    """
    img = image_2d(image)
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2:
        raise ValueError(f"kernel must be 2-D (FH, FW), got shape {k.shape}")
    stride, pad = positive_int("stride", stride), non_negative_int("pad", pad)
    padded = np.pad(img, pad)
    reach = []
    for size, fsize in zip(padded.shape, k.shape, strict=True):
        if size < fsize:
            raise ValueError(
                f"a {k.shape[0]}x{k.shape[1]} filter does not fit a {img.shape[0]}x{img.shape[1]} "
                f"image with padding {pad}"
            )
        reach.append(fsize + (size - fsize) // stride * stride)
    padded = padded[: reach[0], : reach[1]]
    layer = Convolution(k[None, None], np.array([float(bias)]), stride=stride, pad=0)
    return layer.forward(padded[None, None], train_flg=False)[0, 0]
