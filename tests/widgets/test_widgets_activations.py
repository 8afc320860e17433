"""Chapter 3: activation-function figures, the neuron explorer and the softmax explorer."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots import activations as A
from nn.widgets.activations import neuron_explorer, softmax_explorer
from widget_helpers import shown_png as _png


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown activation"):
        A.plot_neuron(1, 0, "swish")


def test_plot_activations_draws_one_panel_per_function():
    fig = A.plot_activations()
    assert len(fig.axes) == 4
    assert [ax.get_title().split(":")[0] for ax in fig.axes] == list(A.ACTIVATION_NAMES)
    A.plot_step_vs_sigmoid()


def test_step_curve_has_no_vertical_segment():
    fig = A.plot_activations(["step"])
    lines = fig.axes[0].get_lines()
    ys = [set(np.unique(line.get_ydata())) for line in lines if len(line.get_xdata()) > 2]
    assert {0.0} in ys and {1.0} in ys  # two flat pieces, nothing joining them


def test_stacked_layers_figure_draws_one_panel_per_activation():
    x = np.linspace(-3, 3, 601)
    outputs = nn.random_network_outputs(x, depth=3, width=8, seed=0)
    fig = A.plot_stacked_layers(x, outputs, depth=3, width=8)
    lines = [line for ax in fig.axes for line in ax.get_lines()]
    curves = {line.get_label().split(": ")[1]: line.get_ydata() for line in lines}
    assert set(curves) == {"identity", "sigmoid", "ReLU", "tanh"}
    for name, y in outputs.items():
        np.testing.assert_array_equal(curves[name], y)


def test_plot_neuron_draws_h_of_wx_plus_b_and_its_slope():
    fig = A.plot_neuron(2.0, -1.0, "sigmoid")
    (line,) = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) > 2]
    (dline,) = [ln for ln in fig.axes[1].get_lines() if len(ln.get_xdata()) > 2]
    x, y = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-(2.0 * x - 1.0))), atol=1e-12)
    np.testing.assert_allclose(dline.get_ydata()[1:-1], np.gradient(y, x)[1:-1], atol=2e-3)


@pytest.mark.parametrize("name", A.ACTIVATION_NAMES)
@pytest.mark.parametrize("w, b", [(0.0, 0.0), (0.0, -10.0), (10.0, 10.0), (-10.0, 10.0),
                                  (1e-12, 0.0), (1e6, -1e6)])
def test_plot_neuron_survives_extreme_settings(name, w, b):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or division warnings either
        A.plot_neuron(w, b, name)


def test_plot_neuron_rejects_non_finite():
    with pytest.raises(ValueError, match="finite"):
        A.plot_neuron(np.nan, 0.0)


def test_the_softmax_figure_says_when_the_naive_formula_overflows():
    fig = A.plot_softmax([10.0, 0.0, 0.0], 0.01)
    assert any("overflow" in text.get_text() for text in fig.axes[1].texts)


def test_draw_network_has_one_circle_per_neuron():
    fig = A.draw_network((2, 3, 2, 2))
    from matplotlib.patches import Circle

    assert sum(isinstance(p, Circle) for p in fig.axes[0].patches) == 9
    with pytest.raises(ValueError, match="layer_sizes"):
        A.draw_network((3,))


# ------------------------------------------------------------------ widgets


def test_neuron_explorer_redraws_on_every_control():
    box = neuron_explorer()
    before = _png(box)
    box.controls["w"].value = 5.0
    after_w = _png(box)
    assert after_w != before
    box.controls["b"].value = -3.0
    assert _png(box) != after_w
    box.controls["activation"].value = "tanh"
    assert _png(box) not in (before, after_w)
    assert plt.get_fignums() == []  # no leaked figures


def test_neuron_explorer_extremes_do_not_raise():
    # (plot_neuron itself is checked at every corner above; here the controls' own limits.)
    box = neuron_explorer(activation="ReLU")
    box.controls["w"].value, box.controls["b"].value = box.controls["w"].max, box.controls["b"].min
    box.controls["activation"].value = "sigmoid"
    box.controls["w"].value = 0.0
    box.controls["activation"].value = "step"
    box.controls["w"].value, box.controls["b"].value = box.controls["w"].min, box.controls["b"].max
    assert len(box.output.outputs) == 1
    with pytest.raises(ValueError, match="unknown activation"):
        neuron_explorer(activation="gelu")


def test_softmax_explorer_redraws_and_survives_extremes():
    box = softmax_explorer()
    before = _png(box)
    box.controls["a1"].value = 8.0
    assert _png(box) != before
    moved = _png(box)
    box.controls["temperature"].value = 10.0
    assert _png(box) != moved
    box.controls["a1"].value = box.controls["a1"].max
    box.controls["a2"].value = box.controls["a2"].min
    temperature = box.controls["temperature"]
    temperature.value = 10.0**temperature.min  # a / T up to 1000: no overflow
    box.controls["temperature"].value = 10.0 ** box.controls["temperature"].max
    assert len(box.output.outputs) == 1
    with pytest.raises(ValueError, match="three logits"):
        softmax_explorer((1.0, 2.0))
    assert plt.get_fignums() == []
