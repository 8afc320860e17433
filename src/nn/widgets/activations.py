"""The widgets of notebook 03: a single neuron, and softmax with a temperature."""

from __future__ import annotations

import ipywidgets as W

from ..activations import get_activation
from ..i18n import _
from ..plots.activations import ACTIVATION_NAMES, plot_neuron, plot_softmax
from .scaffold import BookWidget, start_at

__all__ = ["neuron_explorer", "softmax_explorer"]


def neuron_explorer(w: float = 1.0, b: float = 0.0, activation: str = "sigmoid") -> BookWidget:
    """Drag the weight ``w`` and bias ``b`` of a one-input neuron and choose its activation
    (step / sigmoid / ReLU / tanh); the figure shows ``y = h(w x + b)`` and its slope
    ``dy/dx = w h'(w x + b)``.  Controls: ``w``, ``b``, ``activation``.
    """
    name = get_activation(activation).name
    if name not in ACTIVATION_NAMES:
        raise ValueError(f"unknown activation {activation!r}; expected one of {ACTIVATION_NAMES}")
    style = {"description_width": "70px"}
    slider = dict(min=-10.0, max=10.0, step=0.1, readout_format=".1f", continuous_update=False,
                  style=style, layout=W.Layout(width="330px"))
    controls = {
        "w": W.FloatSlider(description=_("weight w"), **slider),
        "b": W.FloatSlider(description=_("bias b"), **slider),
        "activation": W.Dropdown(options=list(ACTIVATION_NAMES), value=name, description="h",
                                 style=style, layout=W.Layout(width="200px")),
    }
    start_at(controls, w=w, b=b)
    return BookWidget(controls, lambda w, b, activation: plot_neuron(w, b, activation))


def softmax_explorer(logits: tuple[float, float, float] = (0.3, 2.9, 4.0),
                     temperature: float = 1.0) -> BookWidget:
    """Drag three logits ``a1, a2, a3`` and a temperature ``T`` (log slider, 0.01 to 100); the
    bars show ``softmax(a / T)``.  Large logits or tiny temperatures do not overflow.
    Controls: ``a1``, ``a2``, ``a3``, ``temperature``.
    """
    if len(logits) != 3:
        raise ValueError(f"softmax_explorer takes three logits; got {len(logits)}")
    style = {"description_width": "95px"}
    layout = W.Layout(width="330px")
    controls = {
        f"a{i + 1}": W.FloatSlider(min=-10.0, max=10.0, step=0.1,
                                   description=_("logit a{i}", i=i + 1), readout_format=".1f",
                                   continuous_update=False, style=style, layout=layout)
        for i in range(3)
    }
    controls["temperature"] = W.FloatLogSlider(
        base=10, min=-2, max=2, step=0.05, description=_("temperature T"),
        readout_format=".3g", continuous_update=False, style=style, layout=layout)
    start_at(controls, a1=logits[0], a2=logits[1], a3=logits[2], temperature=temperature)

    def draw(a1: float, a2: float, a3: float, temperature: float):
        return plot_softmax([a1, a2, a3], temperature)

    def arrange(box: BookWidget) -> list[W.Widget]:
        sliders = [box.controls[k] for k in ("a1", "a2", "a3")]
        return [W.HBox([W.VBox(sliders), box.controls["temperature"]]), box.output]

    return BookWidget(controls, draw, arrange)
