"""nn.functions (activations, softmax, losses) and nn.initializers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import nn

# The book's example: the network's output y and the one-hot target for class 2.
Y_BOOK = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
T_BOOK = np.eye(10)[2]


def test_step_function_values_and_dtype():
    out = nn.step_function(np.array([-1.0, 0.0, 0.5, 3.0]))
    assert out.tolist() == [0, 0, 1, 1]
    assert np.issubdtype(out.dtype, np.integer)


def test_sigmoid_known_values():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(nn.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-15)
    assert nn.sigmoid(np.array([0.0]))[0] == 0.5


def test_sigmoid_has_no_overflow_at_large_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = nn.sigmoid(np.array([-1000.0, 1000.0]))
        out32 = nn.sigmoid(np.array([-1000.0, 1000.0], dtype=np.float32))
    assert out.tolist() == [0.0, 1.0]
    assert out32.dtype == np.float32 and out32.tolist() == [0.0, 1.0]


def test_sigmoid_is_symmetric():
    x = np.linspace(-40, 40, 81)
    np.testing.assert_allclose(nn.sigmoid(x) + nn.sigmoid(-x), 1.0, rtol=1e-15)


def test_relu_tanh_identity():
    x = np.array([-2.0, 0.0, 3.0])
    assert nn.relu(x).tolist() == [0.0, 0.0, 3.0]
    np.testing.assert_allclose(nn.tanh(x), np.tanh(x))
    assert nn.identity_function(x) is x


def test_softmax_book_value():
    np.testing.assert_allclose(
        nn.softmax(np.array([0.3, 2.9, 4.0])), [0.01821127, 0.24519181, 0.73659691], atol=5e-9
    )


def test_softmax_is_overflow_safe_for_single_and_batch():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        single = nn.softmax(np.array([1010.0, 1000.0, 990.0]))
        batch = nn.softmax(np.array([[1010.0, 1000.0, 990.0], [0.3, 2.9, 4.0]]))
    np.testing.assert_allclose(single, nn.softmax(np.array([20.0, 10.0, 0.0])))
    np.testing.assert_allclose(batch[0], single)
    np.testing.assert_allclose(batch[1], nn.softmax(np.array([0.3, 2.9, 4.0])))


def test_softmax_rows_are_independent():
    x = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]) + np.array([[0.0], [100.0]])
    out = nn.softmax(x)
    np.testing.assert_allclose(out[0], out[1])


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=6),
              elements=st.floats(-1e3, 1e3)))
def test_softmax_rows_sum_to_one_for_any_shape(x):
    out = nn.softmax(x)
    assert out.shape == x.shape
    assert np.all(out >= 0)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-12)


def test_float32_stays_float32():
    x = np.array([[0.5, -1.0, 2.0]], dtype=np.float32)
    functions = (nn.sigmoid, nn.relu, nn.tanh, nn.softmax,
                 nn.sigmoid_grad, nn.relu_grad, nn.tanh_grad)
    for f in functions:
        assert f(x).dtype == np.float32, f.__name__


def test_mean_squared_error_book_values():
    assert nn.mean_squared_error(Y_BOOK, T_BOOK) == pytest.approx(0.0975)
    y7 = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
    assert nn.mean_squared_error(y7, T_BOOK) == pytest.approx(0.5975)


def test_mean_squared_error_shape_mismatch():
    with pytest.raises(ValueError, match=r"same shape; got \(10,\) and \(9,\)"):
        nn.mean_squared_error(Y_BOOK, T_BOOK[:9])


def test_cross_entropy_book_values_one_hot_and_label():
    right, wrong = pytest.approx(0.510825457099338, rel=1e-12), pytest.approx(2.302584092994546)
    assert nn.cross_entropy_error(Y_BOOK, T_BOOK) == right
    assert nn.cross_entropy_error(Y_BOOK, 2) == right
    assert nn.cross_entropy_error(Y_BOOK, np.eye(10)[7]) == wrong
    assert nn.cross_entropy_error(Y_BOOK, np.array([7])) == wrong


def test_cross_entropy_batch_is_the_mean():
    y = np.array([[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]])
    labels = np.array([1, 0, 1])
    expected = -np.mean(np.log(np.array([0.8, 0.6, 0.5]) + 1e-7))
    assert nn.cross_entropy_error(y, labels) == pytest.approx(expected, rel=1e-12)
    assert nn.cross_entropy_error(y, np.eye(2)[labels]) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_is_finite_at_zero_probability():
    loss = nn.cross_entropy_error(np.array([1.0, 0.0]), 1)
    assert np.isfinite(loss) and loss == pytest.approx(-np.log(1e-7))


def test_cross_entropy_rejects_bad_labels():
    y = np.full((3, 4), 0.25)
    with pytest.raises(ValueError, match=r"t must be integer class labels 0\.\.3; got label 4"):
        nn.cross_entropy_error(y, np.array([0, 1, 4]))
    with pytest.raises(ValueError, match=r"t must be integer class labels 0\.\.3; got label -1"):
        nn.cross_entropy_error(y, np.array([-1, 1, 2]))
    with pytest.raises(ValueError, match=r"labels of shape \(3,\); got shape \(2,\)"):
        nn.cross_entropy_error(y, np.array([0, 1]))
    with pytest.raises(ValueError, match="integer class labels"):
        nn.cross_entropy_error(y, np.array([0.5, 1.0, 2.0]))


def test_derivative_helpers_match_central_differences():
    x = np.array([-3.0, -0.7, 0.4, 2.5])
    h = 1e-6
    for f, df in ((nn.sigmoid, nn.sigmoid_grad), (nn.tanh, nn.tanh_grad), (nn.relu, nn.relu_grad)):
        np.testing.assert_allclose(df(x), (f(x + h) - f(x - h)) / (2 * h), rtol=1e-7, atol=1e-9)
    assert nn.step_grad(x).tolist() == [0.0] * 4
    assert nn.relu_grad(np.array([0.0]))[0] == 0.0
