"""Computational graphs: the shopping example's numbers, the figures, the explorer widget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import nn
from nn.plots import graph
from nn.widgets._output import shown_png as _png


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_figure_shows_forward_values_and_gradients():
    fig = graph.plot_apple_orange_graph()
    texts = _texts(fig)
    for label in ("715", "650", "110", "2.2", "3.3", "165", "200", "450"):
        assert label in texts, label
    plt.close(fig)
    fig = graph.plot_apple_orange_graph(show_backward=False)
    assert "165" not in _texts(fig)
    plt.close(fig)


@pytest.mark.parametrize(
    "draw",
    [graph.plot_apple_graph, graph.plot_add_mul_rules, graph.plot_chain_rule_graph,
     graph.plot_relu_graph, graph.plot_sigmoid_graph, graph.plot_affine_graph,
     graph.plot_softmax_loss_graph],
)
def test_every_figure_draws(draw):
    fig = draw()
    assert fig.axes
    fig.canvas.draw()  # renders the mathtext too
    plt.close(fig)


def test_bad_graphs_are_clear_errors():
    nodes = {"a": graph.GraphNode(0, 0, "a", "in")}
    with pytest.raises(ValueError, match="unknown node"):
        graph.draw_graph(nodes, [graph.GraphEdge("a", "b")])
    with pytest.raises(ValueError, match="kind"):
        graph.draw_graph({"a": graph.GraphNode(0, 0, "a", "hexagon")}, [])


def test_explorer_updates_when_a_slider_moves():
    box = nn.widgets.computational_graph_explorer()
    before = _png(box)
    box.controls["orange_num"].value = 7
    assert _png(box) != before
    assert plt.get_fignums() == []


def test_explorer_extremes_never_raise():
    box = nn.widgets.computational_graph_explorer()
    for control in box.controls.values():
        for value in (control.min, control.max):
            control.value = value
            assert _png(box)
