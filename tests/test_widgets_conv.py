"""Chapters 8 and 9: convolution figures, the convolution explorer, the augmentation transforms."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots import conv as C
from nn.plots import deep as D
from nn.widgets._output import shown_png as _png
from nn.widgets.conv import convolution_explorer, explorer_filters

BOOK_X = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=float)
BOOK_W = np.array([[2, 0, 1], [0, 1, 2], [1, 0, 2]], dtype=float)
needs_mnist = pytest.mark.skipif(
    not os.environ.get("NN_DATA_DIR"), reason="NN_DATA_DIR not set: no real MNIST"
)


def _digit() -> np.ndarray:
    """A synthetic 28x28 "digit": a bar and a ring, so edges run in both directions."""
    yy, xx = np.mgrid[0:28, 0:28]
    img = np.zeros((28, 28))
    img[6:9, 5:22] = 1.0
    img[(np.hypot(yy - 17, xx - 14) > 5) & (np.hypot(yy - 17, xx - 14) < 8)] = 0.8
    return img


def _learned(n: int = 4) -> np.ndarray:
    return np.random.default_rng(1).normal(size=(n, 1, 5, 5))


# ------------------------------------------------------------------ the convolution itself


def test_book_example_by_feature_map():
    np.testing.assert_array_equal(C.feature_map(BOOK_X, BOOK_W), [[15, 16], [6, 15]])
    # padding 1 (the book's figure 7-7) keeps the 4x4 size; bias adds to every element
    padded = C.feature_map(BOOK_X, BOOK_W, pad=1, bias=3)
    assert padded.shape == (4, 4)
    assert padded[1, 1] == 15 + 3


def test_feature_map_rounds_down_a_fractional_size():
    # (28 - 3) / 2 + 1 = 13.5: nn.Convolution refuses; the explorer drops the last row/column
    with pytest.raises(ValueError, match="not an integer"):
        nn.conv_output_size(28, 3, 2, 0)
    fmap = C.feature_map(_digit(), HAND_FILTERS_H := C.HAND_FILTERS["horizontal edge"], stride=2)
    assert fmap.shape == (13, 13)
    full = C.feature_map(_digit(), HAND_FILTERS_H, stride=1)
    np.testing.assert_allclose(fmap, full[::2, ::2][:13, :13])


def test_edge_filters_respond_to_their_edges():
    img = np.zeros((10, 10))
    img[5:, :] = 1.0  # a horizontal edge only
    horizontal = C.feature_map(img, C.HAND_FILTERS["horizontal edge"])
    vertical = C.feature_map(img, C.HAND_FILTERS["vertical edge"])
    assert np.abs(horizontal).max() == 3 and np.abs(vertical).max() == 0
    assert np.isclose(C.feature_map(np.ones((5, 5)), C.HAND_FILTERS["blur"]), 1).all()


def test_feature_map_bad_input():
    with pytest.raises(ValueError, match="does not fit"):
        C.feature_map(np.ones((2, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="stride"):
        C.feature_map(np.ones((5, 5)), np.ones((3, 3)), stride=0)
    with pytest.raises(ValueError, match="kernel must be 2-D"):
        C.feature_map(np.ones((5, 5)), np.ones(3))
    with pytest.raises(ValueError, match="one image"):
        C.feature_map(np.ones((2, 5, 5)), np.ones((3, 3)))


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
        C.matrix_figure([BOOK_X, BOOK_W, C.feature_map(BOOK_X, BOOK_W)], ["x", "w", "y"],
                        ["⊛", "="]),
        C.flatten_figure(_digit(), np.random.default_rng(0)),
        C.convolution_figure(_digit(), C.HAND_FILTERS["blur"], stride=3, pad=2),
        C.filter_grid_figure(_learned(30)),
        C.map_grid_figure(np.random.default_rng(0).random((7, 24, 24)), titles=list("abcdefg")),
        C.pooling_shift_figure(_digit(), D.shift_image(_digit(), 1), np.ones((14, 14)),
                               np.ones((14, 14))),
    ]
    assert "out[1, 1] = 15" in figs[0].texts[0].get_text() or any(
        "out[1, 1] = 15" in ax.get_title() for ax in figs[0].axes
    )
    for fig in figs:
        assert C.figure_png(fig).startswith(b"\x89PNG")
    assert plt.get_fignums() == before
    with pytest.raises(ValueError):
        C.filter_grid_figure(np.ones((3, 5, 5)))


# ------------------------------------------------------------------ the explorer widget


def test_explorer_filters():
    filters = explorer_filters(_learned(3))
    assert list(filters) == [*C.HAND_FILTERS, "learned filter 0", "learned filter 1",
                             "learned filter 2"]
    assert filters["learned filter 2"].shape == (5, 5)
    with pytest.raises(ValueError, match="FN, 1, FH, FW"):
        explorer_filters(np.ones((3, 2, 5, 5)))


def test_explorer_controls_change_the_output():
    box = convolution_explorer(image=_digit(), learned=_learned())
    png, formula = _png(box), box.formula.value
    assert "= 26" in formula  # (28 - 3) / 1 + 1 with the default 3x3 horizontal edge
    box.filter.value = "vertical edge"
    assert _png(box) != png
    png = _png(box)
    box.pad.value = 1
    assert "= 28" in box.formula.value and _png(box) != png
    box.filter.value = "learned filter 3"
    assert "(28 + 2·1 − 5) / 1 + 1 = 26" in box.formula.value
    box.stride.value = 2
    assert "= 13.5" in box.formula.value and "gives 13" in box.formula.value


def test_explorer_every_setting_draws():
    box = convolution_explorer(image=_digit(), learned=_learned(1))
    for name in box.filter.options:
        box.filter.value = name
        for s in (box.stride.min, 3, box.stride.max):
            for p in (box.pad.min, box.pad.max):
                box.pad.value, box.stride.value = p, s
                assert _png(box)
    assert plt.get_fignums() == []


def test_explorer_bad_arguments():
    with pytest.raises(ValueError, match="unknown filter"):
        convolution_explorer(image=_digit(), learned=_learned(), filter_name="sharpen")


@needs_mnist
def test_explorer_defaults_use_mnist_and_the_shipped_filters():
    box = convolution_explorer()
    assert box.filter.options[-1] == "learned filter 29"
    png = _png(box)
    box.filter.value = "learned filter 0"
    assert _png(box) != png


# ------------------------------------------------------------------ chapter 9's transforms


def test_identity_transforms_and_shapes():
    img = _digit()
    for shape in [(28, 28), (1, 28, 28), (784,)]:
        x = img.reshape(shape).astype(np.float32)
        for out in (D.rotate_image(x, 0), D.scale_image(x, 1), D.crop_resize(x, 0, 0, 28),
                    D.shift_image(x, 0, 0), D.adjust_brightness(x, 1)):
            assert out.shape == shape and out.dtype == np.float32
            np.testing.assert_allclose(out, x, atol=1e-6)
    assert D.shift_image(np.arange(4).reshape(2, 2), 1).dtype == np.float64


def test_shift_moves_without_wrapping():
    img = np.arange(1, 10, dtype=float).reshape(3, 3)
    np.testing.assert_array_equal(D.shift_image(img, 1, 0), [[0, 1, 2], [0, 4, 5], [0, 7, 8]])
    np.testing.assert_array_equal(D.shift_image(img, 0, -1), [[4, 5, 6], [7, 8, 9], [0, 0, 0]])
    assert D.shift_image(img, 5, 0).sum() == 0
    with pytest.raises(ValueError, match="whole pixels"):
        D.shift_image(img, 0.5)


def test_rotation_direction_and_inverse():
    img = np.zeros((5, 5))
    img[2, 4] = 1.0  # a dot right of the centre
    # anticlockwise on screen: right of centre goes to above the centre (row 0)
    assert D.rotate_image(img, 90, order="nearest")[0, 2] == 1.0
    assert D.rotate_image(img, -90, order="nearest")[4, 2] == 1.0
    x = _digit()
    np.testing.assert_allclose(D.rotate_image(D.rotate_image(x, 90), -90), x, atol=1e-9)
    np.testing.assert_allclose(D.rotate_image(x, 180), x[::-1, ::-1], atol=1e-9)
    # bilinear keeps intensities in the input's range
    r = D.rotate_image(x, 33)
    assert r.min() >= 0 and r.max() <= x.max() + 1e-12


def test_scale_crop_flip_brightness():
    x = _digit()
    assert D.scale_image(x, 0.5).sum() < x.sum() < D.scale_image(x, 1.5).sum()
    np.testing.assert_array_equal(D.flip_image(x), x[:, ::-1])
    np.testing.assert_array_equal(D.flip_image(x, horizontal=False), x[::-1])
    assert D.adjust_brightness(x, 3).max() == 1.0
    np.testing.assert_allclose(D.adjust_brightness(x, 0.5), x * 0.5)
    # a crop of the top-left quarter, enlarged: its corner pixels are the crop's corners
    crop = D.crop_resize(x, 0, 0, 14)
    assert crop[0, 0] == x[0, 0] and crop[-1, -1] == x[13, 13]


def test_transform_bad_input():
    x = _digit()
    with pytest.raises(ValueError, match="inside"):
        D.crop_resize(x, 20, 0, 14)
    with pytest.raises(ValueError, match="positive"):
        D.scale_image(x, 0)
    with pytest.raises(ValueError, match="finite"):
        D.rotate_image(x, np.nan)
    with pytest.raises(ValueError, match="order"):
        D.rotate_image(x, 10, order="cubic")
    with pytest.raises(ValueError, match="one image"):
        D.flip_image(np.ones((2, 3, 4)))


def test_random_augment_is_seeded_and_label_preserving_size():
    x = _digit()
    a = D.random_augment(x, np.random.default_rng(3))
    b = D.random_augment(x, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert a.shape == x.shape and not np.allclose(a, x)


def test_receptive_field():
    assert [D.receptive_field(n) for n in range(4)] == [1, 3, 5, 7]
    assert D.receptive_field(1, 5) == 5
    assert D.receptive_field(2, 2, 2) == 4  # two 2x2 poolings with stride 2
    with pytest.raises(ValueError):
        D.receptive_field(-1)


def test_chapter9_figures_draw():
    figs = [D.receptive_field_figure(), D.resnet_block_figure(),
            D.augmentation_figure(np.stack([_digit()] * 2), [("flip", D.flip_image)])]
    for fig in figs:
        assert C.figure_png(fig).startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        D.augmentation_figure(np.ones((2, 5)), [])
