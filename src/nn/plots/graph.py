"""Computational graphs（计算图）drawn with matplotlib: nodes, arrows, forward values, gradients.

A graph is a dict of nodes and a list of edges.  Forward values are written above each edge
(black, the arrow points left to right); when an edge has a backward label, a second arrow runs
under it the other way (vermillion) with the gradient written below it.  Notebook 06 (book
ch. 5) draws every figure with :func:`draw_graph`; the computational graph explorer redraws
:func:`plot_apple_orange_graph` whenever a slider moves.  The values come from the layers
(:func:`nn.apple_orange_values`, in :mod:`nn.demos.backprop`); this module only draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..demos.backprop import (
    APPLE_NUM,
    APPLE_PRICE,
    ORANGE_NUM,
    ORANGE_PRICE,
    TAX,
    apple_orange_values,
    apple_values,
)
from ..i18n import _
from .style import COLORS, new_figure

__all__ = [
    "GraphNode",
    "GraphEdge",
    "draw_graph",
    "plot_bias_neuron",
    "apple_graph",
    "apple_orange_graph",
    "plot_apple_graph",
    "plot_apple_orange_graph",
    "plot_add_mul_rules",
    "plot_chain_rule_graph",
    "plot_relu_graph",
    "plot_sigmoid_graph",
    "plot_affine_graph",
    "plot_softmax_loss_graph",
]

FORWARD_COLOR = COLORS["black"]
BACKWARD_COLOR = COLORS["vermillion"]
_RADIUS = 0.34  # of an operation's circle, in data units (the axes have equal aspect)


@dataclass(frozen=True)
class GraphNode:
    """One node at ``(x, y)``.

    ``kind``: ``"op"`` a circle with an operation symbol; ``"box"`` a rectangle (a layer name);
    ``"in"`` a text label with edges leaving from its right; ``"out"`` a text label with edges
    arriving at its left; ``"point"`` an invisible junction.
    """

    x: float
    y: float
    label: str = ""
    kind: str = "op"
    width: float | None = None  # boxes only; default from the label's length
    height: float | None = None  # boxes only; default from the number of lines


@dataclass(frozen=True)
class GraphEdge:
    """An arrow from node ``src`` to node ``dst`` with the forward value and the gradient."""

    src: str
    dst: str
    forward: str = ""
    backward: str | None = None


def _fmt(v: float) -> str:
    """A value as the figure shows it: up to 6 significant digits (220.00000000000003 → 220)."""
    return f"{v:.6g}"


def _box_half(node: GraphNode) -> tuple[float, float]:
    lines = node.label.split("\n")
    width = node.width if node.width is not None else 0.16 * max(map(len, lines)) + 0.5
    height = node.height if node.height is not None else 0.64 + 0.3 * (len(lines) - 1)
    return width / 2, height / 2


def _boundary(node: GraphNode, direction: np.ndarray) -> float:
    """Distance from the node's centre to its outline along the unit vector ``direction``."""
    if node.kind == "op":
        return _RADIUS
    if node.kind == "box":
        hw, hh = _box_half(node)
        dx, dy = abs(direction[0]), abs(direction[1])
        return min(hw / dx if dx > 1e-9 else np.inf, hh / dy if dy > 1e-9 else np.inf)
    return 0.0


def draw_graph(
    nodes: dict[str, GraphNode],
    edges: list[GraphEdge],
    ax=None,
    title: str | None = None,
    show_backward: bool = True,
    fontsize: float = 11,
    size: float = 0.8,
):
    """Draw a computational graph and return the figure.

    ``size`` is inches per data unit (the layout's coordinates are data units).  Raises
    ``ValueError`` for an edge that names a node not in ``nodes`` or a node of unknown kind.
    """
    for edge in edges:
        for end in (edge.src, edge.dst):
            if end not in nodes:
                raise ValueError(f"edge {edge.src!r} → {edge.dst!r} names unknown node {end!r}; "
                                 f"nodes are {sorted(nodes)}")
    for name, node in nodes.items():
        if node.kind not in {"op", "box", "in", "out", "point"}:
            raise ValueError(f"node {name!r} has kind {node.kind!r}; expected op, box, in, "
                             "out or point")
    # The drawing's extent: every node with its box, plus room for the input labels on the
    # left and the output labels on the right.
    half = {name: (_box_half(n) if n.kind == "box" else (0.0, 0.0)) for name, n in nodes.items()}
    pad_left = {"in": 2.0}
    pad_right = {"out": 1.6}
    left = min(n.x - half[k][0] - pad_left.get(n.kind, 0.5) for k, n in nodes.items())
    right = max(n.x + half[k][0] + pad_right.get(n.kind, 0.5) for k, n in nodes.items())
    bottom = min(n.y - half[k][1] for k, n in nodes.items()) - 0.9
    top = max(n.y + half[k][1] for k, n in nodes.items()) + 0.9
    if ax is None:
        fig, ax = new_figure(figsize=(size * (right - left), size * (top - bottom) + 0.5))
    else:
        fig = ax.figure

    for node in nodes.values():
        if node.kind == "op":
            ax.add_patch(_circle(node))
            # One-character symbols large; words such as "exp" smaller to fit the circle.
            size_ = fontsize + 3 if len(node.label) <= 1 else fontsize - 1
            ax.text(node.x, node.y, node.label, ha="center", va="center",
                    fontsize=size_, zorder=4)
        elif node.kind == "box":
            hw, hh = _box_half(node)
            ax.add_patch(_rect(node, hw, hh))
            ax.text(node.x, node.y, node.label, ha="center", va="center",
                    fontsize=fontsize, zorder=4)
        elif node.kind == "in":
            ax.text(node.x - 0.08, node.y, node.label, ha="right", va="center",
                    fontsize=fontsize)
        elif node.kind == "out":
            ax.text(node.x + 0.08, node.y, node.label, ha="left", va="center",
                    fontsize=fontsize)

    for edge in edges:
        a, b = nodes[edge.src], nodes[edge.dst]
        pa, pb = np.array([a.x, a.y], float), np.array([b.x, b.y], float)
        length = np.linalg.norm(pb - pa)
        if length == 0:
            raise ValueError(f"edge {edge.src!r} → {edge.dst!r} joins two nodes at the same place")
        u = (pb - pa) / length
        start = pa + u * _boundary(a, u)
        end = pb - u * _boundary(b, -u)
        normal = np.array([-u[1], u[0]])  # left of the direction of travel: "above" for →
        if normal[1] < 0 or (abs(normal[1]) < 1e-9 and normal[0] > 0):
            normal = -normal
        _arrow(ax, start, end, FORWARD_COLOR, lw=1.4)
        # Labels sit a bit before the middle, where edges converging on one node are farther
        # apart.
        mid = start + 0.42 * (end - start) if abs(u[1]) > 0.1 else (start + end) / 2
        # Anchor each label on the side facing away from the edge, so tall labels (fractions)
        # grow away from the arrows instead of onto them.
        ha = "center" if abs(normal[0]) < 0.25 else ("left" if normal[0] > 0 else "right")
        flip = {"left": "right", "right": "left", "center": "center"}
        if edge.forward:
            ax.text(*(mid + 0.1 * normal), edge.forward, ha=ha,
                    va="bottom" if normal[1] > 0.5 else "center",
                    fontsize=fontsize, color=FORWARD_COLOR, zorder=5)
        if show_backward and edge.backward is not None:
            shift = -0.17 * normal
            trim = 0.12 * u
            _arrow(ax, end + shift - trim, start + shift + trim, BACKWARD_COLOR, lw=2.2)
            ax.text(*(mid - 0.3 * normal), edge.backward, ha=flip[ha],
                    va="top" if normal[1] > 0.5 else "center",
                    fontsize=fontsize, color=BACKWARD_COLOR, zorder=5)

    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


def _circle(node: GraphNode):
    from matplotlib.patches import Circle

    return Circle((node.x, node.y), _RADIUS, fc="white", ec=FORWARD_COLOR, lw=1.5, zorder=3)


def _rect(node: GraphNode, hw: float, hh: float):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch((node.x - hw, node.y - hh), 2 * hw, 2 * hh,
                          boxstyle="round,pad=0.0,rounding_size=0.08",
                          fc="#F3F3F3", ec=FORWARD_COLOR, lw=1.5, zorder=3)


def _arrow(ax, start, end, color, lw):
    ax.annotate("", xy=tuple(end), xytext=tuple(start),
                arrowprops=dict(arrowstyle="-|>", color=color, lw=lw, shrinkA=0, shrinkB=0,
                                mutation_scale=14), zorder=2)


# ----------------------------------------------------------------- the shopping examples


def apple_graph(
    apple_price: float = APPLE_PRICE, apple_num: float = APPLE_NUM, tax: float = TAX
):
    """Nodes and edges of the apple example, labelled with the values of :func:`apple_values`."""
    v = apple_values(apple_price, apple_num, tax)
    f = {k: _fmt(x) for k, x in v.items()}
    nodes = {
        "apple_price": GraphNode(0.0, 0.0, _("apple\nprice"), "in"),
        "apple_num": GraphNode(0.0, 1.6, _("apple\ncount"), "in"),
        "mul_apple": GraphNode(2.6, 0.6, "×"),
        "tax": GraphNode(2.6, 2.0, _("tax"), "in"),
        "mul_tax": GraphNode(5.2, 0.6, "×"),
        "price": GraphNode(7.6, 0.6, _("price"), "out"),
    }
    edges = [
        GraphEdge("apple_price", "mul_apple", f["apple_price"], f["d_apple_price"]),
        GraphEdge("apple_num", "mul_apple", f["apple_num"], f["d_apple_num"]),
        GraphEdge("mul_apple", "mul_tax", f["apple_total"], f["d_apple_total"]),
        GraphEdge("tax", "mul_tax", f["tax"], f["d_tax"]),
        GraphEdge("mul_tax", "price", f["price"], f["d_price"]),
    ]
    return nodes, edges


def apple_orange_graph(
    apple_price: float = APPLE_PRICE,
    apple_num: float = APPLE_NUM,
    orange_price: float = ORANGE_PRICE,
    orange_num: float = ORANGE_NUM,
    tax: float = TAX,
):
    """Nodes and edges of the apple-and-orange example (values of :func:`apple_orange_values`)."""
    v = apple_orange_values(apple_price, apple_num, orange_price, orange_num, tax)
    f = {k: _fmt(x) for k, x in v.items()}
    nodes = {
        "apple_num": GraphNode(0.0, 4.6, _("apple\ncount"), "in"),
        "apple_price": GraphNode(0.0, 3.0, _("apple\nprice"), "in"),
        "orange_price": GraphNode(0.0, 1.6, _("orange\nprice"), "in"),
        "orange_num": GraphNode(0.0, 0.0, _("orange\ncount"), "in"),
        "mul_apple": GraphNode(2.8, 3.6, "×"),
        "mul_orange": GraphNode(2.8, 1.0, "×"),
        "add": GraphNode(5.4, 2.3, "+"),
        "tax": GraphNode(5.4, 4.2, _("tax"), "in"),
        "mul_tax": GraphNode(8.0, 2.3, "×"),
        "price": GraphNode(10.2, 2.3, _("price"), "out"),
    }
    edges = [
        GraphEdge("apple_num", "mul_apple", f["apple_num"], f["d_apple_num"]),
        GraphEdge("apple_price", "mul_apple", f["apple_price"], f["d_apple_price"]),
        GraphEdge("orange_price", "mul_orange", f["orange_price"], f["d_orange_price"]),
        GraphEdge("orange_num", "mul_orange", f["orange_num"], f["d_orange_num"]),
        GraphEdge("mul_apple", "add", f["apple_total"], f["d_apple_total"]),
        GraphEdge("mul_orange", "add", f["orange_total"], f["d_orange_total"]),
        GraphEdge("add", "mul_tax", f["total"], f["d_total"]),
        GraphEdge("tax", "mul_tax", f["tax"], f["d_tax"]),
        GraphEdge("mul_tax", "price", f["price"], f["d_price"]),
    ]
    return nodes, edges


def plot_apple_graph(
    apple_price: float = APPLE_PRICE, apple_num: float = APPLE_NUM, tax: float = TAX,
    show_backward: bool = True, ax=None,
):
    """The apple example as a figure: forward values above, gradients (if asked) below."""
    nodes, edges = apple_graph(apple_price, apple_num, tax)
    title = (_("forward (black) and backward (vermillion): how much the price moves per unit "
               "of each input") if show_backward else _("forward: values flow left to right"))
    return draw_graph(nodes, edges, ax=ax, title=title, show_backward=show_backward)


def plot_apple_orange_graph(
    apple_price: float = APPLE_PRICE,
    apple_num: float = APPLE_NUM,
    orange_price: float = ORANGE_PRICE,
    orange_num: float = ORANGE_NUM,
    tax: float = TAX,
    show_backward: bool = True,
    ax=None,
):
    """The apple-and-orange example as a figure (the explorer widget redraws this)."""
    nodes, edges = apple_orange_graph(apple_price, apple_num, orange_price, orange_num, tax)
    price = apple_orange_values(apple_price, apple_num, orange_price, orange_num, tax)["price"]
    title = _("price = {price}: forward values above the arrows, gradients ∂price/∂(·) below",
              price=_fmt(price))
    return draw_graph(nodes, edges, ax=ax, title=title, show_backward=show_backward,
                      size=0.72)


# ----------------------------------------------------------------- symbolic figures of notebook 06

_DL = r"$\dfrac{\partial L}{\partial z}$"


def plot_add_mul_rules():
    """Backward rules of an add node (passes the gradient on) and a multiply node (swaps)."""
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(10.0, 3.0))
    for ax, op, gx, gy in (
        (ax1, "+", _DL + r"$\cdot 1$", _DL + r"$\cdot 1$"),
        (ax2, "×", _DL + r"$\cdot y$", _DL + r"$\cdot x$"),
    ):
        nodes = {
            "x": GraphNode(0.0, 1.7, "x", "in"),
            "y": GraphNode(0.0, -0.7, "y", "in"),
            "op": GraphNode(2.6, 0.5, op),
            "z": GraphNode(4.6, 0.5, "z", "out"),
        }
        edges = [
            GraphEdge("x", "op", "x", gx),
            GraphEdge("y", "op", "y", gy),
            GraphEdge("op", "z", "z = x + y" if op == "+" else "z = x·y", _DL),
        ]
        draw_graph(nodes, edges, ax=ax, fontsize=12)
    ax1.set_title(_("add node: the gradient passes through unchanged"))
    ax2.set_title(_("multiply node: the gradient times the OTHER input"))
    return fig


def plot_chain_rule_graph():
    """z = t², t = x + y as a graph, with the chain rule's factors on the backward arrows."""
    nodes = {
        "x": GraphNode(0.0, 1.7, "x", "in"),
        "y": GraphNode(0.0, -0.7, "y", "in"),
        "add": GraphNode(2.8, 0.5, "+"),
        "sq": GraphNode(5.6, 0.5, "**2"),
        "z": GraphNode(8.2, 0.5, "z", "out"),
    }
    dz_dt = r"$\dfrac{\partial z}{\partial z}\dfrac{\partial z}{\partial t}$"
    dz_dx = dz_dt + r"$\dfrac{\partial t}{\partial x}$"
    dz_dy = dz_dt + r"$\dfrac{\partial t}{\partial y}$"
    edges = [
        GraphEdge("x", "add", "x", dz_dx),
        GraphEdge("y", "add", "y", dz_dy),
        GraphEdge("add", "sq", "t", dz_dt),
        GraphEdge("sq", "z", "z", r"$\dfrac{\partial z}{\partial z}$"),
    ]
    return draw_graph(nodes, edges, title=_("z = (x + y)²: each node multiplies in its local "
                                            "derivative"), fontsize=12, size=0.9)


def plot_relu_graph():
    """The ReLU node: for x > 0 the gradient passes, for x ≤ 0 it is stopped."""
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(9.0, 2.4))
    dl = r"$\dfrac{\partial L}{\partial y}$"
    for ax, cond, back in ((ax1, "x > 0", dl), (ax2, "x ≤ 0", "0")):
        nodes = {"x": GraphNode(0.0, 0.0, "x", "in"),
                 "relu": GraphNode(2.0, 0.0, "relu", "box", width=1.1),
                 "y": GraphNode(4.0, 0.0, "y", "out")}
        edges = [GraphEdge("x", "relu", "x", back), GraphEdge("relu", "y", "y", dl)]
        draw_graph(nodes, edges, ax=ax, fontsize=12)
        ax.set_title(f"{cond}: " + (_("switch closed, gradient passes") if back != "0"
                                    else _("switch open, gradient 0")))
    return fig


def plot_sigmoid_graph():
    """y = 1 / (1 + exp(−x)) node by node, with the backward signal after every node."""
    g = r"$\dfrac{\partial L}{\partial y}$"
    nodes = {
        "x": GraphNode(0.0, 0.0, "x", "in"),
        "neg": GraphNode(2.4, 0.0, "×(−1)"),
        "exp": GraphNode(5.0, 0.0, "exp"),
        "plus": GraphNode(7.8, 0.0, "+"),
        "one": GraphNode(7.8, 1.5, "1", "in"),
        "div": GraphNode(10.8, 0.0, "/"),
        "y": GraphNode(13.0, 0.0, "y", "out"),
    }
    edges = [
        GraphEdge("x", "neg", "x", g + r"$y^2\exp(-x)$"),
        GraphEdge("neg", "exp", "−x", "−" + g + r"$y^2\exp(-x)$"),
        GraphEdge("exp", "plus", "exp(−x)", "−" + g + r"$y^2$"),
        GraphEdge("one", "plus", "", None),
        GraphEdge("plus", "div", "1 + exp(−x)", "−" + g + r"$y^2$"),
        GraphEdge("div", "y", "y", g),
    ]
    return draw_graph(nodes, edges, title=_("sigmoid, node by node: read the gradients right "
                                            "to left"), fontsize=11, size=0.75)


def plot_affine_graph():
    """The Affine layer Y = X·W + B with the shape of every array and gradient."""
    dY = r"$\dfrac{\partial L}{\partial Y}$"
    nodes = {
        "X": GraphNode(0.0, -0.9, "X\n(N, 2)", "in"),
        "W": GraphNode(0.0, 2.1, "W\n(2, 3)", "in"),
        "dot": GraphNode(3.6, 0.6, "dot"),
        "B": GraphNode(7.0, 2.6, "B (3,)", "in"),
        "add": GraphNode(7.0, 0.6, "+"),
        "Y": GraphNode(9.6, 0.6, "Y\n(N, 3)", "out"),
    }
    edges = [
        GraphEdge("X", "dot", "X  (N, 2)", dY + r"$\cdot W^T$  (N, 2)"),
        GraphEdge("W", "dot", "W  (2, 3)", r"$X^T\cdot$" + dY + "  (2, 3)"),
        GraphEdge("dot", "add", "X·W  (N, 3)", dY + "  (N, 3)"),
        GraphEdge("B", "add", "B  (3,)", dY + _(" summed over the batch axis") + "  (3,)"),
        GraphEdge("add", "Y", "Y", dY),
    ]
    return draw_graph(nodes, edges, title=_("Affine: every gradient has the shape of its "
                                            "variable"), fontsize=11, size=0.85)


def plot_softmax_loss_graph():
    """Softmax followed by the cross-entropy error: the gradient arriving at the scores is y − t."""
    nodes = {
        "a": GraphNode(0.0, 0.0, _("scores a") + "\n(N, C)", "in"),
        "softmax": GraphNode(3.0, 0.0, "Softmax", "box"),
        "cee": GraphNode(7.0, 0.0, "Cross Entropy\nError", "box", width=2.4),
        "t": GraphNode(7.0, 1.6, _("labels t"), "in"),
        "L": GraphNode(9.6, 0.0, "L", "out"),
    }
    edges = [
        GraphEdge("a", "softmax", "a", r"$(y - t)\,/\,N$"),
        GraphEdge("softmax", "cee", "y = softmax(a)", r"$-\,t\,/\,(N y)$"),
        GraphEdge("t", "cee", "t", None),
        GraphEdge("cee", "L", "L", "1"),
    ]
    return draw_graph(nodes, edges, title=_("Softmax-with-Loss: the two backward steps "
                                            "collapse to (y − t)/N"), fontsize=11, size=0.85)


def plot_bias_neuron():
    """Chapter 3: the bias drawn as the book does, as the weight b of one more input neuron whose
    signal is always 1, beside the weights w of the inputs x1 and x2."""
    nodes = {
        "one": GraphNode(0, 2.4, _("1 (constant)"), "in"),
        "x1": GraphNode(0, 1.2, "x\u2081", "in"),
        "x2": GraphNode(0, 0, "x\u2082", "in"),
        "a": GraphNode(4, 1.2, "a\u2081", "op"),
        "z": GraphNode(6.5, 1.2, "z\u2081 = h(a\u2081)", "out"),
    }
    edges = [GraphEdge("one", "a", "b\u2081"), GraphEdge("x1", "a", "w\u2081\u2081"),
             GraphEdge("x2", "a", "w\u2081\u2082"), GraphEdge("a", "z")]
    return draw_graph(nodes, edges, show_backward=False, size=0.7,
                      title=_("the bias is the weight of an input that is always 1"))
