"""nn.images: the augmentation transforms of chapter 9 (one image, and a batch)."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from synthetic import synthetic_digit


def test_identity_transforms_and_shapes():
    img = synthetic_digit()
    for shape in [(28, 28), (1, 28, 28), (784,)]:
        x = img.reshape(shape).astype(np.float32)
        for out in (nn.rotate_image(x, 0), nn.scale_image(x, 1), nn.crop_resize(x, 0, 0, 28),
                    nn.shift_image(x, 0, 0), nn.adjust_brightness(x, 1)):
            assert out.shape == shape and out.dtype == np.float32
            np.testing.assert_allclose(out, x, atol=1e-6)
    assert nn.shift_image(np.arange(4).reshape(2, 2), 1).dtype == np.float64


def test_shift_moves_without_wrapping():
    img = np.arange(1, 10, dtype=float).reshape(3, 3)
    np.testing.assert_array_equal(nn.shift_image(img, 1, 0), [[0, 1, 2], [0, 4, 5], [0, 7, 8]])
    np.testing.assert_array_equal(nn.shift_image(img, 0, -1), [[4, 5, 6], [7, 8, 9], [0, 0, 0]])
    assert nn.shift_image(img, 5, 0).sum() == 0
    with pytest.raises(ValueError, match="whole pixels"):
        nn.shift_image(img, 0.5)


def test_rotation_direction_and_inverse():
    img = np.zeros((5, 5))
    img[2, 4] = 1.0  # a dot right of the centre
    # anticlockwise on screen: right of centre goes to above the centre (row 0)
    assert nn.rotate_image(img, 90, order="nearest")[0, 2] == 1.0
    assert nn.rotate_image(img, -90, order="nearest")[4, 2] == 1.0
    x = synthetic_digit()
    np.testing.assert_allclose(nn.rotate_image(nn.rotate_image(x, 90), -90), x, atol=1e-9)
    np.testing.assert_allclose(nn.rotate_image(x, 180), x[::-1, ::-1], atol=1e-9)
    # bilinear keeps intensities in the input's range
    r = nn.rotate_image(x, 33)
    assert r.min() >= 0 and r.max() <= x.max() + 1e-12


def test_scale_crop_flip_brightness():
    x = synthetic_digit()
    assert nn.scale_image(x, 0.5).sum() < x.sum() < nn.scale_image(x, 1.5).sum()
    np.testing.assert_array_equal(nn.flip_image(x), x[:, ::-1])
    np.testing.assert_array_equal(nn.flip_image(x, horizontal=False), x[::-1])
    assert nn.adjust_brightness(x, 3).max() == 1.0
    np.testing.assert_allclose(nn.adjust_brightness(x, 0.5), x * 0.5)
    # a crop of the top-left quarter, enlarged: its corner pixels are the crop's corners
    crop = nn.crop_resize(x, 0, 0, 14)
    assert crop[0, 0] == x[0, 0] and crop[-1, -1] == x[13, 13]


def test_transform_bad_input():
    x = synthetic_digit()
    with pytest.raises(ValueError, match="inside"):
        nn.crop_resize(x, 20, 0, 14)
    with pytest.raises(ValueError, match=r"factor must be a finite number > 0; got 0"):
        nn.scale_image(x, 0)
    with pytest.raises(ValueError, match="finite"):
        nn.rotate_image(x, np.nan)
    with pytest.raises(ValueError, match="order"):
        nn.rotate_image(x, 10, order="cubic")
    with pytest.raises(ValueError, match="one image"):
        nn.flip_image(np.ones((2, 3, 4)))


def test_a_random_rotate_scale_shift_is_seeded_and_keeps_the_size():
    def augment(image, rng):
        out = nn.rotate_image(image, rng.uniform(-15, 15))
        out = nn.scale_image(out, rng.uniform(0.9, 1.1))
        dx, dy = rng.integers(-2, 3, size=2)
        return nn.shift_image(out, int(dx), int(dy))

    x = synthetic_digit()
    a = augment(x, np.random.default_rng(3))
    b = augment(x, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert a.shape == x.shape and not np.allclose(a, x)


def test_shift_images_moves_a_batch_like_shift_image_moves_one():
    rng = np.random.default_rng(0)
    batch = rng.random((3, 1, 6, 5)).astype(np.float32)
    for dx, dy in [(1, 0), (0, -2), (-1, 1), (7, 0)]:
        moved = nn.shift_images(batch, dx, dy)
        assert moved.dtype == np.float32 and moved.shape == batch.shape
        for image, expected in zip(moved, batch, strict=True):
            np.testing.assert_array_equal(image[0], nn.shift_image(expected[0], dx, dy))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        nn.shift_images(batch[0], 1, 0)


def test_image_2d_accepts_the_three_shapes():
    img = synthetic_digit()
    for shape in [(28, 28), (1, 28, 28), (784,)]:
        np.testing.assert_array_equal(nn.image_2d(img.reshape(shape)), img)
    with pytest.raises(ValueError, match="one image"):
        nn.image_2d(np.ones((2, 3, 4)))
