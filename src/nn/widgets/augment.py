"""The transform explorer of notebook 09: move, turn, zoom or flip a test digit and watch the
network's ten probabilities follow (which transforms keep a digit's label?)."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from ..i18n import _
from ..images import FLIPS, transform_digit
from ..metrics import predict_probabilities
from ..plots.digits import plot_digit_prediction
from .scaffold import BookWidget, labelled_options, start_at

__all__ = ["transform_explorer"]


def transform_explorer(network=None, x: np.ndarray | None = None, t: np.ndarray | None = None,
                       index: int = 0, dx: int = 0, dy: int = 0, degrees: float = 0.0,
                       scale: float = 1.0, flip: str = "none") -> BookWidget:
    """Sliders that shift (``dx``, ``dy`` pixels), rotate (``degrees``) and scale (``scale``)
    test digit ``index``, and a ``flip`` dropdown; the figure shows the transformed digit and
    the network's probabilities (:func:`nn.plots.digits.plot_digit_prediction`).

    By default ``network`` is ``nn.pretrained.load("deep_convnet")`` and ``x``, ``t`` are the
    first 100 MNIST test images (N, 1, 28, 28) and their integer labels.  Any network with
    ``predict`` works; the image is given the shape of its ``input_shape`` (or (1, 28, 28)).
    Each move computes one prediction, so a redraw costs one forward pass and one figure.

    Controls: ``index``, ``dx``, ``dy``, ``degrees``, ``scale``, ``flip``; readout: ``status``.
    """
    if network is None:
        from .. import pretrained

        network = pretrained.load("deep_convnet")
    if x is None or t is None:
        from ..data import load_mnist

        x_test, t_test = load_mnist(normalize=True, flatten=False, one_hot_label=False)[1]
        x = x_test[:100] if x is None else x
        t = t_test[:100] if t is None else t
    x = np.asarray(x)
    t = np.asarray(t)
    if t.ndim == 2:  # one-hot rows -> labels
        t = t.argmax(axis=1)
    if len(x) == 0 or len(x) != len(t) or x[0].size != 784:
        raise ValueError(f"x must be N > 0 images of 28 x 28 pixels and t N labels; got x "
                         f"{x.shape} and t {t.shape}")
    input_shape = tuple(getattr(network, "input_shape", (1, 28, 28)))

    slider = {"continuous_update": False, "style": {"description_width": "60px"},
              "layout": W.Layout(width="300px")}
    controls = {
        "index": W.IntSlider(value=0, min=0, max=len(x) - 1, description=_("image"), **slider),
        "dx": W.IntSlider(value=0, min=-8, max=8, description=_("shift →"), **slider),
        "dy": W.IntSlider(value=0, min=-8, max=8, description=_("shift ↓"), **slider),
        "degrees": W.FloatSlider(value=0.0, min=-180.0, max=180.0, step=5.0,
                                 description=_("rotate °"), **slider),
        "scale": W.FloatSlider(value=1.0, min=0.5, max=1.6, step=0.05, description=_("scale"),
                               **slider),
        "flip": W.Dropdown(options=labelled_options(FLIPS, _), value="none",
                           description=_("flip"),
                           style={"description_width": "60px"}, layout=W.Layout(width="300px")),
    }
    status = W.HTML()

    def draw(index: int, dx: int, dy: int, degrees: float, scale: float, flip: str):
        image = transform_digit(x[index].reshape(28, 28), dx, dy, degrees, scale, flip)
        p = predict_probabilities(network, image.reshape((1, *input_shape)).astype(x.dtype))[0]
        predicted, label = int(np.argmax(p)), int(t[index])
        status.value = html.escape(_(
            "test image #{index}, label {label}: the network says {predicted} with probability "
            "{p:.1%} and gives the label {p_label:.1%}.", index=index, label=label,
            predicted=predicted, p=p[predicted], p_label=p[label]))
        return plot_digit_prediction(image, p, label,
                                     caption=_("test image #{index}, changed", index=index))

    start_at(controls, index=index, dx=dx, dy=dy, degrees=degrees, scale=scale, flip=flip)

    def arrange(box: BookWidget) -> list[W.Widget]:
        c = box.controls
        return [W.HBox([c["index"], c["flip"]]), W.HBox([c["dx"], c["dy"]]),
                W.HBox([c["degrees"], c["scale"]]), status, box.output]

    return BookWidget(controls, draw, arrange, readouts={"status": status})
