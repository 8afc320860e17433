"""Figures of notebook 04 (book ch. 3): what a network predicts for digits, and where it errs.

Each function takes arrays (images, labels, predicted probabilities, the counts of
:func:`nn.confusion_matrix`) and returns a matplotlib figure; the probabilities come from
:func:`nn.predict_probabilities`.  The digit browser in :mod:`nn.widgets.digits` only wires a
slider to them.
Image grids use :func:`nn.plots.show_digits`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..i18n import _
from .style import COLORS, new_figure, show_digits

__all__ = [
    "plot_confusion_matrix",
    "plot_misclassified",
    "plot_digit_prediction",
]


def plot_confusion_matrix(counts: np.ndarray, ax: plt.Axes | None = None,
                          title: str | None = None):
    """Heat map of a confusion matrix with every count written in its cell. The colour is
    logarithmic so the few mistakes (off the diagonal) stay visible next to the large diagonal.
    Returns the figure."""
    from matplotlib.colors import LogNorm

    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"counts must be a square (C, C) matrix; got shape {counts.shape}")
    n = counts.shape[0]
    if ax is None:
        fig, ax = new_figure(figsize=(6.4, 5.6))
    else:
        fig = ax.figure
    shown = np.ma.masked_equal(counts, 0)
    image = ax.imshow(shown, cmap="Blues", norm=LogNorm(vmin=1, vmax=max(2, counts.max())))
    for i in range(n):
        for j in range(n):
            if counts[i, j]:
                dark = counts[i, j] > np.sqrt(max(counts.max(), 1)) * 3
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=7.5,
                        color="white" if dark else ("black" if i == j else COLORS["vermillion"]))
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xlabel(_("predicted label"))
    ax.set_ylabel(_("true label"))
    ax.grid(False)
    accuracy = np.trace(counts) / max(counts.sum(), 1)
    ax.set_title(title or _("Confusion matrix: {errors} errors of {total} (accuracy {acc:.4f})",
                            errors=counts.sum() - np.trace(counts), total=counts.sum(),
                            acc=accuracy))
    fig.colorbar(image, ax=ax, shrink=0.8, label=_("number of images (log scale)"))
    return fig


def plot_misclassified(images: np.ndarray, t_true, t_pred, probabilities=None,
                       limit: int = 30, ncols: int = 10):
    """Grid of the first ``limit`` images whose prediction differs from the label, each titled
    "p 7 / t 2" (predicted / true), plus the confidence when ``probabilities`` (N, C) is
    given. Returns the figure."""
    t_true = np.asarray(t_true)
    t_pred = np.asarray(t_pred)
    wrong = np.flatnonzero(t_true != t_pred)[: int(limit)]
    if wrong.size == 0:
        fig, ax = new_figure(figsize=(4, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, _("no misclassified images"), ha="center", va="center")
        return fig
    titles = [_("p {p} / t {t}", p=t_pred[i], t=t_true[i]) for i in wrong]
    if probabilities is not None:
        probabilities = np.asarray(probabilities)
        titles = [f"{s}\n{probabilities[i, t_pred[i]]:.0%}"
                  for s, i in zip(titles, wrong, strict=True)]
    fig = show_digits(np.asarray(images)[wrong], titles=titles, ncols=ncols, size=1.15)
    return fig


def plot_digit_prediction(image: np.ndarray, probabilities: np.ndarray, true_label: int,
                          caption: str | None = None):
    """One digit (left) and the network's ten probabilities as bars (right): the predicted
    class in blue if it is right, vermillion if wrong; the true class outlined. Returns the
    figure."""
    image = np.asarray(image, dtype=np.float64).reshape(28, 28)
    p = np.asarray(probabilities, dtype=np.float64).ravel()
    if p.size != 10:
        raise ValueError(f"probabilities must hold 10 values; got {p.size}")
    pred = int(np.argmax(p))
    true_label = int(true_label)
    right = pred == true_label
    fig, (iax, pax) = new_figure(1, 2, figsize=(7.6, 2.9), width_ratios=[1, 2.2])
    iax.imshow(image, cmap="gray")
    iax.set_xticks([])
    iax.set_yticks([])
    iax.grid(False)
    iax.set_title(caption or _("test image"), fontsize=10)
    colors = [COLORS["sky"]] * 10
    colors[pred] = COLORS["blue"] if right else COLORS["vermillion"]
    bars = pax.bar(range(10), p, color=colors)
    bars[true_label].set_edgecolor("black")
    bars[true_label].set_linewidth(2)
    pax.set_xticks(range(10))
    pax.set_ylim(0, 1.08)
    pax.set_xlabel(_("class (black outline = true label)"))
    pax.set_ylabel(_("probability"))
    verdict = _("right") if right else _("WRONG")
    pax.set_title(_("predicted {pred} ({p:.1%}), true {true}: {verdict}", pred=pred, p=p[pred],
                    true=true_label, verdict=verdict),
                  color="black" if right else COLORS["vermillion"], fontsize=10)
    return fig
