"""The gradient descent playground of notebook 05."""

from __future__ import annotations

import ipywidgets as W

from ..i18n import _
from ..plots.descent import plot_descent
from ..surfaces import SURFACES, descent_path, get_surface
from .scaffold import BookWidget, start_at

__all__ = ["gradient_descent_playground"]


def gradient_descent_playground(
    function: str = "bowl", lr: float | None = None, steps: int | None = None
) -> BookWidget:
    """Pick a function, drag the learning rate (log scale), the number of steps and the start
    point, and watch the gradient-descent path on the contour plot.

    Choosing a function resets the other controls to that function's own settings.
    Controls: ``function``, ``lr``, ``steps``, ``start_x``, ``start_y``.
    """
    surface = get_surface(function)
    style = {"description_width": "110px"}
    common = dict(style=style, layout=W.Layout(width="420px"), continuous_update=False)
    controls = {
        "function": W.Dropdown(options=[(f.label, key) for key, f in SURFACES.items()],
                               value=function, description="f(x, y)", style=style,
                               layout=W.Layout(width="420px")),
        "lr": W.FloatLogSlider(base=10, min=-4,
                               max=1.5, step=0.05, description=_("learning rate"),
                               readout_format=".3g", **common),
        "steps": W.IntSlider(min=0, max=200,
                             step=1, description=_("steps"), **common),
        "start_x": W.FloatSlider(value=surface.start[0], min=-10, max=10, step=0.1,
                                 description=_("start x"), **common),
        "start_y": W.FloatSlider(value=surface.start[1], min=-10, max=10, step=0.1,
                                 description=_("start y"), **common),
    }

    start_at(controls, lr=surface.lr if lr is None else lr,
             steps=surface.steps if steps is None else steps)

    def draw(function: str, lr: float, steps: int, start_x: float, start_y: float):
        return plot_descent(descent_path(function, lr, steps, (start_x, start_y)))

    def reset(name: str) -> None:
        chosen = SURFACES[name]
        box.set(lr=chosen.lr, steps=chosen.steps, start_x=chosen.start[0],
                start_y=chosen.start[1])

    def arrange(box: BookWidget) -> list[W.Widget]:
        return [*box.controls.values(), box.output]

    box = BookWidget(controls, draw, arrange, on_change={"function": reset})
    return box
