"""Property-based tests of every public layer and network: random shapes, dtypes and non-finite
values go in; what comes out is either a result of the documented shape and dtype, or a
ValueError/TypeError whose message names the argument.  Never another exception, and never NaN
from finite input.

Shapes are small and examples few (``max_examples``) so that the whole file stays fast.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn

# A layer does not check its input for NaN (the networks and the Trainer do, once, up front):
# NaN or inf going in comes out as NaN or inf, with NumPy's RuntimeWarning, which is not silent.
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")

FAST = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int64, np.uint8, np.bool_]
NON_FINITE = [np.nan, np.inf, -np.inf]
X_NAMES = r"\bx\b|\binput\b"  # how messages name the input argument
T_NAMES = r"\bt\b|\blabels?\b"


@st.composite
def arrays(draw, shape, finite: bool | None = None):
    """An array of ``shape`` (a tuple or a strategy) in a random dtype, values in [-10, 10];
    ``finite=False`` puts a NaN or inf somewhere (a float array), None lets it be either."""
    if not isinstance(shape, tuple):
        shape = draw(shape)
    seed = draw(st.integers(0, 2**16))
    values = np.random.default_rng(seed).uniform(-10, 10, shape)
    if finite is None:
        finite = draw(st.booleans()) or values.size == 0
    if not finite and values.size:
        values.flat[draw(st.integers(0, values.size - 1))] = draw(st.sampled_from(NON_FINITE))
        return values.astype(draw(st.sampled_from([np.float16, np.float32, np.float64])))
    return values.astype(draw(st.sampled_from(DTYPES)))


def small_shape(min_dims=0, max_dims=4, max_side=4):
    return st.lists(st.integers(0, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


def is_finite(x) -> bool:
    return bool(np.all(np.isfinite(np.asarray(x, dtype=np.float64))))


def call(fn, *args, names=X_NAMES, **kwargs):
    """fn(*args) or None when it raised a ValueError/TypeError naming the argument; any other
    exception, or such an error that does not name it, fails the test."""
    try:
        return fn(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        assert re.search(names, str(exc)), f"the message does not name the argument: {exc}"
        return None


# ------------------------------------------------------------------ elementwise layers


@pytest.mark.parametrize("make", [nn.Relu, nn.Sigmoid, nn.Tanh, lambda: nn.Dropout(0.3, seed=0)])
@FAST
@given(x=arrays(small_shape()), train=st.booleans())
def test_elementwise_layers(make, x, train):
    layer = make()
    out = call(layer.forward, x, train_flg=train)
    if out is None:
        return
    assert out.shape == x.shape
    if x.dtype.kind == "f":
        assert out.dtype == x.dtype or isinstance(layer, nn.Dropout)
    if is_finite(x):
        assert is_finite(out)
    dx = layer.backward(np.ones(out.shape))
    assert np.shape(dx) == x.shape
    if is_finite(x):
        assert is_finite(dx)


def test_elementwise_layers_name_non_numeric_input():
    for layer in (nn.Relu(), nn.Sigmoid(), nn.Tanh(), nn.Dropout()):
        with pytest.raises(ValueError, match=r"\bx must be an array of real numbers"):
            layer.forward(np.array(["a", "b"]))


# ------------------------------------------------------------------ Affine


@FAST
@given(
    x=arrays(st.tuples(st.integers(0, 3), st.sampled_from([1, 2, 3, 6]), st.integers(1, 2))),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_affine(x, dtype):
    rng = np.random.default_rng(0)
    layer = nn.Affine(rng.standard_normal((6, 4)), np.zeros(4), dtype=dtype)
    out = call(layer.forward, x)
    if out is None:
        assert int(np.prod(x.shape[1:])) != 6
        return
    assert out.shape == (len(x), 4) and out.dtype == dtype
    if is_finite(x):
        assert is_finite(out)
    dx = layer.backward(np.ones_like(out))
    assert dx.shape == x.shape and layer.dW.shape == (6, 4) and layer.db.shape == (4,)


# ------------------------------------------------------------------ SoftmaxWithLoss


@st.composite
def scores_and_targets(draw):
    n, c = draw(st.integers(0, 4)), draw(st.integers(1, 4))
    x = draw(arrays((n, c)))
    kind = draw(st.sampled_from(["labels", "one-hot", "wrong labels", "floats", "shape"]))
    rng = np.random.default_rng(draw(st.integers(0, 99)))
    if kind == "labels":
        t = rng.integers(0, c, n)
    elif kind == "one-hot":
        t = np.eye(c)[rng.integers(0, c, n)]
    elif kind == "wrong labels":
        t = rng.integers(c, c + 3, n)
    elif kind == "floats":
        t = rng.uniform(0, c, n)
    else:
        t = rng.integers(0, c, n + 1)
    return x, t


@FAST
@given(data=scores_and_targets())
def test_softmax_with_loss(data):
    x, t = data
    layer = nn.SoftmaxWithLoss()
    loss = call(layer.forward, x, t, names=f"{X_NAMES}|{T_NAMES}")
    if loss is None:
        return
    assert isinstance(loss, float) and len(x) >= 1
    if is_finite(x):
        assert np.isfinite(loss) and loss >= 0
        dx = layer.backward()
        assert dx.shape == x.shape and is_finite(dx)


# ------------------------------------------------------------------ BatchNormalization


@FAST
@given(
    x=arrays(
        st.one_of(
            st.tuples(st.integers(0, 4), st.sampled_from([3, 2])),
            st.tuples(
                st.integers(0, 3), st.sampled_from([3, 1]), st.integers(1, 3), st.integers(1, 3)
            ),
        )
    ),
    train=st.booleans(),
)
def test_batch_normalization(x, train):
    layer = nn.BatchNormalization(np.ones(3), np.zeros(3))
    out = call(layer.forward, x, train_flg=train)
    if out is None:
        return
    assert out.shape == x.shape and out.dtype == np.float64
    if is_finite(x):
        assert is_finite(out)
        assert is_finite(layer.running_mean) and is_finite(layer.running_var)
        dx = layer.backward(np.ones_like(out))
        assert dx.shape == x.shape and is_finite(dx)


# ------------------------------------------------------------------ Convolution and Pooling


@FAST
@given(
    x=arrays(
        st.tuples(st.integers(0, 2), st.sampled_from([1, 2]), st.integers(1, 6), st.integers(1, 6))
    ),
    stride=st.integers(1, 2),
    pad=st.integers(0, 1),
)
def test_convolution(x, stride, pad):
    W = np.random.default_rng(0).standard_normal((3, 2, 3, 3))
    layer = nn.Convolution(W, np.zeros(3), stride=stride, pad=pad)
    out = call(layer.forward, x)
    if out is None:
        return
    n, _, h, w = x.shape
    oh, ow = nn.conv_output_size(h, 3, stride, pad), nn.conv_output_size(w, 3, stride, pad)
    assert out.shape == (n, 3, oh, ow) and out.dtype.kind == "f"
    if is_finite(x):
        assert is_finite(out)
        dx = layer.backward(np.ones(out.shape))
        assert dx.shape == x.shape and is_finite(dx) and layer.dW.shape == W.shape


@FAST
@given(
    x=arrays(st.tuples(st.integers(0, 2), st.integers(1, 2), st.integers(1, 6), st.integers(1, 6))),
    size=st.integers(1, 3),
    stride=st.integers(1, 2),
)
def test_pooling(x, size, stride):
    layer = nn.Pooling(size, size, stride=stride)
    out = call(layer.forward, x)
    if out is None:
        return
    n, c, h, w = x.shape
    oh, ow = nn.conv_output_size(h, size, stride), nn.conv_output_size(w, size, stride)
    assert out.shape == (n, c, oh, ow) and out.dtype == x.dtype
    if is_finite(x):
        dx = layer.backward(np.ones(out.shape))
        assert dx.shape == x.shape and is_finite(dx)


# ------------------------------------------------------------------ networks

NETWORKS = {
    "TwoLayerNet": lambda dtype: nn.TwoLayerNet(4, 5, 3, dtype=dtype),
    "MultiLayerNet": lambda dtype: nn.MultiLayerNet(
        4, [5, 5], 3, use_batchnorm=True, use_dropout=True, dropout_ratio=0.2, dtype=dtype
    ),
    "SimpleConvNet": lambda dtype: nn.SimpleConvNet(
        (1, 6, 6), {"filter_num": 2, "filter_size": 3}, hidden_size=5, output_size=3, dtype=dtype
    ),
    "DeepConvNet": lambda dtype: nn.DeepConvNet(
        (1, 12, 12), hidden_size=5, output_size=3, dtype=dtype
    ),
}
_BUILT: dict = {}


def network(name, dtype):
    if (name, dtype) not in _BUILT:  # built once: DeepConvNet takes a moment
        _BUILT[name, dtype] = NETWORKS[name](dtype)
    return _BUILT[name, dtype]


@st.composite
def network_inputs(draw, input_shape):
    n = draw(st.integers(0, 3))
    right = draw(st.booleans())
    shape = (n, *input_shape) if right else draw(small_shape(1, 4, 6))
    x = draw(arrays(shape))
    t = np.random.default_rng(draw(st.integers(0, 99))).integers(
        0, draw(st.sampled_from([3, 5])), len(x) if x.ndim else 1
    )
    return x, t


@pytest.mark.parametrize("name", list(NETWORKS))
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]))
def test_networks(name, data, dtype):
    net = network(name, dtype)
    x, t = data.draw(network_inputs(net.input_shape))
    y = call(net.predict, x)
    if y is not None:
        assert y.dtype == dtype
        assert y.shape == ((net.output_size,) if x.shape == net.input_shape else (len(x), 3))
        assert is_finite(y)  # only finite input gets this far
    loss = call(net.loss, x, t, names=f"{X_NAMES}|{T_NAMES}")
    if loss is not None:
        assert np.isfinite(loss) and loss >= 0
    acc = call(net.accuracy, x, t, names=f"{X_NAMES}|{T_NAMES}")
    if acc is not None:
        assert 0 <= acc <= 1
    grads = call(net.gradient, x, t, names=f"{X_NAMES}|{T_NAMES}")
    if grads is not None:
        assert {k: g.shape for k, g in grads.items()} == {k: p.shape for k, p in net.params.items()}
        assert all(is_finite(g) for g in grads.values())
