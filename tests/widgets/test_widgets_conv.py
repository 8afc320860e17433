"""Chapters 8 and 9: convolution figures, the convolution explorer, the augmentation figures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots import conv as C
from nn.plots import deep as D
from nn.widgets.conv import convolution_explorer, explorer_filters
from paths import needs_mnist
from synthetic import synthetic_digit
from widget_helpers import shown_png as _png

BOOK_X = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=float)
BOOK_W = np.array([[2, 0, 1], [0, 1, 2], [1, 0, 2]], dtype=float)


def _learned(n: int = 4) -> np.ndarray:
    return np.random.default_rng(1).normal(size=(n, 1, 5, 5))


# ------------------------------------------------------------------ the convolution itself


def test_output_size_text_matches_the_library():
    for size, f, s, p in [(28, 5, 1, 0), (28, 3, 1, 1), (7, 3, 2, 0), (4, 3, 1, 1)]:
        assert C.output_size_text(size, f, s, p).endswith(f"= {nn.conv_output_size(size, f, s, p)}")
    fractional = C.output_size_text(28, 3, 2, 0)
    assert "not whole" in fractional and "gives 13" in fractional
    assert "does not fit" in C.output_size_text(2, 5, 1, 0)


def test_figures_draw_and_close():
    before = plt.get_fignums()
    figs = [
        C.sliding_window_figure(BOOK_X, BOOK_W),
        C.sliding_window_figure(BOOK_X, BOOK_W, stride=1, pad=1),
        C.flatten_figure(synthetic_digit(), np.random.default_rng(0)),
        C.convolution_figure(synthetic_digit(), nn.HAND_FILTERS["blur"], stride=3, pad=2),
        C.filter_grid_figure(_learned(30)),
        C.map_grid_figure(np.random.default_rng(0).random((7, 24, 24)), titles=list("abcdefg")),
        C.pooling_shift_figure(synthetic_digit(), nn.shift_image(synthetic_digit(), 1),
                               np.ones((14, 14)), np.ones((14, 14))),
    ]
    assert "out[1, 1] = 15" in figs[0].texts[0].get_text() or any(
        "out[1, 1] = 15" in ax.get_title() for ax in figs[0].axes
    )
    for fig in figs:
        assert nn.plots.figure_png(fig).startswith(b"\x89PNG")
    assert plt.get_fignums() == before
    with pytest.raises(ValueError):
        C.filter_grid_figure(np.ones((3, 5, 5)))


# ------------------------------------------------------------------ the explorer widget


def test_explorer_filters():
    filters = explorer_filters(_learned(3))
    assert list(filters) == [*nn.HAND_FILTERS, "learned filter 0", "learned filter 1",
                             "learned filter 2"]
    assert filters["learned filter 2"].shape == (5, 5)
    with pytest.raises(ValueError, match="FN, 1, FH, FW"):
        explorer_filters(np.ones((3, 2, 5, 5)))


def test_explorer_controls_change_the_output():
    box = convolution_explorer(image=synthetic_digit(), learned=_learned())
    png, formula = _png(box), box.readouts["formula"].value
    assert "= 26" in formula  # (28 - 3) / 1 + 1 with the default 3x3 horizontal edge
    box.controls["filter"].value = "vertical edge"
    assert _png(box) != png
    png = _png(box)
    box.controls["pad"].value = 1
    assert "= 28" in box.readouts["formula"].value and _png(box) != png
    box.controls["filter"].value = "learned filter 3"
    assert "(28 + 2·1 − 5) / 1 + 1 = 26" in box.readouts["formula"].value
    box.controls["stride"].value = 2
    assert "= 13.5" in box.readouts["formula"].value and "gives 13" in box.readouts["formula"].value


def test_explorer_every_setting_draws():
    box = convolution_explorer(image=synthetic_digit(), learned=_learned(1))
    for name in box.controls["filter"].options:
        box.controls["filter"].value = name
        for s in (box.controls["stride"].min, 3, box.controls["stride"].max):
            for p in (box.controls["pad"].min, box.controls["pad"].max):
                box.controls["pad"].value, box.controls["stride"].value = p, s
                assert _png(box)
    assert plt.get_fignums() == []


def test_explorer_bad_arguments():
    with pytest.raises(ValueError, match="unknown filter"):
        convolution_explorer(image=synthetic_digit(), learned=_learned(), filter_name="sharpen")


@needs_mnist
def test_explorer_defaults_use_mnist_and_the_shipped_filters():
    box = convolution_explorer()
    assert box.controls["filter"].options[-1] == "learned filter 29"
    png = _png(box)
    box.controls["filter"].value = "learned filter 0"
    assert _png(box) != png


# ------------------------------------------------------------------ chapter 9's figures


def test_chapter9_figures_draw():
    figs = [D.receptive_field_figure(), D.resnet_block_figure(),
            D.augmentation_figure(np.stack([synthetic_digit()] * 2), [("flip", nn.flip_image)])]
    for fig in figs:
        assert nn.plots.figure_png(fig).startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        D.augmentation_figure(np.ones((2, 5)), [])
