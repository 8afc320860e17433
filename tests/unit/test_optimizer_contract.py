"""nn.Optimizer: one test of the update contract, run on every optimizer nn defines (found by
walking the subclasses, so a new optimizer is tested as soon as it exists)."""

from __future__ import annotations

import numpy as np
import pytest

import nn


def optimizers() -> list[type]:
    found, todo = set(), [nn.Optimizer]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] == "nn":
                found.add(sub)
    return sorted(found, key=lambda cls: cls.__name__)


def problem(dtype=np.float64):
    """params and grads of two keys, of different shapes."""
    rng = np.random.default_rng(0)
    params = {"W1": rng.normal(size=(3, 2)).astype(dtype), "b1": rng.normal(size=2).astype(dtype)}
    grads = {key: rng.normal(size=value.shape).astype(dtype) for key, value in params.items()}
    return params, grads


@pytest.mark.parametrize("cls", optimizers(), ids=lambda cls: cls.__name__)
def test_every_optimizer_follows_the_contract(cls):
    assert issubclass(cls, nn.Optimizer)
    assert nn.OPTIMIZERS[cls.__name__] is cls and nn.optimizer_class(cls.__name__) is cls
    assert isinstance(cls.book_lr, float) and cls.book_lr > 0
    optimizer = cls(lr=0.01)
    assert optimizer.lr == 0.01
    with pytest.raises(ValueError, match="learning rate lr"):
        cls(lr=-1.0)

    # In place: the very arrays of params move, against their gradients; grads stay as given.
    for dtype in (np.float64, np.float32):
        params, grads = problem(dtype)
        arrays = dict(params)
        before = {key: value.copy() for key, value in params.items()}
        grads_before = {key: value.copy() for key, value in grads.items()}
        optimizer = cls(lr=0.01)
        optimizer.update(params, grads)
        assert params.keys() == arrays.keys()
        for key, array in arrays.items():
            assert params[key] is array and array.dtype == dtype, key
            np.testing.assert_array_equal(grads[key], grads_before[key], err_msg=key)
            step = array - before[key]
            assert np.all(step * grads[key] < 0), key  # each entry moves downhill
        # Zero gradients at the first step change nothing (no velocity or history yet).
        params, grads = problem(dtype)
        before = {key: value.copy() for key, value in params.items()}
        cls(lr=0.01).update(params, {key: np.zeros_like(g) for key, g in grads.items()})
        for key, value in params.items():
            np.testing.assert_array_equal(value, before[key], err_msg=key)

    # Mismatched keys or shapes: a ValueError that names them, and nothing changes.
    params, grads = problem()
    before = {key: value.copy() for key, value in params.items()}
    optimizer = cls(lr=0.01)
    with pytest.raises(ValueError, match=r"keys of params; params has \['W1', 'b1'\], grads has"):
        optimizer.update(params, {"W1": grads["W1"]})
    with pytest.raises(ValueError, match=r"grads\['b1'\] has shape \(3,\), but params\['b1'\]"):
        optimizer.update(params, {"W1": grads["W1"], "b1": np.ones(3)})
    for key, value in params.items():
        np.testing.assert_array_equal(value, before[key], err_msg=key)
    # ... and the refused calls left no state behind: the next update is a first update.
    fresh = problem()[0]
    optimizer.update(params, grads)
    cls(lr=0.01).update(fresh, grads)
    for key, value in params.items():
        np.testing.assert_array_equal(value, fresh[key], err_msg=key)

    # book_lr suits the stretched bowl: from the book's start the run converges to the minimum.
    run = nn.optimizer_path(cls.__name__, cls.book_lr, 200, (-7.0, 2.0))
    assert run.status == "converged" and np.linalg.norm(run.path[-1]) < 1e-3


def test_every_optimizer_is_in_the_registry():
    assert list(nn.OPTIMIZERS.values()) == [
        nn.SGD, nn.Momentum, nn.Nesterov, nn.AdaGrad, nn.RMSprop, nn.Adam]
    assert set(nn.OPTIMIZERS.values()) == set(optimizers())


@pytest.mark.parametrize("book_lr", [None, 0.0, -0.1, float("nan"), True, "0.1"])
def test_an_optimizer_without_a_valid_book_lr_is_refused_when_defined(book_lr):
    namespace = {} if book_lr is None else {"book_lr": book_lr}
    with pytest.raises(TypeError, match=r"optimizer Plain must declare book_lr, a positive"):
        type("Plain", (nn.Optimizer,), namespace)


def test_an_optimizer_with_book_lr_is_accepted_and_inherits_the_checks():
    class Halving(nn.Optimizer):
        book_lr = 0.5

        def __init__(self, lr=0.5):
            self.lr = lr

        def update(self, params, grads):
            for key in self._checked_keys(params, grads):
                params[key] -= self.lr * grads[key]

    params = {"p": np.array([2.0])}
    Halving().update(params, {"p": np.array([2.0])})
    np.testing.assert_array_equal(params["p"], [1.0])
    with pytest.raises(ValueError, match="Halving.update expects grads with the keys of params"):
        Halving().update(params, {"q": np.array([1.0])})
