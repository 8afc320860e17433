"""The Trainer: it learns, it is reproducible, it stops cleanly on NaN, it checks its input."""

import warnings

import numpy as np
import pytest

import nn


def blobs(n=300, seed=0):
    """Three well-separated Gaussian clouds in 4-D: (x (n, 4), labels (n,))."""
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 3, n)
    centres = np.array([[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0]], dtype=float)
    return centres[t] + 0.5 * rng.standard_normal((n, 4)), t


def make_trainer(epochs=5, seed=0, net=None, **kwargs):
    x, t = blobs()
    net = net or nn.TwoLayerNet(4, 10, 3, weight_init_std=0.1, seed=0)
    options = dict(
        epochs=epochs,
        mini_batch_size=30,
        optimizer="SGD",
        optimizer_param={"lr": 0.1},
        seed=seed,
        verbose=False,
    )
    options.update(kwargs)
    return nn.Trainer(net, x[:200], t[:200], x[200:], t[200:], **options)


def test_loss_falls_and_accuracy_rises():
    trainer = make_trainer(epochs=10)
    trainer.train()
    losses = trainer.train_loss_list
    assert len(losses) == 10 * (200 // 30)
    assert np.mean(losses[-5:]) < 0.5 * np.mean(losses[:5])
    assert len(trainer.train_acc_list) == len(trainer.test_acc_list) == 10
    assert trainer.test_acc_list[-1] > 0.9
    assert not trainer.diverged and trainer.diverged_at is None


def test_reproducible_with_a_seed():
    a, b, c = make_trainer(seed=3), make_trainer(seed=3), make_trainer(seed=4)
    for trainer in (a, b, c):
        trainer.train()
    assert a.train_loss_list == b.train_loss_list
    assert a.test_acc_list == b.test_acc_list
    np.testing.assert_array_equal(a.network.params["W1"], b.network.params["W1"])
    assert a.train_loss_list != c.train_loss_list  # another seed, another batch order


def test_optimizer_by_name_any_case_or_instance():
    adam = nn.Adam(lr=0.01)
    by_object = make_trainer(optimizer=adam, optimizer_param=None)
    assert by_object.optimizer is adam
    by_name = make_trainer(optimizer="adam", optimizer_param={"lr": 0.01})
    assert type(by_name.optimizer) is type(adam)
    by_name.train()
    assert by_name.test_acc_list[-1] > 0.9


def test_evaluate_sample_num_per_epoch_uses_the_first_samples():
    trainer = make_trainer(epochs=1, evaluate_sample_num_per_epoch=7)
    trainer.train()
    # an accuracy on 7 samples is a multiple of 1/7
    for acc in (trainer.train_acc_list[0], trainer.test_acc_list[0]):
        assert round(acc * 7, 9) == int(round(acc * 7))


def test_nan_loss_stops_with_a_clear_message(capsys, monkeypatch):
    # Only the NaN check here: the loss and explosion rules would otherwise stop it earlier.
    monkeypatch.setattr(nn.trainer, "EXPLOSION_FACTOR", np.inf)
    monkeypatch.setattr(nn.Trainer, "_loss_diverged", lambda self: None)
    net = nn.MultiLayerNet(4, [50, 50], 3, seed=0)  # deep enough to blow up quickly
    trainer = make_trainer(epochs=50, net=net, optimizer_param={"lr": 10.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and without a stream of overflow warnings
        trainer.train()  # must not raise
    assert trainer.diverged
    k = trainer.diverged_at
    assert 1 <= k < trainer.max_iter
    assert len(trainer.train_loss_list) == k  # stopped at once
    assert not np.isfinite(trainer.train_loss_list[-1])
    assert np.all(np.isfinite(trainer.train_loss_list[:-1]))
    out = capsys.readouterr().out
    epoch = (k - 1) // trainer.iter_per_epoch + 1
    stopped = f"training diverged at step {k} of {trainer.max_iter} (epoch {epoch})"
    assert f"{stopped}: the loss is" in out
    assert "a learning rate too large (now 10)" in out
    assert out.strip() == trainer.divergence
    # The failing step did not write NaN into the weights.
    assert all(np.all(np.isfinite(p)) for p in trainer.network.params.values())


def test_verbose_shows_progress(capsys):
    make_trainer(epochs=2, verbose=True).train()
    captured = capsys.readouterr()
    assert "epoch   2/2: train acc" in captured.out + captured.err


@pytest.mark.parametrize(
    "change, message",
    [
        ({"t_train": np.zeros(199, dtype=int)}, "x_train and t_train must have the same length"),
        ({"t_test": np.zeros(3, dtype=int)}, "x_test and t_test must have the same length"),
        ({"epochs": 0}, "epochs must be an integer >= 1; got 0"),
        ({"epochs": 2.5}, "epochs must be an integer"),
        ({"mini_batch_size": 0}, "mini_batch_size must be an integer >= 1; got 0"),
        ({"evaluate_sample_num_per_epoch": 0}, "evaluate_sample_num_per_epoch"),
        ({"optimizer": "Adamm"}, "Adamm"),
        ({"optimizer": 3}, "optimizer must be a name"),
        ({"network": object()}, "network must have 'params'"),
    ],
)
def test_bad_arguments(change, message):
    x, t = blobs()
    args = dict(
        network=nn.TwoLayerNet(4, 5, 3),
        x_train=x[:200],
        t_train=t[:200],
        x_test=x[200:],
        t_test=t[200:],
        verbose=False,
    )
    args.update(change)
    with pytest.raises(ValueError, match=message):
        nn.Trainer(**args)


def test_batch_larger_than_the_data_uses_all_of_it():
    trainer = make_trainer(epochs=2, mini_batch_size=1000)
    trainer.train()
    assert trainer.iter_per_epoch == 1 and len(trainer.train_loss_list) == 2


# ---------------------------------------------------------------- divergence that is not NaN


def digit_like(n=600, seed=0):
    """MNIST-shaped stand-in: (n, 784) pixels in [0, 1], ten classes with their own pattern."""
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 10, n)
    patterns = rng.random((10, 784)) < 0.2
    x = np.clip(patterns[t] * 0.8 + 0.3 * rng.random((n, 784)), 0, 1)
    return x, t


def test_huge_learning_rate_is_caught_although_the_loss_never_becomes_nan(capsys):
    # The example: lr = 1e6 on a TwoLayerNet wrecks the weights while the loss, capped by
    # log(y + 1e-7), stays finite.  Training must stop and say what it saw.
    x, t = digit_like()
    net = nn.TwoLayerNet(784, 50, 10)
    trainer = nn.Trainer(net, x[:500], t[:500], x[500:], t[500:], epochs=5,
                         mini_batch_size=50, optimizer_param={"lr": 1e6}, verbose=False)
    trainer.train()
    assert trainer.diverged and trainer.diverged_at <= 3
    assert np.all(np.isfinite(trainer.train_loss_list))  # no NaN: the old check saw nothing
    out = capsys.readouterr().out
    assert "exploded: its root-mean-square value grew from" in out
    assert "a learning rate too large (now 1e+06)" in out
    assert "initial weights too large (weight_init_std)" in out
    low, high = x.min(), x[:500].max()
    assert f"input that is not normalised (x_train lies in [{low:.3g}, {high:.3g}]" in out
    assert "NaN in the data is not the cause" in out


def test_huge_initial_weights_are_caught(capsys):
    net = nn.MultiLayerNet(4, [50, 50], 3, weight_init_std=1e4, seed=0)
    trainer = make_trainer(epochs=20, net=net, optimizer_param={"lr": 1.0})
    trainer.train()
    assert trainer.diverged
    assert "training diverged at step" in capsys.readouterr().out


class ScriptedNetwork:
    """A stand-in network whose loss follows a script and whose weights never move: it isolates
    the loss-based rules of divergence from the parameter-based ones."""

    def __init__(self, losses):
        self.losses = iter(losses)
        self.params = {"W": np.ones(3)}
        self.last_loss = None

    def gradient(self, x, t):
        self.last_loss = next(self.losses)
        return {"W": np.zeros(3)}

    def accuracy(self, x, t):
        return 0.1


def scripted_trainer(losses, epochs=1):
    x, t = np.zeros((len(losses), 2)), np.zeros(len(losses), dtype=int)
    return nn.Trainer(ScriptedNetwork(losses), x, t, x[:5], t[:5], epochs=epochs,
                      mini_batch_size=1, verbose=False)


def test_loss_far_above_its_start_is_divergence(capsys):
    losses = [2.3] * 5 + [9.0] * 20
    trainer = scripted_trainer(losses)
    trainer.train()
    assert trainer.diverged and trainer.diverged_at == 5 + 6  # the median turns after 6 of 10
    assert "the loss rose from 2.3 at the first step to 9 (median of the last 10 steps)" in (
        capsys.readouterr().out
    )


def test_loss_stuck_at_the_ceiling_is_divergence(capsys):
    # Starting wrecked: the loss never rises above its start, but it sits near -log(1e-7).
    losses = [15.5, 14.8, 15.9, 15.1] * 10
    trainer = scripted_trainer(losses)
    trainer.train()
    assert trainer.diverged and trainer.diverged_at == 20
    out = capsys.readouterr().out
    assert "the loss is stuck at" in out and "near its ceiling 16.1 = -log(1e-7)" in out


@pytest.mark.parametrize(
    "losses",
    [
        [15.0 * 0.8**k for k in range(40)],  # starts high but falls: learning, not divergence
        [2.3, 2.1, 5.0, 1.9, 1.8] * 8,  # a single spike
        [0.01, 0.03, 0.05, 0.04] * 10,  # tripled but tiny: fine-tuning noise
    ],
)
def test_a_loss_that_falls_or_only_wobbles_is_not_divergence(losses):
    trainer = scripted_trainer(losses)
    trainer.train()
    assert not trainer.diverged and trainer.divergence is None


# ---------------------------------------------------------------- the data, checked up front


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"x_train": "nan"},
            r"x_train must hold only finite numbers; got 1 NaN or inf value\(s\) of 800, "
            r"the first nan at index \(5, 1\)",
        ),
        ({"x_test": "inf"}, r"x_test must hold only finite numbers; .* the first inf"),
        ({"x_test": "empty"}, r"x_test must hold at least one sample; got shape \(0, 4\)"),
        ({"x_train": "empty"}, r"x_train must hold at least one sample; got shape \(0, 4\)"),
        (
            {"x_train": "5 features"},
            r"x_train must have shape \(N, 4\) to fit TwoLayerNet; got shape \(200, 5\)",
        ),
        ({"x_train": "strings"}, r"x_train must be an array of real numbers; got dtype <U1"),
        ({"t_train": "label 3"}, r"t_train must be integer class labels 0\.\.2; got label 3"),
        ({"t_train": "one-hot 4"}, r"t_train must have shape \(200, 3\); got shape \(200, 4\)"),
        ({"t_test": "half"}, r"t_test must be integer class labels 0\.\.2; got 0\.5"),
        ({"mini_batch_size": True}, r"mini_batch_size must be an integer >= 1; got True"),
    ],
)
def test_bad_data_fails_before_training(change, message):
    x, t = blobs()
    x_train, t_train = x[:200].copy(), t[:200].copy()
    x_test, t_test = x[200:].copy(), t[200:].copy()
    kind = next(iter(change.values()))
    if kind == "nan":
        x_train[5, 1] = np.nan
    elif kind == "inf":
        x_test[7, 0] = np.inf
    elif kind == "empty":
        x_train, t_train, x_test, t_test = (
            (x_train[:0], t_train[:0], x_test, t_test) if "x_train" in change
            else (x_train, t_train, x_test[:0], t_test[:0])
        )
    elif kind == "5 features":
        x_train = np.zeros((200, 5))
    elif kind == "strings":
        x_train = np.full((200, 4), "a")
    elif kind == "label 3":
        t_train[9] = 3
    elif kind == "one-hot 4":
        t_train = np.eye(4)[t_train]
    elif kind == "half":
        t_test = t_test.astype(float)
        t_test[2] = 0.5
    kwargs = {"mini_batch_size": change["mini_batch_size"]} if "mini_batch_size" in change else {}
    with pytest.raises(ValueError, match=message):
        nn.Trainer(
            nn.TwoLayerNet(4, 5, 3), x_train, t_train, x_test, t_test, verbose=False, **kwargs
        )


def test_python_lists_are_accepted():
    x, t = blobs()
    trainer = nn.Trainer(nn.TwoLayerNet(4, 10, 3, weight_init_std=0.1), x[:200].tolist(),
                         t[:200].tolist(), x[200:].tolist(), t[200:].tolist(), epochs=3,
                         mini_batch_size=30, optimizer_param={"lr": 0.1}, verbose=False)
    trainer.train()
    same = make_trainer(epochs=3, net=nn.TwoLayerNet(4, 10, 3, weight_init_std=0.1))
    same.train()
    assert trainer.train_loss_list == same.train_loss_list
    assert trainer.test_acc_list == same.test_acc_list


def test_train_step_is_one_public_gradient_step():
    trainer = make_trainer()
    net = trainer.network
    before = {k: v.copy() for k, v in net.params.items()}
    batch = np.arange(30)
    loss, problem = trainer.train_step(batch)
    assert problem is None
    assert loss == pytest.approx(nn.TwoLayerNet(4, 10, 3, weight_init_std=0.1, seed=0).loss(
        trainer.x_train[batch], trainer.t_train[batch]))
    assert all(not np.array_equal(before[k], net.params[k]) for k in before)


def test_a_large_weight_decay_penalty_is_not_mistaken_for_a_stuck_loss(capsys):
    # A 7-layer net with lambda = 0.1 starts with a penalty of about 60, far above the
    # cross-entropy ceiling, and sheds it slowly: that is learning, not divergence.
    rng = np.random.default_rng(0)
    x, t = rng.random((300, 784)), rng.integers(0, 10, 300)
    net = nn.MultiLayerNet(784, [100] * 6, 10, activation="relu", weight_decay_lambda=0.1,
                           seed=0)
    assert net.loss(x, t) > nn.trainer.LOSS_CEILING / 2
    trainer = nn.Trainer(net, x, t, x[:50], t[:50], epochs=10, mini_batch_size=100,
                         verbose=False)
    trainer.train()
    assert not trainer.diverged, capsys.readouterr().out
    assert len(trainer.train_loss_list) == 30



class _FixedGradient:
    """A float32 network whose every gradient entry of W1 is ``value`` (the rest are 0)."""

    def __init__(self, value):
        self.inner = nn.TwoLayerNet(4, 10, 3, weight_init_std=0.1, seed=0, dtype=np.float32)
        self.params = self.inner.params
        self.value = value

    def gradient(self, x, t):
        self.last_loss = self.inner.loss(x, t)
        grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        grads["W1"][...] = self.value
        return grads

    def accuracy(self, x, t):
        return self.inner.accuracy(x, t)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_step_with_a_nan_or_inf_gradient_is_refused(bad):
    trainer = make_trainer(net=_FixedGradient(bad))
    before = {k: v.copy() for k, v in trainer.network.params.items()}
    loss, problem = trainer.train_step(np.arange(30))
    assert np.isfinite(loss)
    assert problem.startswith("the gradient of W1 holds NaN or inf"), problem
    for key, value in before.items():
        np.testing.assert_array_equal(trainer.network.params[key], value, err_msg=key)


def test_huge_but_finite_gradients_are_not_taken_for_nan(capsys):
    # The entries' sum, and the weights' sum of squares after the step, overflow float32 to
    # inf while every entry stays finite: the step is taken, and reported as an explosion.
    big = np.float32(1e38)
    with np.errstate(over="ignore"):
        assert not np.isfinite(np.sum(np.full((4, 10), big)))
    trainer = make_trainer(net=_FixedGradient(big))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer.train()
    assert trainer.diverged and trainer.diverged_at == 1
    assert "the parameter W1 exploded" in trainer.divergence, trainer.divergence
    assert np.all(np.isfinite(trainer.network.params["W1"]))
