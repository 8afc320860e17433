"""The digit browser of notebook 04: slide through test images and see what the network says."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from ..metrics import predict_probabilities
from ..plots.digits import plot_digit_prediction
from ._output import figure_output

__all__ = ["digit_browser"]


def digit_browser(network=None, x: np.ndarray | None = None, t: np.ndarray | None = None,
                  index: int = 0, misclassified_only: bool = False) -> W.VBox:
    """A slider over the test images: each shows the image, the network's ten output
    probabilities as bars, and the predicted and true label. A toggle restricts the slider to
    the misclassified images (its range adapts).

    By default ``network`` is ``nn.pretrained.load("mnist_mlp")`` and ``x``, ``t`` are the MNIST
    test images (N, 784) and integer labels (N,). The predictions are computed once, here, so
    dragging only redraws.

    Returns the container; its attributes ``slider``, ``toggle``, ``status``, ``output``,
    ``probabilities`` and ``misclassified`` (indices) are the parts (for tests).
    """
    if network is None:
        from .. import pretrained

        network = pretrained.load("mnist_mlp")
    if x is None or t is None:
        from ..data import load_mnist

        _, (x_test, t_test) = load_mnist(normalize=True, flatten=True, one_hot_label=False)
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

    slider = W.IntSlider(value=0, min=0, max=len(x) - 1, step=1, description="image",
                         continuous_update=False, style={"description_width": "50px"},
                         layout=W.Layout(width="420px"))
    toggle = W.ToggleButton(value=False, description="misclassified only", icon="filter",
                            layout=W.Layout(width="170px"))
    status = W.HTML()
    out = W.Output()

    def current() -> int | None:
        """Index into the test set of the image the slider points at (None if there is none)."""
        if toggle.value:
            if wrong.size == 0:
                return None
            return int(wrong[min(slider.value, wrong.size - 1)])
        return int(min(slider.value, len(x) - 1))

    def redraw(*_):
        i = current()
        if i is None:
            status.value = "<b>No misclassified images</b>: the network gets every one right."
            out.outputs = ()
            return
        where = (f"mistake {slider.value + 1} of {wrong.size}" if toggle.value
                 else f"of {len(x)}")
        verdict = "right" if preds[i] == t[i] else "wrong"
        status.value = html.escape(
            f"image #{i} ({where}): predicted {preds[i]}, true {t[i]} ({verdict}). "
            f"Accuracy on all {len(x)} images: {np.mean(preds == t):.4f} ({wrong.size} errors)")
        fig = plot_digit_prediction(x[i], probs[i], int(t[i]), caption=f"test image #{i}")
        out.outputs = (figure_output(fig),)

    def switch(change):
        # Keep looking at the same kind of place: the slider now counts misclassified images
        # (or all images) and restarts at the first one.
        slider.unobserve(redraw, "value")
        if change["new"]:
            slider.max = max(wrong.size - 1, 0)
        else:
            slider.max = len(x) - 1
        slider.value = 0
        slider.observe(redraw, "value")
        redraw()

    if misclassified_only:
        toggle.value = True
        slider.max = max(wrong.size - 1, 0)
    slider.value = int(np.clip(index, 0, slider.max))
    slider.observe(redraw, "value")
    toggle.observe(switch, "value")
    redraw()
    box = W.VBox([W.HBox([slider, toggle]), status, out])
    box.slider, box.toggle, box.status, box.output = slider, toggle, status, out
    box.probabilities, box.misclassified, box.predictions = probs, wrong, preds
    return box
