"""The convolution explorer of notebook 08: pick a filter, drag stride and padding, watch the map."""

from __future__ import annotations

import base64
import html

import ipywidgets as W
import numpy as np

from ..conv import HAND_FILTERS
from ..images import image_2d
from ..plots.conv import convolution_figure, figure_png, output_size_text

__all__ = ["convolution_explorer", "explorer_filters"]


def explorer_filters(learned: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The explorer's filters by name: the three hand-made 3x3 ones, then "learned filter k"
    for each first-layer filter of ``learned`` (FN, 1, FH, FW); by default the 30 filters of
    the shipped ``simple_convnet``."""
    if learned is None:
        from ..pretrained import load

        learned = load("simple_convnet", dtype=np.float64).params["W1"]
    learned = np.asarray(learned, dtype=np.float64)
    if learned.ndim != 4 or learned.shape[1] != 1:
        raise ValueError(
            f"learned filters must be (FN, 1, FH, FW) for gray images; got shape {learned.shape}"
        )
    filters = {name: k.copy() for name, k in HAND_FILTERS.items()}
    for k, w in enumerate(learned):
        filters[f"learned filter {k}"] = w[0].copy()
    return filters


def _png_output(png: bytes) -> dict:
    return {
        "output_type": "display_data",
        "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": "<Figure>"},
        "metadata": {},
    }


def convolution_explorer(
    image: np.ndarray | None = None,
    learned: np.ndarray | None = None,
    filter_name: str = "horizontal edge",
    stride: int = 1,
    pad: int = 0,
) -> W.VBox:
    """A filter dropdown (horizontal edge, vertical edge, blur, learned filter 0..29), stride
    and padding sliders; shows the output-size formula with these numbers and the feature map
    the library's ``Convolution`` makes of a digit.

    ``image`` defaults to the first MNIST test digit (a 7); ``learned`` to the shipped
    ``simple_convnet``'s first-layer filters. Returns the container; its attributes
    ``filter``, ``stride``, ``pad``, ``formula`` and ``output`` are the parts (for tests).
    """
    if image is None:
        from ..data import load_mnist

        (_, _), (x_test, _) = load_mnist(flatten=False)
        image = x_test[0, 0]
    image = image_2d(image)
    filters = explorer_filters(learned)
    if filter_name not in filters:
        raise ValueError(f"unknown filter {filter_name!r}; expected one of {list(filters)}")

    choose = W.Dropdown(options=list(filters), value=filter_name, description="filter",
                        style={"description_width": "60px"}, layout=W.Layout(width="260px"))
    stride_slider = W.IntSlider(value=stride, min=1, max=4, description="stride",
                                continuous_update=False, style={"description_width": "60px"})
    pad_slider = W.IntSlider(value=pad, min=0, max=3, description="padding",
                             continuous_update=False, style={"description_width": "60px"})
    formula = W.HTML()
    out = W.Output(layout=W.Layout(min_width="640px"))

    def redraw(*_):
        kernel = filters[choose.value]
        s, p = stride_slider.value, pad_slider.value
        h, w = image.shape[-2:]
        if (h, kernel.shape[0]) == (w, kernel.shape[1]):  # square: one formula serves both
            texts = [output_size_text(h, kernel.shape[0], s, p, name="OH = OW")]
        else:
            texts = [output_size_text(h, kernel.shape[0], s, p, name="OH"),
                     output_size_text(w, kernel.shape[1], s, p, name="OW")]
        formula.value = "<br>".join(html.escape(t).replace("\n", "<br>") for t in texts)
        fig = convolution_figure(image, kernel, stride=s, pad=p, title=choose.value)
        out.outputs = (_png_output(figure_png(fig)),)

    for control in (choose, stride_slider, pad_slider):
        control.observe(redraw, "value")
    redraw()
    box = W.VBox([W.HBox([choose, stride_slider, pad_slider]), formula, out])
    box.filter, box.stride, box.pad = choose, stride_slider, pad_slider
    box.formula, box.output = formula, out
    return box
