"""Weight initialisation figures: the histograms, the result figures and the init explorer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots.init import (
    plot_activation_histograms,
    plot_learning_curve_grid,
    plot_random_search,
    plot_train_test,
)
from nn.widgets.init import INIT_ACTIVATIONS
from widget_helpers import shown_png as _png


@pytest.mark.parametrize("activation", INIT_ACTIVATIONS)
@pytest.mark.parametrize("std", [1e-3, 0.1, 10.0, "xavier", "he"])
def test_histograms_never_raise(activation, std):
    fig = plot_activation_histograms(nn.activation_layers(std, activation), activation, std)
    assert len(fig.axes) == 5


def test_result_figures():
    fig = plot_learning_curve_grid([1.0, 0.1, 0.01],
                                   {"with BN": [[0.1, 0.5]] * 3, "without BN": [[0.1, 0.1]] * 3})
    assert len([ax for ax in fig.axes if ax.axison]) == 3
    fig = plot_learning_curve_grid([1.0], {"with BN": [[0.1, 0.5]], "without BN": [[0.1, np.nan]]})
    assert "without BN: diverged" in " ".join(t.get_text() for t in fig.axes[0].texts)
    with pytest.raises(ValueError, match="curves for"):
        plot_learning_curve_grid([1.0, 0.1], {"with BN": [[0.1]]})
    fig = plot_train_test({"plain": ([0.5, 1.0], [0.4, 0.7])})
    assert "0.30" in fig.axes[0].get_title()
    plot_random_search([1e-3, 1e-2], [1e-6, 1e-5], [0.5, 0.8], best=1,
                       narrowed=((1e-3, 1e-2), (1e-6, 1e-5)))
    with pytest.raises(ValueError, match="same non-zero length"):
        plot_random_search([1e-3], [1e-6, 1e-5], [0.5])


def test_explorer_redraws_when_a_control_changes():
    box = nn.widgets.init_explorer()
    before = _png(box)
    box.controls["std"].value = 0.01
    after_std = _png(box)
    assert after_std != before
    box.controls["activation"].value = "relu"
    after_act = _png(box)
    assert after_act != after_std
    box.controls["he"].click()
    assert box.controls["std"].value == pytest.approx(np.sqrt(0.02), rel=0.03)
    after_he = _png(box)
    assert after_he != after_act
    box.controls["xavier"].click()
    assert box.controls["std"].value == pytest.approx(0.1, rel=0.03)
    assert _png(box) != after_he
    assert plt.get_fignums() == []  # no figure leaks


def test_explorer_controls_at_their_extremes():
    box = nn.widgets.init_explorer()
    box.controls["activation"].value = "relu"  # unbounded: the hardest case to draw
    for exponent in (box.controls["std"].min, box.controls["std"].max):
        box.controls["std"].value = 10.0**exponent
        assert _png(box)
    box.controls["activation"].value = "tanh"
    assert _png(box)
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="unknown activation"):
        nn.widgets.init_explorer(activation="softplus")
