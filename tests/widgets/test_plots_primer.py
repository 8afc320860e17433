"""Chapter 1: the broadcasting figure."""

from __future__ import annotations

import numpy as np
import pytest

from nn.plots import draw_broadcast


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def test_broadcast_figure_shows_operands_stretched_and_the_result():
    fig = draw_broadcast([[1, 2], [3, 4]], [10, 20])
    texts = _texts(fig)
    # a (4 cells), b stretched to 2 x 2 (4 cells, two of them copies), result (4 cells).
    for value in ("10", "40", "30", "80"):
        assert value in texts
    assert texts.count("20") == 2 and "b: shape (2,)" in texts and "a * b: shape (2, 2)" in texts
    dashed = [p for p in fig.axes[0].patches if p.get_linestyle() == "--"]
    assert len(dashed) == 2  # the copied row of b


def test_column_times_row_stretches_both():
    fig = draw_broadcast(np.array([[1], [2], [3]]), np.array([10, 20]), op="+")
    dashed = [p for p in fig.axes[0].patches if p.get_linestyle() == "--"]
    assert len(dashed) == 3 + 4  # a's second column, b's two copied rows
    assert "23" in _texts(fig)


def test_incompatible_shapes_and_bad_op_raise():
    with pytest.raises(ValueError, match="broadcast"):
        draw_broadcast(np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(ValueError, match="op must be one of"):
        draw_broadcast(1, 2, op="@")
    with pytest.raises(ValueError, match="at most 2 dimensions"):
        draw_broadcast(np.zeros((2, 2, 2)), 1)
