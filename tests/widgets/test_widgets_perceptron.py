"""Chapter 2: the perceptron's truth tables, decision-line figures and the playground widget."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots import perceptron as P
from nn.widgets.perceptron import perceptron_playground, target_report
from widget_helpers import shown_png as _png

BOOK = nn.GATES


@pytest.mark.parametrize("w1, w2, b", [(0, 0, 0.3), (0, 0, -0.3), (0, 0, 0), (1, 0, -0.5),
                                       (0, 1, -0.5), (1e-300, 1e-300, 1), (1e6, -1e6, 1e6)])
def test_decision_boundary_survives_degenerate_settings(w1, w2, b):
    fig, ax = plt.subplots()
    with np.errstate(divide="raise", over="raise", invalid="raise"):  # no hidden 1/0
        P.plot_decision_boundary(ax, w1, w2, b, target="XOR", show_normal=True)
    has_line = any(line.get_xydata().shape[0] == 2 for line in ax.get_lines())
    assert has_line == (w1 != 0 or w2 != 0)
    if w1 == 0 and w2 == 0:
        assert "no line" in ax.get_title()


def test_decision_line_is_where_the_sum_is_zero():
    fig, ax = plt.subplots()
    P.plot_decision_boundary(ax, 0.5, 0.5, -0.7)
    (x, y), (x2, y2) = ax.get_lines()[0].get_xydata()
    assert 0.5 * x + 0.5 * y - 0.7 == pytest.approx(0, abs=1e-9)
    assert 0.5 * x2 + 0.5 * y2 - 0.7 == pytest.approx(0, abs=1e-9)


def test_figures_build_and_close():
    before = plt.get_fignums()
    for fig in (P.plot_gate_boundaries(BOOK), P.draw_xor_network(),
                P.plot_xor_attempts({"OR": BOOK["OR"]}, lambda p: np.zeros(len(p), int),
                                    hidden_lines=[BOOK["OR"], (0, 0, 1)])):
        assert fig.axes
        plt.close(fig)
    assert plt.get_fignums() == before


# ------------------------------------------------------------------ the widget


def test_playground_starts_on_and_with_its_figure():
    box = perceptron_playground()
    assert "gate: AND" in box.readouts["gate"].value
    assert _png(box)
    assert box.readouts["table"].value.count("<tr") == 5


def test_sliders_change_label_table_and_figure():
    box = perceptron_playground()
    png, table = _png(box), box.readouts["table"].value
    box.controls["b"].value = -0.2  # AND -> OR
    assert "gate: OR" in box.readouts["gate"].value
    assert box.readouts["table"].value != table and _png(box) != png
    box.controls["w1"].value = 0.0
    assert "gate: none" in box.readouts["gate"].value and "x2" in box.readouts["gate"].value


@pytest.mark.parametrize("name", ["AND", "NAND", "OR"])
def test_buttons_load_the_book_settings(name):
    box = perceptron_playground(w1=0.0, w2=0.0, b=0.0)
    png = _png(box)
    box.controls[name].click()
    values = tuple(box.controls[k].value for k in ("w1", "w2", "b"))
    assert values == pytest.approx(nn.GATES[name])
    assert f"gate: {name}" in box.readouts["gate"].value
    assert _png(box) != png


def test_target_mode_reports_match_and_xor_impossibility():
    box = perceptron_playground(target="NAND")
    assert "No match" in box.readouts["status"].value and "4 of 4" in box.readouts["status"].value
    box.controls["NAND"].click()
    status = box.readouts["status"].value
    assert "Match" in status and "No match" not in status
    box.controls["target"].value = "XOR"
    assert "No setting can match XOR" in box.readouts["status"].value
    assert ">XOR</th>" in box.readouts["table"].value
    box.controls["target"].value = "none"
    assert "No target" in box.readouts["status"].value


def test_extreme_slider_values_do_not_raise():
    box = perceptron_playground()
    for w1, w2, b in itertools.product((-1.5, 0.0, 1.5), repeat=3):
        for key, value in zip(("w1", "w2", "b"), (w1, w2, b), strict=True):
            box.controls[key].value = value
        assert _png(box)
    box.controls["w1"].value = 99.0  # clamped by the slider, still drawn
    assert box.controls["w1"].value == 1.5


def test_target_report_rejects_unknown_target():
    with pytest.raises(ValueError, match="unknown target"):
        target_report(1, 1, 1, "IMPLIES")
    with pytest.raises(ValueError, match="unknown target"):
        perceptron_playground(target="IMPLIES")
