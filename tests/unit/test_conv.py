"""Tests for nn.conv: im2col/col2im, Convolution and Pooling against direct loop implementations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.conv_fast
from gradcheck import numeric_grad, rel_error
from nn.conv import Pooling, col2im, conv_output_size, im2col
from synthetic import synthetic_digit

#: The book's im2col layer and the fast one the networks use: every test holds both.
CONV_CLASSES = [nn.Convolution, nn.FastConvolution]
both_convolutions = pytest.mark.parametrize("Convolution", CONV_CLASSES, ids=lambda c: c.__name__)

# --- Direct loop implementations: slow, obviously right -----------------------------------


def loop_pad(x, pad, value=0.0):
    n, c, h, w = x.shape
    out = np.full((n, c, h + 2 * pad, w + 2 * pad), value, dtype=x.dtype)
    out[:, :, pad : pad + h, pad : pad + w] = x
    return out


def loop_conv_forward(x, W, b, stride, pad):
    n, c, h, w = x.shape
    fn, _, fh, fw = W.shape
    xp = loop_pad(x, pad)
    oh = (h + 2 * pad - fh) // stride + 1
    ow = (w + 2 * pad - fw) // stride + 1
    out = np.zeros((n, fn, oh, ow))
    for s in range(n):
        for f in range(fn):
            for i in range(oh):
                for j in range(ow):
                    total = b[f]
                    for ch in range(c):
                        for u in range(fh):
                            for v in range(fw):
                                total += xp[s, ch, i * stride + u, j * stride + v] * W[f, ch, u, v]
                    out[s, f, i, j] = total
    return out


def loop_conv_backward(x, W, dout, stride, pad):
    n, c, h, w = x.shape
    fn, _, fh, fw = W.shape
    xp = loop_pad(x, pad)
    dxp = np.zeros_like(xp, dtype=float)
    dW = np.zeros(W.shape)
    db = np.zeros(fn)
    for s in range(n):
        for f in range(fn):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    g = dout[s, f, i, j]
                    db[f] += g
                    for ch in range(c):
                        for u in range(fh):
                            for v in range(fw):
                                r, q = i * stride + u, j * stride + v
                                dW[f, ch, u, v] += xp[s, ch, r, q] * g
                                dxp[s, ch, r, q] += W[f, ch, u, v] * g
    return dxp[:, :, pad : pad + h, pad : pad + w], dW, db


def loop_pool(x, ph, pw, stride, pad, dout=None):
    """Max pooling forward (and backward when dout is given); -inf padding, first max wins."""
    n, c, h, w = x.shape
    xp = loop_pad(x, pad, value=-np.inf)
    oh = (h + 2 * pad - ph) // stride + 1
    ow = (w + 2 * pad - pw) // stride + 1
    out = np.zeros((n, c, oh, ow))
    dxp = np.zeros(xp.shape)
    for s in range(n):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    best, where = -np.inf, None
                    for u in range(ph):
                        for v in range(pw):
                            value = xp[s, ch, i * stride + u, j * stride + v]
                            if where is None or value > best:
                                best, where = value, (i * stride + u, j * stride + v)
                    out[s, ch, i, j] = best
                    if dout is not None:
                        dxp[s, ch, where[0], where[1]] += dout[s, ch, i, j]
    return out, dxp[:, :, pad : pad + h, pad : pad + w]


# (x shape, filter (FH, FW), stride, pad): non-square images and filters, several strides/pads.
CONV_CASES = [
    ((2, 3, 7, 9), (3, 2), 1, 0),
    ((2, 3, 7, 9), (3, 3), 2, 1),
    ((2, 3, 7, 9), (3, 2), 3, 1),
    ((1, 2, 6, 5), (2, 4), 1, 2),
    ((3, 1, 7, 5), (1, 1), 2, 0),
    ((2, 2, 5, 5), (5, 5), 1, 0),
    ((2, 3, 6, 7), (3, 2), 1, 1),  # stride 1 with padding: the flipped-filter input gradient
    ((3, 1, 8, 7), (3, 3), 1, 1),  # one channel (an MNIST first layer): column-major col
    ((2, 1, 9, 9), (5, 3), 2, 0),
]
POOL_CASES = [  # (x shape, (pool_h, pool_w), stride, pad)
    ((2, 3, 8, 6), (2, 2), 2, 0),  # the networks' case: windows tile the image
    ((2, 3, 7, 9), (3, 3), 2, 0),
    ((2, 3, 7, 9), (3, 2), 1, 1),
    ((1, 2, 6, 7), (2, 3), 2, 1),
    ((2, 2, 5, 5), (1, 1), 1, 0),
]


def random_array(shape, seed, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


# --- conv_output_size ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "input_size, filter_size, stride, pad, expected",
    [
        (28, 5, 1, 0, 24),
        (28, 3, 1, 1, 28),
        (14, 3, 1, 2, 16),
        (28, 2, 2, 0, 14),
        (7, 3, 2, 1, 4),
        (5, 5, 1, 0, 1),
        (4, 7, 1, 2, 2),
        (10, 1, 3, 0, 4),
    ],
)
def test_conv_output_size_table(input_size, filter_size, stride, pad, expected):
    assert conv_output_size(input_size, filter_size, stride, pad) == expected


@pytest.mark.parametrize(
    "args, message",
    [
        ((28, 3, 2, 0), r"13\.5 is not an integer"),
        ((3, 5, 1, 0), r"does not fit an input of size 3"),
        ((28, 3, 0, 0), r"stride must be an integer >= 1; got 0"),
        ((28, 3, 1, -1), r"pad must be an integer >= 0; got -1"),
        ((0, 3, 1, 0), r"input_size must be an integer >= 1; got 0"),
        ((28, 2.5, 1, 0), r"filter_size must be an integer >= 1; got 2\.5"),
    ],
)
def test_conv_output_size_rejects_bad_sizes(args, message):
    with pytest.raises(ValueError, match=message):
        conv_output_size(*args)


# --- im2col / col2im ------------------------------------------------------------------------


@pytest.mark.parametrize("shape, filt, stride, pad", CONV_CASES)
def test_im2col_matches_the_definition(shape, filt, stride, pad):
    x = random_array(shape, 1)
    fh, fw = filt
    n, c, h, w = shape
    oh, ow = conv_output_size(h, fh, stride, pad), conv_output_size(w, fw, stride, pad)
    col = im2col(x, fh, fw, stride, pad)
    assert col.shape == (n * oh * ow, c * fh * fw)
    xp = loop_pad(x, pad)
    for s in range(n):
        for i in range(oh):
            for j in range(ow):
                row = col[(s * oh + i) * ow + j]
                patch = xp[s, :, i * stride : i * stride + fh, j * stride : j * stride + fw]
                np.testing.assert_array_equal(row, patch.ravel())


@pytest.mark.parametrize("shape, filt, stride, pad", CONV_CASES)
def test_col2im_is_the_adjoint_of_im2col(shape, filt, stride, pad):
    # <im2col(x), c> == <x, col2im(c)> for every x and c: col2im is im2col's transpose.
    x = random_array(shape, 2)
    col = im2col(x, *filt, stride, pad)
    c = random_array(col.shape, 3)
    back = col2im(c, shape, *filt, stride, pad)
    assert back.shape == shape
    assert np.isclose(np.sum(col * c), np.sum(x * back), rtol=1e-12)


def test_col2im_counts_overlaps():
    # col2im of all-ones counts how many receptive fields cover each pixel.
    counts = col2im(np.ones((9, 4)), (1, 1, 4, 4), 2, 2, stride=1, pad=0)
    expected = np.array([[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])
    np.testing.assert_array_equal(counts[0, 0], expected)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 3),
    c=st.integers(1, 3),
    fh=st.integers(1, 4),
    fw=st.integers(1, 4),
    oh=st.integers(1, 5),
    ow=st.integers(1, 5),
    stride=st.integers(1, 3),
    pad=st.integers(0, 2),
)
def test_im2col_shapes_and_adjointness_property(n, c, fh, fw, oh, ow, stride, pad):
    # Build an input size that the filter tiles exactly, and check shape and adjointness.
    h = (oh - 1) * stride + fh - 2 * pad
    w = (ow - 1) * stride + fw - 2 * pad
    if h < 1 or w < 1:
        return
    x = random_array((n, c, h, w), 4)
    col = im2col(x, fh, fw, stride, pad)
    assert col.shape == (n * oh * ow, c * fh * fw)
    r = random_array(col.shape, 5)
    assert np.isclose(np.sum(col * r), np.sum(x * col2im(r, x.shape, fh, fw, stride, pad)))


# --- Convolution --------------------------------------------------------------------------


@both_convolutions
@pytest.mark.parametrize("shape, filt, stride, pad", CONV_CASES)
def test_convolution_matches_loops(shape, filt, stride, pad, Convolution):
    x = random_array(shape, 6)
    W = random_array((4, shape[1], *filt), 7)
    b = random_array((4,), 8)
    layer = Convolution(W, b, stride=stride, pad=pad)
    out = layer.forward(x)
    np.testing.assert_allclose(out, loop_conv_forward(x, W, b, stride, pad), rtol=1e-12, atol=1e-12)

    dout = random_array(out.shape, 9)
    dx = layer.backward(dout)
    dx_ref, dW_ref, db_ref = loop_conv_backward(x, W, dout, stride, pad)
    np.testing.assert_allclose(dx, dx_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.dW, dW_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.db, db_ref, rtol=1e-12, atol=1e-12)
    assert layer.grads["W"] is layer.dW and layer.grads["b"] is layer.db
    assert layer.params["W"] is W and layer.params["b"] is b


@pytest.mark.parametrize("shape, filt, stride, pad", CONV_CASES)
def test_convolution_in_pieces_matches_loops(shape, filt, stride, pad, monkeypatch):
    Convolution = nn.FastConvolution  # only the fast layer takes the batch in pieces
    # The layer takes the batch a few images at a time; with a piece size of two images and
    # five images, the last piece is a partial one.
    n, c, h, w = shape
    shape = (5, c, h, w)
    out_h = conv_output_size(h, filt[0], stride, pad)
    out_w = conv_output_size(w, filt[1], stride, pad)
    monkeypatch.setattr(nn.conv_fast, "CHUNK_BYTES", 2 * out_h * out_w * c * filt[0] * filt[1] * 8)
    x = random_array(shape, 16)
    W = random_array((4, c, *filt), 17)
    b = random_array((4,), 18)
    layer = Convolution(W, b, stride=stride, pad=pad)
    expected = loop_conv_forward(x, W, b, stride, pad)
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-12, atol=1e-12)
    dout = random_array((5, 4, out_h, out_w), 19)
    dx = layer.backward(dout)
    dx_ref, dW_ref, db_ref = loop_conv_backward(x, W, dout, stride, pad)
    np.testing.assert_allclose(dx, dx_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.dW, dW_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.db, db_ref, rtol=1e-12, atol=1e-12)


#: The networks' convolutions: (x shape, W shape, stride, pad) of SimpleConvNet's layer and of
#: DeepConvNet's six (a batch of 3 instead of 100).
NETWORK_CONV_CASES = [
    ((3, 1, 28, 28), (30, 1, 5, 5), 1, 0),
    ((3, 1, 28, 28), (16, 1, 3, 3), 1, 1),
    ((3, 16, 28, 28), (16, 16, 3, 3), 1, 1),
    ((3, 16, 14, 14), (32, 16, 3, 3), 1, 1),
    ((3, 32, 14, 14), (32, 32, 3, 3), 1, 2),
    ((3, 32, 8, 8), (64, 32, 3, 3), 1, 1),
    ((3, 64, 8, 8), (64, 64, 3, 3), 1, 1),
]


@pytest.mark.parametrize("dtype, tol", [(np.float32, 1e-5), (np.float64, 1e-10)])
@pytest.mark.parametrize("x_shape, W_shape, stride, pad", NETWORK_CONV_CASES)
def test_fast_convolution_matches_the_readable_one(x_shape, W_shape, stride, pad, dtype, tol):
    x = random_array(x_shape, 40, dtype)
    W = random_array(W_shape, 41, dtype) * np.sqrt(2 / np.prod(W_shape[1:]), dtype=dtype)
    b = random_array(W_shape[:1], 42, dtype)
    readable = nn.Convolution(W, b, stride=stride, pad=pad)
    fast = nn.FastConvolution(W, b, stride=stride, pad=pad)
    out = readable.forward(x)
    dout = random_array(out.shape, 43, dtype)
    dx = readable.backward(dout)
    fast_out = fast.forward(x)
    fast_dx = fast.backward(dout)
    for name, got, want in [("out", fast_out, out), ("dx", fast_dx, dx),
                            ("dW", fast.dW, readable.dW), ("db", fast.db, readable.db)]:
        assert got.dtype == dtype, name
        scale = np.max(np.abs(want))
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale, err_msg=name)


@pytest.mark.parametrize("layout", ["nchw", "nhwc", "float64 into float32"])
def test_fast_backward_by_convolution_whatever_x_it_kept(layout):
    # For stride 1 backward uses the x kept by forward (channels-last, a copy only when needed).
    x = random_array((3, 4, 6, 5), 48)
    if layout == "nhwc":
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    W = random_array((5, 4, 3, 3), 49, np.float32)
    b = random_array((5,), 50, np.float32)
    fast = nn.FastConvolution(W, b, pad=1)
    readable = nn.Convolution(W, b, pad=1)
    if layout != "float64 into float32":
        x = x.astype(np.float32)
    out = fast.forward(x)
    np.testing.assert_allclose(out, readable.forward(x), rtol=1e-5, atol=1e-5)
    dout = random_array(out.shape, 51, np.float32)
    np.testing.assert_allclose(fast.backward(dout), readable.backward(dout), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(fast.dW, readable.dW, rtol=1e-5, atol=1e-5)
    assert fast.dW.dtype == np.float32


@pytest.mark.parametrize("shape", [(2, 3, 7, 7), (2, 1, 7, 7)], ids=["3 channels", "1 channel"])
@pytest.mark.parametrize("stride", [1, 2])
def test_fast_convolution_can_skip_the_input_gradient(shape, stride):
    x = random_array(shape, 44)
    W = random_array((4, shape[1], 3, 3), 45)
    b = random_array((4,), 46)
    full = nn.FastConvolution(W, b, stride=stride, pad=1)
    first = nn.FastConvolution(W, b, stride=stride, pad=1)
    dout = random_array(full.forward(x).shape, 47)
    first.forward(x)
    assert full.backward(dout).shape == x.shape  # backward always returns dx
    assert first.backward_params(dout) is None  # only the parameters' gradients
    np.testing.assert_allclose(first.dW, full.dW, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(first.db, full.db)
    assert first.grads["W"] is first.dW and first.grads["b"] is first.db


@pytest.mark.parametrize("make", [nn.SimpleConvNet, nn.DeepConvNet])
def test_only_the_first_convolution_skips_its_input_gradient(make, monkeypatch):
    network = make()
    calls = []
    depth = [0]  # only the network's own calls count: Affine.backward calls its backward_params

    def spy(name, method, original):
        def called(dout):
            if depth[0] == 0:
                calls.append((name, method))
            depth[0] += 1
            try:
                return original(dout)
            finally:
                depth[0] -= 1
        return called

    for name, layer in network.layers.items():
        for method in ("backward", "backward_params"):
            monkeypatch.setattr(layer, method, spy(name, method, getattr(layer, method)))
    x = random_array((2, *network.input_shape), 48)
    network.gradient(x, np.array([1, 7]))
    names = list(network.layers)
    assert calls == [(name, "backward") for name in reversed(names[1:])] + [
        (names[0], "backward_params")
    ]
    assert isinstance(network.layers[names[0]], nn.Convolution)


@both_convolutions
def test_convolution_accepts_any_memory_layout(Convolution):
    # Layers hand each other transposed views; results must not depend on the memory layout.
    x = random_array((2, 5, 3, 4), 10).transpose(0, 3, 1, 2)  # (2, 4, 5, 3), not contiguous
    W = random_array((3, 4, 2, 2), 11)
    b = random_array((3,), 12)
    layer = Convolution(W, b, stride=1, pad=1)
    out = layer.forward(x)
    np.testing.assert_allclose(out, loop_conv_forward(x, W, b, 1, 1), rtol=1e-12, atol=1e-12)
    dout = np.asfortranarray(random_array(out.shape, 13))
    dx_ref = loop_conv_backward(x, W, dout, 1, 1)[0]
    np.testing.assert_allclose(layer.backward(dout), dx_ref, atol=1e-12)


# --- Pooling ------------------------------------------------------------------------------


@pytest.mark.parametrize("shape, pool, stride, pad", POOL_CASES)
def test_pooling_matches_loops(shape, pool, stride, pad):
    x = random_array(shape, 14)
    layer = Pooling(*pool, stride=stride, pad=pad)
    out = layer.forward(x)
    dout = random_array(out.shape, 15)
    out_ref, dx_ref = loop_pool(x, *pool, stride, pad, dout)
    np.testing.assert_array_equal(out, out_ref)
    np.testing.assert_allclose(layer.backward(dout), dx_ref, rtol=1e-12, atol=1e-12)


def test_pooling_routes_ties_to_the_first_maximum():
    x = np.zeros((1, 1, 2, 2))  # after a ReLU whole windows are often 0
    layer = Pooling(2, 2, stride=2)
    layer.forward(x)
    dx = layer.backward(np.ones((1, 1, 1, 1)))
    np.testing.assert_array_equal(dx[0, 0], [[1.0, 0.0], [0.0, 0.0]])


def test_pooling_padding_never_wins():
    x = -np.ones((1, 1, 2, 2))
    out = Pooling(2, 2, stride=1, pad=1).forward(x)
    np.testing.assert_array_equal(out, -np.ones((1, 1, 3, 3)))


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 2),
    c=st.integers(1, 3),
    ph=st.integers(1, 3),
    pw=st.integers(1, 3),
    oh=st.integers(1, 4),
    ow=st.integers(1, 4),
    stride=st.integers(1, 3),
)
def test_pooling_shape_property(n, c, ph, pw, oh, ow, stride):
    h, w = (oh - 1) * stride + ph, (ow - 1) * stride + pw
    x = random_array((n, c, h, w), 16)
    layer = Pooling(ph, pw, stride=stride)
    out = layer.forward(x)
    assert out.shape == (n, c, oh, ow)
    # Each window's gradient lands on one pixel, so the gradient's total is kept.
    dout = random_array(out.shape, 17)
    assert np.isclose(layer.backward(dout).sum(), dout.sum())


# --- Gradient check ------------------------------------------------------------------------


@both_convolutions
@pytest.mark.parametrize("stride, pad", [(1, 0), (1, 1), (2, 1)])
def test_conv_pool_gradients_match_numerical(stride, pad, Convolution):
    # loss = sum(R * pool(conv(x))): its backprop gradients against central differences.
    x = random_array((2, 2, 7, 7), 18)
    W = random_array((3, 2, 3, 3), 19)
    b = random_array((3,), 20)
    conv = Convolution(W, b, stride=stride, pad=pad)
    pool = Pooling(2, 2, stride=1)
    R = random_array(pool.forward(conv.forward(x)).shape, 21)

    def loss():
        return float(np.sum(R * pool.forward(conv.forward(x))))

    loss()
    dx = conv.backward(pool.backward(R))
    grads = {"x": dx, "W": conv.dW, "b": conv.db}
    for name, array in [("x", x), ("W", W), ("b", b)]:
        numeric = numeric_grad(loss, array)
        assert rel_error(grads[name], numeric) < 1e-6, name


# --- dtype, no mutation ----------------------------------------------------------------------


@both_convolutions
def test_float32_stays_float32(Convolution):
    x = random_array((2, 3, 8, 8), 22, np.float32)
    W = random_array((4, 3, 3, 3), 23, np.float32)
    b = random_array((4,), 24, np.float32)
    conv, pool = Convolution(W, b, pad=1), Pooling(2, 2, stride=2)
    out = pool.forward(conv.forward(x))
    assert out.dtype == np.float32
    dx = conv.backward(pool.backward(np.ones(out.shape, np.float32)))
    assert dx.dtype == conv.dW.dtype == conv.db.dtype == np.float32
    col = im2col(x, 3, 3, 1, 1)
    assert col.dtype == np.float32
    assert col2im(col, x.shape, 3, 3, 1, 1).dtype == np.float32


@both_convolutions
def test_layers_do_not_modify_their_inputs(Convolution):
    x = random_array((2, 3, 6, 6), 25)
    W = random_array((4, 3, 3, 3), 26)
    b = random_array((4,), 27)
    saved = [a.copy() for a in (x, W, b)]
    conv, pool = Convolution(W, b, stride=1, pad=1), Pooling(2, 2, stride=2)
    out = pool.forward(conv.forward(x))
    dout = random_array(out.shape, 28)
    dout_saved = dout.copy()
    conv.backward(pool.backward(dout))
    col = im2col(x, 3, 3)
    col_saved = col.copy()
    col2im(col, x.shape, 3, 3)
    for before, after in zip(saved + [dout_saved, col_saved], [x, W, b, dout, col], strict=True):
        np.testing.assert_array_equal(before, after)


# --- Bad input ---------------------------------------------------------------------------------


@both_convolutions
def test_convolution_rejects_3d_input(Convolution):
    layer = Convolution(np.zeros((2, 1, 3, 3)), np.zeros(2))
    with pytest.raises(
        ValueError,
        match=r"Convolution expects x, a 4-D input \(N, C, H, W\); got shape \(1, 28, 28\)",
    ):
        layer.forward(np.zeros((1, 28, 28)))


@both_convolutions
def test_convolution_rejects_channel_mismatch(Convolution):
    layer = Convolution(np.zeros((2, 3, 3, 3)), np.zeros(2))
    with pytest.raises(ValueError, match=r"expect 3 input channels; got .* with 1 channels"):
        layer.forward(np.zeros((1, 1, 8, 8)))


@both_convolutions
@pytest.mark.parametrize(
    "W_shape, b_shape, kwargs, message",
    [
        ((2, 3, 3), (2,), {}, r"expects W of shape \(FN, C, FH, FW\); got shape \(2, 3, 3\)"),
        ((2, 1, 3, 3), (3,), {},
         r"expects b of shape \(2,\), one bias per filter; got shape \(3,\)"),
        ((2, 1, 3, 3), (2,), {"stride": 0}, r"stride must be an integer >= 1; got 0"),
        ((2, 1, 3, 3), (2,), {"pad": -1}, r"pad must be an integer >= 0; got -1"),
    ],
)
def test_convolution_rejects_bad_construction(W_shape, b_shape, kwargs, message, Convolution):
    with pytest.raises(ValueError, match=message):
        Convolution(np.zeros(W_shape), np.zeros(b_shape), **kwargs)


@both_convolutions
def test_convolution_rejects_input_the_filter_does_not_tile(Convolution):
    layer = Convolution(np.zeros((2, 1, 3, 3)), np.zeros(2), stride=2)
    with pytest.raises(ValueError, match=r"\(8 \+ 2\*0 - 3\) / 2 \+ 1 = 3\.5 is not an integer"):
        layer.forward(np.zeros((1, 1, 8, 8)))


@both_convolutions
def test_backward_rejects_wrong_dout_shape_and_missing_forward(Convolution):
    conv = Convolution(np.zeros((2, 1, 3, 3)), np.zeros(2))
    with pytest.raises(RuntimeError, match="before forward"):
        conv.backward(np.zeros((1, 2, 4, 4)))
    conv.forward(np.zeros((1, 1, 6, 6)))
    if Convolution is nn.FastConvolution:
        expected = r"expects dout of shape \(1, 2, 4, 4\); got shape \(1, 2, 3, 3\)"
        with pytest.raises(ValueError, match=expected):
            conv.backward(np.zeros((1, 2, 3, 3)))
    pool = Pooling(2, 2, stride=2)
    with pytest.raises(RuntimeError, match="before forward"):
        pool.backward(np.zeros((1, 1, 2, 2)))
    pool.forward(np.zeros((1, 1, 4, 4)))
    expected = r"expects dout of shape \(1, 1, 2, 2\); got shape \(1, 1, 4, 4\)"
    with pytest.raises(ValueError, match=expected):
        pool.backward(np.zeros((1, 1, 4, 4)))


@pytest.mark.parametrize(
    "args, message",
    [
        ((0, 2), r"pool_h must be an integer >= 1; got 0"),
        ((2, 2, 0), r"stride must be an integer >= 1; got 0"),
        ((2, 2, 1, 2), r"pad must be smaller than the window \(2x2\).*got pad=2"),
    ],
)
def test_pooling_rejects_bad_construction(args, message):
    with pytest.raises(ValueError, match=message):
        Pooling(*args)


def test_pooling_rejects_bad_input():
    expected = r"Pooling expects x, a 4-D input \(N, C, H, W\); got shape \(3, 4\)"
    with pytest.raises(ValueError, match=expected):
        Pooling(2, 2, stride=2).forward(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"\(5 \+ 2\*0 - 2\) / 2 \+ 1 = 2\.5 is not an integer"):
        Pooling(2, 2, stride=2).forward(np.zeros((1, 1, 5, 4)))


def test_im2col_and_col2im_reject_bad_input():
    expected = r"im2col expects x, a 4-D input \(N, C, H, W\); got shape \(5, 5\)"
    with pytest.raises(ValueError, match=expected):
        im2col(np.zeros((5, 5)), 3, 3)
    expected = r"col2im expects col of shape \(9, 4\) .* got shape \(9, 5\)"
    with pytest.raises(ValueError, match=expected):
        col2im(np.zeros((9, 5)), (1, 1, 4, 4), 2, 2)


# ------------------------------------------------- one filter on one image, receptive fields

BOOK_X = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=float)
BOOK_W = np.array([[2, 0, 1], [0, 1, 2], [1, 0, 2]], dtype=float)


def test_book_example_by_feature_map():
    np.testing.assert_array_equal(nn.feature_map(BOOK_X, BOOK_W), [[15, 16], [6, 15]])
    # padding 1 (the book's figure 7-7) keeps the 4x4 size; bias adds to every element
    padded = nn.feature_map(BOOK_X, BOOK_W, pad=1, bias=3)
    assert padded.shape == (4, 4)
    assert padded[1, 1] == 15 + 3


def test_feature_map_rounds_down_a_fractional_size():
    # (28 - 3) / 2 + 1 = 13.5: nn.Convolution refuses; the explorer drops the last row/column
    with pytest.raises(ValueError, match="not an integer"):
        nn.conv_output_size(28, 3, 2, 0)
    horizontal = nn.HAND_FILTERS["horizontal edge"]
    fmap = nn.feature_map(synthetic_digit(), horizontal, stride=2)
    assert fmap.shape == (13, 13)
    full = nn.feature_map(synthetic_digit(), horizontal, stride=1)
    np.testing.assert_allclose(fmap, full[::2, ::2][:13, :13])


def test_edge_filters_respond_to_their_edges():
    img = np.zeros((10, 10))
    img[5:, :] = 1.0  # a horizontal edge only
    horizontal = nn.feature_map(img, nn.HAND_FILTERS["horizontal edge"])
    vertical = nn.feature_map(img, nn.HAND_FILTERS["vertical edge"])
    assert np.abs(horizontal).max() == 3 and np.abs(vertical).max() == 0
    assert np.isclose(nn.feature_map(np.ones((5, 5)), nn.HAND_FILTERS["blur"]), 1).all()


def test_feature_map_bad_input():
    with pytest.raises(ValueError, match="does not fit"):
        nn.feature_map(np.ones((2, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="stride"):
        nn.feature_map(np.ones((5, 5)), np.ones((3, 3)), stride=0)
    with pytest.raises(ValueError, match="kernel must be 2-D"):
        nn.feature_map(np.ones((5, 5)), np.ones(3))
    with pytest.raises(ValueError, match="one image"):
        nn.feature_map(np.ones((2, 5, 5)), np.ones((3, 3)))


def test_receptive_field():
    assert [nn.receptive_field(n) for n in range(4)] == [1, 3, 5, 7]
    assert nn.receptive_field(1, 5) == 5
    assert nn.receptive_field(2, 2, 2) == 4  # two 2x2 poolings with stride 2
    with pytest.raises(ValueError):
        nn.receptive_field(-1)
