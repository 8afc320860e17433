"""The weight-initialisation explorer of notebook 07."""

from __future__ import annotations

import ipywidgets as W

from ..activations import ACTIVATIONS
from ..demos.init import activation_layers
from ..i18n import _
from ..initializers import weight_scale
from ..plots.init import plot_activation_histograms
from .scaffold import BookWidget, start_at

__all__ = ["init_explorer"]

_UNITS = 100  # units per layer, as in the chapter's histograms
#: The activations whose initial scale the chapter discusses (those with a weight gain).
INIT_ACTIVATIONS = tuple(k for k, a in ACTIVATIONS.items() if a.weight_gain is not None)


def init_explorer(std: float = 1.0, activation: str = "sigmoid") -> BookWidget:
    """Drag the weights' standard deviation (log scale) or press Xavier / He, pick the
    activation, and watch the histograms of five 100-unit layers' activations.

    Controls: ``activation``, ``xavier`` and ``he`` (buttons), ``std``.
    """
    if activation.lower() not in INIT_ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; expected one of {list(INIT_ACTIVATIONS)}"
        )
    weight_scale(std, _UNITS)  # a bad std is a clear error before any control is built
    style = {"description_width": "110px"}
    controls = {
        "activation": W.Dropdown(options=list(INIT_ACTIVATIONS), value=activation.lower(),
                                 description=_("activation"), style=style),
        "xavier": W.Button(description=f"Xavier: 1/√{_UNITS}", tooltip="std = sqrt(1 / n)"),
        "he": W.Button(description=f"He: √(2/{_UNITS})", tooltip="std = sqrt(2 / n)"),
        "std": W.FloatLogSlider(base=10, min=-3, max=1, step=0.02,
                                description=_("weight std"), readout_format=".3g", style=style,
                                layout=W.Layout(width="440px"), continuous_update=False),
    }

    start_at(controls, std=std)

    def draw(activation: str, std: float):
        layers = activation_layers(std, activation, n_units=_UNITS)
        return plot_activation_histograms(layers, activation, std)

    def arrange(box: BookWidget) -> list[W.Widget]:
        c = box.controls
        return [W.HBox([c["activation"], c["xavier"], c["he"]]), c["std"], box.output]

    box = BookWidget(controls, draw, arrange)
    for name in ("xavier", "he"):
        controls[name].on_click(lambda _button, name=name: box.set(std=weight_scale(name, _UNITS)))
    return box
