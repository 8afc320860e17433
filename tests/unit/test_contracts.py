"""The contracts of nn's parts: one test per kind of layer (nn.Layer, nn.TwoInputLayer,
nn.LossLayer) and one for nn.Optimizer, each run on every class of that kind that nn defines.

The classes are found by walking each kind's subclasses, so a new layer or optimizer is tested as
soon as it exists.  A new layer needs one entry in EXAMPLES (a way to build it and an input of the
right shape) unless a class it derives from has one: without it the test fails and says so.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import nn
from gradcheck import numeric_grad, rel_error


def classes_of(kind: type) -> list[type]:
    """Every subclass of ``kind`` defined in nn, at any depth, sorted by name (classes that tests
    define are left out)."""
    found, todo = set(), [kind]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] == "nn":
                found.add(sub)
    return sorted(found, key=lambda cls: cls.__name__)


def _normal(rng, *shape):
    return rng.normal(size=shape)


def _away_from_zero(rng, *shape):
    """Values at least 0.1 from 0, so that a finite difference never straddles ReLU's kink."""
    return rng.uniform(0.1, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


#: class -> function (cls, rng) -> (layer, inputs): a layer of that class (or of a subclass,
#: built with the same arguments) and the arguments of its forward.
EXAMPLES = {
    nn.Relu: lambda cls, rng: (cls(), (_away_from_zero(rng, 3, 4),)),
    nn.Sigmoid: lambda cls, rng: (cls(), (_normal(rng, 3, 4),)),
    nn.Tanh: lambda cls, rng: (cls(), (_normal(rng, 3, 4),)),
    nn.Affine: lambda cls, rng: (
        cls(_normal(rng, 4, 3), _normal(rng, 3)), (_normal(rng, 3, 2, 2),)
    ),
    nn.Dropout: lambda cls, rng: (cls(0.4, seed=7), (_normal(rng, 3, 4),)),
    nn.BatchNormalization: lambda cls, rng: (
        cls(1 + 0.1 * _normal(rng, 4), _normal(rng, 4)), (_normal(rng, 5, 4),)
    ),
    nn.Convolution: lambda cls, rng: (
        cls(_normal(rng, 3, 2, 3, 3), _normal(rng, 3), stride=1, pad=1), (_normal(rng, 2, 2, 5, 5),)
    ),
    nn.Pooling: lambda cls, rng: (cls(2, 2, stride=2), (_normal(rng, 2, 2, 4, 4),)),
    nn.MulLayer: lambda cls, rng: (cls(), (_normal(rng, 3, 4), _normal(rng, 3, 4))),
    nn.AddLayer: lambda cls, rng: (cls(), (_normal(rng, 3, 4), _normal(rng, 3, 4))),
    nn.SoftmaxWithLoss: lambda cls, rng: (cls(), (_normal(rng, 4, 5), np.array([0, 4, 2, 2]))),
}


def example(cls: type, seed: int = 0):
    """(layer, forward's arguments) for ``cls``, from its own entry or its nearest base's."""
    rng = np.random.default_rng(seed)
    for base in cls.__mro__:
        if base in EXAMPLES:
            return EXAMPLES[base](cls, rng)
    pytest.fail(f"{cls.__name__} has no example: add one to EXAMPLES in {__name__}")


def assert_before_forward_is_refused(layer, *args):
    message = rf"^{type(layer).__name__}\.backward called before forward$"
    with pytest.raises(RuntimeError, match=message):
        layer.backward(*args)


def assert_parameters_are_uniform(layer):
    """params and grads: dicts with the same keys, each gradient shaped and typed like its
    parameter; every declared buffer is an attribute."""
    assert isinstance(layer.params, dict) and isinstance(layer.grads, dict)
    assert set(layer.grads) == set(layer.params)
    for key, param in layer.params.items():
        assert isinstance(param, np.ndarray) and np.issubdtype(param.dtype, np.floating), key
        assert layer.grads[key].shape == param.shape, key
        assert layer.grads[key].dtype == param.dtype, key
    assert isinstance(layer.buffers, tuple)
    for name in layer.buffers:
        assert isinstance(getattr(layer, name), np.ndarray), name


def copies(arrays):
    return [np.array(a, copy=True) for a in arrays]


def assert_unchanged(arrays, before):
    for array, old in zip(arrays, before, strict=True):
        np.testing.assert_array_equal(array, old)


# ------------------------------------------------------------------ nn.Layer: one input


@pytest.mark.parametrize("cls", classes_of(nn.Layer), ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("train_flg", [True, False], ids=["training", "inference"])
def test_every_layer_follows_the_one_input_contract(cls, train_flg):
    template, (x,) = example(cls)
    assert isinstance(template, nn.Layer)
    assert_before_forward_is_refused(copy.deepcopy(template), np.ones((2, 2)))

    # Shapes, and nothing the layer is given changes.
    layer = copy.deepcopy(template)
    params_before = {key: value.copy() for key, value in layer.params.items()}
    x_before = x.copy()
    out = layer.forward(x, train_flg=train_flg)
    assert isinstance(out, np.ndarray)
    r = np.random.default_rng(1).normal(size=out.shape)
    dout = r.copy()
    dx = layer.backward(dout)
    assert isinstance(dx, np.ndarray) and dx.shape == x.shape
    assert dx.dtype == x.dtype
    assert_unchanged([x, dout], [x_before, r])
    for key, value in params_before.items():
        np.testing.assert_array_equal(layer.params[key], value, err_msg=key)
    assert_parameters_are_uniform(layer)

    # backward_params: the same parameter gradients, and no input gradient.
    other = copy.deepcopy(template)
    other.forward(x, train_flg=train_flg)
    assert other.backward_params(r) is None
    assert set(other.grads) == set(layer.grads)
    for key, grad in other.grads.items():
        np.testing.assert_allclose(grad, layer.grads[key], rtol=1e-12, atol=1e-12, err_msg=key)

    # Gradients against central differences of L = sum(forward(x) * r).  Every evaluation runs
    # a fresh copy of the layer as it was before its first forward (the same Dropout mask, the
    # same BatchNormalization running statistics); the parameters are the template's arrays,
    # which numeric_grad moves, so the copies see each move.
    def loss():
        return float(np.sum(copy.deepcopy(template).forward(x, train_flg=train_flg) * r))

    assert rel_error(dx, numeric_grad(loss, x)) < 1e-6
    for key, param in template.params.items():
        assert rel_error(layer.grads[key], numeric_grad(loss, param)) < 1e-6, key


# ------------------------------------------------------------------ nn.TwoInputLayer


@pytest.mark.parametrize("cls", classes_of(nn.TwoInputLayer), ids=lambda cls: cls.__name__)
def test_every_two_input_node_follows_its_contract(cls):
    template, (x, y) = example(cls)
    assert isinstance(template, nn.TwoInputLayer) and not isinstance(template, nn.Layer)
    assert_before_forward_is_refused(copy.deepcopy(template), np.ones(3))

    layer = copy.deepcopy(template)
    before = copies([x, y])
    out = layer.forward(x, y)
    r = np.random.default_rng(1).normal(size=np.shape(out))
    dout = r.copy()
    grads = layer.backward(dout)
    assert isinstance(grads, tuple) and len(grads) == 2
    dx, dy = grads
    assert np.shape(dx) == x.shape and np.shape(dy) == y.shape
    assert_unchanged([x, y, dout], [*before, r])
    assert layer.params == {} and layer.grads == {}
    assert_parameters_are_uniform(layer)

    def loss():
        return float(np.sum(copy.deepcopy(template).forward(x, y) * r))

    assert rel_error(dx, numeric_grad(loss, x)) < 1e-6
    assert rel_error(dy, numeric_grad(loss, y)) < 1e-6


# ------------------------------------------------------------------ nn.LossLayer


@pytest.mark.parametrize("cls", classes_of(nn.LossLayer), ids=lambda cls: cls.__name__)
def test_every_loss_layer_follows_its_contract(cls):
    template, (x, t) = example(cls)
    assert isinstance(template, nn.LossLayer) and not isinstance(template, nn.Layer)
    assert_before_forward_is_refused(copy.deepcopy(template))

    layer = copy.deepcopy(template)
    before = copies([x, t])
    loss_value = layer.forward(x, t)
    assert type(loss_value) is float and np.isfinite(loss_value)
    dx = layer.backward()  # dout = 1 by default
    assert isinstance(dx, np.ndarray) and dx.shape == x.shape
    np.testing.assert_allclose(layer.backward(2.5), 2.5 * dx, rtol=1e-12)
    assert_unchanged([x, t], before)
    assert layer.params == {} and layer.grads == {}
    assert_parameters_are_uniform(layer)

    # The book's loss adds 1e-7 inside the log; with probabilities far above 1e-5 (small random
    # scores) that moves the gradient by much less than the tolerance.
    assert rel_error(dx, numeric_grad(lambda: copy.deepcopy(template).forward(x, t), x)) < 1e-5


# ------------------------------------------------------------------ the kinds themselves


def test_every_class_of_every_kind_is_found_and_exported():
    kinds = {nn.Layer: classes_of(nn.Layer), nn.TwoInputLayer: classes_of(nn.TwoInputLayer),
             nn.LossLayer: classes_of(nn.LossLayer)}
    assert {nn.Relu, nn.Affine, nn.Convolution, nn.FastConvolution, nn.Pooling} <= set(
        kinds[nn.Layer])
    assert kinds[nn.TwoInputLayer] == [nn.AddLayer, nn.MulLayer]
    assert kinds[nn.LossLayer] == [nn.SoftmaxWithLoss]
    for kind, classes in kinds.items():
        assert getattr(nn, kind.__name__) is kind
        for cls in classes:
            assert getattr(nn, cls.__name__) is cls, cls.__name__
            assert not any(issubclass(cls, other) for other in kinds if other is not kind)


def test_a_network_stacks_only_one_input_layers():
    network = nn.TwoLayerNet(4, 3, 2)
    with pytest.raises(TypeError, match=r"one input \(nn\.Layer\); layer Mul1 is a MulLayer"):
        network._add_layer("Mul1", nn.MulLayer())


def test_a_classless_example_is_reported_by_name():
    class Unlisted(nn.Layer):
        pass

    with pytest.raises(pytest.fail.Exception, match="Unlisted has no example"):
        example(Unlisted)


# ------------------------------------------------------------------ nn.Optimizer


def problem(dtype=np.float64):
    """params and grads of two keys, of different shapes."""
    rng = np.random.default_rng(0)
    params = {"W1": rng.normal(size=(3, 2)).astype(dtype), "b1": rng.normal(size=2).astype(dtype)}
    grads = {key: rng.normal(size=value.shape).astype(dtype) for key, value in params.items()}
    return params, grads


@pytest.mark.parametrize("cls", classes_of(nn.Optimizer), ids=lambda cls: cls.__name__)
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
    assert set(nn.OPTIMIZERS.values()) == set(classes_of(nn.Optimizer))


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
