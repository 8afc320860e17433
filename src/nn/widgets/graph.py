"""The computational graph explorer of notebook 06."""

from __future__ import annotations

import ipywidgets as W

from ..plots.graph import plot_apple_orange_graph
from ._output import figure_output

__all__ = ["computational_graph_explorer"]


def computational_graph_explorer(
    apple_price: float = 100.0,
    apple_num: int = 2,
    orange_price: float = 150.0,
    orange_num: int = 3,
    tax: float = 1.1,
) -> W.VBox:
    """Sliders for the prices, counts and tax of the apple-and-orange example; the graph shows
    the forward values above the edges and the gradients of the price below them.

    The values are computed by ``nn.MulLayer`` and ``nn.AddLayer``.  Returns the container; its
    ``output`` attribute is the ``Output`` holding the figure.
    """
    style = {"description_width": "110px"}
    layout = W.Layout(width="420px")
    common = dict(style=style, layout=layout, continuous_update=False)
    controls = {
        "apple_price": W.FloatSlider(value=apple_price, min=0, max=500, step=10,
                                     description="apple price", **common),
        "apple_num": W.IntSlider(value=apple_num, min=0, max=10, description="apple count",
                                 **common),
        "orange_price": W.FloatSlider(value=orange_price, min=0, max=500, step=10,
                                      description="orange price", **common),
        "orange_num": W.IntSlider(value=orange_num, min=0, max=10, description="orange count",
                                  **common),
        "tax": W.FloatSlider(value=tax, min=1.0, max=1.5, step=0.01, description="tax",
                             readout_format=".2f", **common),
    }
    out = W.Output()

    def redraw(*_):
        values = {name: float(c.value) for name, c in controls.items()}
        out.outputs = (figure_output(plot_apple_orange_graph(**values)),)

    for control in controls.values():
        control.observe(redraw, "value")
    redraw()
    box = W.VBox([W.HBox([W.VBox(list(controls.values())[:3]),
                          W.VBox(list(controls.values())[3:])]), out])
    box.output = out
    box.controls = controls
    return box
