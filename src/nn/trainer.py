"""Train a network with mini-batch gradient descent: the loop of book ch. 4-6, once.

Each epoch shuffles the training set and walks through it in mini-batches; every step computes
the gradient by backpropagation and lets the optimizer update ``network.params`` in place. The
loss of every step and the train/test accuracy at the end of every epoch are recorded.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from tqdm.auto import tqdm

from .optimizers import make_optimizer

__all__ = ["Trainer"]


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
    return int(value)


class Trainer:
    """Mini-batch training of ``network`` on (x_train, t_train), evaluated on (x_test, t_test).

    Parameters
    ----------
    network : anything with ``params``, ``gradient(x, t)`` and ``accuracy(x, t)`` (every
        network in :mod:`nn.networks`).
    x_train, t_train : (N, ...) inputs and their labels (N,) or one-hot rows (N, C).
    x_test, t_test : the same for the test set.
    epochs : passes over the training set.
    mini_batch_size : samples per step; one epoch is ``N // mini_batch_size`` steps.
    optimizer : a name from ``nn.OPTIMIZERS`` ("SGD", "Adam", ..., any case) built with
        ``optimizer_param`` (e.g. ``{"lr": 0.01}``), or a ready optimizer object.
    evaluate_sample_num_per_epoch : measure the per-epoch accuracies on only the first this
        many train and test samples (faster); ``None`` uses all of them.
    seed : seeds the generator that shuffles the mini-batches, so a run is reproducible.
    verbose : show a progress bar (tqdm: a widget in notebooks, a text bar in a terminal).

    After :meth:`train`: ``train_loss_list`` (one loss per step), ``train_acc_list`` and
    ``test_acc_list`` (one per epoch), ``diverged`` (True if the loss or a gradient became NaN
    or inf: training then stopped at step ``diverged_at``, counted from 1, before updating the
    weights with it, and printed what happened).
    """

    def __init__(
        self,
        network: Any,
        x_train: np.ndarray,
        t_train: np.ndarray,
        x_test: np.ndarray,
        t_test: np.ndarray,
        epochs: int = 20,
        mini_batch_size: int = 100,
        optimizer: str | Any = "SGD",
        optimizer_param: dict[str, Any] | None = None,
        evaluate_sample_num_per_epoch: int | None = None,
        seed: int | None = 0,
        verbose: bool = True,
    ) -> None:
        for name in ("params", "gradient", "accuracy"):
            if not hasattr(network, name):
                raise ValueError(
                    f"network must have {name!r} (like the networks in nn); "
                    f"got {type(network).__name__}"
                )
        if len(x_train) != len(t_train):
            raise ValueError(
                "x_train and t_train must have the same length; "
                f"got {len(x_train)} and {len(t_train)}"
            )
        if len(x_test) != len(t_test):
            raise ValueError(
                f"x_test and t_test must have the same length; got {len(x_test)} and {len(t_test)}"
            )
        if len(x_train) == 0:
            raise ValueError("x_train is empty; training needs at least one sample")
        self.epochs = _positive_int("epochs", epochs)
        self.batch_size = min(_positive_int("mini_batch_size", mini_batch_size), len(x_train))
        if evaluate_sample_num_per_epoch is not None:
            _positive_int("evaluate_sample_num_per_epoch", evaluate_sample_num_per_epoch)
        self.evaluate_sample_num_per_epoch = evaluate_sample_num_per_epoch

        if isinstance(optimizer, str):
            self.optimizer = make_optimizer(optimizer, **(optimizer_param or {}))
        elif hasattr(optimizer, "update"):
            if optimizer_param:
                raise ValueError(
                    "optimizer_param is only used with an optimizer name; "
                    "this optimizer object is already built"
                )
            self.optimizer = optimizer
        else:
            raise ValueError(
                f"optimizer must be a name such as 'SGD' or 'Adam', or an object "
                f"with update(params, grads); got {optimizer!r}"
            )

        self.network = network
        self.x_train, self.t_train = x_train, t_train
        self.x_test, self.t_test = x_test, t_test
        self.verbose = verbose
        self.rng = np.random.default_rng(seed)
        self.iter_per_epoch = max(len(x_train) // self.batch_size, 1)
        self.max_iter = self.epochs * self.iter_per_epoch

        self.train_loss_list: list[float] = []
        self.train_acc_list: list[float] = []
        self.test_acc_list: list[float] = []
        self.diverged = False
        self.diverged_at: int | None = None

    def train_step(self, batch: np.ndarray) -> tuple[float, str | None]:
        """One gradient step on the samples ``batch`` (indices).

        Returns the loss before the step and, if the step was refused because the loss or a
        gradient is not finite, what went wrong (the weights are then left untouched).
        """
        x, t = self.x_train[batch], self.t_train[batch]
        # Overflow is detected below and reported once, clearly; no stream of RuntimeWarnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            grads = self.network.gradient(x, t)
            loss = getattr(self.network, "last_loss", None)  # nn's networks keep it
            if loss is None:
                loss = self.network.loss(x, t)
        loss = float(loss)
        if not np.isfinite(loss):
            return loss, f"loss is {loss}"
        for name, grad in grads.items():
            if not np.all(np.isfinite(grad)):
                return loss, f"the gradient of {name} is not finite"
        self.optimizer.update(self.network.params, grads)
        return loss, None

    def _evaluate(self) -> tuple[float, float]:
        k = self.evaluate_sample_num_per_epoch  # None slices everything
        train_acc = self.network.accuracy(self.x_train[:k], self.t_train[:k])
        test_acc = self.network.accuracy(self.x_test[:k], self.t_test[:k])
        self.train_acc_list.append(train_acc)
        self.test_acc_list.append(test_acc)
        return train_acc, test_acc

    def _report_divergence(self, problem: str) -> None:
        lr = getattr(self.optimizer, "lr", None)
        cause = (
            f"the learning rate {lr:g} is probably too large; try a smaller one"
            if lr is not None
            else "try a smaller learning rate"
        )
        print(f"training diverged at iteration {self.diverged_at}: {problem} — {cause}")

    def train(self) -> None:
        """Run all epochs (or stop early if the loss becomes NaN or inf)."""
        bar = tqdm(total=self.max_iter, desc="training", unit="step", disable=not self.verbose)
        with bar:
            for epoch in range(1, self.epochs + 1):
                order = self.rng.permutation(len(self.x_train))
                for i in range(self.iter_per_epoch):
                    batch = order[i * self.batch_size : (i + 1) * self.batch_size]
                    loss, problem = self.train_step(batch)
                    self.train_loss_list.append(loss)
                    if problem:
                        self.diverged = True
                        self.diverged_at = len(self.train_loss_list)
                        bar.close()
                        self._report_divergence(problem)
                        return
                    bar.update(1)
                    if i % 10 == 0:
                        bar.set_postfix(loss=f"{loss:.4f}", refresh=False)
                train_acc, test_acc = self._evaluate()
                if self.verbose:
                    bar.write(
                        f"epoch {epoch:>3}/{self.epochs}: train acc {train_acc:.4f}, "
                        f"test acc {test_acc:.4f}"
                    )
