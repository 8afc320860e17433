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


def test_nan_loss_stops_with_a_clear_message(capsys):
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
    assert f"training diverged at iteration {k}: loss is" in out
    assert "the learning rate 10 is probably too large; try a smaller one" in out
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
