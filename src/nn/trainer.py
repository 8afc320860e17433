"""Train a network with mini-batch gradient descent: the loop of book ch. 4-6, once.

Each epoch shuffles the training set and walks through it in mini-batches; every step computes
the gradient by backpropagation and lets the optimizer update ``network.params`` in place. The
loss of every step and the train/test accuracy at the end of every epoch are recorded.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from . import _checks
from .optimizers import Optimizer, make_optimizer

__all__ = ["Trainer"]

#: -log(1e-7): the loss of a sample whose true class gets probability 0, the most that
#: SoftmaxWithLoss reports for finite scores (its log(y + 1e-7) floor).  A diverging network
#: usually sits near this ceiling long before anything becomes NaN, so the ceiling is the sign to
#: look for; a loss, gradient or parameter that does become NaN or inf is caught as well (below).
LOSS_CEILING = -math.log(1e-7)

#: Steps over which the loss is summarised (by its median) to decide whether training diverged.
DIVERGENCE_WINDOW = 10

#: A parameter whose root-mean-square value grows to this many times its starting size (or
#: times 1, for parameters that start near 0) has exploded: trained weights move far less.
EXPLOSION_FACTOR = 1e3


def _check_inputs(name: str, x: Any, network: Any) -> np.ndarray:
    """x as a non-empty array of finite numbers whose samples fit ``network.input_shape``."""
    x = _checks.finite_array(name, x)
    _checks.non_empty(name, x)
    shape = getattr(network, "input_shape", None)
    if shape and tuple(x.shape[1:]) != tuple(shape):
        dims = ", ".join(map(str, shape))
        raise ValueError(
            f"{name} must have shape (N, {dims}) to fit {type(network).__name__}; "
            f"got shape {x.shape}"
        )
    return x


def _check_targets(name: str, t: Any, n: int, network: Any) -> np.ndarray:
    """t as n labels in [0, output_size) or n finite one-hot rows (n, output_size)."""
    t = _checks.numeric_array(name, t)
    classes = getattr(network, "output_size", None) or None
    if t.ndim == 2:
        _checks.check_shape(name, t, (n, classes))
        return _checks.finite_array(name, t)
    if classes is None:
        return _checks.finite_array(name, t)
    return _checks.class_labels(name, t, classes, n)


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
        ``optimizer_param`` (e.g. ``{"lr": 0.01}``), or a ready :class:`nn.Optimizer`.
    evaluate_sample_num_per_epoch : measure the per-epoch accuracies on only the first this
        many train and test samples (faster); ``None`` uses all of them.
    seed : seeds the generator that shuffles the mini-batches, so a run is reproducible.
    verbose : show a progress bar (tqdm: a widget in notebooks, a text bar in a terminal).

    The data are checked before anything runs: finite numbers, at least one sample, inputs that
    fit ``network.input_shape``, one label in [0, output_size) per sample (lists are accepted).

    After :meth:`train`: ``train_loss_list`` (one loss per step), ``train_acc_list`` and
    ``test_acc_list`` (one per epoch), and ``diverged``: True if training stopped because it
    diverged, at step ``diverged_at`` (counted from 1), with ``divergence`` saying what was
    seen (it is also printed).  Divergence is any of:

    - the loss or a gradient is NaN or inf (that step's update is then not applied);
    - a parameter holds NaN or inf, or its root-mean-square value has grown
      ``EXPLOSION_FACTOR`` times past its starting size (or past 1);
    - the loss, as the median of the last ``DIVERGENCE_WINDOW`` steps, is more than 3 times
      (and 2 above) the loss of the first step, or its cross-entropy part (the loss without
      a weight-decay penalty) is stuck above half of ``LOSS_CEILING`` without falling.  The
      cross-entropy of SoftmaxWithLoss cannot exceed that ceiling, so a wrecked network shows
      a high, flat loss, not NaN.
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
        optimizer: str | Optimizer = "SGD",
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
        # Everything is checked here, once, so that bad data fails before the first step rather
        # than an epoch later, and NaN in the data is never mistaken for divergence.
        x_train = _check_inputs("x_train", x_train, network)
        x_test = _check_inputs("x_test", x_test, network)
        _checks.same_length("x_train", x_train, "t_train", t_train)
        _checks.same_length("x_test", x_test, "t_test", t_test)
        t_train = _check_targets("t_train", t_train, len(x_train), network)
        t_test = _check_targets("t_test", t_test, len(x_test), network)
        self.epochs = _checks.positive_int("epochs", epochs)
        batch_size = _checks.positive_int("mini_batch_size", mini_batch_size)
        self.batch_size = min(batch_size, len(x_train))
        if evaluate_sample_num_per_epoch is not None:
            _checks.positive_int("evaluate_sample_num_per_epoch", evaluate_sample_num_per_epoch)
        self.evaluate_sample_num_per_epoch = evaluate_sample_num_per_epoch

        if isinstance(optimizer, str):
            self.optimizer = make_optimizer(optimizer, **(optimizer_param or {}))
        elif isinstance(optimizer, Optimizer):
            if optimizer_param:
                raise ValueError(
                    "optimizer_param is only used with an optimizer name; "
                    "this optimizer object is already built"
                )
            self.optimizer = optimizer
        else:
            raise ValueError(
                f"optimizer must be a name such as 'SGD' or 'Adam', or an nn.Optimizer "
                f"such as nn.Adam(lr=0.001); got {optimizer!r}"
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
        self.divergence: str | None = None
        self._start_rms: dict[str, float] = {}
        self._data_losses: list[float] = []  # the losses without any weight-decay penalty

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
        # The ceiling test in _loss_diverged is about the cross-entropy alone: a weight-decay
        # penalty (large at the start of a big network) may sit far above the ceiling while the
        # network learns normally.
        penalty = getattr(self.network, "weight_decay_loss", None)
        self._data_losses.append(loss - float(penalty()) if callable(penalty) else loss)
        if not np.isfinite(loss):
            return loss, f"the loss is {loss}"
        # One np.errstate for all the checks and the update (entering one costs about as much
        # as checking a small array, and a step checks every gradient).
        with np.errstate(over="ignore", invalid="ignore"):
            for name, grad in grads.items():
                if not self._all_finite(grad):
                    return loss, (f"the gradient of {name} holds NaN or inf "
                                  f"(the loss was {loss:.4g})")
            self.optimizer.update(self.network.params, grads)
        return loss, None

    @staticmethod
    def _all_finite(array: np.ndarray) -> bool:
        """Whether every entry of array is finite.  A sum is finite only if all its terms are, so
        one sum (no temporary array) decides every step; ``np.isfinite`` runs only when the sum
        is not finite, which big but finite entries can also cause (an overflow, silenced by the
        caller's ``np.errstate``)."""
        if math.isfinite(float(np.sum(array))):
            return True
        return bool(np.all(np.isfinite(array)))

    @staticmethod
    def _rms(array: np.ndarray) -> float:
        """Root-mean-square of array's entries: inf when their squares overflow, NaN when one
        is NaN (the caller silences the warnings with ``np.errstate``).  One dot product, in
        the array's own dtype (no copy), so cheap every step."""
        flat = np.ravel(array)
        return math.sqrt(float(np.dot(flat, flat)) / max(flat.size, 1))

    def _exploded_parameter(self) -> str | None:
        """What is wrong with the parameters after a step, or None if they look sane."""
        with np.errstate(over="ignore", invalid="ignore"):  # once for all the parameters
            for name, param in self.network.params.items():
                rms = self._rms(param)
                start = self._start_rms.get(name, 0.0)
                # A NaN or inf entry makes rms NaN or inf (its square enters the sum).
                if not math.isfinite(rms) and not self._all_finite(param):
                    return f"the parameter {name} holds NaN or inf"
                if rms > EXPLOSION_FACTOR * max(start, 1.0):
                    return (
                        f"the parameter {name} exploded: its root-mean-square value grew from "
                        f"{start:.3g} at the start to {rms:.3g}"
                    )
        return None

    def _loss_diverged(self) -> str | None:
        """What the recent losses show, if they show divergence, else None."""
        losses, w = self.train_loss_list, DIVERGENCE_WINDOW
        if len(losses) < w:
            return None
        first, recent = losses[0], statistics.median(losses[-w:])
        if recent > 3 * first and recent > first + 2:
            return (
                f"the loss rose from {first:.3g} at the first step to {recent:.3g} "
                f"(median of the last {w} steps)"
            )
        data_losses = self._data_losses
        recent_data = statistics.median(data_losses[-w:])
        if len(data_losses) >= 2 * w and recent_data > LOSS_CEILING / 2:
            before = statistics.median(data_losses[-2 * w : -w])
            recent = recent_data
            if recent > 0.9 * before:
                return (
                    f"the loss is stuck at {recent:.3g} (median of the last {w} steps, "
                    f"{before:.3g} for the {w} before), near its ceiling {LOSS_CEILING:.3g} = "
                    f"-log(1e-7), where the true class gets a probability of about 0"
                )
        return None

    def _evaluate(self) -> tuple[float, float]:
        k = self.evaluate_sample_num_per_epoch  # None slices everything
        train_acc = self.network.accuracy(self.x_train[:k], self.t_train[:k])
        test_acc = self.network.accuracy(self.x_test[:k], self.t_test[:k])
        self.train_acc_list.append(train_acc)
        self.test_acc_list.append(test_acc)
        return train_acc, test_acc

    def _report_divergence(self, problem: str) -> None:
        """Record and print what was seen, and the usual causes (none of them is asserted)."""
        self.diverged = True
        self.diverged_at = len(self.train_loss_list)
        epoch = (self.diverged_at - 1) // self.iter_per_epoch + 1
        lr = getattr(self.optimizer, "lr", None)
        lr_text = f" (now {lr:g})" if isinstance(lr, (int, float)) else ""
        low, high = float(np.min(self.x_train)), float(np.max(self.x_train))
        self.divergence = (
            f"training diverged at step {self.diverged_at} of {self.max_iter} (epoch {epoch}): "
            f"{problem}. Usual causes: a learning rate too large{lr_text}; initial weights too "
            f"large (weight_init_std); input that is not normalised (x_train lies in "
            f"[{low:.3g}, {high:.3g}]; about [0, 1], or mean 0 and std 1, is safe). NaN in the "
            f"data is not the cause: the data were checked and are finite."
        )
        print(self.divergence)

    def train(self) -> None:
        """Run all epochs, or stop early, saying why, if training diverges."""
        with np.errstate(over="ignore", invalid="ignore"):
            self._start_rms = {name: self._rms(p) for name, p in self.network.params.items()}
        bar = tqdm(total=self.max_iter, desc="training", unit="step", disable=not self.verbose)
        with bar:
            for epoch in range(1, self.epochs + 1):
                order = self.rng.permutation(len(self.x_train))
                for i in range(self.iter_per_epoch):
                    batch = order[i * self.batch_size : (i + 1) * self.batch_size]
                    loss, problem = self.train_step(batch)
                    self.train_loss_list.append(loss)
                    problem = problem or self._exploded_parameter() or self._loss_diverged()
                    if problem:
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
