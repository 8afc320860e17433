"""Synthetic test images (test-only; not part of nn)."""

from __future__ import annotations

import numpy as np


def synthetic_digit() -> np.ndarray:
    """A 28x28 "digit": a bar and a ring, so edges run in both directions."""
    yy, xx = np.mgrid[0:28, 0:28]
    img = np.zeros((28, 28))
    img[6:9, 5:22] = 1.0
    img[(np.hypot(yy - 17, xx - 14) > 5) & (np.hypot(yy - 17, xx - 14) < 8)] = 0.8
    return img
