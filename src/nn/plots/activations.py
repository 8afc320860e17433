"""Figures of notebook 03 (book ch. 3): activation functions, a neuron, a network, softmax.

The activation functions themselves live in the table ``nn.ACTIVATIONS`` (function,
derivative, layer); this module only looks them up and draws.  Every function here takes plain
numbers, is safe for any finite setting (a zero weight, a logit of 1000, a temperature of 0.01)
and returns the figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from .._checks import finite_number
from ..activations import ACTIVATIONS, get_activation
from ..demos.activations import naive_softmax_overflows, softmax_with_temperature
from ..i18n import _
from .style import COLORS, new_figure

__all__ = [
    "ACTIVATION_NAMES",
    "plot_activations",
    "plot_step_vs_sigmoid",
    "plot_stacked_layers",
    "plot_neuron",
    "plot_softmax",
    "draw_network",
]

#: The activations the chapter plots and the neuron explorer offers, in that order: those of
#: ``nn.ACTIVATIONS`` that a hidden layer can use, and the step function they replace.
ACTIVATION_NAMES: tuple[str, ...] = tuple(
    a.name for a in ACTIVATIONS.values() if a.name != "identity"
)

_COLOR = {"step": COLORS["vermillion"], "sigmoid": COLORS["blue"], "ReLU": COLORS["green"],
          "tanh": COLORS["purple"], "identity": COLORS["black"]}


def _canonical(name: str) -> str:
    return get_activation(name).name


def _step_segments(ax: plt.Axes, x: np.ndarray, y: np.ndarray, **kw) -> None:
    """Plot a piecewise-constant curve without the vertical line at each jump (a step function
    takes no value in between)."""
    jumps = np.flatnonzero(np.diff(y) != 0) + 1
    label = kw.pop("label", None)
    for k, (a, b) in enumerate(zip(np.r_[0, jumps], np.r_[jumps, len(x)], strict=True)):
        ax.plot(x[a:b], y[a:b], label=label if k == 0 else None, **kw)


def plot_activations(names: Sequence[str] = ACTIVATION_NAMES, x_max: float = 5.0):
    """One small panel per activation ``h(x)`` on ``[-x_max, x_max]``. Returns the figure."""
    names = [_canonical(n) for n in names]
    fig, axes = new_figure(1, len(names), figsize=(2.6 * len(names), 2.7), squeeze=False)
    x = np.linspace(-x_max, x_max, 1001)
    formulas = {"step": _("$h(x)=1$ if $x>0$ else $0$"), "sigmoid": r"$h(x)=1/(1+e^{-x})$",
                "ReLU": r"$h(x)=\max(0, x)$", "tanh": r"$h(x)=\tanh x$"}
    for ax, name in zip(axes[0], names, strict=True):
        h = get_activation(name).function
        y = h(x)
        if name == "step":
            _step_segments(ax, x, y, color=_COLOR[name], lw=2)
        else:
            ax.plot(x, y, color=_COLOR[name], lw=2)
        ax.axhline(0, color="gray", lw=0.8)
        ax.axvline(0, color="gray", lw=0.8)
        ax.set_title(f"{name}: {formulas[name]}", fontsize=9.5)
        ax.set_xlabel("$x$")
        ax.set_ylim(-1.2 if name == "tanh" else -0.2, x_max if name == "ReLU" else 1.2)
    axes[0][0].set_ylabel("$h(x)$")
    return fig


def plot_step_vs_sigmoid(x_max: float = 6.0):
    """Step and sigmoid on one axes, with the sigmoid's slope at 0 marked. Returns the figure."""
    fig, ax = new_figure(figsize=(6.2, 3.6))
    x = np.linspace(-x_max, x_max, 1201)
    step, sigmoid = ACTIVATIONS["step"].function, ACTIVATIONS["sigmoid"].function
    _step_segments(ax, x, step(x), color=_COLOR["step"], lw=2, ls="--",
                   label=_("step: jumps 0 → 1"))
    ax.plot(x, sigmoid(x), color=_COLOR["sigmoid"], lw=2, label=_("sigmoid: smooth, in (0, 1)"))
    tangent = 0.5 + 0.25 * x
    keep = np.abs(x) <= 1.6
    ax.plot(x[keep], tangent[keep], color="gray", lw=1, ls=":",
            label=_("sigmoid's tangent at 0 (slope 1/4)"))
    ax.axhline(0.5, color="gray", lw=0.6)
    ax.set_xlabel(_("input $x$"))
    ax.set_ylabel(_("output $h(x)$"))
    ax.set_ylim(-0.1, 1.1)
    ax.set_title(_("Step vs sigmoid: same shape, but only the sigmoid is smooth"))
    ax.legend(loc="upper left", fontsize=9)
    return fig


def plot_stacked_layers(x: np.ndarray, outputs: dict[str, np.ndarray], depth: int, width: int):
    """The output of one random 1-input network as a function of its input, one panel per
    hidden activation: ``outputs`` maps an activation's name to the network's output at ``x``,
    as :func:`nn.random_network_outputs` computes it for a network of ``depth`` hidden layers
    of ``width`` neurons.  Returns the figure."""
    fig, axes = new_figure(1, len(outputs), figsize=(2.5 * len(outputs), 2.7), squeeze=False)
    for ax, (name, y) in zip(axes[0], outputs.items(), strict=True):
        ax.plot(x, y, color=_COLOR.get(name, COLORS["black"]), lw=2,
                label=_("hidden activation: {name}", name=name))
        ax.set_title(f"$h$ = {name}" + (_(": a straight line") if name == "identity" else ""),
                     fontsize=10)
        ax.set_xlabel(_("network input $x$"))
    axes[0][0].set_ylabel(_("network output $y$"))
    fig.suptitle(_("One random network ({depth} hidden layers of {width}), {n} activations: "
                   "only a non-linear $h$ bends the output", depth=depth, width=width,
                   n=len(outputs)),
                 fontsize=11)
    return fig


def plot_neuron(w: float, b: float, name: str = "sigmoid", x_max: float = 6.0):
    """A single neuron with one input: ``h(w x + b)`` (left) and its derivative with respect to
    the input, ``w h'(w x + b)`` (right), on ``[-x_max, x_max]``. The point where the weighted
    sum is zero, ``x = -b / w``, is marked when it is in view. Returns the figure."""
    w, b = finite_number("w", w), finite_number("b", b)
    name = _canonical(name)
    h, h_prime = get_activation(name).function, get_activation(name).derivative
    x = np.linspace(-x_max, x_max, 1201)
    a = w * x + b
    y = h(a)
    dy = w * h_prime(a)
    fig, (ax, dax) = new_figure(1, 2, figsize=(8.6, 3.4))
    if name == "step":
        _step_segments(ax, x, y, color=_COLOR[name], lw=2.2)
    else:
        ax.plot(x, y, color=_COLOR[name], lw=2.2)
    if name in ("step", "ReLU"):  # piecewise-constant slopes: no vertical joins
        _step_segments(dax, x, dy, color=_COLOR[name], lw=2.2)
    else:
        dax.plot(x, dy, color=_COLOR[name], lw=2.2)
    for axis in (ax, dax):
        axis.axhline(0, color="gray", lw=0.8)
        axis.set_xlim(-x_max, x_max)
        axis.set_xlabel(_("input $x$"))
    bounded = {"step": (-0.1, 1.1), "sigmoid": (-0.1, 1.1), "tanh": (-1.15, 1.15)}
    if name in bounded:
        ax.set_ylim(*bounded[name])
    else:
        top = max(1.0, float(np.max(y)))
        ax.set_ylim(-0.05 * top, 1.05 * top)
    if w != 0 and abs(-b / w) <= x_max:
        x0 = -b / w
        for axis in (ax, dax):
            axis.axvline(x0, color="gray", lw=1, ls=":")
        # Write the note beside the line where the curve is out of its way: on the side
        # where the curve is lower (if there is room), at the top unless the curve is high there.
        left_y, right_y = y[x < x0], y[x > x0]
        right = bool(left_y.size == 0 or (right_y.size and right_y.mean() <= left_y.mean()))
        if (right and x0 > x_max - 2.2) or (not right and x0 < -x_max + 2.2):
            right = not right
        side_y = right_y if right else left_y
        y_low, y_high = ax.get_ylim()
        high_there = side_y.size and (side_y.mean() - y_low) / (y_high - y_low) > 0.5
        note = dict(transform=ax.get_xaxis_transform(), fontsize=8.5, color="gray",
                    ha="left" if right else "right", va="bottom" if high_there else "top")
        where = (x0 + (0.15 if right else -0.15), 0.04 if high_there else 0.97)
        ax.text(*where, _("$wx+b=0$\nat $x={x0:.2f}$", x0=x0), **note)
        if name == "step":
            note.update(transform=dax.get_xaxis_transform(), va="top")
            dax.text(where[0], 0.97, _("jump: slope\nundefined here"), **note)
    low, high = float(np.min(dy)), float(np.max(dy))
    span = max(high - low, 1.0)
    dax.set_ylim(min(low, 0.0) - 0.08 * span, max(high, 0.0) + 0.15 * span)
    sign = "+" if b >= 0 else "−"
    ax.set_title(f"{name}: $y = h({w:.2f}\\,x {sign} {abs(b):.2f})$")
    ax.set_ylabel(_("output $y$"))
    dax.set_title(_("slope $dy/dx = w\\,h'(wx+b)$; steepest: {steepest:.3g}",
                    steepest=np.max(np.abs(dy))))
    dax.set_ylabel("$dy/dx$")
    return fig


def plot_softmax(logits, temperature: float = 1.0):
    """Bars of the logits ``a_k`` (left) and of the probabilities ``softmax(a / T)`` (right),
    with the values written on the bars. Returns the figure."""
    a = np.asarray(logits, dtype=np.float64)
    p = softmax_with_temperature(a, temperature)
    k = np.arange(a.size)
    labels = [f"$a_{{{i + 1}}}$" for i in k]
    colors = [COLORS["sky"]] * a.size
    colors[int(np.argmax(a))] = COLORS["blue"]
    fig, (lax, pax) = new_figure(1, 2, figsize=(8.2, 3.3))
    lax.bar(k, a, color=colors)
    lax.axhline(0, color="gray", lw=0.8)
    lax.set_xticks(k, labels)
    lax.set_ylabel(_("logit $a_k$"))
    lax.set_title(_("input scores (logits)"))
    span = max(float(np.max(np.abs(a))), 1.0)
    lax.set_ylim(min(0.0, float(np.min(a))) - 0.15 * span, max(0.0, float(np.max(a))) + 0.2 * span)
    for i, v in zip(k, a, strict=True):
        lax.text(i, v, f"{v:.3g}", ha="center", va="bottom" if v >= 0 else "top", fontsize=9)
    pax.bar(k, p, color=colors)
    pax.set_xticks(k, [f"$y_{{{i + 1}}}$" for i in k])
    pax.set_ylim(0, 1.32)
    pax.set_yticks(np.linspace(0, 1, 6))
    pax.set_ylabel(_("probability $y_k$"))
    for i, v in zip(k, p, strict=True):
        pax.text(i, v + 0.02, f"{v:.3f}", ha="center", va="bottom", fontsize=9)
    pax.set_title(_("softmax$(a/T)$, $T$ = {t:.3g}: sum = {total:.3f}", t=float(temperature),
                    total=p.sum()))
    if naive_softmax_overflows(a, temperature):
        pax.text(0.5, 0.99, _("naive exp(a/T) would overflow to inf → nan;\n"
                              "subtracting max(a/T) keeps it finite"),
                 transform=pax.transAxes, ha="center", va="top", fontsize=8,
                 color=COLORS["vermillion"])
    return fig


def draw_network(layer_sizes: Sequence[int] = (2, 3, 2, 2), ax: plt.Axes | None = None,
                 layer_names: Sequence[str] | None = None):
    """Circles-and-arrows diagram of a fully connected network with the given layer sizes
    (input first). Neurons are labelled x_i, then a^(l)_i / z^(l)_i style indices, outputs y_i.
    Returns the figure."""
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs at least two positive sizes; got {layer_sizes!r}")
    if ax is None:
        fig, ax = new_figure(figsize=(1.6 * len(sizes) + 0.4, 0.8 * max(sizes) + 0.9))
    else:
        fig = ax.figure
    if layer_names is None:
        layer_names = (
            [_("layer {k}", k=0) + "\n" + _("(input)")]
            + [_("layer {k}", k=i) for i in range(1, len(sizes) - 1)]
            + [_("layer {k}", k=len(sizes) - 1) + "\n" + _("(output)")])
    radius = 0.26
    top = max(sizes) - 1
    pos = [[(2.0 * li, top / 2 - (n - 1) / 2 + j) for j in range(n)][::-1]
           for li, n in enumerate(sizes)]
    for li in range(len(sizes) - 1):
        for p in pos[li]:
            for q in pos[li + 1]:
                p_, q_ = np.array(p), np.array(q)
                u = (q_ - p_) / np.linalg.norm(q_ - p_)
                ax.add_patch(FancyArrowPatch(tuple(p_ + radius * u), tuple(q_ - radius * u),
                                             arrowstyle="-|>", mutation_scale=9, lw=0.8,
                                             color="#555555", zorder=1))
    fills = ["#e8e8e8"] + ["#cfe3f2"] * (len(sizes) - 2) + ["#fbe7c2"]
    for li, layer in enumerate(pos):
        for j, (x, y) in enumerate(layer):
            ax.add_patch(Circle((x, y), radius, facecolor=fills[li], edgecolor="black", lw=1.2,
                                zorder=3))
            if li == 0:
                text = f"$x_{j + 1}$"
            elif li == len(sizes) - 1:
                text = f"$y_{j + 1}$"
            else:
                text = f"$z^{{({li})}}_{j + 1}$"
            ax.text(x, y, text, ha="center", va="center", fontsize=10, zorder=4)
    for li, name in enumerate(layer_names):
        ax.text(2.0 * li, -0.45, name, ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.6, 2.0 * (len(sizes) - 1) + 0.6)
    ax.set_ylim(-1.05, top + 0.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
