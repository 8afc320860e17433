"""Chapter 8's block diagrams: they draw, name every shape, and leave no figure open."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

import nn


@pytest.mark.parametrize(
    ("draw", "shapes"),
    [
        (nn.plots.conv_blocks_figure,
         ["(C, H, W)", "(FN, C, FH, FW)", "(FN, OH, OW)", "(FN, 1, 1)"]),
        (nn.plots.batch_flow_figure, ["(N, C, H, W)", "(N, FN, OH, OW)", "(N, FN, OH/2, OW/2)"]),
        (nn.plots.im2col_figure,
         ["(C, H, W)", "(OH·OW, C·FH·FW)", "(C·FH·FW, FN)", "(OH·OW, FN)", "(FN, OH, OW)"]),
    ],
)
def test_block_diagrams_name_every_shape(draw, shapes):
    fig = draw()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for shape in shapes:
        assert shape in texts, (draw.__name__, shape)
    assert fig.axes[0].get_title()
    png = nn.plots.figure_png(fig)
    assert png.startswith(b"\x89PNG") and len(png) < 150_000
    assert plt.get_fignums() == []


def test_the_bias_neuron_figure_labels_the_constant_input_and_its_weight():
    fig = nn.plots.plot_bias_neuron()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "1 (constant)" in texts and "b\u2081" in texts and "w\u2081\u2082" in texts
