"""The optimizer race of notebook 07."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W

from ..i18n import _
from ..optimizers import OPTIMIZERS
from ..plots.optimizers import plot_optimizer_race
from ..surfaces import optimizer_path
from .scaffold import BookWidget, start_at

__all__ = ["optimizer_race"]


def optimizer_race(
    names: Sequence[str] = ("SGD", "Momentum", "AdaGrad", "Adam"),
    lr: float = 0.3,
    steps: int = 30,
) -> BookWidget:
    """Tick optimizers, drag the shared learning rate (log scale) and the number of steps, and
    watch their paths from (-7, 2) on the contours of ``x**2/20 + y**2``.

    A run that blows up is labelled "diverged".  Controls: one checkbox per optimizer of the
    registry (named like it), ``lr``, ``steps``.
    """
    chosen = {n.lower() for n in names}
    unknown = chosen - {n.lower() for n in OPTIMIZERS}
    if unknown:
        raise ValueError(
            f"unknown optimizer(s) {sorted(unknown)}; expected some of {list(OPTIMIZERS)}"
        )
    style = {"description_width": "110px"}
    layout = W.Layout(width="440px")
    controls = {
        name: W.Checkbox(value=name.lower() in chosen, description=name, indent=False,
                         layout=W.Layout(width="105px"))
        for name in OPTIMIZERS
    }
    controls["lr"] = W.FloatLogSlider(
        base=10, min=-4, max=1.5, step=0.05, description=_("learning rate"),
        readout_format=".3g", style=style, layout=layout, continuous_update=False,
    )
    controls["steps"] = W.IntSlider(
        min=1, max=200, step=1, description=_("steps"), style=style, layout=layout,
        continuous_update=False,
    )

    start_at(controls, lr=lr, steps=steps)

    def draw(lr: float, steps: int, **ticked: bool):
        runs = [optimizer_path(name, lr, steps) for name, on in ticked.items() if on]
        return plot_optimizer_race(runs)

    def arrange(box: BookWidget) -> list[W.Widget]:
        c = box.controls
        return [W.HBox([c[name] for name in OPTIMIZERS]), c["lr"], c["steps"], box.output]

    return BookWidget(controls, draw, arrange)
