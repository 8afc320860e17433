"""Gradient descent: the figure and the playground widget of chapter 5."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots.descent import plot_descent
from widget_helpers import shown_png as _png


def _texts(fig) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts)


def test_diverged_is_written_in_the_figure():
    fig = plot_descent(nn.descent_path("bowl", 10, 100, (-3, 4)))
    assert "diverged" in _texts(fig)
    fig = plot_descent(nn.descent_path("bowl", 0.1, 100, (-3, 4)))
    assert "diverged" not in _texts(fig)


@pytest.mark.parametrize("name", sorted(nn.SURFACES))
def test_extremes_never_raise(name):
    for lr in (1e-4, 0.5, 10 ** 1.5):
        for start in ((-10.0, -10.0), (0.0, 0.0), (10.0, 10.0)):
            result = nn.descent_path(name, lr, 200, start)
            assert np.all(np.isfinite(result.path))
    for start in ((-10.0, 10.0), (0.0, 0.0)):
        plot_descent(nn.descent_path(name, 10**1.5, 200, start))


def test_playground_redraws_when_a_control_changes():
    box = nn.widgets.gradient_descent_playground()
    before = _png(box)
    lr_slider = box.controls["lr"]
    lr_slider.value = 2.0
    after = _png(box)
    assert after != before
    choose = box.controls["function"]
    choose.value = "quartic"
    assert _png(box) != after
    assert lr_slider.value == nn.SURFACES["quartic"].lr  # reset to the function's own
    assert plt.get_fignums() == []  # no figure leaks


def test_playground_controls_at_their_extremes():
    box = nn.widgets.gradient_descent_playground()
    for name in ("lr", "steps", "start_x", "start_y"):
        control = box.controls[name]
        for value in (control.min, control.max):
            control.value = value
            assert _png(box)
