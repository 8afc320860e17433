"""The gradient descent playground of notebook 05."""

from __future__ import annotations

import ipywidgets as W

from ..plots.descent import plot_descent
from ..surfaces import SURFACES
from ._output import figure_output

__all__ = ["gradient_descent_playground"]




def gradient_descent_playground(
    function: str = "bowl", lr: float | None = None, steps: int | None = None
) -> W.VBox:
    """Pick a function, drag the learning rate (log scale), the number of steps and the start
    point, and watch the gradient-descent path on the contour plot.

    Choosing a function resets the other controls to that function's own settings.  Returns the
    container; its ``output`` attribute is the ``Output`` holding the figure.
    """
    if function not in SURFACES:
        raise ValueError(
            f"unknown function {function!r}; expected one of {sorted(SURFACES)}"
        )
    fn = SURFACES[function]
    style = {"description_width": "110px"}
    layout = W.Layout(width="420px")
    choose = W.Dropdown(
        options=[(f.label, key) for key, f in SURFACES.items()],
        value=function, description="f(x, y)", style=style, layout=layout,
    )
    lr_slider = W.FloatLogSlider(
        value=fn.lr if lr is None else lr, base=10, min=-4, max=1.5, step=0.05,
        description="learning rate", readout_format=".3g", style=style, layout=layout,
        continuous_update=False,
    )
    steps_slider = W.IntSlider(
        value=fn.steps if steps is None else steps, min=0, max=200, step=1,
        description="steps", style=style, layout=layout, continuous_update=False,
    )
    x_slider = W.FloatSlider(value=fn.start[0], min=-10, max=10, step=0.1,
                             description="start x", style=style, layout=layout,
                             continuous_update=False)
    y_slider = W.FloatSlider(value=fn.start[1], min=-10, max=10, step=0.1,
                             description="start y", style=style, layout=layout,
                             continuous_update=False)
    out = W.Output()

    def redraw(*_):
        fig = plot_descent(choose.value, lr_slider.value, steps_slider.value,
                           (x_slider.value, y_slider.value))
        out.outputs = (figure_output(fig),)

    def reset(change):
        f = SURFACES[change["new"]]
        for slider, value in ((lr_slider, f.lr), (steps_slider, f.steps),
                              (x_slider, f.start[0]), (y_slider, f.start[1])):
            slider.unobserve(redraw, "value")  # one redraw below, not four
            slider.value = value
            slider.observe(redraw, "value")
        redraw()

    choose.observe(reset, "value")
    for slider in (lr_slider, steps_slider, x_slider, y_slider):
        slider.observe(redraw, "value")
    redraw()
    box = W.VBox([choose, lr_slider, steps_slider, x_slider, y_slider, out])
    box.output = out
    return box
