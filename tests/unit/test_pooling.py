"""FastPooling (the networks' max pooling) against the book's readable Pooling, the elementwise
steps of nn.backend on both paths (CPython's spelling and the browser's np.where), and Relu."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.backend

#: (x shape, (pool_h, pool_w), stride, pad): tiling windows, overlapping ones, padded ones,
#: non-square windows, a 1x1 window and more than 255 window positions (a wider winner type).
CASES = [
    ((2, 3, 8, 8), (2, 2), 2, 0),
    ((2, 3, 6, 6), (3, 3), 3, 0),
    ((1, 4, 7, 7), (3, 3), 2, 1),
    ((2, 2, 5, 6), (2, 3), 1, 1),
    ((2, 3, 9, 8), (3, 2), 1, 0),
    ((3, 2, 4, 4), (1, 1), 1, 0),
    ((1, 1, 20, 20), (17, 16), 1, 0),
]
case_ids = [f"{s}-{p[0]}x{p[1]}-s{st}-p{pad}" for s, p, st, pad in CASES]


@pytest.fixture(params=["cpython", "browser"])
def path(request, monkeypatch):
    """Run a test with nn.backend's CPython spelling, then with the browser's (np.where)."""
    monkeypatch.setattr(nn.backend, "USE_WHERE", request.param == "browser")
    return request.param


def _layout(x: np.ndarray, channels_last: bool) -> np.ndarray:
    """x as it is, or the same values laid out channels-last, as FastConvolution hands them."""
    if not channels_last:
        return x
    return np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)


@pytest.mark.usefixtures("path")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("channels_last", [False, True])
@pytest.mark.parametrize(("shape", "pool", "stride", "pad"), CASES, ids=case_ids)
def test_fast_pooling_equals_pooling(shape, pool, stride, pad, dtype, channels_last):
    rng = np.random.default_rng(sum(shape) + stride + pad)
    x = _layout(rng.standard_normal(shape).astype(dtype), channels_last)
    book, fast = nn.Pooling(*pool, stride=stride, pad=pad), nn.FastPooling(*pool, stride=stride,
                                                                          pad=pad)
    out = fast.forward(x)
    np.testing.assert_array_equal(out, book.forward(x))
    assert out.dtype == dtype
    dout = rng.standard_normal(out.shape).astype(dtype)
    dx = fast.backward(dout)
    np.testing.assert_array_equal(dx, book.backward(dout))
    assert dx.shape == x.shape and dx.dtype == dtype


@pytest.mark.usefixtures("path")
@pytest.mark.parametrize("layer_class", [nn.Pooling, nn.FastPooling])
def test_ties_go_to_the_first_position_in_reading_order(layer_class):
    # Window 1 is all zeros (a ReLU's output often is); window 2 has its maximum 5 at the
    # positions 1 and 2 of (0, 1, 2, 3), not at 0; window 3 at 2 and 3; window 4 once, at 3.
    x = np.array([[0, 0, 1, 5], [0, 0, 5, 4], [2, 1, 0, 7], [9, 9, 2, 7.5]])[None, None]
    layer = layer_class(2, 2, stride=2)
    np.testing.assert_array_equal(layer.forward(x)[0, 0], [[0, 5], [9, 7.5]])
    dx = layer.backward(np.array([[1.0, 2.0], [3.0, 4.0]])[None, None])[0, 0]
    np.testing.assert_array_equal(
        dx, [[1, 0, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 4]]
    )


@pytest.mark.usefixtures("path")
@pytest.mark.parametrize("layer_class", [nn.Pooling, nn.FastPooling])
@pytest.mark.parametrize(("pool", "stride", "pad"), [((2, 2), 2, 0), ((2, 2), 1, 1),
                                                     ((3, 2), 1, 0)])
def test_pooling_gradient_matches_central_differences(layer_class, pool, stride, pad):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 2, 5, 4)) if stride == 1 else rng.standard_normal((2, 2, 4, 6))
    layer = layer_class(*pool, stride=stride, pad=pad)
    weights = rng.standard_normal(layer.forward(x).shape)  # loss = sum(weights * pool(x))

    def loss(_: np.ndarray) -> float:
        return float(np.sum(weights * layer.forward(x)))

    numeric = nn.numerical_gradient(loss, x, h=1e-6)
    layer.forward(x)
    np.testing.assert_allclose(layer.backward(weights), numeric, atol=1e-6)


@pytest.mark.usefixtures("path")
def test_fast_pooling_keeps_its_input_and_never_returns_a_view_of_it():
    x = np.random.default_rng(6).standard_normal((2, 3, 4, 4))
    saved = x.copy()
    for pool, stride in (((1, 1), 1), ((2, 2), 2)):
        layer = nn.FastPooling(*pool, stride=stride)
        out = layer.forward(x)
        assert not np.shares_memory(out, x)
        dout = np.ones_like(out)
        assert not np.shares_memory(layer.backward(dout), dout)
    np.testing.assert_array_equal(x, saved)


def test_fast_pooling_refuses_what_pooling_refuses():
    layer = nn.FastPooling(2, 2, stride=2)
    with pytest.raises(RuntimeError, match="FastPooling.backward called before forward"):
        layer.backward(np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match=r"FastPooling expects x, a 4-D input"):
        layer.forward(np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"FastPooling: x of shape \(1, 1, 5, 4\) does not fit"):
        layer.forward(np.zeros((1, 1, 5, 4)))
    layer.forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"expects dout of shape \(1, 1, 2, 2\); got shape"):
        layer.backward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"FastPooling pad must be smaller than the window"):
        nn.FastPooling(2, 2, stride=1, pad=2)


def test_the_networks_pool_with_fast_pooling():
    simple, deep = nn.SimpleConvNet(), nn.DeepConvNet()
    pools = [layer for network in (simple, deep) for layer in network.layers.values()
             if isinstance(layer, nn.Pooling)]
    assert len(pools) == 4 and all(type(layer) is nn.FastPooling for layer in pools)


# --- nn.backend's elementwise steps and Relu, on both paths -------------------------------------


@pytest.mark.usefixtures("path")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_relu_on_both_paths(dtype):
    x = np.array([[-np.inf, -2.0, -0.0, 0.0, 0.5, 3.0, np.inf, np.nan]], dtype=dtype)
    layer = nn.Relu()
    out = layer.forward(x)
    np.testing.assert_array_equal(out, [[0, 0, 0, 0, 0.5, 3, np.inf, np.nan]])
    assert out.dtype == dtype
    dx = layer.backward(np.arange(8, dtype=dtype)[None])
    np.testing.assert_array_equal(dx, [[0, 0, 0, 0, 4, 5, 6, 7]])
    assert dx.dtype == dtype


@pytest.mark.usefixtures("path")
def test_backend_elementwise_steps():
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal((3, 4))
    b = b.astype(np.float32)
    np.testing.assert_array_equal(nn.backend.maximum(a, b), np.maximum(a, b))
    mask = a > 0
    np.testing.assert_array_equal(nn.backend.zero_where(mask, b), np.where(mask, 0, b))
    assert nn.backend.zero_where(mask, b).dtype == np.float32
    winner = np.zeros((3, 4), np.uint8)
    out, winner = nn.backend.running_maximum(a.copy(), winner, b, 3)  # may work in place
    np.testing.assert_array_equal(out, np.maximum(a, b))
    np.testing.assert_array_equal(winner, np.where(b > a, 3, 0))
    assert winner.dtype == np.uint8
    # a tie keeps the earlier winner
    _, again = nn.backend.running_maximum(out.copy(), winner.copy(), out.copy(), 4)
    np.testing.assert_array_equal(again, winner)
    kept = np.full((3, 4), -1.0, np.float32)
    assert nn.backend.keep_where(mask, b, out=kept) is kept
    np.testing.assert_array_equal(kept, np.where(mask, b, 0))
