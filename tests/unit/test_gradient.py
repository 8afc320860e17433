"""nn.gradient: numerical derivatives, gradient descent and its path, gradient_check."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra.numpy import array_shapes, arrays
from hypothesis.strategies import floats

import nn


def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    return np.sum(x**2)


def test_numerical_diff_book_values():
    # Exact derivatives 0.2 and 0.3; the central difference is off only by rounding.
    assert nn.numerical_diff(function_1, 5) == pytest.approx(0.2, abs=1e-9)
    assert nn.numerical_diff(function_1, 10) == pytest.approx(0.3, abs=1e-9)
    assert nn.numerical_diff(function_1, 5) != 0.2  # it is an approximation


def test_numerical_diff_is_central():
    # For x**3 the central difference is 3x**2 + h**2 exactly; a forward one would be 3x**2 + 3xh.
    d = nn.numerical_diff(lambda x: x**3, 2.0, h=1e-2)
    assert d == pytest.approx(12 + 1e-4, rel=1e-10)


@pytest.mark.parametrize(
    ("point", "expected"),
    [((3.0, 4.0), (6.0, 8.0)), ((0.0, 2.0), (0.0, 4.0)), ((3.0, 0.0), (6.0, 0.0))],
)
def test_numerical_gradient_book_values(point, expected):
    grad = nn.numerical_gradient(function_2, np.array(point))
    np.testing.assert_allclose(grad, expected, atol=1e-7)


def test_numerical_gradient_any_shape_and_restores_exactly():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4))
    before = x.copy()
    grad = nn.numerical_gradient(lambda a: np.sum(a**3), x)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, 3 * before**2, rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(x, before)  # bit for bit
    scalar = np.array(1.5)
    assert nn.numerical_gradient(lambda a: float(a) ** 2, scalar) == pytest.approx(3.0)


def test_numerical_gradient_perturbs_in_place_so_closures_work():
    # The book's simpleNet: f ignores its argument and reads W through the closure.
    rng = np.random.default_rng(1)
    W = rng.standard_normal((2, 3))
    x, t = np.array([0.6, 0.9]), np.array([0.0, 0.0, 1.0])

    def loss(_):
        return nn.cross_entropy_error(nn.softmax(x @ W), t)

    dW = nn.numerical_gradient(loss, W)
    np.testing.assert_allclose(dW, np.outer(x, nn.softmax(x @ W) - t), rtol=1e-5, atol=1e-8)


def test_numerical_gradient_restores_when_f_raises():
    x = np.array([1.0, 2.0])
    calls = []

    def f(a):
        calls.append(a.copy())
        if len(calls) == 3:
            raise RuntimeError("boom")
        return float(np.sum(a))

    with pytest.raises(RuntimeError, match="boom"):
        nn.numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    np.testing.assert_array_equal(calls[0], [1.0001, 2.0])  # it really moved x


@pytest.mark.parametrize("bad", [np.array([1, 2]), [1.0, 2.0], np.array([True])])
def test_numerical_gradient_rejects_non_float_arrays(bad):
    with pytest.raises(ValueError, match="expects a float NumPy array x.*in place"):
        nn.numerical_gradient(function_2, bad)


def test_numerical_gradient_rejects_read_only_arrays():
    x = np.array([1.0, 2.0])
    x.flags.writeable = False
    with pytest.raises(ValueError, match="writable"):
        nn.numerical_gradient(function_2, x)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=4),
              elements=floats(-10, 10)))
def test_numerical_gradient_of_a_quadratic_for_any_shape(x):
    before = x.copy()
    grad = nn.numerical_gradient(lambda a: np.sum(a**2), x)
    np.testing.assert_allclose(grad, 2 * before, atol=1e-6)
    np.testing.assert_array_equal(x, before)


def test_gradient_descent_book_examples():
    init_x = np.array([-3.0, 4.0])
    np.testing.assert_allclose(nn.gradient_descent(function_2, init_x, lr=0.1), 0, atol=1e-8)
    np.testing.assert_array_equal(init_x, [-3.0, 4.0])  # the start is not modified
    # The book's lr = 10 result: x grows until x + h == x in float64, where the numerical
    # gradient becomes 0 and x stops moving.
    too_large = nn.gradient_descent(function_2, init_x, lr=10.0)
    np.testing.assert_allclose(too_large, [-2.58983747e13, -1.29524862e12], rtol=1e-8)
    too_small = nn.gradient_descent(function_2, init_x, lr=1e-10)
    np.testing.assert_allclose(too_small, [-3.0, 4.0], atol=1e-6)
    assert not np.array_equal(too_small, init_x)


def test_gradient_descent_accepts_integer_starts():
    np.testing.assert_allclose(nn.gradient_descent(function_2, [3, -4], lr=0.1), 0, atol=1e-8)


def descent_path(f, init_x, lr, step_num=100):
    """gradient_descent's positions, by nn.optimization_path fed numerical gradients of f."""
    def gradient(x):
        return nn.numerical_gradient(f, x)

    return nn.optimization_path(gradient, init_x, nn.SGD(lr), step_num, tol=0).path


def test_gradient_descent_path():
    init_x = np.array([-3.0, 4.0])
    path = descent_path(function_2, init_x, lr=0.1, step_num=20)
    assert path.shape == (21, 2)
    np.testing.assert_array_equal(path[0], init_x)
    np.testing.assert_allclose(path[1], 0.8 * init_x, rtol=1e-8)  # x - 0.1 * 2x
    final = nn.gradient_descent(function_2, init_x, lr=0.1, step_num=20)
    np.testing.assert_array_equal(path[-1], final)
    np.testing.assert_array_equal(init_x, [-3.0, 4.0])


def test_gradient_descent_path_stops_at_divergence_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # exp(x**2) is steep enough that each step overshoots further, until it overflows
        # (1 -> -4.4 -> 2.2e9 -> NaN).
        path = descent_path(lambda a: np.sum(np.exp(a**2)), np.array([1.0]), lr=1.0,
                            step_num=50)
        # x**2 overflows at the second position, and its numerical gradient is NaN.
        huge = descent_path(function_2, np.array([-3.0, 4.0]), lr=1e200)
    assert 3 <= len(path) < 51
    assert np.all(np.isfinite(path))
    np.testing.assert_array_equal(path[0], [1.0])
    assert huge.shape == (2, 2) and np.all(np.isfinite(huge))


class LinearNet:
    """Tiny stand-in for a network: loss = 0.5 * sum((x @ W + b - t)**2) / N."""

    def __init__(self, wrong_gradient=False):
        rng = np.random.default_rng(0)
        self.params = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
        self.wrong_gradient = wrong_gradient

    def loss(self, x, t):
        return 0.5 * np.sum((x @ self.params["W"] + self.params["b"] - t) ** 2) / len(x)

    def gradient(self, x, t):
        err = (x @ self.params["W"] + self.params["b"] - t) / len(x)
        grads = {"W": x.T @ err, "b": err.sum(axis=0)}
        if self.wrong_gradient:
            grads["b"] = grads["b"] * 2
        return grads

    def numerical_gradient(self, x, t):
        def f(_):
            return self.loss(x, t)

        return {k: nn.numerical_gradient(f, p) for k, p in self.params.items()}


def test_gradient_check_on_a_correct_and_a_wrong_network():
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    good = nn.gradient_check(LinearNet(), x, t)
    assert list(good) == ["W", "b"]
    assert all(isinstance(v, float) and v < 1e-8 for v in good.values())
    bad = nn.gradient_check(LinearNet(wrong_gradient=True), x, t)
    assert bad["W"] < 1e-8 < 1e-2 < bad["b"]


def test_gradient_check_rejects_mismatched_dicts():
    class MissingKey(LinearNet):
        def gradient(self, x, t):
            return {"W": super().gradient(x, t)["W"]}

    class WrongShape(LinearNet):
        def gradient(self, x, t):
            return {"W": np.zeros((2, 3)), "b": np.zeros(2)}

    x, t = np.ones((2, 3)), np.ones((2, 2))
    with pytest.raises(ValueError, match=r"same keys; got \['W'\] and \['W', 'b'\]"):
        nn.gradient_check(MissingKey(), x, t)
    with pytest.raises(ValueError, match=r"gradient\['W'\] has shape \(2, 3\).*shape \(3, 2\)"):
        nn.gradient_check(WrongShape(), x, t)
