"""Edge shapes and types at the public entry points: each is checked once, up front, with a
message that names the argument and says what was expected and what came."""

import numpy as np
import pytest

import nn


def test_empty_batch_through_a_batchnorm_network():
    net = nn.MultiLayerNet(4, [5, 5], 3, use_batchnorm=True)
    assert net.predict(np.zeros((0, 4))).shape == (0, 3)  # inference: no samples, no scores
    with pytest.raises(ValueError, match=r"x must hold at least one sample; got shape \(0, 4\)"):
        net.loss(np.zeros((0, 4)), np.zeros(0, int))
    with pytest.raises(ValueError, match=r"x must hold at least one sample; got shape \(0, 4\)"):
        net.gradient(np.zeros((0, 4)), np.zeros(0, int))
    # the running statistics were not touched by the refused batch
    bn = net.layers["BatchNorm1"]
    assert np.all(np.isfinite(bn.running_mean)) and np.all(np.isfinite(bn.running_var))


def test_batchnorm_layer_refuses_an_empty_training_batch():
    bn = nn.BatchNormalization(np.ones(3), np.zeros(3))
    assert bn.forward(np.zeros((0, 3)), train_flg=False).shape == (0, 3)
    # images, per channel and per pixel (found by the property tests: an IndexError before)
    assert bn.forward(np.zeros((0, 3, 2, 2)), train_flg=False).shape == (0, 3, 2, 2)
    assert bn.forward(np.zeros((0, 3, 1, 1)), train_flg=False).shape == (0, 3, 1, 1)
    with pytest.raises(ValueError, match=r"x must hold at least one sample in training"):
        bn.forward(np.zeros((0, 3)), train_flg=True)
    assert np.all(bn.running_mean == 0)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_networks_refuse_non_finite_input(bad):
    net = nn.TwoLayerNet(4, 3, 3)
    x = np.zeros((3, 4))
    x[2, 1] = bad
    t = np.array([0, 1, 2])
    for call in (
        lambda: net.predict(x),
        lambda: net.accuracy(x, t),
        lambda: net.loss(x, t),
        lambda: net.gradient(x, t),
    ):
        with pytest.raises(ValueError, match=r"x must hold only finite numbers; .* index \(2, 1\)"):
            call()


def test_accuracy_on_nan_one_hot_labels():
    net = nn.TwoLayerNet(4, 3, 3)
    with pytest.raises(ValueError, match=r"t must hold only finite numbers"):
        net.accuracy(np.zeros((3, 4)), np.full((3, 3), np.nan))


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: nn.relu(np.array(["a", "b"])),
            r"x must be an array of real numbers; got dtype <U1",
        ),
        (lambda: nn.softmax([[1, 2], [3]]), r"x must be an array or a rectangular nested list"),
        (
            lambda: nn.sigmoid(np.array([{}], dtype=object)),
            r"x must be an array of real numbers; got dtype object",
        ),
        (
            lambda: nn.cross_entropy_error(np.full((2, 3), 1 / 3), np.array(["a", "b"])),
            r"t must be an array of real numbers",
        ),
        (
            lambda: nn.cross_entropy_error(np.zeros((0, 3)), np.zeros(0, int)),
            r"y must hold at least one sample",
        ),
        (lambda: nn.mean_squared_error(["x"], [1.0]), r"y must be an array of real numbers"),
        (
            lambda: nn.Relu().forward(np.array(["a"])),
            r"Relu\.forward: x must be an array of real numbers",
        ),
        (
            lambda: nn.Affine(np.ones((2, 2)), np.zeros(2)).forward(
                np.array([[1.0, "a"]], dtype=object)
            ),
            r"Affine\.forward: x must be",
        ),
        (
            lambda: nn.Affine(np.full((2, 2), np.nan), np.zeros(2)),
            r"Affine: W must hold only finite numbers",
        ),
        (lambda: nn.Dropout(np.nan), r"dropout_ratio must be a number in \[0, 1\); got nan"),
        (lambda: nn.Dropout("0.5"), r"dropout_ratio must be a number in \[0, 1\); got '0\.5'"),
        (
            lambda: nn.BatchNormalization(np.ones(3), np.zeros(3), momentum="a"),
            r"momentum must be a number in \[0, 1\]; got 'a'",
        ),
        (lambda: nn.SGD(lr=True), r"learning rate lr must be a finite number > 0; got True"),
        (
            lambda: nn.Convolution(np.ones((2, 1, 3, 3)), np.zeros(2)).forward(
                np.array([[[["a"]]]])
            ),
            r"Convolution: x must be an array of real numbers",
        ),
        (
            lambda: nn.Convolution(np.full((2, 1, 3, 3), np.inf), np.zeros(2)),
            r"Convolution: W must hold only finite numbers",
        ),
        (lambda: nn.Pooling(2, 2.0), r"pool_w must be an integer >= 1; got 2\.0"),
        (lambda: nn.conv_output_size(28, 3, True), r"stride must be an integer >= 1; got True"),
        (
            lambda: nn.TwoLayerNet(4, 3, 3).accuracy(np.zeros((3, 4)), [0, 1, 2], batch_size=0),
            r"batch_size must be an integer >= 1; got 0",
        ),
        (lambda: nn.TwoLayerNet(4.0, 3, 3), r"input_size must be an integer >= 1; got 4\.0"),
        (
            lambda: nn.TwoLayerNet(4, 3, 3, weight_init_std=1e300, dtype=np.float32),
            r"weight_init_std must give weights that fit float32",
        ),
        (
            lambda: nn.MultiLayerNet(4, [3], 3, weight_decay_lambda=np.nan),
            r"weight_decay_lambda must be a finite number >= 0; got nan",
        ),
        (
            lambda: nn.MultiLayerNet(4, [3], 3, use_batchnorm="yes"),
            r"use_batchnorm must be True or False; got 'yes'",
        ),
        (
            lambda: nn.SimpleConvNet(input_dim=None),
            r"input_dim must be \(channels, height, width\)",
        ),
        (
            lambda: nn.DeepConvNet(dropout_ratio=1.0),
            r"dropout_ratio must be a number in \[0, 1\); got 1\.0",
        ),
        (
            lambda: nn.weight_scale(True, 10),
            r"weight_init_std must be a finite number >= 0; got True",
        ),
        (
            lambda: nn.gradient_descent(lambda x: float(np.sum(x**2)), [np.nan, 1.0]),
            r"init_x must hold only finite numbers",
        ),
        (
            lambda: nn.gradient_descent(lambda x: float(np.sum(x**2)), [1.0], step_num=-1),
            r"step_num must be an integer >= 0; got -1",
        ),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_integer_input_and_filters_are_computed_as_floats():
    conv = nn.Convolution(np.ones((2, 1, 3, 3), dtype=int), np.zeros(2, dtype=int))
    out = conv.forward(np.ones((1, 1, 4, 4), dtype=int))
    assert out.dtype.kind == "f" and out.shape == (1, 2, 2, 2) and np.all(out == 9)


def test_softmax_of_no_classes_is_empty_not_an_error_from_max():
    assert nn.softmax(np.zeros((2, 0))).shape == (2, 0)


@pytest.mark.parametrize(
    "layer",
    [nn.Convolution, nn.FastConvolution] if hasattr(nn, "FastConvolution") else [nn.Convolution],
)
def test_convolution_of_an_empty_batch(layer):
    # Found by the property tests: im2col could not infer its column count for 0 images.
    conv = layer(np.ones((2, 1, 3, 3)), np.zeros(2))
    out = conv.forward(np.zeros((0, 1, 5, 5)))
    assert out.shape == (0, 2, 3, 3)
    assert nn.im2col(np.zeros((0, 1, 5, 5)), 3, 3).shape == (0, 9)
