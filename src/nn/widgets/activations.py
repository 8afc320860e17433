"""The widgets of notebook 03: a single neuron, and softmax with a temperature."""

from __future__ import annotations

import ipywidgets as W

from ..plots.activations import ACTIVATION_NAMES, plot_neuron, plot_softmax
from ._output import figure_output

__all__ = ["neuron_explorer", "softmax_explorer"]




def neuron_explorer(w: float = 1.0, b: float = 0.0, activation: str = "sigmoid") -> W.VBox:
    """Drag the weight ``w`` and bias ``b`` of a one-input neuron and choose its activation
    (step / sigmoid / ReLU / tanh); the figure shows ``y = h(w x + b)`` and its slope
    ``dy/dx = w h'(w x + b)``.

    Returns the container; its attributes ``weight``, ``bias``, ``activation`` and ``output``
    are the parts (for tests).
    """
    names = {n.lower(): n for n in ACTIVATION_NAMES}
    if str(activation).lower() not in names:
        raise ValueError(f"unknown activation {activation!r}; expected one of {ACTIVATION_NAMES}")
    style = {"description_width": "70px"}
    layout = W.Layout(width="330px")
    weight = W.FloatSlider(value=w, min=-10.0, max=10.0, step=0.1, description="weight w",
                           readout_format=".1f", continuous_update=False, style=style,
                           layout=layout)
    bias = W.FloatSlider(value=b, min=-10.0, max=10.0, step=0.1, description="bias b",
                         readout_format=".1f", continuous_update=False, style=style,
                         layout=layout)
    choose = W.Dropdown(options=list(ACTIVATION_NAMES), value=names[str(activation).lower()],
                        description="h", style=style, layout=W.Layout(width="200px"))
    out = W.Output()

    def redraw(*_):
        out.outputs = (figure_output(plot_neuron(weight.value, bias.value, choose.value)),)

    for control in (weight, bias, choose):
        control.observe(redraw, "value")
    redraw()
    box = W.VBox([W.HBox([weight, bias, choose]), out])
    box.weight, box.bias, box.activation, box.output = weight, bias, choose, out
    return box


def softmax_explorer(logits: tuple[float, float, float] = (0.3, 2.9, 4.0),
                     temperature: float = 1.0) -> W.VBox:
    """Drag three logits ``a1, a2, a3`` and a temperature ``T`` (log slider, 0.01 to 100); the
    bars show ``softmax(a / T)``. Large logits or tiny temperatures do not overflow.

    Returns the container; its attributes ``logits`` (list of three sliders), ``temperature``
    and ``output`` are the parts (for tests).
    """
    if len(logits) != 3:
        raise ValueError(f"softmax_explorer takes three logits; got {len(logits)}")
    style = {"description_width": "95px"}
    layout = W.Layout(width="330px")
    sliders = [W.FloatSlider(value=v, min=-10.0, max=10.0, step=0.1, description=f"logit a{i + 1}",
                             readout_format=".1f", continuous_update=False, style=style,
                             layout=layout)
               for i, v in enumerate(logits)]
    temp = W.FloatLogSlider(value=temperature, base=10, min=-2, max=2, step=0.05,
                            description="temperature T", readout_format=".3g",
                            continuous_update=False, style=style, layout=layout)
    out = W.Output()

    def redraw(*_):
        values = [s.value for s in sliders]
        out.outputs = (figure_output(plot_softmax(values, temp.value)),)

    for control in (*sliders, temp):
        control.observe(redraw, "value")
    redraw()
    box = W.VBox([W.HBox([W.VBox(sliders), temp]), out])
    box.logits, box.temperature, box.output = sliders, temp, out
    return box
