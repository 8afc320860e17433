"""The shipped weights: they load, they are what they claim, and they reach their floors."""

import numpy as np
import pytest

import nn
from nn import pretrained
from nn.pretrained.__main__ import main as pretrained_main
from paths import needs_mnist


@pytest.mark.parametrize("name", pretrained.NAMES)
def test_shipped_weights_load(name):
    path = pretrained.weights_path(name)
    assert path.is_file(), (
        f"{name}.npz is not in the package; run python -m nn.pretrained train {name}"
    )
    with np.load(path, allow_pickle=False) as z:  # no pickle needed
        weights = {k: z[k] for k in z.files if not k.startswith("meta_")}
    assert all(w.dtype == np.float32 for w in weights.values())

    net = pretrained.load(name)
    assert all(p.dtype == np.float32 for p in net.params.values())
    assert net.metadata["architecture"] == name
    assert net.metadata["test_accuracy"] >= pretrained.RECIPES[name].accuracy_floor
    assert net.metadata["train_size"] >= 1000
    for key, value in weights.items():
        np.testing.assert_array_equal(net.state_dict()[key], value)

    wide = pretrained.load(name, dtype=np.float64)
    assert wide.params["W1"].dtype == np.float64
    x = np.random.default_rng(0).random((3, *net.input_shape))
    np.testing.assert_allclose(wide.predict(x), net.predict(x), rtol=1e-3, atol=1e-3)


def test_mnist_mlp_is_the_books_sample_network():
    net = pretrained.load("mnist_mlp")
    assert isinstance(net, nn.MultiLayerNet)
    assert [net.params[f"W{i}"].shape for i in (1, 2, 3)] == [(784, 50), (50, 100), (100, 10)]
    assert net.activation == "sigmoid"


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(
        ValueError,
        match="unknown pretrained network 'lenet'; valid names: mnist_mlp, "
        "simple_convnet, deep_convnet",
    ):
        pretrained.load("lenet")


def test_shift_augment():
    x = np.arange(2 * 1 * 3 * 3, dtype=np.float32).reshape(2, 1, 3, 3) + 1
    out = pretrained.shift_augment(x)
    assert out.shape == (10, 1, 3, 3)
    np.testing.assert_array_equal(out[:2], x)
    up = out[2, 0]  # shifted up by one row: the last row is new and empty
    np.testing.assert_array_equal(up[:2], x[0, 0, 1:])
    np.testing.assert_array_equal(up[2], 0)
    right = out[8, 0]  # shifted right by one column
    np.testing.assert_array_equal(right[:, 1:], x[0, 0, :, :2])
    np.testing.assert_array_equal(right[:, 0], 0)
    with pytest.raises(ValueError, match=r"expects images \(N, C, H, W\)"):
        pretrained.shift_augment(np.zeros((2, 784)))


def accuracy_on_test_set(name):
    flatten = pretrained.RECIPES[name].flatten
    _, (x_test, t_test) = nn.load_mnist(flatten=flatten)
    return pretrained.load(name).accuracy(x_test, t_test)


@needs_mnist
@pytest.mark.data
@pytest.mark.parametrize(
    "name", ["mnist_mlp", pytest.param("simple_convnet", marks=pytest.mark.slow)]
)
def test_accuracy_floor(name):
    assert accuracy_on_test_set(name) >= pretrained.RECIPES[name].accuracy_floor


@needs_mnist
@pytest.mark.data
@pytest.mark.slow
def test_accuracy_floor_deep_convnet():
    assert accuracy_on_test_set("deep_convnet") >= 0.98


@needs_mnist
@pytest.mark.data
def test_train_command(tmp_path, capsys):
    out = tmp_path / "mlp.npz"
    pretrained_main(["train", "mnist_mlp", "--epochs", "1", "--out", str(out)])
    printed = capsys.readouterr().out
    assert "epochs=1" in printed and "optimizer=Adam" in printed and "test accuracy:" in printed
    net = pretrained.RECIPES["mnist_mlp"].build(np.float32)
    metadata = net.load_params(out)
    assert metadata["epochs"] == 1 and metadata["architecture"] == "mnist_mlp"
    assert f"test accuracy: {metadata['test_accuracy']:.4f}" in printed
    assert metadata["test_accuracy"] > 0.8  # one epoch already learns a lot


def test_train_command_rejects_bad_arguments(capsys):
    with pytest.raises(SystemExit):
        pretrained_main(["train", "lenet"])
    with pytest.raises(SystemExit):
        pretrained_main(["train", "mnist_mlp", "--epochs", "0"])
    assert "--epochs must be >= 1" in capsys.readouterr().err
