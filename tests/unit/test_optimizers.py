"""nn.optimizers: the book's race on f(x, y) = x**2/20 + y**2, known steps, state, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn

START = (-7.0, 2.0)
NAMES = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]


def grad_f(p):
    """Gradient of f(x, y) = x**2/20 + y**2."""
    return np.array([p[0] / 10, 2 * p[1]])


def run(optimizer, steps, start=START, dtype=np.float64):
    params = {"xy": np.array(start, dtype=dtype)}
    array = params["xy"]
    for _ in range(steps):
        optimizer.update(params, {"xy": grad_f(params["xy"]).astype(dtype)})
    assert params["xy"] is array  # updated in place, never replaced
    return array


@pytest.mark.parametrize(
    ("name", "lr", "steps", "tol"),
    [
        ("SGD", 0.95, 100, 1e-3),
        ("Momentum", 0.1, 100, 0.05),
        ("Nesterov", 0.1, 100, 1e-2),
        ("AdaGrad", 1.5, 60, 1e-2),
        ("RMSprop", 0.15, 60, 1e-2),
        ("Adam", 0.3, 100, 0.05),
    ],
)
def test_each_optimizer_reaches_the_minimum(name, lr, steps, tol):
    x, y = run(nn.make_optimizer(name, lr=lr), steps)
    assert abs(x) < tol and abs(y) < tol


def test_sgd_with_a_tiny_learning_rate_is_far_from_the_minimum():
    x, _ = run(nn.SGD(lr=0.01), 100)  # the test above is not trivially true
    assert abs(x) > 5


# First steps from (-7, 2), where the gradient is (-0.7, 4), worked out by hand.
G = np.array([-0.7, 4.0])
ONE_STEP = {
    "SGD": (dict(lr=0.95), [-7 + 0.95 * 0.7, 2 - 0.95 * 4]),  # (-6.335, -1.8)
    "Momentum": (dict(lr=0.1), [-6.93, 1.6]),  # v = -lr * g
    "Nesterov": (dict(lr=0.1), [-7 + 1.9 * 0.07, 2 - 1.9 * 0.4]),  # v = 0: W -= (1 + m) lr g
    "AdaGrad": (dict(lr=1.5), [-7 + 1.5 * 0.7 / (0.7 + 1e-7), 2 - 1.5 * 4 / (4 + 1e-7)]),
    "RMSprop": (dict(lr=0.1), [-7 + 0.1 * 0.7 / (0.07 + 1e-7), 2 - 0.1 * 4 / (0.4 + 1e-7)]),
    # lr_t = lr * sqrt(1 - 0.999) / (1 - 0.9); m = 0.1 g; v = 0.001 g**2.
    "Adam": (
        dict(lr=0.3),
        [-7 + 0.3 * math.sqrt(0.001) / 0.1 * 0.07 / (math.sqrt(0.001) * 0.7 + 1e-7),
         2 - 0.3 * math.sqrt(0.001) / 0.1 * 0.4 / (math.sqrt(0.001) * 4 + 1e-7)],
    ),
}


@pytest.mark.parametrize("name", NAMES)
def test_known_first_step(name):
    kwargs, expected = ONE_STEP[name]
    np.testing.assert_allclose(run(nn.make_optimizer(name, **kwargs), 1), expected, rtol=1e-12)


def test_first_steps_of_the_adaptive_methods_are_about_lr_per_coordinate():
    # AdaGrad, RMSprop and Adam divide the gradient by its own size at the first step.
    np.testing.assert_allclose(run(nn.AdaGrad(lr=1.5), 1), [-5.5, 0.5], rtol=1e-6)
    np.testing.assert_allclose(run(nn.RMSprop(lr=0.1), 1), [-6.0, 1.0], rtol=1e-5)
    np.testing.assert_allclose(run(nn.Adam(lr=0.3), 1), [-6.7, 1.7], rtol=1e-5)


def test_momentum_second_step():
    # v1 = (0.07, -0.4), p1 = (-6.93, 1.6), g1 = (-0.693, 3.2)
    # v2 = 0.9 v1 - 0.1 g1 = (0.1323, -0.68), p2 = (-6.7977, 0.92)
    np.testing.assert_allclose(run(nn.Momentum(lr=0.1), 2), [-6.7977, 0.92], rtol=1e-12)


def test_rmsprop_second_step_forgets_old_gradients():
    # h1 = 0.01 g0**2 = (0.0049, 0.16); p1 = (-6, 1) up to the 1e-7; g1 = (-0.6, 2)
    # h2 = 0.99 h1 + 0.01 g1**2;  p2 = p1 - 0.1 g1 / (sqrt(h2) + 1e-7)
    p1 = np.array([-7 + 0.1 * 0.7 / (0.07 + 1e-7), 2 - 0.1 * 4 / (0.4 + 1e-7)])
    g1 = np.array([p1[0] / 10, 2 * p1[1]])
    h2 = 0.99 * np.array([0.0049, 0.16]) + 0.01 * g1**2
    np.testing.assert_allclose(run(nn.RMSprop(lr=0.1), 2), p1 - 0.1 * g1 / (np.sqrt(h2) + 1e-7),
                               rtol=1e-12)


def test_adagrad_second_step_remembers_old_gradients():
    p1 = np.array([-7 + 1.5 * 0.7 / (0.7 + 1e-7), 2 - 1.5 * 4 / (4 + 1e-7)])  # (-5.5, 0.5)
    g1 = np.array([p1[0] / 10, 2 * p1[1]])
    h2 = np.array([0.49, 16.0]) + g1**2
    np.testing.assert_allclose(run(nn.AdaGrad(lr=1.5), 2), p1 - 1.5 * g1 / (np.sqrt(h2) + 1e-7),
                               rtol=1e-12)


def test_nesterov_holds_the_look_ahead_point_of_the_original_method():
    # Nesterov's original form needs the gradient at W + m v; the library's parameters must be
    # exactly that look-ahead point at every step.
    m, lr = 0.9, 0.05
    w, v = np.array(START), np.zeros(2)
    opt, params = nn.Nesterov(lr=lr, momentum=m), {"xy": np.array(START)}
    for _ in range(12):
        v = m * v - lr * grad_f(w + m * v)
        w = w + v
        opt.update(params, {"xy": grad_f(params["xy"])})
        np.testing.assert_allclose(params["xy"], w + m * v, rtol=1e-12, atol=1e-12)


def test_adam_is_the_bias_corrected_rule_of_the_paper():
    rng = np.random.default_rng(0)
    grads = rng.standard_normal((8, 5))
    adam = nn.Adam(lr=0.01, beta1=0.8, beta2=0.99)
    params = {"w": np.zeros(5)}
    w, m, v = np.zeros(5), np.zeros(5), np.zeros(5)
    for t, g in enumerate(grads, start=1):
        adam.update(params, {"w": g})
        m = 0.8 * m + 0.2 * g
        v = 0.99 * v + 0.01 * g**2
        m_hat, v_hat = m / (1 - 0.8**t), v / (1 - 0.99**t)
        w = w - 0.01 * m_hat / np.sqrt(v_hat)  # the paper's rule, epsilon left out
    assert adam.iter == len(grads)
    np.testing.assert_allclose(params["w"], w, rtol=0, atol=1e-6)  # 1e-7 sits elsewhere


def test_state_is_kept_per_key():
    opt = nn.Momentum(lr=0.1)
    params = {"a": np.array([1.0]), "b": np.array([1.0, 1.0])}
    opt.update(params, {"a": np.array([1.0]), "b": np.array([0.0, 0.0])})
    opt.update(params, {"a": np.array([0.0]), "b": np.array([0.0, 0.0])})
    np.testing.assert_allclose(params["a"], [1 - 0.1 - 0.09])  # the velocity carries on
    np.testing.assert_array_equal(params["b"], [1.0, 1.0])


@pytest.mark.parametrize("name", NAMES)
def test_float32_parameters_stay_float32(name):
    opt = nn.make_optimizer(name, lr=0.1)
    out = run(opt, 3, dtype=np.float32)
    assert out.dtype == np.float32
    for state in ("v", "h", "m"):
        for array in getattr(opt, state, {}).values():
            assert array.dtype == np.float32


@pytest.mark.parametrize("name", NAMES)
def test_update_changes_the_layers_parameters(name):
    layer = nn.Affine(np.ones((2, 2)), np.zeros(2))
    W = layer.W
    layer.forward(np.array([[1.0, 2.0]]))
    layer.backward(np.array([[1.0, -1.0]]))
    nn.make_optimizer(name, lr=0.1).update(layer.params, layer.grads)
    assert layer.W is W and layer.params["W"] is W
    assert W[0, 0] < 1 < W[0, 1] and layer.b[0] < 0 < layer.b[1]


def test_optimizers_registry_and_factory():
    assert list(nn.OPTIMIZERS) == NAMES
    assert isinstance(nn.make_optimizer("adam", lr=0.5), nn.Adam)
    assert nn.make_optimizer("RMSPROP", decay_rate=0.9).decay_rate == 0.9
    assert nn.make_optimizer("sgd").lr == 0.01
    assert nn.make_optimizer("Adam").lr == 0.001


def test_make_optimizer_rejects_unknown_names():
    expected = r"unknown optimizer 'adamw'; expected one of \['SGD', 'Momentum', 'Nesterov', "
    with pytest.raises(ValueError, match=expected):
        nn.make_optimizer("adamw")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rates_are_rejected(name, lr):
    with pytest.raises(ValueError, match="learning rate lr must be a finite number > 0"):
        nn.make_optimizer(name, lr=lr)


def test_bad_decay_settings_are_rejected():
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\); got 1.0"):
        nn.Momentum(momentum=1.0)
    with pytest.raises(ValueError, match=r"decay_rate must be a number in \[0, 1\); got -0.5"):
        nn.RMSprop(decay_rate=-0.5)
    with pytest.raises(ValueError, match=r"beta2 must be a number in \[0, 1\); got 1.2"):
        nn.Adam(beta2=1.2)
