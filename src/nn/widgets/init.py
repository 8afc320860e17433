"""The weight-initialisation explorer of notebook 07."""

from __future__ import annotations

import ipywidgets as W

from ..activations import ACTIVATIONS
from ..initializers import activation_layers, weight_scale
from ..plots.init import plot_activation_histograms
from ._output import figure_output

__all__ = ["init_explorer"]

_UNITS = 100  # units per layer, as in the chapter's histograms
#: The activations whose initial scale the chapter discusses (those with a weight gain).
INIT_ACTIVATIONS = tuple(k for k, a in ACTIVATIONS.items() if a.weight_gain is not None)


def init_explorer(std: float = 1.0, activation: str = "sigmoid") -> W.VBox:
    """Drag the weights' standard deviation (log scale) or press Xavier / He, pick the
    activation, and watch the histograms of five 100-unit layers' activations.

    Returns the container; ``output`` is the ``Output`` holding the figure, and ``std_slider``,
    ``activation_dropdown``, ``xavier_button`` and ``he_button`` are the controls.
    """
    if activation.lower() not in INIT_ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {list(INIT_ACTIVATIONS)}")
    activation_layers(std, activation, n_layers=1, n_units=_UNITS, n_samples=1)  # a bad std: a clear error now
    style = {"description_width": "110px"}
    std_slider = W.FloatLogSlider(
        value=std, base=10, min=-3, max=1, step=0.02, description="weight std",
        readout_format=".3g", style=style, layout=W.Layout(width="440px"),
        continuous_update=False,
    )
    xavier = W.Button(description=f"Xavier: 1/√{_UNITS}", tooltip="std = sqrt(1 / n)")
    he = W.Button(description=f"He: √(2/{_UNITS})", tooltip="std = sqrt(2 / n)")
    dropdown = W.Dropdown(options=list(INIT_ACTIVATIONS), value=activation.lower(),
                          description="activation", style=style)
    out = W.Output()

    def redraw(*_):
        layers = activation_layers(std_slider.value, dropdown.value, n_units=_UNITS)
        fig = plot_activation_histograms(layers, dropdown.value, std_slider.value)
        out.outputs = (figure_output(fig),)

    xavier.on_click(lambda _: setattr(std_slider, "value", weight_scale("xavier", _UNITS)))
    he.on_click(lambda _: setattr(std_slider, "value", weight_scale("he", _UNITS)))
    std_slider.observe(redraw, "value")
    dropdown.observe(redraw, "value")
    redraw()
    box = W.VBox([W.HBox([dropdown, xavier, he]), std_slider, out])
    box.output = out
    box.std_slider = std_slider
    box.activation_dropdown = dropdown
    box.xavier_button = xavier
    box.he_button = he
    return box
