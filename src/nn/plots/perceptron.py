"""Figures of notebook 02 (book ch. 2): a perceptron with two inputs as a logic gate.

A setting ``(w1, w2, b)`` is drawn as the straight line ``w1*x1 + w2*x2 + b = 0`` that splits
the plane into a 0 side and a 1 side, with the four inputs marked by their outputs.  The gates,
their truth tables and the perceptron itself live in :mod:`nn.gates`.

Every function here takes plain numbers and is safe for any finite setting, including
``w2 = 0`` (a vertical line) and ``w1 = w2 = 0`` (no line at all: the output is constant).
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Circle, FancyArrowPatch

from .._checks import finite_number
from ..gates import GATE_INPUTS, GATE_TARGETS, GATES, gate_outputs, matches_target, perceptron
from ..i18n import _, translate_text
from .style import COLORS, new_figure

__all__ = [
    "plot_regions",
    "plot_decision_boundary",
    "plot_gate_boundaries",
    "plot_xor_attempts",
    "draw_xor_network",
]

_ZERO_COLOR = COLORS["blue"]
_ONE_COLOR = COLORS["orange"]
_REGION_CMAP = ListedColormap(["#cfe3f2", "#fbe7c2"])  # light blue = output 0, light orange = 1


# --------------------------------------------------------------------------------- drawing


def _prepare_axes(ax: plt.Axes, lim: tuple[float, float]) -> None:
    ax.set_xlim(*lim)
    ax.set_ylim(*lim)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.grid(False)


def _draw_points(ax: plt.Axes, outputs, wrong=None, size: float = 90) -> None:
    """The four inputs: circle = output 0, triangle = output 1 (the book's markers);
    ``wrong`` (4,) bool rings the points that disagree with a target."""
    outputs = np.asarray(outputs)
    for value, marker, color in ((0, "o", _ZERO_COLOR), (1, "^", _ONE_COLOR)):
        pts = GATE_INPUTS[outputs == value]
        ax.scatter(pts[:, 0], pts[:, 1], s=size, marker=marker, c=color, edgecolors="black",
                   linewidths=1.0, zorder=4, label=f"y = {value}")
    if wrong is not None and np.any(wrong):
        pts = GATE_INPUTS[np.asarray(wrong, dtype=bool)]
        ax.scatter(pts[:, 0], pts[:, 1], s=size * 4, facecolors="none",
                   edgecolors=COLORS["vermillion"], linewidths=2.0, zorder=5, label=_("wrong"))


def plot_regions(
    ax: plt.Axes, predict: Callable[[np.ndarray], np.ndarray],
    lim: tuple[float, float] = (-0.5, 1.5), resolution: int = 301,
) -> None:
    """Shade the plane by a classifier's output: ``predict`` maps (N, 2) points to (N,) 0/1.

    Light blue where the output is 0, light orange where it is 1 (whatever the shape of the
    regions, so it also draws what a two-layer perceptron does).
    """
    grid = np.linspace(lim[0], lim[1], resolution)
    xx, yy = np.meshgrid(grid, grid)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    zz = np.asarray(predict(points)).reshape(xx.shape)
    ax.imshow(zz, origin="lower", extent=(lim[0], lim[1], lim[0], lim[1]), cmap=_REGION_CMAP,
              vmin=0, vmax=1, interpolation="nearest", aspect="auto", zorder=0)


def _boundary_segment(w1: float, w2: float, b: float, half_length: float):
    """Two end points of the line ``w1*x1 + w2*x2 + b = 0`` around its point nearest the
    origin, or None when ``w1 = w2 = 0`` (no line). Never divides by zero."""
    norm = float(np.hypot(w1, w2))
    if norm == 0.0:
        return None
    unit = np.array([w1, w2]) / norm
    nearest = -b / norm * unit
    direction = np.array([-unit[1], unit[0]])
    return nearest - half_length * direction, nearest + half_length * direction, nearest, unit


def plot_decision_boundary(
    ax: plt.Axes, w1: float, w2: float, b: float, *,
    target: str | None = None, title: str | None = None, lim: tuple[float, float] = (-0.5, 1.5),
    show_normal: bool = False, legend: bool = True, color_by_target: bool = False,
) -> plt.Axes:
    """Draw one perceptron on ``ax``: shaded half-planes (light orange where it outputs 1), the
    decision line ``w1*x1 + w2*x2 + b = 0``, and the four inputs by output.

    ``target`` (a key of ``GATE_TARGETS``) rings the inputs the perceptron gets wrong; with
    ``color_by_target`` the points show the target's outputs instead of the perceptron's.
    ``show_normal`` adds the weight vector (w1, w2), which points into the 1 side.
    Safe for ``w2 = 0`` (vertical line) and ``w1 = w2 = 0`` (no line; the title says so).
    """
    w1, w2, b = finite_number("w1", w1), finite_number("w2", w2), finite_number("b", b)
    _prepare_axes(ax, lim)
    weights = np.array([w1, w2])
    plot_regions(ax, lambda p: perceptron(p, weights, b), lim=lim)
    span = lim[1] - lim[0]
    segment = _boundary_segment(w1, w2, b, half_length=4 * span + abs(b))
    if segment is not None:
        start, end, nearest, unit = segment
        ax.plot([start[0], end[0]], [start[1], end[1]], color="black", lw=2, zorder=3,
                label="$w_1x_1 + w_2x_2 + b = 0$")
        if show_normal:
            # Anchor the arrow where the line crosses the view, near the square's centre.
            centre = np.array([0.5, 0.5])
            anchor = nearest + np.dot(centre - nearest, [-unit[1], unit[0]]) * np.array(
                [-unit[1], unit[0]])
            along = np.array([-unit[1], unit[0]])
            ax.annotate("", xy=anchor + 0.3 * unit, xytext=anchor, zorder=6,
                        arrowprops=dict(arrowstyle="-|>", color=COLORS["green"], lw=2))
            ax.text(*(anchor + 0.15 * unit - 0.3 * along), "$(w_1, w_2)$", color=COLORS["green"],
                    ha="center", va="center", fontsize=9, zorder=6,
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.7))
    outputs = gate_outputs(w1, w2, b)
    wrong = None if target in (None, "none") else ~matches_target(w1, w2, b, target)
    if color_by_target and wrong is not None:
        _draw_points(ax, np.array(GATE_TARGETS[target]), wrong)
    else:
        _draw_points(ax, outputs, wrong)
    if title is None:
        title = f"$w_1$={w1:g}, $w_2$={w2:g}, $b$={b:g}"
        if segment is None:
            title += "\n" + _("(no line: output is always {y})", y=outputs[0])
    ax.set_title(title)
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9, markerscale=0.8)
    return ax


def _panel_grid(n: int, ncols: int | None):
    """A figure of n square panels, at most three per row (two per row for four panels)."""
    if ncols is None:
        ncols = n if n <= 3 else (2 if n == 4 else 3)
    nrows = -(-n // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(3.3 * ncols, 3.3 * nrows + 0.5), squeeze=False)
    axes = axes.ravel()
    for ax in axes[n:]:
        ax.axis("off")
    return fig, axes[:n]


def plot_gate_boundaries(gates: dict[str, tuple[float, float, float]], show_normal: bool = False,
                         ncols: int | None = None):
    """One panel per gate ``name -> (w1, w2, b)``: its half-planes, line and four inputs."""
    fig, axes = _panel_grid(len(gates), ncols)
    for ax, (name, (w1, w2, b)) in zip(axes, gates.items(), strict=True):
        plot_decision_boundary(ax, w1, w2, b, title=f"{_(name)}: ({w1:g}, {w2:g}, {b:g})",
                               show_normal=show_normal, legend=False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels))
    return fig


def plot_xor_attempts(attempts: dict[str, tuple[float, float, float]],
                      two_layer: Callable[[np.ndarray], np.ndarray] | None = None,
                      hidden_lines: list[tuple[float, float, float]] | None = None,
                      ncols: int | None = None):
    """XOR's four points against single lines (each ``label -> (w1, w2, b)`` panel rings the
    inputs that line gets wrong), and, if given, the region of a two-layer perceptron
    ``two_layer`` mapping (N, 2) points to (N,) 0/1, with its hidden neurons' lines
    ``hidden_lines`` (each ``(w1, w2, b)``) dashed."""
    fig, axes = _panel_grid(len(attempts) + (two_layer is not None), ncols)
    for ax, (label, (w1, w2, b)) in zip(axes, attempts.items(), strict=False):
        plot_decision_boundary(ax, w1, w2, b, target="XOR", legend=False, color_by_target=True)
        wrong = int(np.sum(~matches_target(w1, w2, b, "XOR")))
        ax.set_title(translate_text(label) + "\n" + _("{wrong} of 4 inputs wrong", wrong=wrong))
    if two_layer is not None:
        ax = axes[-1]
        _prepare_axes(ax, (-0.5, 1.5))
        plot_regions(ax, two_layer)
        for w1, w2, b in hidden_lines or []:
            segment = _boundary_segment(float(w1), float(w2), float(b), half_length=10.0)
            if segment is not None:
                (x0, y0), (x1, y1) = segment[0], segment[1]
                ax.plot([x0, x1], [y0, y1], color="black", lw=1.2, ls="--", zorder=3)
        outputs = np.asarray(two_layer(GATE_INPUTS.astype(float))).astype(int)
        _draw_points(ax, outputs)
        ax.set_title(_("two layers: AND(NAND, OR)") + "\n"
                     + _("{wrong} of 4 inputs wrong", wrong=0))
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, [f"XOR {lab}" if lab.startswith("y") else lab for lab in labels],
               loc="outside lower center", ncol=len(labels))
    return fig


def draw_xor_network(ax: plt.Axes | None = None,
                     gates: dict[str, tuple[float, float, float]] | None = None):
    """Diagram of XOR as a two-layer perceptron: inputs x1, x2 (layer 0), s1 = NAND and
    s2 = OR (layer 1), y = AND(s1, s2) (layer 2); each arrow is labelled with its weight and
    each neuron with its bias (``gates`` maps "AND"/"NAND"/"OR" to ``(w1, w2, b)``; the
    book's values by default). Returns the figure."""
    if gates is None:
        gates = GATES
    if ax is None:
        fig, ax = new_figure(figsize=(7.0, 3.9))
    else:
        fig = ax.figure
    ax.set_xlim(-0.6, 4.6)
    ax.set_ylim(-0.95, 2.55)
    ax.set_aspect("equal")
    ax.axis("off")
    radius = 0.32
    nodes = {"x1": (0.0, 2.0), "x2": (0.0, 0.0), "s1": (2.0, 2.0), "s2": (2.0, 0.0),
             "y": (4.0, 1.0)}
    fill = {"x1": "#e8e8e8", "x2": "#e8e8e8", "s1": "#cfe3f2", "s2": "#cfe3f2", "y": "#fbe7c2"}
    for name, (x, y) in nodes.items():
        ax.add_patch(Circle((x, y), radius, facecolor=fill[name], edgecolor="black", lw=1.5,
                            zorder=3))
        ax.text(x, y, f"${name[0]}_{name[1]}$" if len(name) == 2 else "$y$", ha="center",
                va="center", fontsize=14, zorder=4)
    edges = [("x1", "s1", "NAND", 0), ("x2", "s1", "NAND", 1), ("x1", "s2", "OR", 0),
             ("x2", "s2", "OR", 1), ("s1", "y", "AND", 0), ("s2", "y", "AND", 1)]
    for src, dst, gate, k in edges:
        p, q = np.array(nodes[src]), np.array(nodes[dst])
        unit = (q - p) / np.linalg.norm(q - p)
        start, end = p + radius * unit, q - radius * unit
        ax.add_patch(FancyArrowPatch(tuple(start), tuple(end), arrowstyle="-|>",
                                     mutation_scale=14, lw=1.3, color="black", zorder=2))
        # Label each weight near the neuron it feeds, on the side away from the middle row.
        where = start + (0.5 if dst == "y" else 0.78) * (end - start)
        normal = np.array([-unit[1], unit[0]])
        side = np.sign(where[1] - 1.0) or 1.0
        offset = 0.18 * normal * (np.sign(normal[1] * side) or 1.0)
        ax.text(*(where + offset), f"{gates[gate][k]:g}", ha="center", va="center", fontsize=9,
                color=COLORS["vermillion"], zorder=5,
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85))
    for node, gate, dy in (("s1", "NAND", 0.48), ("s2", "OR", -0.48), ("y", "AND", 0.48)):
        x, y = nodes[node]
        ax.text(x, y + dy, f"{gate}, b = {gates[gate][2]:g}", ha="center", va="center",
                fontsize=9, color=COLORS["blue"])
    for x, label in ((0.0, _("layer {k}", k=0) + "\n" + _("(input)")), (2.0, _("layer {k}", k=1)),
                     (4.0, _("layer {k}", k=2) + "\n" + _("(output)"))):
        ax.text(x, -0.75, label, ha="center", va="center", fontsize=10)
    ax.set_title(_("XOR as a two-layer perceptron: {formula}",
                   formula="$y$ = AND(NAND($x_1$, $x_2$), OR($x_1$, $x_2$))"))
    return fig
