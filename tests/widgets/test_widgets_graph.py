"""Computational graphs: the shopping example's numbers, the figures, the explorer widget."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

import nn
from nn.plots import graph
from widget_helpers import shown_png as _png


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_figure_shows_forward_values_and_gradients():
    fig = graph.plot_apple_orange_graph()
    texts = _texts(fig)
    for label in ("715", "650", "110", "2.2", "3.3", "165", "200", "450"):
        assert label in texts, label
    fig = graph.plot_apple_orange_graph(show_backward=False)
    assert "165" not in _texts(fig)


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


# ------------------------------------------------------------------ the widget scaffold


def test_every_widget_exposes_controls_and_output_the_same_way():
    import ipywidgets as W

    boxes = [
        nn.widgets.neuron_explorer(), nn.widgets.softmax_explorer(),
        nn.widgets.gradient_descent_playground(), nn.widgets.computational_graph_explorer(),
        nn.widgets.optimizer_race(), nn.widgets.init_explorer(),
        nn.widgets.perceptron_playground(),
    ]
    for box in boxes:
        assert isinstance(box, nn.widgets.BookWidget)
        assert isinstance(box.output, W.Output) and len(box.output.outputs) == 1
        assert box.controls and all(isinstance(c, W.Widget) for c in box.controls.values())
    assert plt.get_fignums() == []


def test_hold_batches_several_changes_into_one_redraw():
    calls = []

    def draw(x, y):
        calls.append((x, y))
        fig = plt.figure()
        return fig

    import ipywidgets as W

    box = nn.widgets.BookWidget({"x": W.IntSlider(0), "y": W.IntSlider(0)}, draw)
    assert calls == [(0, 0)]
    box.controls["x"].value = 1
    assert calls[-1] == (1, 0) and len(calls) == 2
    box.set(x=2, y=3)
    assert calls[-1] == (2, 3) and len(calls) == 3  # one redraw for two changes
    with box.hold():
        box.controls["x"].value = 4
        with box.hold():
            box.controls["y"].value = 5
        assert len(calls) == 3  # nothing drawn while held
    assert calls[-1] == (4, 5) and len(calls) == 4
    assert plt.get_fignums() == []
