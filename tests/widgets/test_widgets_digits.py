"""Chapter 4: confusion matrix, misclassified gallery, digit prediction figure, digit browser."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots import digits as D
from nn.widgets.digits import digit_browser
from widget_helpers import shown_png as _png


class ScoreTable:
    """A stand-in network: the score of class k for image i is the pixel x[i, k] (so a test
    can choose each prediction by writing ten pixels)."""

    def predict(self, x):
        return np.asarray(x)[:, :10] * 20.0


def _data(n=12, wrong=(2, 5, 9), seed=0):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 10, size=n)
    x = rng.random((n, 784)) * 0.1
    pred = t.copy()
    for i in wrong:
        pred[i] = (t[i] + 1) % 10
    x[np.arange(n), pred] = 1.0
    return x, t, pred


def test_figures_draw_and_close():
    x, t, pred = _data()
    counts = nn.confusion_matrix(t, pred)
    fig = D.plot_confusion_matrix(counts)
    assert "3 errors of 12" in fig.axes[0].get_title()
    fig = D.plot_misclassified(x, t, pred, nn.predict_probabilities(ScoreTable(), x))
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == 3
    assert titles[0].startswith(f"p {pred[2]} / t {t[2]}")
    D.plot_misclassified(x, t, t)  # nothing wrong: a note, not an error
    fig = D.plot_digit_prediction(x[2], np.eye(10)[pred[2]], t[2])
    assert "WRONG" in fig.axes[1].get_title()
    with pytest.raises(ValueError, match="10 values"):
        D.plot_digit_prediction(x[0], np.ones(3) / 3, 0)
    with pytest.raises(ValueError, match="square"):
        D.plot_confusion_matrix(np.zeros((2, 3)))


# ------------------------------------------------------------------ widget


def test_digit_browser_slider_and_misclassified_toggle():
    x, t, pred = _data()
    box = digit_browser(ScoreTable(), x, t)
    assert box.controls["index"].max == len(x) - 1
    assert box.misclassified.tolist() == [2, 5, 9]
    first = _png(box)
    box.controls["index"].value = 3
    assert _png(box) != first
    assert "#3" in box.readouts["status"].value
    box.controls["misclassified_only"].value = True
    assert box.controls["index"].max == 2 and box.controls["index"].value == 0
    status = box.readouts["status"].value
    assert "#2 (mistake 1 of 3)" in status and "wrong" in status
    box.controls["index"].value = box.controls["index"].max
    assert "#9" in box.readouts["status"].value
    box.controls["misclassified_only"].value = False
    assert box.controls["index"].max == len(x) - 1
    box.controls["index"].value = box.controls["index"].max  # extreme value
    assert f"#{len(x) - 1}" in box.readouts["status"].value
    assert plt.get_fignums() == []


def test_digit_browser_with_no_mistakes_and_bad_input():
    x, t, pred = _data(wrong=())
    box = digit_browser(ScoreTable(), x, np.eye(10)[t])  # one-hot labels accepted
    box.controls["misclassified_only"].value = True
    assert "No misclassified" in box.readouts["status"].value and box.controls["index"].max == 0
    box.controls["misclassified_only"].value = False
    assert len(box.output.outputs) == 1
    with pytest.raises(ValueError, match="784"):
        digit_browser(ScoreTable(), x[:, :100], t)
    x, t, pred = _data()
    # An index past the end is an error naming the range, not silently the last image.
    too_far = r"index must be from 0 to 2 \(the range of its slider\); got 1e\+04"
    with pytest.raises(ValueError, match=too_far):
        digit_browser(ScoreTable(), x, t, index=10_000, misclassified_only=True)
    box = digit_browser(ScoreTable(), x, t, index=2, misclassified_only=True)
    index = box.controls["index"]
    assert box.controls["misclassified_only"].value and index.value == index.max == 2
