"""nn.activations: the one table of activations (function, derivative, layer, init gain) and
softmax with a temperature."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import nn


def test_the_activation_table_is_the_libraries_functions_and_layers():
    x = np.linspace(-3, 3, 13)
    for key in ("sigmoid", "relu", "tanh"):
        act = nn.ACTIVATIONS[key]
        layer = act.layer()
        np.testing.assert_allclose(layer.forward(x), act.function(x))
        # The layer's backward is the table's derivative (times dout = 1).
        np.testing.assert_allclose(layer.backward(np.ones_like(x)), act.derivative(x), atol=1e-12)
    assert nn.get_activation("ReLU") is nn.ACTIVATIONS["relu"]
    with pytest.raises(ValueError, match="unknown activation 'step'"):
        nn.get_activation("step", trainable=True)
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        nn.get_activation("swish")


@pytest.mark.parametrize("name", ["step", "sigmoid", "ReLU", "tanh"])
def test_activation_lookup_matches_its_derivative(name):
    h, h_prime = nn.get_activation(name).function, nn.get_activation(name).derivative
    x = np.array([-2.3, -0.7, 0.4, 1.9])  # away from the kinks of step and ReLU
    eps = 1e-5
    numeric = (h(x + eps) - h(x - eps)) / (2 * eps)
    np.testing.assert_allclose(h_prime(x), numeric, atol=1e-6)
    assert nn.get_activation(name.upper()).function is h  # case-insensitive


def test_softmax_with_temperature():
    p = nn.softmax_with_temperature([0.3, 2.9, 4.0])
    np.testing.assert_allclose(p, [0.01821127, 0.24519181, 0.73659691], atol=1e-8)
    # Huge logits: no overflow, same answer as the shifted logits.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = nn.softmax_with_temperature([1010.0, 1000.0, 990.0])
        cold = nn.softmax_with_temperature([1.0, 2.0, 3.0], 0.01)
    np.testing.assert_allclose(big, nn.softmax_with_temperature([20.0, 10.0, 0.0]))
    np.testing.assert_allclose(cold, [0, 0, 1], atol=1e-12)
    np.testing.assert_allclose(nn.softmax_with_temperature([1.0, 2.0, 3.0], 1e6), 1 / 3, atol=1e-5)
    for bad in ([], [[1.0, 2.0]], [1.0, np.inf]):
        with pytest.raises(ValueError, match="logits"):
            nn.softmax_with_temperature(bad)
    for bad_t in (0.0, -1.0, np.nan):
        with pytest.raises(ValueError, match="temperature"):
            nn.softmax_with_temperature([1.0, 2.0], bad_t)


def test_naive_overflow_flag():
    assert not nn.naive_softmax_overflows([0.3, 2.9, 4.0])
    assert nn.naive_softmax_overflows([1010.0, 1000.0, 990.0])
    assert nn.naive_softmax_overflows([10.0, 0.0, 0.0], 0.01)


def test_stacked_linear_layers_stay_a_straight_line_but_nonlinear_ones_bend():
    x = np.linspace(-3, 3, 601)
    curves = nn.random_network_outputs(x, depth=3, width=8, seed=0)
    assert set(curves) == {"identity", "sigmoid", "ReLU", "tanh"}

    def bend(y):  # largest distance from the best straight line, relative to the curve's span
        return np.max(np.abs(y - np.polyval(np.polyfit(x, y, 1), x))) / np.ptp(y)

    assert bend(curves["identity"]) < 1e-9
    for name in ("sigmoid", "ReLU", "tanh"):
        assert bend(curves[name]) > 0.02
