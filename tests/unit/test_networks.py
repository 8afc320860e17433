"""The networks: backprop equals the numerical gradient, save/load, input checks."""

import copy
import re

import numpy as np
import pytest

import nn


@pytest.fixture
def rng():
    """A fresh generator per test, so that a test's data never depends on the tests before."""
    return np.random.default_rng(42)


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / (||a|| + ||b||); for a gradient that is zero by construction (a bias before
    batch norm) both sides are rounding noise, so the absolute difference is returned."""
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    diff = np.linalg.norm(a - b)
    return diff / scale if scale > 1e-7 else diff


def assert_gradients_match(net, x, t, tol=1e-6):
    grads = net.gradient(x, t)
    numerical = net.numerical_gradient(x, t)
    assert list(grads) == list(net.params) == list(numerical)
    for name in net.params:
        assert grads[name].shape == net.params[name].shape
        assert grads[name].dtype == net.dtype
        assert rel_error(grads[name], numerical[name]) < tol, name


def small_nets():
    """Tiny float64 networks whose gradient check runs in well under a second each."""
    yield nn.TwoLayerNet(6, 5, 3, weight_init_std=0.3, seed=1)
    for activation in [k for k, a in nn.ACTIVATIONS.items() if a.layer is not None]:
        yield nn.MultiLayerNet(
            6,
            [5, 4],
            3,
            activation=activation,
            weight_init_std=0.3,
            weight_decay_lambda=0.1,
            use_batchnorm=True,
            seed=2,
        )
    yield nn.MultiLayerNet(6, [5, 4], 3, activation="sigmoid", weight_init_std="xavier", seed=3)
    yield nn.SimpleConvNet(
        (1, 8, 8),
        {"filter_num": 3, "filter_size": 3},
        hidden_size=5,
        output_size=3,
        weight_init_std=0.3,
        seed=4,
    )
    yield nn.SimpleConvNet(
        (2, 6, 10),
        {"filter_num": 2, "filter_size": 3, "pad": 1, "stride": 1},
        hidden_size=4,
        output_size=3,
        weight_init_std=0.3,
        seed=5,
    )


@pytest.mark.parametrize("net", list(small_nets()), ids=lambda n: type(n).__name__)
def test_backprop_equals_numerical_gradient(net, rng):
    x = rng.standard_normal((4, *net.input_shape))
    t = np.array([0, 1, 2, 1])
    assert_gradients_match(net, x, t)
    onehot = np.eye(3)[t]
    assert_gradients_match(net, x, onehot)  # one-hot labels give the same


def test_weight_decay_enters_loss_and_gradient(rng):
    plain = nn.MultiLayerNet(6, [5], 3, seed=0)
    decayed = nn.MultiLayerNet(6, [5], 3, weight_decay_lambda=0.5, seed=0)
    x, t = rng.standard_normal((4, 6)), np.array([0, 1, 2, 0])
    penalty = 0.25 * sum(np.sum(decayed.params[k] ** 2) for k in ("W1", "W2"))
    assert decayed.loss(x, t) == pytest.approx(plain.loss(x, t) + penalty)
    g0, g1 = plain.gradient(x, t), decayed.gradient(x, t)
    np.testing.assert_allclose(g1["W1"], g0["W1"] + 0.5 * decayed.params["W1"])
    np.testing.assert_allclose(g1["b1"], g0["b1"])


def test_dropout_network_backprop_uses_the_forward_mask(rng):
    """With dropout on, the gradient must be that of the very forward pass it follows. Each
    forward pass draws a new mask, so to get a fixed function the Dropout layers are restored
    from a snapshot (a deep copy, generator state included) before every evaluation."""
    net = nn.MultiLayerNet(
        6, [8, 8], 3, use_dropout=True, dropout_ratio=0.5, seed=6, weight_init_std=0.5
    )
    x, t = rng.standard_normal((5, 6)), np.array([0, 1, 2, 0, 1])
    snapshot = {
        name: copy.deepcopy(layer)
        for name, layer in net.layers.items()
        if name.startswith("Dropout")
    }
    assert len(snapshot) == 2

    def same_masks():
        for name, layer in snapshot.items():
            net.layers[name] = copy.deepcopy(layer)

    same_masks()
    grads = net.gradient(x, t)
    for name, param in net.params.items():

        def loss(_):
            same_masks()
            return net.loss(x, t)

        assert rel_error(grads[name], nn.numerical_gradient(loss, param)) < 1e-6, name
    # Without restoring, two training-mode passes differ (new masks); inference does not drop.
    assert not np.allclose(net.predict(x, train_flg=True), net.predict(x, train_flg=True))
    np.testing.assert_array_equal(net.predict(x), net.predict(x))


def test_deep_convnet_gradient_on_a_few_entries(rng):
    """DeepConvNet has 120k weights: compare backprop with central differences on a few
    entries of every parameter (dropout off so the loss is a fixed function)."""
    net = nn.DeepConvNet(
        input_dim=(1, 12, 12), hidden_size=6, output_size=3, dropout_ratio=0.0, seed=7
    )
    x, t = rng.standard_normal((2, 1, 12, 12)), np.array([0, 2])
    grads = net.gradient(x, t)
    assert list(grads) == [f"{p}{i}" for i in range(1, 9) for p in "Wb"]
    pick = np.random.default_rng(0)
    # h = 1e-5 rather than 1e-4: a bias shifts hundreds of ReLU inputs at once, and a larger
    # step is more likely to push one of them across 0, where the loss has a kink.
    h = 1e-5
    for name, param in net.params.items():
        flat = param.reshape(-1)  # a view: perturbing it perturbs the network
        for index in pick.choice(flat.size, size=min(3, flat.size), replace=False):
            old = flat[index]
            flat[index] = old + h
            up = net.loss(x, t)
            flat[index] = old - h
            down = net.loss(x, t)
            flat[index] = old
            numerical = (up - down) / (2 * h)
            analytic = grads[name].reshape(-1)[index]
            assert abs(numerical - analytic) <= 1e-5 * (abs(numerical) + abs(analytic)) + 1e-9, name


def test_deep_convnet_shapes_follow_the_book(rng):
    net = nn.DeepConvNet(dtype=np.float32)
    shapes = {k: v.shape for k, v in net.params.items()}
    assert shapes["W1"] == (16, 1, 3, 3) and shapes["W4"] == (32, 32, 3, 3)
    assert shapes["W6"] == (64, 64, 3, 3) and shapes["W7"] == (64 * 4 * 4, 50)
    assert shapes["W8"] == (50, 10)
    assert all(p.dtype == np.float32 for p in net.params.values())
    y = net.predict(rng.random((2, 1, 28, 28)))
    assert y.shape == (2, 10) and y.dtype == np.float32
    # He initialisation: std sqrt(2 / fan_in), e.g. fan_in = 64*3*3 for W6
    assert net.params["W6"].std() == pytest.approx(np.sqrt(2 / (64 * 9)), rel=0.05)


def test_simple_convnet_default_shapes():
    net = nn.SimpleConvNet()
    assert net.params["W1"].shape == (30, 1, 5, 5)
    assert net.params["W2"].shape == (30 * 12 * 12, 100)
    assert net.params["W3"].shape == (100, 10)
    assert list(net.layers) == ["Conv1", "Relu1", "Pool1", "Affine1", "Relu2", "Affine2"]


def test_params_are_the_arrays_the_layers_use(rng):
    net = nn.TwoLayerNet(4, 3, 2)
    x = rng.standard_normal((2, 4))
    before = net.predict(x)
    net.params["b2"][...] += 1.0  # an optimizer updates in place
    np.testing.assert_allclose(net.predict(x), before + 1.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_everything_stays_in_dtype(dtype, rng):
    net = nn.MultiLayerNet(6, [5], 3, use_batchnorm=True, use_dropout=True, dtype=dtype)
    x = rng.standard_normal((4, 6))  # float64 input is converted
    assert net.predict(x).dtype == dtype
    grads = net.gradient(x, np.array([0, 1, 2, 0]))
    assert all(g.dtype == dtype for g in grads.values())
    assert all(p.dtype == dtype for p in net.params.values())


def test_same_seed_same_weights_and_float32_matches_float64():
    a, b = nn.SimpleConvNet(seed=3), nn.SimpleConvNet(seed=3)
    c = nn.SimpleConvNet(seed=4)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["W1"], c.params["W1"])
    f32 = nn.SimpleConvNet(seed=3, dtype=np.float32)
    np.testing.assert_allclose(f32.params["W2"], a.params["W2"], rtol=1e-6)


def test_accuracy_labels_onehot_and_batches(rng):
    net = nn.TwoLayerNet(4, 6, 3, weight_init_std=1.0, seed=0)
    x = rng.standard_normal((250, 4))
    t = np.argmax(net.predict(x), axis=1)
    t[:50] = (t[:50] + 1) % 3  # make exactly 50 wrong
    assert net.accuracy(x, t) == pytest.approx(0.8)
    assert net.accuracy(x, np.eye(3)[t], batch_size=7) == pytest.approx(0.8)


def test_single_sample_predict(rng):
    net = nn.TwoLayerNet(4, 6, 3)
    x = rng.standard_normal((5, 4))
    np.testing.assert_allclose(net.predict(x[2]), net.predict(x)[2])


def test_batchnorm_network_train_and_inference_differ(rng):
    net = nn.MultiLayerNet(6, [5], 3, use_batchnorm=True)
    x = rng.standard_normal((8, 6)) * 3 + 2
    assert not np.allclose(net.predict(x, train_flg=True), net.predict(x, train_flg=False))


def test_save_load_round_trip(tmp_path, rng):
    net = nn.MultiLayerNet(6, [5, 4], 3, use_batchnorm=True, seed=1)
    x, t = rng.standard_normal((10, 6)), rng.integers(0, 3, 10)
    for _ in range(3):  # move the weights and the batch-norm statistics away from the start
        nn.SGD(lr=0.5).update(net.params, net.gradient(x, t))
    path = tmp_path / "net.npz"
    net.save_params(path, metadata={"note": "hello", "acc": 0.5})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]  # no temp file left
    other = nn.MultiLayerNet(6, [5, 4], 3, use_batchnorm=True, seed=99)
    assert not np.allclose(other.predict(x), net.predict(x))
    meta = other.load_params(path)
    assert meta == {"note": "hello", "acc": 0.5}
    np.testing.assert_array_equal(other.predict(x), net.predict(x))
    with np.load(path, allow_pickle=False) as z:  # readable without pickle
        assert {"W1", "gamma1", "running_mean1", "running_var2"} <= set(z.files)


@pytest.mark.parametrize("value, named", [(None, "None"), ({"a": 1}, "{'a': 1}")])
def test_metadata_that_is_not_a_number_or_string_is_refused_by_name(tmp_path, value, named):
    net = nn.TwoLayerNet(4, 3, 2, seed=0)
    with pytest.raises(ValueError, match=re.escape(f"got {named}")):
        net.save_params(tmp_path / "w.npz", metadata={"f": value})
    assert not list(tmp_path.iterdir()), "a refused save wrote a file"


def test_load_into_float32_network(tmp_path, rng):
    net = nn.SimpleConvNet((1, 8, 8), {"filter_num": 2, "filter_size": 3}, hidden_size=4, seed=1)
    net.save_params(tmp_path / "w.npz")
    small = nn.SimpleConvNet(
        (1, 8, 8), {"filter_num": 2, "filter_size": 3}, hidden_size=4, seed=2, dtype=np.float32
    )
    small.load_params(tmp_path / "w.npz")
    assert small.params["W1"].dtype == np.float32
    x = rng.standard_normal((3, 1, 8, 8))
    np.testing.assert_allclose(small.predict(x), net.predict(x), rtol=1e-4, atol=1e-5)


def test_load_shape_mismatch_is_a_clear_error(tmp_path):
    nn.TwoLayerNet(784, 50, 10).save_params(tmp_path / "w.npz")
    net = nn.TwoLayerNet(784, 40, 10)
    before = {k: v.copy() for k, v in net.params.items()}
    with pytest.raises(ValueError, match=r"W1 has shape \(784, 50\).*expects shape \(784, 40\)"):
        net.load_params(tmp_path / "w.npz")
    assert all(np.array_equal(before[k], net.params[k]) for k in before)  # nothing changed
    with pytest.raises(ValueError, match=r"missing \['W3', 'b3'\]"):
        nn.MultiLayerNet(784, [50, 10], 10).load_params(tmp_path / "w.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="cannot read"):
        net.load_params(tmp_path / "junk.npz")


def test_save_params_is_atomic(tmp_path, monkeypatch):
    net = nn.TwoLayerNet(4, 3, 2)
    path = tmp_path / "w.npz"
    net.save_params(path)
    good = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        nn.TwoLayerNet(4, 3, 2, seed=5).save_params(path)
    assert path.read_bytes() == good  # the old file survives whole
    assert [p.name for p in tmp_path.iterdir()] == ["w.npz"]


@pytest.mark.parametrize(
    "make, x, message",
    [
        (
            lambda: nn.TwoLayerNet(784, 5, 10),
            np.zeros((2, 783)),
            r"expects input of shape \(N, 784\).*got shape \(2, 783\)",
        ),
        (
            lambda: nn.MultiLayerNet(784, [5], 10),
            np.zeros((2, 1, 28, 28)),
            r"got shape \(2, 1, 28, 28\); flatten it",
        ),
        (
            lambda: nn.SimpleConvNet(),
            np.zeros((2, 784)),
            r"expects input of shape \(N, 1, 28, 28\).*got shape \(2, 784\); reshape",
        ),
        (lambda: nn.SimpleConvNet(), np.zeros((2, 28, 28)), r"got shape \(2, 28, 28\)"),
    ],
)
def test_wrong_input_shape(make, x, message):
    with pytest.raises(ValueError, match=message):
        make().predict(x)


def test_bad_labels():
    net = nn.TwoLayerNet(4, 3, 10)
    x = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"t must be integer class labels 0\.\.9; got label 10"):
        net.loss(x, np.array([1, 10, 2]))
    with pytest.raises(ValueError, match="got label -1"):
        net.gradient(x, np.array([1, -1, 2]))
    with pytest.raises(ValueError, match=r"t must hold 3 labels.*got shape \(2,\)"):
        net.accuracy(x, np.array([1, 2]))
    with pytest.raises(ValueError, match=r"t must be integer class labels 0\.\.9; got 0\.5"):
        net.loss(x, np.array([0.5, 1, 2]))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: nn.TwoLayerNet(0, 5, 10), "input_size must be an integer >= 1; got 0"),
        (lambda: nn.MultiLayerNet(4, [5], 3, activation="softplus"),
         "unknown activation 'softplus'; expected one of"),
        (lambda: nn.MultiLayerNet(4, 5, 3), "hidden_size_list must be a list"),
        (lambda: nn.MultiLayerNet(4, [5], 3, weight_init_std="gauss"), "weight_init_std"),
        (lambda: nn.MultiLayerNet(4, [5], 3, use_dropout=True, dropout_ratio=1.0), "dropout_ratio"),
        (lambda: nn.TwoLayerNet(4, 5, 3, dtype=np.int32), "floating-point"),
        (lambda: nn.SimpleConvNet((1, 9, 9)), "5x5 map"),  # 9 - 5 + 1 = 5: cannot pool 2x2
        (lambda: nn.SimpleConvNet(conv_param={"filters": 3}), "unknown"),
        (lambda: nn.DeepConvNet(input_dim=(1, 28)), "input_dim"),
    ],
)
def test_bad_constructor_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_repr_lists_layers_and_parameter_count():
    text = repr(nn.TwoLayerNet(4, 3, 2))
    assert "Affine1" in text and "W1(4, 3)" in text and "23 parameters" in text


def test_forward_and_weight_decay_are_public():
    net = nn.MultiLayerNet(4, [5], 3, weight_decay_lambda=0.5, seed=0)
    x = np.random.default_rng(0).normal(size=(2, 4))
    np.testing.assert_array_equal(net.forward(x), net.predict(x))
    assert net.decayed_params() == ["W1", "W2"]
    expected = 0.25 * sum(float(np.sum(net.params[k] ** 2)) for k in ("W1", "W2"))
    assert net.weight_decay_loss() == pytest.approx(expected)
