"""Weight initialisation, Batch Normalization, regularisation and hyperparameter search figures.

The second half of notebook 07 (book ch. 6).  :func:`nn.activation_layers` pushes 1000 random
inputs through five fully connected layers of 100 units and returns what each layer outputs;
the activation histograms of the text and the init explorer widget both draw it with
:func:`plot_activation_histograms`.  The other functions draw results the chapter computes
with ``nn.MultiLayerNet`` and ``nn.Trainer``: the grid of learning curves with and without
Batch Normalization, train-versus-test accuracy, and the random search of hyperparameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.patches import Rectangle

from ..i18n import _, translate_text
from ..initializers import weight_scale
from .style import COLORS, CYCLE, new_figure

__all__ = [
    "plot_activation_histograms",
    "plot_learning_curve_grid",
    "plot_train_test",
    "plot_random_search",
]

Array = np.ndarray


def _std_label(std: float | str, n_units: int) -> str:
    if isinstance(std, str):
        name = {"xavier": "Xavier", "he": "He"}.get(std.lower(), std)
        return f"{name} (std = {weight_scale(std, n_units):.3g})"
    return f"std = {std:.3g}"


def plot_activation_histograms(
    layers: Sequence[Array],
    activation: str,
    std: float | str,
    axes: Sequence | None = None,
):
    """Histograms of each layer's activations, one panel per layer: ``layers`` is the list
    ``nn.activation_layers(std, activation, ...)`` returns, each (n_samples, n_units).

    Sigmoid is drawn over [0, 1] and tanh over [-1, 1], the ranges they can reach.  ReLU has no
    upper limit, so its panels share the range up to the largest 99.5th percentile over the
    layers (a layer much smaller than that shows as one bar at 0: its signal has died out).
    Each panel gives the standard deviation of its activations.  Returns the figure.
    """
    if len(layers) == 0:
        raise ValueError("plot_activation_histograms needs at least one layer")
    n_layers, (n_samples, n_units) = len(layers), np.shape(layers[0])
    act = activation.lower()
    if act == "sigmoid":
        lo, hi = 0.0, 1.0
    elif act == "tanh":
        lo, hi = -1.0, 1.0
    else:
        top = max(float(np.percentile(z, 99.5)) for z in layers)
        lo, hi = 0.0, (top if np.isfinite(top) and top > 0 else 1.0)
    if axes is None:
        # A fixed layout: constrained layout would double the drawing time of every redraw.
        fig, axes = new_figure(1, n_layers, figsize=(2.25 * n_layers, 2.7), sharey=True,
                               layout=None)
        fig.subplots_adjust(left=0.4 / n_layers, right=0.99, bottom=0.19, top=0.8, wspace=0.08)
        axes = np.atleast_1d(axes)
    else:
        fig = axes[0].figure
    color = {"sigmoid": COLORS["blue"], "tanh": COLORS["green"]}.get(act, COLORS["orange"])
    for k, (ax, z) in enumerate(zip(axes, layers, strict=False), start=1):
        values = np.clip(z.ravel(), lo, hi)  # keep everything, even beyond the range, visible
        ax.hist(values, bins=30, range=(lo, hi), color=color)
        ax.set_title(_("layer {k}", k=k), fontsize=10)
        ax.set_xlabel(_("activation"))
        ax.text(0.97, 0.95, f"std {np.std(z):.2g}", transform=ax.transAxes, ha="right",
                va="top", fontsize=8.5,
                bbox=dict(boxstyle="round", fc="white", ec="0.8", alpha=0.9))
    axes[0].set_ylabel(_("count"))
    fig.suptitle(_("{act}, weights {std}: activations of {layers} layers × {units} units, "
                   "{samples} inputs", act=act, std=_std_label(std, n_units), layers=n_layers,
                   units=n_units, samples=n_samples),
                 fontsize=10.5)
    return fig


def plot_learning_curve_grid(
    scales: Sequence[float],
    curves: Mapping[str, Sequence[Sequence[float]]],
    ncols: int = 4,
    ylabel: str | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
):
    """A grid of small learning-curve plots, one per initial weight scale.

    ``curves`` maps a label (e.g. ``"with BN"``) to one curve per scale (accuracy per epoch).
    A curve that ends in NaN is a run that diverged: its finite start is drawn and the panel
    says "diverged".  Every panel shares the axes; the legend is drawn once.  Returns the
    figure. ``ylabel`` defaults to "train accuracy" (in the current language).
    """
    scales = list(scales)
    if ylabel is None:
        ylabel = _("train accuracy")
    if not scales:
        raise ValueError("plot_learning_curve_grid needs at least one scale")
    for label, per_scale in curves.items():
        if len(per_scale) != len(scales):
            raise ValueError(f"{label!r} has {len(per_scale)} curves for {len(scales)} scales")
    ncols = min(ncols, len(scales))
    nrows = -(-len(scales) // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(2.6 * ncols, 2.0 * nrows + 0.8),
                           sharex=True, sharey=True, squeeze=False)
    if title:
        fig.suptitle(title, fontsize=11)
    default = {"with BN": COLORS["blue"], "without BN": COLORS["vermillion"]}
    for i, (ax, scale) in enumerate(zip(axes.ravel(), scales, strict=False)):
        for j, (label, per_scale) in enumerate(curves.items()):
            color = (colors or {}).get(label) or default.get(label) or CYCLE[j % len(CYCLE)]
            y = np.asarray(per_scale[i], dtype=np.float64)
            finite = np.isfinite(y)
            diverged = not finite.all()
            if diverged:  # the run blew up: draw what came before and say so
                y = y[: int(np.argmin(finite))]
            ls = "-" if j == 0 else "--"
            ax.plot(np.arange(1, y.size + 1), y, ls, color=color, lw=1.6, label=label)
            if diverged:
                ax.text(0.5, 0.55 - 0.2 * j, _("{label}: diverged", label=translate_text(label)),
                        transform=ax.transAxes,
                        ha="center", fontsize=8.5, color=color, fontweight="bold")
        ax.set_title(f"W std = {scale:.2g}", fontsize=9.5)
        ax.set_ylim(0, 1.02)
        if i % ncols == 0:
            ax.set_ylabel(ylabel, fontsize=9)
        if i // ncols == nrows - 1:
            ax.set_xlabel(_("epoch"), fontsize=9)
    for ax in axes.ravel()[len(scales):]:
        ax.axis("off")
    handles, labels = axes.ravel()[0].get_legend_handles_labels()
    if len(labels) > 1:
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels))
    return fig


def plot_train_test(
    histories: Mapping[str, tuple[Sequence[float], Sequence[float]]],
):
    """Train and test accuracy per epoch, one panel per run (e.g. plain, weight decay, Dropout).

    ``histories`` maps a title to ``(train_acc_list, test_acc_list)``.  Each panel names the
    final gap between train and test accuracy.  Returns the figure.
    """
    if not histories:
        raise ValueError("plot_train_test needs at least one run")
    n = len(histories)
    fig, axes = new_figure(1, n, figsize=(3.7 * n, 3.2), sharey=True, squeeze=False)
    for ax, (title, (train, test)) in zip(axes[0], histories.items(), strict=False):
        train = np.asarray(train, dtype=np.float64)
        test = np.asarray(test, dtype=np.float64)
        epochs = np.arange(1, train.size + 1)
        ax.plot(epochs, train, color=COLORS["blue"], lw=1.6, label=_("train"))
        ax.plot(np.arange(1, test.size + 1), test, "--", color=COLORS["orange"], lw=1.6,
                label=_("test"))
        gap = train[-1] - test[-1]
        ax.set_title(translate_text(title) + "\n"
                     + _("final gap train − test = {gap:.2f}", gap=gap), fontsize=10)
        ax.set_xlabel(_("epoch"))
        ax.set_ylim(0, 1.02)
        ax.legend(loc="lower right")
    axes[0, 0].set_ylabel(_("accuracy"))
    return fig


def plot_random_search(
    learning_rates: Sequence[float],
    weight_decays: Sequence[float],
    val_accuracies: Sequence[float],
    best: int = 5,
    narrowed: tuple[tuple[float, float], tuple[float, float]] | None = None,
):
    """Each trial of a random search as a point (learning rate, weight decay) on log axes,
    coloured by its validation accuracy; the ``best`` trials are ringed, and ``narrowed``
    ((lr_lo, lr_hi), (wd_lo, wd_hi)) is drawn as the range for the next round.
    Returns the figure.
    """
    lr = np.asarray(learning_rates, dtype=np.float64)
    wd = np.asarray(weight_decays, dtype=np.float64)
    acc = np.asarray(val_accuracies, dtype=np.float64)
    if not (lr.shape == wd.shape == acc.shape) or lr.ndim != 1 or lr.size == 0:
        raise ValueError(
            "plot_random_search needs three 1-D sequences of the same non-zero length; "
            f"got shapes {lr.shape}, {wd.shape}, {acc.shape}"
        )
    fig, ax = new_figure(figsize=(6.6, 4.3))
    order = np.argsort(acc)  # best drawn last, on top
    sc = ax.scatter(lr[order], wd[order], c=acc[order], cmap="viridis", s=42, vmin=0,
                    vmax=max(float(np.nanmax(acc)), 1e-9), edgecolors="0.3", linewidths=0.4)
    top = np.argsort(-acc)[:best]
    ax.scatter(lr[top], wd[top], s=170, facecolors="none", edgecolors=COLORS["vermillion"],
               linewidths=1.6, label=_("best {n}", n=len(top)))
    if narrowed is not None:
        (l0, l1), (w0, w1) = narrowed
        ax.add_patch(Rectangle(
            (l0, w0), l1 - l0, w1 - w0, fill=False, ls="--", lw=1.5, ec=COLORS["black"],
            label=_("narrowed range")))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(_("learning rate (log scale)"))
    ax.set_ylabel(_("weight decay λ (log scale)"))
    ax.set_title(_("random search: each dot is one short training run"))
    fig.colorbar(sc, ax=ax, label=_("validation accuracy"))
    ax.legend(loc="lower left", frameon=True, framealpha=0.85)
    ax.grid(True, which="major", alpha=0.3)
    return fig
