"""nn.surfaces: the 2-D functions, the one optimisation-path runner and its divergence rule."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import nn

# ------------------------------------------------------------------ plain gradient descent


@pytest.mark.parametrize(
    ("lr", "status"),
    [(0.1, "converged"), (0.7, "converged"), (1.0, "running"), (1.5, "diverged"), (10, "diverged")],
)
def test_bowl_learning_rates(lr, status):
    # On x0² + x1² one step multiplies the point by (1 − 2·lr).
    result = nn.descent_path("bowl", lr, 100, (-3.0, 4.0))
    assert result.status == status
    if status == "running":  # lr = 1 flips the sign for ever
        np.testing.assert_allclose(np.abs(result.final), [3.0, 4.0])


def test_path_follows_the_update_rule():
    path = nn.descent_path("bowl", 0.1, 3, (-3.0, 4.0)).path
    expected = np.array([[-3.0, 4.0]]) * (0.8 ** np.arange(4))[:, None]
    np.testing.assert_allclose(path, expected)


def test_quartic_finds_both_minima():
    left = nn.descent_path("quartic", 0.005, 400, (-1.0, 0.5)).final
    right = nn.descent_path("quartic", 0.005, 400, (1.0, 0.5)).final
    assert left[0] == pytest.approx(-4.0, abs=1e-3)
    assert right[0] == pytest.approx(2.0, abs=1e-3)


def test_descent_path_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown function"):
        nn.descent_path("nope", 0.1, 10)
    with pytest.raises(ValueError, match="learning rate"):
        nn.descent_path("bowl", float("nan"), 10)
    with pytest.raises(ValueError, match="start"):
        nn.descent_path("bowl", 0.1, 10, (1.0,))


# ------------------------------------------------------------------ the optimizer race


def test_sgd_path_follows_the_update_rule():
    # SGD: x ← x − lr·x/10, y ← y − lr·2y, i.e. the factors (1 − lr/10) and (1 − 2·lr).
    path = nn.optimizer_path("SGD", 0.1, 3).path
    k = np.arange(4)
    expected = np.stack([-7.0 * 0.99**k, 2.0 * 0.8**k], axis=1)
    np.testing.assert_allclose(path, expected)


@pytest.mark.parametrize("name", nn.OPTIMIZERS)
def test_every_optimizer_approaches_the_minimum_at_its_own_rate(name):
    run = nn.optimizer_path(name, steps=30)
    assert not run.diverged
    assert run.path.shape == (31, 2)
    assert run.distance < np.hypot(-7.0, 2.0) / 2


def test_momentum_and_adam_beat_sgd_at_the_same_learning_rate():
    # The same learning rate and the same 30 steps: SGD's step along the flat x is lr/10 of
    # x, so it crawls, while Momentum builds up speed and Adam scales each coordinate.
    for lr in (0.1, 0.2, 0.3):
        sgd = nn.optimizer_path("SGD", lr, 30).distance
        for name in ("Momentum", "Adam"):
            assert nn.optimizer_path(name, lr, 30).distance < sgd, (name, lr)


@pytest.mark.parametrize("name", nn.OPTIMIZERS)
@pytest.mark.parametrize("lr", [1e-4, 1.0, 10**1.5])
@pytest.mark.parametrize("steps", [1, 200])
def test_optimizer_extremes_never_raise(name, lr, steps):
    run = nn.optimizer_path(name, lr, steps)
    assert np.all(np.isfinite(run.path))


def test_optimizer_path_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown optimizer"):
        nn.optimizer_path("LBFGS", 0.1, 10)
    with pytest.raises(ValueError, match="learning rate"):
        nn.optimizer_path("SGD", float("nan"), 10)
    with pytest.raises(ValueError, match="learning rate"):
        nn.optimizer_path("SGD", 0.0, 10)
    with pytest.raises(ValueError, match="steps"):
        nn.optimizer_path("SGD", 0.1, 2.5)
    with pytest.raises(ValueError, match="start"):
        nn.optimizer_path("SGD", 0.1, 10, (1.0,))


# ------------------------------------------------------------------ one runner, one rule


def test_the_divergence_rule_is_defined_once():
    import nn.plots.descent
    import nn.plots.optimizers

    for module in (nn.plots.descent, nn.plots.optimizers, nn.gradient):
        assert getattr(module, "DIVERGENCE_LIMIT", nn.DIVERGENCE_LIMIT) is nn.DIVERGENCE_LIMIT


@pytest.mark.parametrize("runner", ["descent", "optimizer", "numerical"])
def test_every_runner_stops_at_the_first_position_outside_the_limit(runner):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if runner == "descent":
            path = nn.descent_path("bowl", 10.0, 100, (-3.0, 4.0)).path
        elif runner == "optimizer":
            path = nn.optimizer_path("SGD", 10.0, 100, (-3.0, 4.0), surface="bowl").path
        else:
            def gradient(p):
                return nn.numerical_gradient(lambda q: np.sum(q**2), p)

            path = nn.optimization_path(gradient, [-3.0, 4.0], nn.SGD(10.0), 100, tol=0).path
    # One step multiplies the point by (1 - 2 lr) = -19: inside for 4 steps, outside at the 5th.
    assert len(path) == 6
    assert np.max(np.abs(path[-2])) <= nn.DIVERGENCE_LIMIT < np.max(np.abs(path[-1]))
    np.testing.assert_allclose(path[1], -19 * np.array([-3.0, 4.0]), rtol=1e-6)


def test_optimization_path_takes_any_gradient_and_optimizer():
    start = np.array([1.0, -2.0, 3.0])
    run = nn.optimization_path(lambda p: 2 * p, start, nn.Momentum(lr=0.1), 200)
    assert run.status == "converged" and run.path.shape[1] == 3
    np.testing.assert_array_equal(start, [1.0, -2.0, 3.0])  # the caller's start is untouched
    assert nn.optimization_path(lambda p: 2 * p, start, nn.SGD(0.1), 0).path.shape == (1, 3)
    with pytest.raises(ValueError, match="start"):
        nn.optimization_path(lambda p: p, [np.nan, 0.0], nn.SGD(0.1), 3)


def test_book_learning_rates_come_from_the_registry():
    assert list(nn.BOOK_LEARNING_RATES) == list(nn.OPTIMIZERS)
    for name, cls in nn.OPTIMIZERS.items():
        assert nn.BOOK_LEARNING_RATES[name] == cls.book_lr
        assert nn.optimizer_path(name, steps=1).path[1].tolist() == nn.optimizer_path(
            name, cls.book_lr, steps=1).path[1].tolist()


def test_the_race_surface_is_the_stretched_bowl():
    race = nn.SURFACES["stretched_bowl"]
    assert race.start == (-7.0, 2.0)
    np.testing.assert_allclose(race.gradient(np.array([-7.0, 2.0])), [-0.7, 4.0])
    assert race.f(np.array(2.0), np.array(1.0)) == pytest.approx(4 / 20 + 1)


def test_a_run_says_what_ran():
    run = nn.optimizer_path("adam", 0.2, 5)
    assert (run.optimizer, run.lr, run.surface, run.steps) == ("Adam", 0.2, "stretched_bowl", 5)
    run = nn.descent_path("saddle", 0.1, 3)
    assert (run.optimizer, run.lr, run.surface) == ("SGD", 0.1, "saddle")
    assert nn.optimization_path(lambda p: p, [1.0], nn.SGD(0.5), 2).surface is None
