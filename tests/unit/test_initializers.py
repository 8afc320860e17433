"""nn.initializers: weight scales from the activation table, and the activations of a stack of
layers (chapter 7's experiment)."""

from __future__ import annotations

import numpy as np
import pytest

import nn


def test_multilayernet_builds_its_hidden_layers_from_the_table():
    for key in ("sigmoid", "relu", "tanh"):
        net = nn.MultiLayerNet(4, [3, 3], 2, activation=key)
        assert isinstance(net.layers["Activation_function1"], nn.ACTIVATIONS[key].layer)


def test_scales_follow_the_activation_table():
    assert nn.weight_scale(0.01, 100) == 0.01
    assert nn.weight_scale("xavier", 100) == pytest.approx(0.1)
    assert nn.weight_scale("he", 100) == pytest.approx(np.sqrt(0.02))
    for key, act in nn.ACTIVATIONS.items():
        if act.weight_gain is not None:
            assert nn.weight_scale(key, 50) == pytest.approx(np.sqrt(act.weight_gain / 50))
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="weight_init_std"):
            nn.weight_scale(bad, 100)
    with pytest.raises(ValueError, match="weight_init_std"):
        nn.weight_scale("step", 100)  # no scale suits a function that cannot be trained


def test_layers_shape_and_determinism():
    a = nn.activation_layers(0.5, "tanh", n_layers=3, n_units=20, n_samples=50, seed=1)
    b = nn.activation_layers(0.5, "tanh", n_layers=3, n_units=20, n_samples=50, seed=1)
    assert len(a) == 3 and all(z.shape == (50, 20) for z in a)
    for za, zb in zip(a, b, strict=True):
        np.testing.assert_array_equal(za, zb)


def test_the_chapters_claims_about_sigmoid():
    # std = 1: saturated, most activations near 0 or 1.
    big = nn.activation_layers(1.0, "sigmoid")
    for z in big:
        assert np.mean((z < 0.1) | (z > 0.9)) > 0.5
    # std = 0.01: everything collapses onto 0.5 (no expressiveness).
    small = nn.activation_layers(0.01, "sigmoid")
    assert all(np.std(z) < 0.03 for z in small)
    # Xavier keeps a spread in every layer.
    xavier = nn.activation_layers("xavier", "sigmoid")
    assert all(np.std(z) > 0.1 for z in xavier)


def test_he_keeps_relu_alive_where_small_std_fades():
    he = [np.std(z) for z in nn.activation_layers("he", "relu")]
    small = [np.std(z) for z in nn.activation_layers(0.01, "relu")]
    assert he[-1] > 0.5 * he[0]  # He keeps the spread
    assert small[-1] < 1e-4 * small[0]  # std = 0.01 makes it vanish layer after layer


def test_activation_layers_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown activation"):
        nn.activation_layers(1.0, "softplus")
    with pytest.raises(ValueError, match="n_layers"):
        nn.activation_layers(1.0, "relu", n_layers=0)
    with pytest.raises(ValueError, match="weight_init_std"):
        nn.activation_layers(-1.0, "relu")
    with pytest.raises(ValueError, match="weight_init_std must be > 0"):
        nn.activation_layers(0.0, "relu")


@pytest.mark.parametrize(
    ("std", "fan_in", "expected"),
    [(0.01, 784, 0.01), ("xavier", 100, 0.1), ("Sigmoid", 25, 0.2), ("he", 50, 0.2),
     ("ReLU", 8, 0.5), ("tanh", 4, 0.5)],
)
def test_weight_scale(std, fan_in, expected):
    assert nn.weight_scale(std, fan_in) == pytest.approx(expected)


def test_weight_scale_rejects_unknown_names_and_bad_numbers():
    names = r"one of \['he', 'relu', 'sigmoid', 'tanh', 'xavier'\]; got 'lecun'"
    with pytest.raises(ValueError, match=names):
        nn.weight_scale("lecun", 10)
    with pytest.raises(ValueError, match="finite number >= 0; got -1"):
        nn.weight_scale(-1, 10)
    with pytest.raises(ValueError, match="fan_in must be an integer >= 1; got 0"):
        nn.weight_scale("he", 0)
