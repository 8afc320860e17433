"""Optimizers on x²/20 + y²: the figures, the loss curves and the race widget."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots.optimizers import (
    OPTIMIZER_COLORS,
    plot_loss_curves,
    plot_optimizer_paths,
    plot_optimizer_race,
)
from widget_helpers import shown_png as _png


def _texts(fig) -> str:
    parts = [t.get_text() for ax in fig.axes for t in ax.texts]
    parts += [ax.get_title() for ax in fig.axes]
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            parts += [t.get_text() for t in legend.get_texts()]
    return " ".join(parts)


def test_sgd_diverges_above_lr_one_and_says_so():
    run = nn.optimizer_path("SGD", 1.5, 200)
    assert run.diverged
    assert np.all(np.isfinite(run.path))
    fig = plot_optimizer_race([nn.optimizer_path(n, 1.5, 200) for n in ("SGD", "Adam")])
    assert "diverged" in _texts(fig)
    fig = plot_optimizer_paths([nn.optimizer_path("SGD", 1.5, 200)])
    assert "diverged" in _texts(fig)
    fig = plot_optimizer_race([nn.optimizer_path(n, 0.1, 30) for n in ("SGD", "Adam")])
    assert "diverged" not in _texts(fig)


def test_all_panels_and_the_race_draw():
    fig = plot_optimizer_paths([nn.optimizer_path(name, steps=30) for name in nn.OPTIMIZERS])
    assert len([ax for ax in fig.axes if ax.axison]) == len(nn.OPTIMIZERS)
    plot_optimizer_race([])  # nothing ticked: an empty contour, no error


def test_loss_curves_cut_a_diverged_run():
    fig = plot_loss_curves({"SGD": [2.3, 2.0, 1.5, 1.2], "Adam": [2.3, 1.0, np.inf, np.nan]},
                           window=3)
    assert "Adam (diverged)" in _texts(fig)


def test_race_redraws_when_a_control_changes():
    box = nn.widgets.optimizer_race()
    before = _png(box)
    box.controls["lr"].value = 0.5
    after_lr = _png(box)
    assert after_lr != before
    box.controls["RMSprop"].value = True
    after_box = _png(box)
    assert after_box != after_lr
    box.controls["steps"].value = 100
    assert _png(box) != after_box
    assert plt.get_fignums() == []  # no figure leaks


def test_race_controls_at_their_extremes():
    box = nn.widgets.optimizer_race()
    for checkbox in (box.controls[name] for name in nn.OPTIMIZERS):
        checkbox.value = True
    box.controls["lr"].value = 10.0**box.controls["lr"].max  # SGD and others blow up
    box.controls["steps"].value = box.controls["steps"].max
    assert _png(box)
    box.controls["lr"].value = 10.0**box.controls["lr"].min
    assert _png(box)
    for checkbox in (box.controls[name] for name in nn.OPTIMIZERS):
        checkbox.value = False
    assert _png(box)
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="unknown optimizer"):
        nn.widgets.optimizer_race(names=("SGD", "nope"))


def test_every_optimizer_of_the_registry_has_its_own_colour():
    assert list(OPTIMIZER_COLORS) == list(nn.OPTIMIZERS)
    assert len(set(OPTIMIZER_COLORS.values())) == len(nn.OPTIMIZERS)
