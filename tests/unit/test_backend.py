"""Tests for nn.backend.matmul, the one matrix product the layers call: ``a @ b`` in CPython and
an einsum along a long axis in the browser (run here in CPython by switching USE_EINSUM on)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.backend
from nn.backend import einsum_matmul, matmul

RTOL = {np.float32: 2e-5, np.float64: 1e-12}


@pytest.fixture
def einsum_on(monkeypatch):
    """matmul as in the browser."""
    monkeypatch.setattr(nn.backend, "USE_EINSUM", True)


@pytest.fixture
def einsum_calls(monkeypatch):
    """Record the subscripts of every np.einsum call and the arrays passed to it."""
    calls = []
    real = np.einsum

    def spy(subscripts, *operands, **kwargs):
        calls.append((subscripts, operands))
        return real(subscripts, *operands, **kwargs)

    monkeypatch.setattr(np, "einsum", spy)
    return calls


def layout(x: np.ndarray, order: str) -> np.ndarray:
    """The same matrix in another memory layout: C, F (column-major), or a strided view."""
    if order == "C":
        return np.ascontiguousarray(x)
    if order == "F":
        return np.asfortranarray(x)
    wide = np.zeros((x.shape[0], 2 * x.shape[1]), dtype=x.dtype)
    wide[:, ::2] = x
    return wide[:, ::2]  # neither rows nor columns contiguous


def reference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a.astype(np.float64) @ b.astype(np.float64)


# --- CPython: plain @ -------------------------------------------------------------------------


def test_cpython_computes_with_plain_matmul():
    assert nn.live.IN_BROWSER is False
    assert nn.backend.USE_EINSUM is False
    rng = np.random.default_rng(0)
    a, b = rng.random((37, 53), dtype=np.float32), rng.random((53, 11), dtype=np.float32)
    result = matmul(a, b)
    assert result.dtype == np.float32
    assert np.array_equal(result, a @ b)  # bit for bit: the very same computation
    out = np.empty((37, 11), dtype=np.float32)
    assert matmul(a, b, out=out) is out
    assert np.array_equal(out, a @ b)


def test_cpython_path_never_calls_einsum(einsum_calls):
    rng = np.random.default_rng(1)
    x = rng.random((4, 1, 12, 12))
    network = nn.SimpleConvNet(
        input_dim=(1, 12, 12), conv_param={"filter_num": 3, "filter_size": 3, "pad": 0,
                                           "stride": 1}, hidden_size=5)
    network.gradient(x, np.array([0, 1, 2, 3]))
    assert einsum_calls == []


def test_cpython_errors_are_numpys():
    with pytest.raises(ValueError, match="matmul"):
        matmul(np.ones((2, 3)), np.ones((4, 5)))


# --- the browser's einsum ---------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order_a", ["C", "F", "strided"])
@pytest.mark.parametrize("order_b", ["C", "F", "strided"])
@pytest.mark.parametrize("shape", [(300, 20, 7), (7, 300, 20), (20, 7, 300), (5, 5, 5),
                                   (1, 9, 1), (64, 1, 33)], ids=str)
def test_einsum_matmul_equals_matmul(dtype, order_a, order_b, shape):
    m, k, n = shape
    rng = np.random.default_rng(m * 1000 + k * 10 + n)
    a = layout(rng.standard_normal((m, k)).astype(dtype), order_a)
    b = layout(rng.standard_normal((k, n)).astype(dtype), order_b)
    result = einsum_matmul(a, b)
    assert result.shape == (m, n) and result.dtype == dtype
    np.testing.assert_allclose(result, reference(a, b), rtol=RTOL[dtype], atol=RTOL[dtype] * k)
    out = np.full((m, n), np.nan, dtype=dtype)
    assert einsum_matmul(a, b, out=out) is out
    np.testing.assert_allclose(out, result, rtol=0, atol=0)


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 40), k=st.integers(1, 40), n=st.integers(1, 40),
       transpose_a=st.booleans(), transpose_b=st.booleans(), seed=st.integers(0, 2**16))
def test_einsum_matmul_any_shape_and_layout(m, k, n, transpose_a, transpose_b, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((k, m)).T if transpose_a else rng.standard_normal((m, k))
    b = rng.standard_normal((n, k)).T if transpose_b else rng.standard_normal((k, n))
    np.testing.assert_allclose(einsum_matmul(a, b), a @ b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("shape_a", "transpose_a", "shape_b", "loop", "larger_copied"),
    [
        # im2col piece @ filters: dot products along K
        ((3000, 144), False, (144, 16), "mk,nk->mn", False),
        # col.T @ dout, col.T a view of a C-order col: a's columns, along M
        ((144, 3000), True, (3000, 16), "kn,km->nm", False),
        # x @ W with a wide W: rows of b, along N
        ((100, 100), False, (100, 4000), "mk,kn->mn", False),
        # one-channel col.T @ dout: without a copy only loops of 30 (N) or 25 (M), too short,
        # so the larger dout is copied (transposed) for dot products along K
        ((25, 20000), False, (20000, 30), "mk,nk->mn", True),
    ],
)
def test_einsum_matmul_runs_along_a_long_axis(
    einsum_calls, shape_a, transpose_a, shape_b, loop, larger_copied
):
    rng = np.random.default_rng(2)
    a = rng.random(shape_a[::-1] if transpose_a else shape_a, dtype=np.float32)
    a = a.T if transpose_a else a
    b = rng.random(shape_b, dtype=np.float32)
    larger = a if a.size >= b.size else b
    einsum_matmul(a, b)
    ((subscripts, operands),) = einsum_calls
    assert subscripts == loop
    # The larger operand is used in place unless no long loop is possible without a copy.
    assert any(np.shares_memory(op, larger) for op in operands) is not larger_copied


def test_einsum_matmul_empty_sum_is_zero():
    result = einsum_matmul(np.ones((3, 0), np.float32), np.ones((0, 4), np.float32))
    assert result.shape == (3, 4) and not result.any()


def test_einsum_matmul_hands_other_inputs_to_numpy(einsum_calls):
    rng = np.random.default_rng(3)
    ints = rng.integers(-5, 5, size=(4, 6)), rng.integers(-5, 5, size=(6, 3))
    assert np.array_equal(einsum_matmul(*ints), ints[0] @ ints[1])  # integers stay exact
    mixed = rng.random((4, 6), dtype=np.float32), rng.random((6, 3))
    assert einsum_matmul(*mixed).dtype == np.float64
    vector, matrix = rng.random(6), rng.random((6, 3))
    np.testing.assert_array_equal(einsum_matmul(vector, matrix), vector @ matrix)
    stack = rng.random((2, 4, 6)), rng.random((6, 3))
    np.testing.assert_array_equal(einsum_matmul(*stack), stack[0] @ stack[1])
    assert einsum_calls == []


def test_einsum_matmul_mismatched_shapes_say_which():
    with pytest.raises(ValueError, match=r"a is 2x3 and b is 4x5.*\(3 != 4\)"):
        einsum_matmul(np.ones((2, 3)), np.ones((4, 5)))


def test_einsum_matmul_out_of_wrong_shape_is_refused():
    out = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"out must have shape \(2, 5\); got \(3, 2\)"):
        einsum_matmul(np.ones((2, 3)), np.ones((3, 5)), out=out)
    assert not out.any()


@pytest.mark.usefixtures("einsum_on")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("network_class", [nn.TwoLayerNet, nn.SimpleConvNet, nn.DeepConvNet],
                         ids=lambda c: c.__name__)
def test_networks_train_the_same_with_the_browsers_products(monkeypatch, dtype, network_class):
    rng = np.random.default_rng(4)
    x = rng.random((6, 1, 28, 28)).astype(dtype)
    t = rng.integers(0, 10, size=6)
    if network_class is nn.TwoLayerNet:
        make = lambda: nn.TwoLayerNet(784, 20, 10, dtype=dtype)  # noqa: E731
        x = x.reshape(6, 784)
    else:
        make = lambda: network_class(dtype=dtype)  # noqa: E731
    with_einsum = make().gradient(x, t)
    monkeypatch.setattr(nn.backend, "USE_EINSUM", False)
    with_matmul = make().gradient(x, t)
    assert with_einsum.keys() == with_matmul.keys()
    for name, grad in with_matmul.items():
        scale = float(np.abs(grad).max()) or 1.0
        np.testing.assert_allclose(with_einsum[name], grad, rtol=0,
                                   atol=50 * RTOL[dtype] * scale, err_msg=name)


@pytest.mark.usefixtures("einsum_on")
def test_browser_path_is_used_by_the_layers(einsum_calls):
    affine = nn.Affine(np.ones((4, 3), np.float32), np.zeros(3, np.float32))
    affine.backward(affine.forward(np.ones((2, 4), np.float32)))
    assert len(einsum_calls) == 3  # x @ W, x.T @ dout, dout @ W.T
