"""The digit browser of notebook 04: slide through test images and see what the network says."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from .. import _checks
from ..i18n import _
from ..metrics import predict_probabilities
from ..plots.digits import plot_digit_prediction
from .scaffold import BookWidget, start_at

__all__ = ["digit_browser"]


def digit_browser(network=None, x: np.ndarray | None = None, t: np.ndarray | None = None,
                  index: int = 0, misclassified_only: bool = False) -> BookWidget:
    """A slider over the test images: each shows the image, the network's ten output
    probabilities as bars, and the predicted and true label. A toggle restricts the slider to
    the misclassified images (its range adapts).

    By default ``network`` is ``nn.pretrained.load("mnist_mlp")`` and ``x``, ``t`` are the MNIST
    test images (N, 784) and integer labels (N,). The predictions are computed once, here, so
    dragging only redraws.

    Controls: ``index``, ``misclassified_only``; readout: ``status``.  The widget also keeps
    ``probabilities``, ``predictions`` and ``misclassified`` (indices).
    """
    if network is None:
        from .. import pretrained

        network = pretrained.load("mnist_mlp")
    if x is None or t is None:
        from ..data import load_mnist

        x_test, t_test = load_mnist(normalize=True, flatten=True, one_hot_label=False)[1]
        x = x_test if x is None else x
        t = t_test if t is None else t
    x = np.asarray(x)
    t = np.asarray(t)
    if t.ndim == 2:  # one-hot rows -> labels
        t = t.argmax(axis=1)
    if x.ndim != 2 or x.shape[1] != 784 or len(x) != len(t) or len(x) == 0:
        raise ValueError(f"x must be (N, 784) images and t (N,) labels of the same N > 0; got "
                         f"x {x.shape} and t {t.shape}")
    probs = predict_probabilities(network, x)
    preds = probs.argmax(axis=1)
    wrong = np.flatnonzero(preds != t)

    controls = {
        "index": W.IntSlider(value=0, min=0, max=len(x) - 1, step=1, description=_("image"),
                             continuous_update=False, style={"description_width": "50px"},
                             layout=W.Layout(width="420px")),
        "misclassified_only": W.ToggleButton(value=False, description=_("misclassified only"),
                                             icon="filter", layout=W.Layout(width="170px")),
    }
    status = W.HTML()

    def draw(index: int, misclassified_only: bool):
        if misclassified_only and wrong.size == 0:
            status.value = _("<b>No misclassified images</b>: the network gets every one right.")
            return None
        i = int(wrong[min(index, wrong.size - 1)]) if misclassified_only else index
        where = (_("mistake {k} of {n}", k=index + 1, n=wrong.size) if misclassified_only
                 else _("of {n}", n=len(x)))
        verdict = _("right") if preds[i] == t[i] else _("wrong")
        status.value = html.escape(_(
            "image #{i} ({where}): predicted {pred}, true {true} ({verdict}). "
            "Accuracy on all {n} images: {acc:.4f} ({errors} errors)", i=i, where=where,
            pred=preds[i], true=t[i], verdict=verdict, n=len(x), acc=np.mean(preds == t),
            errors=wrong.size))
        return plot_digit_prediction(x[i], probs[i], int(t[i]),
                                     caption=_("test image #{i}", i=i))

    def switch(misclassified: bool) -> None:
        # Keep looking at the same kind of place: the slider now counts misclassified images
        # (or all images) and restarts at the first one.
        slider = controls["index"]
        slider.max = max(wrong.size - 1, 0) if misclassified else len(x) - 1
        slider.value = 0

    if _checks.flag("misclassified_only", misclassified_only):
        controls["misclassified_only"].value = True
        controls["index"].max = max(wrong.size - 1, 0)
    start_at(controls, index=index)  # an index past the end is an error, not the last image

    def arrange(box: BookWidget) -> list[W.Widget]:
        return [W.HBox(list(box.controls.values())), status, box.output]

    box = BookWidget(controls, draw, arrange, on_change={"misclassified_only": switch},
                     readouts={"status": status})
    box.probabilities, box.misclassified, box.predictions = probs, wrong, preds
    return box
