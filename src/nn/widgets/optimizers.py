"""The optimizer race of notebook 07."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W

from ..optimizers import OPTIMIZERS
from ..plots.optimizers import plot_optimizer_race
from ._output import figure_output

__all__ = ["optimizer_race"]




def optimizer_race(
    names: Sequence[str] = ("SGD", "Momentum", "AdaGrad", "Adam"),
    lr: float = 0.3,
    steps: int = 30,
) -> W.VBox:
    """Tick optimizers, drag the shared learning rate (log scale) and the number of steps, and
    watch their paths from (-7, 2) on the contours of ``x**2/20 + y**2``.

    A run that blows up is labelled "diverged".  Returns the container; its ``output``
    attribute is the ``Output`` holding the figure and ``checkboxes`` maps names to boxes.
    """
    chosen = {n.lower() for n in names}
    unknown = chosen - {n.lower() for n in OPTIMIZERS}
    if unknown:
        raise ValueError(f"unknown optimizer(s) {sorted(unknown)}; expected some of {list(OPTIMIZERS)}")
    style = {"description_width": "110px"}
    layout = W.Layout(width="440px")
    boxes = {
        name: W.Checkbox(value=name.lower() in chosen, description=name, indent=False,
                         layout=W.Layout(width="105px"))
        for name in OPTIMIZERS
    }
    lr_slider = W.FloatLogSlider(
        value=lr, base=10, min=-4, max=1.5, step=0.05, description="learning rate",
        readout_format=".3g", style=style, layout=layout, continuous_update=False,
    )
    steps_slider = W.IntSlider(
        value=steps, min=1, max=200, step=1, description="steps", style=style, layout=layout,
        continuous_update=False,
    )
    out = W.Output()

    def redraw(*_):
        selected = [name for name, box in boxes.items() if box.value]
        fig = plot_optimizer_race(selected, lr_slider.value, steps_slider.value)
        out.outputs = (figure_output(fig),)

    for control in (*boxes.values(), lr_slider, steps_slider):
        control.observe(redraw, "value")
    redraw()
    box = W.VBox([W.HBox(list(boxes.values())), lr_slider, steps_slider, out])
    box.output = out
    box.checkboxes = boxes
    box.lr_slider = lr_slider
    box.steps_slider = steps_slider
    return box
