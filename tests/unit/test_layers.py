"""nn.layers: backprop gradients against numerical ones, known values, modes, dtypes, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from gradcheck import numeric_grad, rel_error

RNG_SEED = 1234


def check_layer(layer, x, train_flg=True, seed=98765):
    """Backprop vs numerical gradients of L = sum(forward(x) * R) for x and every parameter."""
    rng = np.random.default_rng(seed)
    out = layer.forward(x.copy(), train_flg=train_flg)
    r = rng.standard_normal(out.shape)

    def loss():
        return float(np.sum(layer.forward(x, train_flg=train_flg) * r))

    layer.forward(x, train_flg=train_flg)
    dx = layer.backward(r)
    grads = {k: g.copy() for k, g in layer.grads.items()}
    assert dx.shape == x.shape
    assert rel_error(dx, numeric_grad(loss, x)) < 1e-6
    assert set(grads) == set(layer.params)
    for key, param in layer.params.items():
        assert grads[key].shape == param.shape
        assert rel_error(grads[key], numeric_grad(loss, param)) < 1e-6, key


def away_from_zero(shape, rng, margin=0.1):
    x = rng.uniform(margin, 2.0, size=shape)
    return x * rng.choice([-1.0, 1.0], size=shape)


# ---- computational-graph layers: the book's apple and orange shopping example -------------


def test_mul_layer_apple_example():
    apple, num, tax = 100, 2, 1.1
    mul_apple, mul_tax = nn.MulLayer(), nn.MulLayer()
    price = mul_tax.forward(mul_apple.forward(apple, num), tax)
    assert price == pytest.approx(220)
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dnum = mul_apple.backward(dapple_price)
    assert (dapple, dnum, dtax) == pytest.approx((2.2, 110, 200))


def test_add_layer_apple_orange_example():
    mul_apple, mul_orange, add, mul_tax = nn.MulLayer(), nn.MulLayer(), nn.AddLayer(), nn.MulLayer()
    total = add.forward(mul_apple.forward(100, 2), mul_orange.forward(150, 3))
    price = mul_tax.forward(total, 1.1)
    assert price == pytest.approx(715)
    dtotal, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add.backward(dtotal)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    grads = (dapple_num, dapple, dorange, dorange_num, dtax)
    assert grads == pytest.approx((110, 2.2, 3.3, 165, 650))


def test_mul_and_add_layers_accept_arrays():
    x, y = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    mul = nn.MulLayer()
    np.testing.assert_array_equal(mul.forward(x, y), [3.0, -2.0])
    dx, dy = mul.backward(np.array([1.0, 10.0]))
    np.testing.assert_array_equal(dx, [3.0, -10.0])
    np.testing.assert_array_equal(dy, [1.0, 20.0])
    add = nn.AddLayer()
    np.testing.assert_array_equal(add.forward(x, y), [4.0, 1.0])
    dx, dy = add.backward(np.array([4.0, 5.0]))
    np.testing.assert_array_equal(dx, [4.0, 5.0])
    np.testing.assert_array_equal(dy, [4.0, 5.0])


# ---- activations ----------------------------------------------------------------------------


def test_relu_values_mask_and_backward():
    relu = nn.Relu()
    x = np.array([[1.0, -0.5], [-2.0, 3.0]])
    np.testing.assert_array_equal(relu.forward(x), [[1.0, 0.0], [0.0, 3.0]])
    np.testing.assert_array_equal(relu.mask, [[False, True], [True, False]])
    np.testing.assert_array_equal(relu.backward(np.full((2, 2), 5.0)), [[5.0, 0.0], [0.0, 5.0]])
    assert relu.forward(np.array([0.0]))[0] == 0 and relu.backward(np.array([1.0]))[0] == 0


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 4, 4)])
def test_relu_gradient(shape):
    check_layer(nn.Relu(), away_from_zero(shape, np.random.default_rng(RNG_SEED)))


def test_sigmoid_layer_values_and_gradient():
    layer = nn.Sigmoid()
    x = np.array([[0.0, 2.0, -1000.0]])
    np.testing.assert_allclose(layer.forward(x), [[0.5, 1 / (1 + np.exp(-2.0)), 0.0]])
    np.testing.assert_allclose(layer.backward(np.ones((1, 3))), [[0.25, nn.sigmoid_grad(2.0), 0.0]])
    check_layer(nn.Sigmoid(), np.random.default_rng(RNG_SEED).normal(0, 2, (3, 4, 5)))


def test_tanh_layer_values_and_gradient():
    layer = nn.Tanh()
    x = np.array([[0.0, 0.5, -1000.0]])
    np.testing.assert_allclose(layer.forward(x), [[0.0, np.tanh(0.5), -1.0]])
    # 1 - tanh(x)^2; tanh(0.5) = 2 * sigmoid(1) - 1 ties it to the sigmoid
    expected = [[2.0, 2 * nn.tanh_grad(0.5), 0.0]]
    np.testing.assert_allclose(layer.backward(np.full((1, 3), 2.0)), expected)
    np.testing.assert_allclose(np.tanh(0.5), 2 * nn.sigmoid(1.0) - 1)
    check_layer(nn.Tanh(), np.random.default_rng(RNG_SEED).normal(0, 2, (3, 4, 5)))


def test_tanh_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError, match="before forward"):
        nn.Tanh().backward(np.ones(3))


# ---- Affine ---------------------------------------------------------------------------------


def make_affine(d=6, m=4, seed=RNG_SEED, dtype=np.float64):
    rng = np.random.default_rng(seed)
    W, b = rng.standard_normal((d, m)), rng.standard_normal(m)
    return nn.Affine(W.astype(dtype), b.astype(dtype))


def test_affine_forward_value():
    layer = nn.Affine(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([0.5, -1.0]))
    np.testing.assert_allclose(layer.forward(np.array([[1.0, 0.0, -1.0]])), [[-3.5, -5.0]])


@pytest.mark.parametrize("x_shape", [(5, 6), (3, 6, 1), (2, 1, 2, 3), (1, 6)])
def test_affine_gradient_and_shape_restored(x_shape):
    layer = make_affine()
    x = np.random.default_rng(0).standard_normal(x_shape)
    out = layer.forward(x)
    assert out.shape == (x_shape[0], 4)
    check_layer(layer, x)


def test_affine_params_are_the_callers_arrays_and_grads_refresh():
    W, b = np.ones((3, 2)), np.zeros(2)
    layer = nn.Affine(W, b)
    assert layer.W is W and layer.b is b
    assert layer.params["W"] is layer.W and layer.params["b"] is layer.b
    x = np.arange(6.0).reshape(2, 3)
    layer.forward(x)
    layer.backward(np.ones((2, 2)))
    first = layer.grads
    assert first["W"] is layer.dW and first["b"] is layer.db
    np.testing.assert_array_equal(layer.dW, [[3.0, 3.0], [5.0, 5.0], [7.0, 7.0]])
    np.testing.assert_array_equal(layer.db, [2.0, 2.0])
    layer.forward(x)
    layer.backward(2 * np.ones((2, 2)))
    assert layer.grads["W"] is layer.dW and layer.grads["b"] is layer.db
    np.testing.assert_array_equal(layer.db, [4.0, 4.0])
    # An optimizer updating params in place updates the layer.
    nn.SGD(lr=0.5).update(layer.params, layer.grads)
    np.testing.assert_array_equal(layer.b, [-2.0, -2.0])
    assert W[0, 0] == layer.W[0, 0] == 1.0 - 0.5 * layer.dW[0, 0]


def test_affine_rejects_wrong_feature_count():
    layer = nn.Affine(np.zeros((784, 50)), np.zeros(50))
    with pytest.raises(ValueError, match=r"784 features \(W is 784x50\); got 783"):
        layer.forward(np.zeros((2, 783)))
    with pytest.raises(ValueError, match=r"784 features \(W is 784x50\); got 729"):
        layer.forward(np.zeros((2, 1, 27, 27)))
    with pytest.raises(ValueError, match=r"batch of inputs \(N, 784\).*got shape \(784,\)"):
        layer.forward(np.zeros(784))


def test_affine_rejects_mismatched_parameters():
    message = r"W of shape \(D, M\) and b of shape \(M,\); got W \(3, 2\) and b \(3,\)"
    with pytest.raises(ValueError, match=message):
        nn.Affine(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="floating dtype for W; got int64"):
        nn.Affine(np.zeros((3, 2)), np.zeros(2), dtype=np.int64)


def test_affine_dtype_keyword_converts_parameters():
    layer = nn.Affine(np.ones((3, 2)), np.zeros(2), dtype=np.float32)
    assert layer.W.dtype == layer.b.dtype == np.float32
    assert nn.Affine(np.ones((3, 2), dtype=int), np.zeros(2, dtype=int)).W.dtype == np.float64


# ---- SoftmaxWithLoss ------------------------------------------------------------------------


def test_softmax_with_loss_value_matches_functions():
    rng = np.random.default_rng(RNG_SEED)
    x, labels = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    layer = nn.SoftmaxWithLoss()
    expected = nn.cross_entropy_error(nn.softmax(x), labels)
    assert layer.forward(x, labels) == pytest.approx(expected, rel=1e-12)
    assert layer.forward(x, np.eye(4)[labels]) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(layer.y, nn.softmax(x))


@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_with_loss_gradient(one_hot):
    rng = np.random.default_rng(RNG_SEED)
    x, labels = rng.standard_normal((6, 5)), rng.integers(0, 5, 6)
    t = np.eye(5)[labels] if one_hot else labels
    layer = nn.SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward()
    np.testing.assert_allclose(dx, (nn.softmax(x) - np.eye(5)[labels]) / 6, rtol=1e-12, atol=1e-15)
    # backward is the gradient of the exact cross entropy; forward adds 1e-7 inside the log,
    # which moves the loss by about 1e-7 / y, too much for a 1e-6 check, so check against
    # the exact loss and check separately that forward is that loss.
    def exact_loss():
        return -np.mean(np.log(nn.softmax(x)[np.arange(6), labels]))

    assert layer.forward(x, t) == pytest.approx(exact_loss(), rel=1e-5)
    assert rel_error(dx, numeric_grad(exact_loss, x)) < 1e-6
    layer.forward(x, t)
    np.testing.assert_allclose(layer.backward(3.0), 3 * dx)
    np.testing.assert_allclose(layer.backward(), dx)  # backward twice gives the same


def test_softmax_with_loss_rejects_bad_targets():
    layer = nn.SoftmaxWithLoss()
    x = np.zeros((3, 4))
    labels_0_to_3 = r"SoftmaxWithLoss: t must be integer class labels 0\.\.3; got label 4"
    with pytest.raises(ValueError, match=labels_0_to_3):
        layer.forward(x, np.array([0, 4, 1]))
    with pytest.raises(ValueError, match=r"labels of shape \(3,\); got shape \(5,\)"):
        layer.forward(x, np.array([0, 1, 2, 3, 0]))
    with pytest.raises(ValueError, match=r"one-hot of shape \(3, 4\).*got shape \(3, 5\)"):
        layer.forward(x, np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"scores of shape \(N, C\); got shape \(4,\)"):
        layer.forward(np.zeros(4), 1)


# ---- Dropout --------------------------------------------------------------------------------


def test_dropout_train_masks_and_backward_reuses_mask():
    layer = nn.Dropout(0.3, seed=0)
    x = np.random.default_rng(0).uniform(1, 2, (200, 50))
    out = layer.forward(x, train_flg=True)
    kept = out != 0
    np.testing.assert_array_equal(kept, layer.mask)
    np.testing.assert_array_equal(out[kept], x[kept])
    assert kept.mean() == pytest.approx(0.7, abs=0.02)
    dout = np.random.default_rng(1).standard_normal(x.shape)
    np.testing.assert_array_equal(layer.backward(dout), dout * layer.mask)


def test_dropout_inference_scales_by_kept_fraction():
    layer = nn.Dropout(0.25, seed=0)
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(layer.forward(x, train_flg=False), 0.75 * x)
    np.testing.assert_allclose(layer.backward(np.ones((2, 3))), np.full((2, 3), 0.75))
    # Expected training output equals the inference output.
    big = np.ones((400, 400))
    inference_mean = layer.forward(big, train_flg=False).mean()
    assert layer.forward(big).mean() == pytest.approx(inference_mean, abs=0.01)


def test_dropout_seed_is_reproducible_and_masks_change():
    x = np.ones((10, 10))
    a, b = nn.Dropout(seed=3), nn.Dropout(seed=3)
    first = a.forward(x)
    np.testing.assert_array_equal(first, b.forward(x))
    assert not np.array_equal(first, a.forward(x))


def test_dropout_rejects_bad_ratio():
    for ratio in (1.0, -0.1):
        with pytest.raises(ValueError, match=r"dropout_ratio must be a number in \[0, 1\)"):
            nn.Dropout(ratio)


# ---- BatchNormalization ---------------------------------------------------------------------


def make_bn(d, seed=RNG_SEED, **kwargs):
    rng = np.random.default_rng(seed)
    return nn.BatchNormalization(rng.uniform(0.5, 1.5, d), rng.standard_normal(d), **kwargs)


def test_batchnorm_train_output_is_normalised():
    x = np.random.default_rng(0).normal(5, 3, (64, 4))
    layer = nn.BatchNormalization(np.ones(4), np.zeros(4))
    out = layer.forward(x, train_flg=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), 1, rtol=1e-5)
    layer2 = nn.BatchNormalization(np.full(4, 2.0), np.full(4, -1.0))
    np.testing.assert_allclose(layer2.forward(x), 2 * out - 1, atol=1e-12)


def test_batchnorm_running_averages_and_inference():
    rng = np.random.default_rng(0)
    x = rng.normal(5, 3, (32, 3))
    layer = nn.BatchNormalization(np.ones(3), np.zeros(3), momentum=0.9)
    np.testing.assert_array_equal(layer.running_mean, 0)
    np.testing.assert_array_equal(layer.running_var, 1)
    layer.forward(x, train_flg=True)
    np.testing.assert_allclose(layer.running_mean, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(layer.running_var, 0.9 + 0.1 * x.var(axis=0))
    rm, rv = layer.running_mean.copy(), layer.running_var.copy()
    out = layer.forward(x[:5], train_flg=False)
    np.testing.assert_allclose(out, (x[:5] - rm) / np.sqrt(rv + 1e-6))
    np.testing.assert_array_equal(layer.running_mean, rm)  # inference does not update them
    # Inference on one sample equals inference on it inside a batch; training does not.
    np.testing.assert_allclose(layer.forward(x[:1], train_flg=False), out[:1])
    assert not np.allclose(layer.forward(x[:5], train_flg=True), out)


def test_batchnorm_running_averages_converge():
    rng = np.random.default_rng(0)
    layer = nn.BatchNormalization(np.ones(2), np.zeros(2), momentum=0.5)
    for _ in range(60):
        layer.forward(rng.normal([1.0, -2.0], [2.0, 0.5], (500, 2)))
    np.testing.assert_allclose(layer.running_mean, [1.0, -2.0], atol=0.3)
    np.testing.assert_allclose(layer.running_var, [4.0, 0.25], rtol=0.2)


def test_batchnorm_given_running_stats_are_copied():
    mean, var = np.array([1.0, 2.0]), np.array([4.0, 9.0])
    layer = nn.BatchNormalization(np.ones(2), np.zeros(2), running_mean=mean, running_var=var)
    np.testing.assert_allclose(layer.forward(np.array([[3.0, 5.0]]), train_flg=False), [[1, 1]],
                               rtol=1e-6)
    layer.forward(np.random.default_rng(0).standard_normal((4, 2)))
    np.testing.assert_array_equal(mean, [1.0, 2.0])
    np.testing.assert_array_equal(var, [4.0, 9.0])


@pytest.mark.parametrize("train_flg", [True, False])
def test_batchnorm_gradient_2d(train_flg):
    layer = make_bn(5, running_mean=np.full(5, 0.3), running_var=np.full(5, 1.7))
    check_layer(layer, np.random.default_rng(0).normal(1, 2, (8, 5)), train_flg=train_flg)


@pytest.mark.parametrize("train_flg", [True, False])
def test_batchnorm_gradient_4d_per_channel(train_flg):
    layer = make_bn(3)
    x = np.random.default_rng(0).normal(1, 2, (2, 3, 4, 5))
    out = layer.forward(x.copy())
    assert out.shape == x.shape
    # per channel: each channel of out is normalised over the batch and the pixels
    xn = (out - layer.beta[:, None, None]) / layer.gamma[:, None, None]
    np.testing.assert_allclose(xn.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    check_layer(layer, x, train_flg=train_flg)


def test_batchnorm_gradient_4d_per_pixel_book_form():
    layer = make_bn(2 * 3 * 2)
    x = np.random.default_rng(0).normal(1, 2, (4, 2, 3, 2))
    out = layer.forward(x.copy())
    flat_layer = nn.BatchNormalization(layer.gamma, layer.beta)
    np.testing.assert_allclose(out.reshape(4, -1), flat_layer.forward(x.reshape(4, -1)))
    check_layer(layer, x)


def test_batchnorm_params_grads_and_dtype():
    gamma, beta = np.ones(3, dtype=np.float32), np.zeros(3, dtype=np.float32)
    layer = nn.BatchNormalization(gamma, beta)
    assert layer.gamma is gamma and layer.params["beta"] is beta
    assert layer.running_mean.dtype == layer.running_var.dtype == np.float32
    x = np.random.default_rng(0).standard_normal((4, 3))  # float64 in, float32 compute
    out = layer.forward(x)
    dx = layer.backward(np.ones((4, 3)))
    assert out.dtype == dx.dtype == layer.dgamma.dtype == layer.running_var.dtype == np.float32
    assert layer.grads["gamma"] is layer.dgamma and layer.grads["beta"] is layer.dbeta


def test_batchnorm_rejects_bad_shapes():
    layer = nn.BatchNormalization(np.ones(4), np.zeros(4))
    message = r"gamma of shape \(4,\) expects x of shape \(N, 4\).*got shape \(2, 5\)"
    with pytest.raises(ValueError, match=message):
        layer.forward(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"got shape \(2, 3, 2, 3\)"):
        layer.forward(np.zeros((2, 3, 2, 3)))
    with pytest.raises(ValueError, match=r"same shape \(D,\); got \(4,\) and \(3,\)"):
        nn.BatchNormalization(np.ones(4), np.zeros(3))
    with pytest.raises(ValueError, match=r"running_mean and running_var of shape \(4,\)"):
        nn.BatchNormalization(np.ones(4), np.zeros(4), running_mean=np.zeros(3))
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\]; got 1.5"):
        nn.BatchNormalization(np.ones(4), np.zeros(4), momentum=1.5)


# ---- properties shared by all layers --------------------------------------------------------


def all_layers(dtype=np.float64):
    """(layer, x, extra forward args) for every single-input layer."""
    rng = np.random.default_rng(RNG_SEED)
    x = away_from_zero((4, 6), rng).astype(dtype)
    return [
        (nn.Relu(), x, ()),
        (nn.Sigmoid(), x, ()),
        (nn.Tanh(), x, ()),
        (make_affine(dtype=dtype), x, ()),
        (nn.Dropout(0.5, seed=0), x, ()),
        (make_bn(6, dtype=dtype), x, ()),
        (nn.SoftmaxWithLoss(), x, (np.array([0, 5, 2, 2]),)),
        (nn.SoftmaxWithLoss(), x, (np.eye(6)[[1, 1, 0, 3]],)),
    ]


@pytest.mark.parametrize("index", range(len(all_layers())))
@pytest.mark.parametrize("train_flg", [True, False])
def test_layers_never_modify_their_inputs(index, train_flg):
    layer, x, extra = all_layers()[index]
    x_copy, extra_copy = x.copy(), [e.copy() for e in extra]
    params_before = {k: v.copy() for k, v in layer.params.items()}
    out = layer.forward(x, *extra) if extra else layer.forward(x, train_flg=train_flg)
    dout = 1.0 if extra else np.random.default_rng(0).standard_normal(np.shape(out))
    dout_copy = np.copy(dout)
    layer.backward(dout)
    np.testing.assert_array_equal(x, x_copy)
    for e, e_copy in zip(extra, extra_copy, strict=True):
        np.testing.assert_array_equal(e, e_copy)
    np.testing.assert_array_equal(dout, dout_copy)
    for key, value in params_before.items():
        np.testing.assert_array_equal(layer.params[key], value)


@pytest.mark.parametrize("index", range(len(all_layers())))
def test_float32_stays_float32(index):
    layer, x, extra = all_layers(np.float32)[index]
    out = layer.forward(x, *extra)
    if extra:
        assert isinstance(out, float)
        dx = layer.backward()
    else:
        assert out.dtype == np.float32
        dx = layer.backward(np.ones(out.shape, dtype=np.float32))
    assert dx.dtype == np.float32
    for key, grad in layer.grads.items():
        assert grad.dtype == np.float32, key


def test_parameterised_layers_cast_float64_inputs_to_float32():
    layer = make_affine(dtype=np.float32)
    out = layer.forward(np.ones((2, 6)))
    dx = layer.backward(np.ones((2, 4)))
    assert out.dtype == dx.dtype == layer.dW.dtype == np.float32


def test_affine_does_not_copy_inputs_of_the_right_dtype():
    layer = make_affine()
    x = np.ones((3, 6))
    layer.forward(x)
    assert np.shares_memory(layer.x, x)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 5), dims=st.lists(st.integers(1, 4), min_size=1, max_size=3))
def test_affine_shapes_for_any_input_layout(n, dims):
    d = int(np.prod(dims))
    layer = nn.Affine(np.ones((d, 3)), np.zeros(3))
    x = np.ones((n, *dims))
    assert layer.forward(x).shape == (n, 3)
    assert layer.backward(np.ones((n, 3))).shape == x.shape
    assert layer.dW.shape == (d, 3) and layer.db.shape == (3,)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=4), seed=st.integers(0, 2**16))
def test_elementwise_layers_keep_shape_and_dtype(shape, seed):
    rng = np.random.default_rng(seed)
    for dtype in (np.float32, np.float64):
        x = rng.standard_normal(shape).astype(dtype)
        dout = rng.standard_normal(shape).astype(dtype)
        for layer in (nn.Relu(), nn.Sigmoid(), nn.Tanh(), nn.Dropout(0.5, seed=seed)):
            out = layer.forward(x)
            dx = layer.backward(dout)
            assert out.shape == dx.shape == x.shape
            assert out.dtype == dx.dtype == dtype


def test_relu_backward_is_zero_exactly_where_blocked():
    relu = nn.Relu()
    x = np.array([-1.0, 2.0, 0.0, 3.0])
    relu.forward(x)
    np.testing.assert_array_equal(relu.backward(np.array([7.0, 7.0, 7.0, -7.0])), [0, 7, 0, -7])


def test_batchnorm_float32_images_per_channel():
    layer = nn.BatchNormalization(np.ones(3, np.float32), np.zeros(3, np.float32))
    x = np.random.default_rng(0).normal(3, 2, (4, 3, 5, 5)).astype(np.float32)
    out = layer.forward(x)
    dx = layer.backward(np.ones_like(x))
    assert out.dtype == dx.dtype == layer.dgamma.dtype == np.float32
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1, rtol=1e-3)
    np.testing.assert_allclose(dx, 0, atol=1e-5)  # a constant dout: the mean absorbs it all


def test_batchnorm_grads_refresh_on_every_backward():
    layer = make_bn(3)
    x = np.random.default_rng(0).standard_normal((5, 3))
    layer.forward(x)
    layer.backward(np.ones((5, 3)))
    first = layer.dbeta.copy()
    layer.forward(x)
    layer.backward(2 * np.ones((5, 3)))
    np.testing.assert_allclose(layer.dbeta, 2 * first)
    assert layer.grads["beta"] is layer.dbeta and layer.grads["gamma"] is layer.dgamma


def test_softmax_with_loss_refuses_an_empty_batch():
    layer = nn.SoftmaxWithLoss()
    with pytest.raises(ValueError, match="empty batch"):
        layer.forward(np.zeros((0, 10)), np.zeros(0, dtype=int))


# ------------------------------------------------------------ the book's shopping examples


def test_apple_values_match_the_book():
    v = nn.apple_values()
    assert v["price"] == pytest.approx(220)
    assert v["d_apple_price"] == pytest.approx(2.2)
    assert v["d_apple_num"] == pytest.approx(110)
    assert v["d_tax"] == pytest.approx(200)


def test_apple_orange_values_match_the_book():
    v = nn.apple_orange_values()
    assert v["price"] == pytest.approx(715)
    expected = dict(d_apple_num=110, d_apple_price=2.2, d_orange_price=3.3, d_orange_num=165,
                    d_tax=650)
    for key, value in expected.items():
        assert v[key] == pytest.approx(value), key


def test_gradients_agree_with_finite_differences():
    base = dict(apple_price=120.0, apple_num=4.0, orange_price=80.0, orange_num=5.0, tax=1.2)
    v = nn.apple_orange_values(**base)
    h = 1e-4
    for name in base:
        up = nn.apple_orange_values(**{**base, name: base[name] + h})["price"]
        down = nn.apple_orange_values(**{**base, name: base[name] - h})["price"]
        assert v[f"d_{name}"] == pytest.approx((up - down) / (2 * h), rel=1e-6), name


def test_apple_values_reject_non_finite_prices():
    with pytest.raises(ValueError, match="apple_price must be a finite number"):
        nn.apple_values(apple_price=float("nan"))


# ---- the layer contract (nn.Layer): tests/unit/test_contracts.py tests every layer class of
# each kind; what is left here is specific to some layers ---------------------------------------


def test_buffers_are_declared_not_sniffed():
    assert nn.BatchNormalization.buffers == ("running_mean", "running_var")
    assert all(cls.buffers == () for cls in (nn.Affine, nn.Convolution, nn.Dropout, nn.Relu))
    net = nn.MultiLayerNet(4, [3], 2, use_batchnorm=True)
    assert {"running_mean1", "running_var1"} <= set(net.state_dict())


@pytest.mark.parametrize("make", [
    lambda W: nn.Affine(W.reshape(6, 2), np.zeros(2, dtype=np.int64)),
    lambda W: nn.Convolution(W.reshape(2, 1, 2, 3), np.zeros(2, dtype=np.int64)),
    lambda W: nn.FastConvolution(W.reshape(2, 1, 2, 3), np.zeros(2, dtype=np.int64)),
], ids=["Affine", "Convolution", "FastConvolution"])
def test_an_integer_W_becomes_float64_in_every_layer(make):
    W_int = np.arange(1, 13, dtype=np.int64)
    layer, reference = make(W_int), make(W_int.astype(np.float64))
    assert layer.W.dtype == layer.b.dtype == np.float64
    x = np.random.default_rng(RNG_SEED).normal(size=(2, 6) if isinstance(layer, nn.Affine)
                                                else (2, 1, 4, 5))
    np.testing.assert_array_equal(layer.forward(x), reference.forward(x))
    dout = np.ones_like(layer.forward(x))
    layer.backward(dout)
    reference.backward(dout)
    assert layer.dW.dtype == np.float64 and np.any(layer.dW != 0)  # not an all-zero integer dW
    np.testing.assert_allclose(layer.dW, reference.dW)
    with pytest.raises(ValueError, match="floating dtype"):
        type(layer)(layer.W, layer.b, dtype=np.int32)


def test_a_first_affine_skips_the_input_gradient(monkeypatch):
    # backward_params computes dW and db with one product; backward needs a second one for dx.
    rng = np.random.default_rng(0)
    layer = nn.Affine(rng.standard_normal((6, 4)), rng.standard_normal(4))
    x, dout = rng.standard_normal((5, 6)), rng.standard_normal((5, 4))
    products = []
    real = nn.layers.matmul
    monkeypatch.setattr(nn.layers, "matmul", lambda a, b: products.append(a.shape) or real(a, b))
    layer.forward(x)
    products.clear()
    layer.backward_params(dout)
    assert products == [(6, 5)]  # x.T @ dout only
    np.testing.assert_allclose(layer.grads["W"], x.T @ dout)
    layer.backward(dout)
    assert products == [(6, 5), (6, 5), (5, 4)]
