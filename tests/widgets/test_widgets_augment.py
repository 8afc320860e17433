"""Chapter 9: transform_digit and the transform explorer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.widgets.augment import transform_explorer
from widget_helpers import shown_png as _png


class BandNetwork:
    """A stand-in network: the score of class k is 50 times the ink in rows 2k+4 and 2k+5,
    so moving a digit up or down moves the prediction (and a test can predict it)."""

    input_shape = (1, 28, 28)

    def predict(self, x):
        x = np.asarray(x).reshape(len(x), 28, 28)
        return np.stack([50 * x[:, 2 * k + 4: 2 * k + 6].sum(axis=(1, 2)) for k in range(10)],
                        axis=1)


def bar_digit(row: int) -> np.ndarray:
    image = np.zeros((1, 28, 28), np.float32)
    image[0, row, 8:20] = 1.0
    return image


def test_transform_digit_composes_the_library_transforms():
    image = bar_digit(10)[0]
    assert np.array_equal(nn.transform_digit(image), image)
    assert nn.transform_digit(image) is not image
    assert np.array_equal(nn.transform_digit(image, dx=3, dy=-2), nn.shift_image(image, 3, -2))
    assert np.array_equal(nn.transform_digit(image, flip="upside down"),
                          nn.flip_image(image, horizontal=False))
    turned = nn.transform_digit(image, degrees=90, dx=1)
    assert np.allclose(turned, nn.shift_image(nn.rotate_image(image, 90), 1, 0))
    assert nn.transform_digit(image.ravel(), scale=1.3).shape == (784,)
    with pytest.raises(ValueError, match="flip must be one of"):
        nn.transform_digit(image, flip="diagonal")
    with pytest.raises(ValueError, match="whole"):
        nn.transform_digit(image, dx=0.5)


def test_transform_explorer_moves_the_prediction_with_the_digit():
    x = np.concatenate([bar_digit(10), bar_digit(16)])  # ink in band 3, then band 6
    t = np.array([3, 6])
    box = transform_explorer(BandNetwork(), x, t)
    first = _png(box)
    assert "the network says 3" in box.readouts["status"].value
    box.controls["dy"].value = 4  # two bands down
    assert "the network says 5" in box.readouts["status"].value
    assert _png(box) != first
    box.controls["index"].value = 1
    assert "label 6" in box.readouts["status"].value
    assert "the network says 8" in box.readouts["status"].value
    box.controls["flip"].value = "upside down"  # row 16 -> 11, then 4 down: row 15, band 5
    assert "the network says 5" in box.readouts["status"].value
    for name in ("dx", "dy", "degrees", "scale"):  # extreme settings never crash
        control = box.controls[name]
        control.value = control.max
        control.value = control.min
    assert len(box.output.outputs) == 1
    assert plt.get_fignums() == []


def test_transform_explorer_checks_its_arguments():
    x, t = bar_digit(10), np.array([3])
    box = transform_explorer(BandNetwork(), x, np.eye(10)[t], degrees=90, flip="left-right")
    assert box.controls["degrees"].value == 90 and box.controls["flip"].value == "left-right"
    with pytest.raises(ValueError, match="degrees must be from -180 to 180"):
        transform_explorer(BandNetwork(), x, t, degrees=400)
    with pytest.raises(ValueError, match="28 x 28"):
        transform_explorer(BandNetwork(), np.zeros((1, 100)), t)
    with pytest.raises(ValueError, match="flip must be one of"):
        transform_explorer(BandNetwork(), x, t, flip="diagonal")
