"""The convolution explorer of notebook 08: pick a filter, drag stride and padding, see the map."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from ..demos.conv import HAND_FILTERS
from ..i18n import _
from ..images import image_2d
from ..plots.conv import convolution_figure, output_size_text
from .scaffold import BookWidget, labelled_options, start_at

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


def _filter_label(name: str) -> str:
    """A filter's name in the reader's language."""
    if name.startswith("learned filter "):
        return _("learned filter {k}", k=name.rsplit(" ", 1)[1])
    return _(name)


def convolution_explorer(
    image: np.ndarray | None = None,
    learned: np.ndarray | None = None,
    filter_name: str = "horizontal edge",
    stride: int = 1,
    pad: int = 0,
) -> BookWidget:
    """A filter dropdown (horizontal edge, vertical edge, blur, learned filter 0..29), stride
    and padding sliders; shows the output-size formula with these numbers and the feature map
    the library's ``Convolution`` makes of a digit.

    ``image`` defaults to the first MNIST test digit (a 7); ``learned`` to the shipped
    ``simple_convnet``'s first-layer filters.  Controls: ``filter``, ``stride``, ``pad``;
    readout: ``formula``.
    """
    if image is None:
        from ..data import load_mnist

        x_test = load_mnist(flatten=False)[1][0]
        image = x_test[0, 0]
    image = image_2d(image)
    filters = explorer_filters(learned)
    if filter_name not in filters:
        raise ValueError(f"unknown filter {filter_name!r}; expected one of {list(filters)}")
    style = {"description_width": "60px"}
    controls = {
        "filter": W.Dropdown(options=labelled_options(filters, _filter_label),
                             value=filter_name, description=_("filter"),
                             style=style, layout=W.Layout(width="260px")),
        "stride": W.IntSlider(min=1, max=4, description=_("stride"),
                              continuous_update=False, style=style),
        "pad": W.IntSlider(min=0, max=3, description=_("padding"),
                           continuous_update=False, style=style),
    }
    start_at(controls, stride=stride, pad=pad)
    formula = W.HTML()

    def draw(filter: str, stride: int, pad: int):
        kernel = filters[filter]
        h, w = image.shape
        if (h, kernel.shape[0]) == (w, kernel.shape[1]):  # square: one formula serves both
            texts = [output_size_text(h, kernel.shape[0], stride, pad, name="OH = OW")]
        else:
            texts = [output_size_text(h, kernel.shape[0], stride, pad, name="OH"),
                     output_size_text(w, kernel.shape[1], stride, pad, name="OW")]
        formula.value = "<br>".join(html.escape(t).replace("\n", "<br>") for t in texts)
        return convolution_figure(image, kernel, stride=stride, pad=pad,
                                  title=_filter_label(filter))

    return BookWidget(controls, draw, readouts={"formula": formula},
                      output_layout=W.Layout(min_width="640px"), dpi=80)
