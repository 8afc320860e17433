"""The computational graph explorer of notebook 06."""

from __future__ import annotations

import ipywidgets as W

from ..demos.backprop import APPLE_NUM, APPLE_PRICE, ORANGE_NUM, ORANGE_PRICE, TAX
from ..i18n import _
from ..plots.graph import plot_apple_orange_graph
from .scaffold import BookWidget, start_at

__all__ = ["computational_graph_explorer"]


def computational_graph_explorer(
    apple_price: float = APPLE_PRICE,
    apple_num: int = APPLE_NUM,
    orange_price: float = ORANGE_PRICE,
    orange_num: int = ORANGE_NUM,
    tax: float = TAX,
) -> BookWidget:
    """Sliders for the prices, counts and tax of the apple-and-orange example; the graph shows
    the forward values above the edges and the gradients of the price below them.

    The values are computed by ``nn.MulLayer`` and ``nn.AddLayer``.  Controls: ``apple_price``,
    ``apple_num``, ``orange_price``, ``orange_num``, ``tax``.
    """
    style = {"description_width": "110px"}
    layout = W.Layout(width="420px")
    common = dict(style=style, layout=layout, continuous_update=False)
    controls = {
        "apple_price": W.FloatSlider(min=0, max=500, step=10,
                                     description=_("apple price"), **common),
        "apple_num": W.IntSlider(min=0, max=10, description=_("apple count"),
                                 **common),
        "orange_price": W.FloatSlider(min=0, max=500, step=10,
                                      description=_("orange price"), **common),
        "orange_num": W.IntSlider(min=0, max=10, description=_("orange count"),
                                  **common),
        "tax": W.FloatSlider(min=1.0, max=1.5, step=0.01, description=_("tax"),
                             readout_format=".2f", **common),
    }

    start_at(controls, apple_price=apple_price, apple_num=apple_num, orange_price=orange_price,
             orange_num=orange_num, tax=tax)

    def draw(**values: float):
        return plot_apple_orange_graph(**{name: float(v) for name, v in values.items()})

    def arrange(box: BookWidget) -> list[W.Widget]:
        sliders = list(box.controls.values())
        return [W.HBox([W.VBox(sliders[:3]), W.VBox(sliders[3:])]), box.output]

    return BookWidget(controls, draw, arrange)
