"""Weight initialisation: the activations of five layers, the histograms and the init explorer."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots.init import (
    INIT_ACTIVATIONS,
    activation_layers,
    init_scale,
    plot_activation_histograms,
    plot_learning_curve_grid,
    plot_random_search,
    plot_train_test,
)
from nn.widgets._output import shown_png as _png


def test_scales():
    assert init_scale(0.01, 100) == 0.01
    assert init_scale("xavier", 100) == pytest.approx(0.1)
    assert init_scale("he", 100) == pytest.approx(np.sqrt(0.02))
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="weight std"):
            init_scale(bad, 100)


def test_layers_shape_and_determinism():
    a = activation_layers(0.5, "tanh", n_layers=3, n_units=20, n_samples=50, seed=1)
    b = activation_layers(0.5, "tanh", n_layers=3, n_units=20, n_samples=50, seed=1)
    assert len(a) == 3 and all(z.shape == (50, 20) for z in a)
    for za, zb in zip(a, b):
        np.testing.assert_array_equal(za, zb)


def test_the_chapters_claims_about_sigmoid():
    # std = 1: saturated, most activations near 0 or 1.
    big = activation_layers(1.0, "sigmoid")
    for z in big:
        assert np.mean((z < 0.1) | (z > 0.9)) > 0.5
    # std = 0.01: everything collapses onto 0.5 (no expressiveness).
    small = activation_layers(0.01, "sigmoid")
    assert all(np.std(z) < 0.03 for z in small)
    # Xavier keeps a spread in every layer.
    xavier = activation_layers("xavier", "sigmoid")
    assert all(np.std(z) > 0.1 for z in xavier)


def test_he_keeps_relu_alive_where_small_std_fades():
    he = [np.std(z) for z in activation_layers("he", "relu")]
    small = [np.std(z) for z in activation_layers(0.01, "relu")]
    assert he[-1] > 0.5 * he[0]  # He keeps the spread
    assert small[-1] < 1e-4 * small[0]  # std = 0.01 makes it vanish layer after layer


@pytest.mark.parametrize("activation", INIT_ACTIVATIONS)
@pytest.mark.parametrize("std", [1e-3, 0.1, 10.0, "xavier", "he"])
def test_histograms_never_raise(activation, std):
    fig = plot_activation_histograms(std, activation)
    assert len(fig.axes) == 5
    plt.close(fig)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown activation"):
        activation_layers(1.0, "softplus")
    with pytest.raises(ValueError, match="n_layers"):
        activation_layers(1.0, "relu", n_layers=0)
    with pytest.raises(ValueError, match="weight std"):
        activation_layers(-1.0, "relu")


def test_result_figures():
    fig = plot_learning_curve_grid([1.0, 0.1, 0.01],
                                   {"with BN": [[0.1, 0.5]] * 3, "without BN": [[0.1, 0.1]] * 3})
    assert len([ax for ax in fig.axes if ax.axison]) == 3
    plt.close(fig)
    fig = plot_learning_curve_grid([1.0], {"with BN": [[0.1, 0.5]], "without BN": [[0.1, np.nan]]})
    assert "without BN: diverged" in " ".join(t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)
    with pytest.raises(ValueError, match="curves for"):
        plot_learning_curve_grid([1.0, 0.1], {"with BN": [[0.1]]})
    fig = plot_train_test({"plain": ([0.5, 1.0], [0.4, 0.7])})
    assert "0.30" in fig.axes[0].get_title()
    plt.close(fig)
    fig = plot_random_search([1e-3, 1e-2], [1e-6, 1e-5], [0.5, 0.8], best=1,
                             narrowed=((1e-3, 1e-2), (1e-6, 1e-5)))
    plt.close(fig)
    with pytest.raises(ValueError, match="same non-zero length"):
        plot_random_search([1e-3], [1e-6, 1e-5], [0.5])


def test_explorer_redraws_when_a_control_changes():
    box = nn.widgets.init_explorer()
    before = _png(box)
    box.std_slider.value = 0.01
    after_std = _png(box)
    assert after_std != before
    box.activation_dropdown.value = "relu"
    after_act = _png(box)
    assert after_act != after_std
    box.he_button.click()
    assert box.std_slider.value == pytest.approx(np.sqrt(0.02), rel=0.03)
    after_he = _png(box)
    assert after_he != after_act
    box.xavier_button.click()
    assert box.std_slider.value == pytest.approx(0.1, rel=0.03)
    assert _png(box) != after_he
    assert plt.get_fignums() == []  # no figure leaks


def test_explorer_controls_at_their_extremes():
    box = nn.widgets.init_explorer()
    box.activation_dropdown.value = "relu"  # unbounded: the hardest case to draw
    for exponent in (box.std_slider.min, box.std_slider.max):
        box.std_slider.value = 10.0**exponent
        assert _png(box)
    box.activation_dropdown.value = "tanh"
    assert _png(box)
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="unknown activation"):
        nn.widgets.init_explorer(activation="softplus")
