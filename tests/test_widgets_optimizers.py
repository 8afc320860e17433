"""Optimizers on x²/20 + y²: the paths, the figures, the loss curves and the race widget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots.optimizers import (
    BOOK_LEARNING_RATES,
    OPTIMIZER_NAMES,
    optimizer_path,
    plot_loss_curves,
    plot_optimizer_paths,
    plot_optimizer_race,
)
from nn.widgets._output import shown_png as _png


def _texts(fig) -> str:
    parts = [t.get_text() for ax in fig.axes for t in ax.texts]
    parts += [ax.get_title() for ax in fig.axes]
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            parts += [t.get_text() for t in legend.get_texts()]
    return " ".join(parts)


def test_sgd_path_follows_the_update_rule():
    # SGD: x ← x − lr·x/10, y ← y − lr·2y, i.e. the factors (1 − lr/10) and (1 − 2·lr).
    path = optimizer_path("SGD", 0.1, 3).path
    k = np.arange(4)
    expected = np.stack([-7.0 * 0.99**k, 2.0 * 0.8**k], axis=1)
    np.testing.assert_allclose(path, expected)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_every_optimizer_approaches_the_minimum_at_its_own_rate(name):
    run = optimizer_path(name, steps=30)
    assert not run.diverged
    assert run.path.shape == (31, 2)
    assert run.distance < np.hypot(-7.0, 2.0) / 2


def test_momentum_and_adam_beat_sgd_at_the_same_learning_rate():
    # The same learning rate and the same 30 steps: SGD's step along the flat x is lr/10 of
    # x, so it crawls, while Momentum builds up speed and Adam scales each coordinate.
    for lr in (0.1, 0.2, 0.3):
        sgd = optimizer_path("SGD", lr, 30).distance
        for name in ("Momentum", "Adam"):
            assert optimizer_path(name, lr, 30).distance < sgd, (name, lr)


def test_sgd_diverges_above_lr_one_and_says_so():
    run = optimizer_path("SGD", 1.5, 200)
    assert run.diverged
    assert np.all(np.isfinite(run.path))
    fig = plot_optimizer_race(["SGD", "Adam"], lr=1.5, steps=200)
    assert "diverged" in _texts(fig)
    plt.close(fig)
    fig = plot_optimizer_paths({"SGD": 1.5}, steps=200)
    assert "diverged" in _texts(fig)
    plt.close(fig)
    fig = plot_optimizer_race(["SGD", "Adam"], lr=0.1, steps=30)
    assert "diverged" not in _texts(fig)
    plt.close(fig)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
@pytest.mark.parametrize("lr", [1e-4, 1.0, 10**1.5])
@pytest.mark.parametrize("steps", [1, 200])
def test_extremes_never_raise(name, lr, steps):
    run = optimizer_path(name, lr, steps)
    assert np.all(np.isfinite(run.path))


def test_all_panels_and_the_race_draw():
    fig = plot_optimizer_paths(BOOK_LEARNING_RATES, steps=30)
    assert len([ax for ax in fig.axes if ax.axison]) == len(OPTIMIZER_NAMES)
    plt.close(fig)
    fig = plot_optimizer_race([], lr=0.1)  # nothing ticked: an empty contour, no error
    plt.close(fig)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizer_path("LBFGS", 0.1, 10)
    with pytest.raises(ValueError, match="learning rate"):
        optimizer_path("SGD", float("nan"), 10)
    with pytest.raises(ValueError, match="learning rate"):
        optimizer_path("SGD", 0.0, 10)
    with pytest.raises(ValueError, match="steps"):
        optimizer_path("SGD", 0.1, 2.5)
    with pytest.raises(ValueError, match="start"):
        optimizer_path("SGD", 0.1, 10, (1.0,))


def test_loss_curves_cut_a_diverged_run():
    fig = plot_loss_curves({"SGD": [2.3, 2.0, 1.5, 1.2], "Adam": [2.3, 1.0, np.inf, np.nan]},
                           window=3)
    assert "Adam (diverged)" in _texts(fig)
    plt.close(fig)


def test_race_redraws_when_a_control_changes():
    box = nn.widgets.optimizer_race()
    before = _png(box)
    box.lr_slider.value = 0.5
    after_lr = _png(box)
    assert after_lr != before
    box.checkboxes["RMSprop"].value = True
    after_box = _png(box)
    assert after_box != after_lr
    box.steps_slider.value = 100
    assert _png(box) != after_box
    assert plt.get_fignums() == []  # no figure leaks


def test_race_controls_at_their_extremes():
    box = nn.widgets.optimizer_race()
    for checkbox in box.checkboxes.values():
        checkbox.value = True
    box.lr_slider.value = 10.0**box.lr_slider.max  # SGD and others blow up
    box.steps_slider.value = box.steps_slider.max
    assert _png(box)
    box.lr_slider.value = 10.0**box.lr_slider.min
    assert _png(box)
    for checkbox in box.checkboxes.values():
        checkbox.value = False
    assert _png(box)
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="unknown optimizer"):
        nn.widgets.optimizer_race(names=("SGD", "nope"))
