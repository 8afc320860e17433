"""Gradient descent: the paths, the figure, and the playground widget of chapter 5."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots.descent import DESCENT_FUNCTIONS, descent_path, plot_descent
from nn.widgets._output import shown_png as _png


def _texts(fig) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts)


@pytest.mark.parametrize(
    ("lr", "status"),
    [(0.1, "converged"), (0.7, "converged"), (1.0, "running"), (1.5, "diverged"), (10, "diverged")],
)
def test_bowl_learning_rates(lr, status):
    # On x0² + x1² one step multiplies the point by (1 − 2·lr).
    result = descent_path("bowl", lr, 100, (-3.0, 4.0))
    assert result.status == status
    if status == "running":  # lr = 1 flips the sign for ever
        np.testing.assert_allclose(np.abs(result.final), [3.0, 4.0])


def test_path_follows_the_update_rule():
    path = descent_path("bowl", 0.1, 3, (-3.0, 4.0)).path
    expected = np.array([[-3.0, 4.0]]) * (0.8 ** np.arange(4))[:, None]
    np.testing.assert_allclose(path, expected)


def test_quartic_finds_both_minima():
    left = descent_path("quartic", 0.005, 400, (-1.0, 0.5)).final
    right = descent_path("quartic", 0.005, 400, (1.0, 0.5)).final
    assert left[0] == pytest.approx(-4.0, abs=1e-3)
    assert right[0] == pytest.approx(2.0, abs=1e-3)


def test_diverged_is_written_in_the_figure():
    fig = plot_descent("bowl", lr=10, steps=100, start=(-3, 4))
    assert "diverged" in _texts(fig)
    plt.close(fig)
    fig = plot_descent("bowl", lr=0.1, steps=100, start=(-3, 4))
    assert "diverged" not in _texts(fig)
    plt.close(fig)


@pytest.mark.parametrize("name", sorted(DESCENT_FUNCTIONS))
def test_extremes_never_raise(name):
    for lr in (1e-4, 0.5, 10 ** 1.5):
        for start in ((-10.0, -10.0), (0.0, 0.0), (10.0, 10.0)):
            result = descent_path(name, lr, 200, start)
            assert np.all(np.isfinite(result.path))
    for start in ((-10.0, 10.0), (0.0, 0.0)):
        fig = plot_descent(name, 10 ** 1.5, 200, start)
        plt.close(fig)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown function"):
        descent_path("nope", 0.1, 10)
    with pytest.raises(ValueError, match="learning rate"):
        descent_path("bowl", float("nan"), 10)
    with pytest.raises(ValueError, match="start"):
        descent_path("bowl", 0.1, 10, (1.0,))


def test_playground_redraws_when_a_control_changes():
    box = nn.widgets.gradient_descent_playground()
    before = _png(box)
    lr_slider = next(c for c in box.children if getattr(c, "description", "") == "learning rate")
    lr_slider.value = 2.0
    after = _png(box)
    assert after != before
    choose = box.children[0]
    choose.value = "quartic"
    assert _png(box) != after
    assert lr_slider.value == DESCENT_FUNCTIONS["quartic"].lr  # reset to the function's own
    assert plt.get_fignums() == []  # no figure leaks


def test_playground_controls_at_their_extremes():
    box = nn.widgets.gradient_descent_playground()
    for control in box.children[1:5]:
        for value in (control.min, control.max):
            control.value = value
            assert _png(box)
