"""Measuring a trained network: class probabilities, the confusion matrix, smoothed curves.

Book ch. 3 (notebook 04) asks which digits a network confuses; book ch. 6 (notebook 07)
compares optimizers by their mini-batch losses, which jump from batch to batch and are read
through a moving average.  The figures in :mod:`nn.plots` draw what these functions compute.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._checks import class_labels, finite_array, positive_int, same_length
from .functions import softmax

__all__ = ["predict_probabilities", "confusion_matrix", "smooth_curve"]


def predict_probabilities(network, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """Class probabilities (N, C) of ``network`` on ``x`` (N, ...), computed batch by batch as
    ``softmax(network.predict(batch))``.  ``network`` is anything with ``predict(x)`` returning
    scores (N, C)."""
    x = np.asarray(x)
    if x.ndim < 2 or len(x) == 0:
        raise ValueError(f"x must be a non-empty batch (N, ...); got shape {x.shape}")
    batch_size = positive_int("batch_size", batch_size)
    parts = [softmax(np.asarray(network.predict(x[i:i + batch_size])))
             for i in range(0, len(x), batch_size)]
    return np.concatenate(parts, axis=0)


def confusion_matrix(t_true, t_pred, num_classes: int = 10) -> np.ndarray:
    """Counts (C, C) int64: entry ``[i, j]`` is how many images of true class ``i`` were
    predicted as class ``j``.  Labels are integers in ``[0, num_classes)``."""
    num_classes = positive_int("num_classes", num_classes)
    same_length("t_true", t_true, "t_pred", t_pred)
    t_true = class_labels("t_true", t_true, num_classes)
    t_pred = class_labels("t_pred", t_pred, num_classes)
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (t_true, t_pred), 1)
    return counts


def smooth_curve(values: Sequence[float], window: int = 25) -> np.ndarray:
    """Centred moving average of ``values``, the same length (the window shrinks at the ends).

    Mini-batch losses jump from batch to batch; the average over ``window`` neighbours shows
    the trend.  Non-finite values are an error (a diverged run should be cut before plotting).
    """
    y = finite_array("smooth_curve: values", values).astype(np.float64).ravel()
    window = positive_int("window", window)
    if y.size == 0:
        return y
    half = window // 2
    csum = np.concatenate([[0.0], np.cumsum(y)])
    idx = np.arange(y.size)
    lo = np.maximum(idx - half, 0)
    hi = np.minimum(idx + half + 1, y.size)
    return (csum[hi] - csum[lo]) / (hi - lo)
