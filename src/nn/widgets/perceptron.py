"""The perceptron playground of notebook 02: drag w1, w2 and b, and see which gate you built."""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from ..gates import GATE_INPUTS, GATE_TARGETS, GATES, describe_outputs, gate_outputs, identify_gate
from ..i18n import N_, _
from ..plots.perceptron import plot_decision_boundary
from ..plots.style import new_figure
from .scaffold import BookWidget, labelled_options, start_at

__all__ = ["perceptron_playground", "PLAYGROUND_TARGETS", "target_report"]

#: Targets offered by the playground's dropdown ("none" switches the check off).
PLAYGROUND_TARGETS = ("none", "AND", "NAND", "OR", "XOR")

_XOR_NOTE = N_(
    "No setting can match XOR: it needs (1, 0) and (0, 1) on the 1 side and (0, 0) and (1, 1) "
    "on the 0 side of one straight line, and no line does that. The best any setting can do "
    "is 3 of 4."
)


def target_report(w1: float, w2: float, b: float, target: str) -> str:
    """One sentence (plain text) on how ``(w1, w2, b)`` compares with ``target``."""
    if target == "none":
        return _("No target: pick one to check your setting against it.")
    if target not in GATE_TARGETS:
        raise ValueError(f"unknown target {target!r}; expected one of {PLAYGROUND_TARGETS}")
    wrong = int(np.sum(gate_outputs(w1, w2, b) != np.array(GATE_TARGETS[target])))
    if wrong == 0:
        return _("Match: this setting computes {target}.", target=target)
    text = _("No match: {wrong} of 4 inputs differ from {target} (ringed in the figure).",
             wrong=wrong, target=target)
    if target in ("XOR", "XNOR"):
        text = _("{report} {note}", report=text, note=_(_XOR_NOTE))
    return text


def _table_html(w1: float, w2: float, b: float, target: str) -> str:
    outputs = gate_outputs(w1, w2, b)
    sums = GATE_INPUTS @ np.array([w1, w2], dtype=float) + b
    show_target = target in GATE_TARGETS
    head = "<th>x1</th><th>x2</th><th>w·x + b</th><th>y</th>"
    if show_target:
        head += f"<th>{html.escape(target)}</th>"
    rows = []
    for (x1, x2), total, y, k in zip(GATE_INPUTS, sums, outputs, range(4), strict=True):
        cells = f"<td>{x1}</td><td>{x2}</td><td>{total:+.2f}</td><td><b>{y}</b></td>"
        style = ""
        if show_target:
            want = GATE_TARGETS[target][k]
            cells += f"<td>{want}</td>"
            style = ' style="background:#f6d5c3"' if want != y else ""
        rows.append(f"<tr{style}>{cells}</tr>")
    body = f"<tr>{head}</tr>{''.join(rows)}"
    cell = 'style="padding:1px 6px"'
    body = body.replace("<td>", f"<td {cell}>").replace("<th>", f"<th {cell}>")
    return (
        '<table style="border-collapse:collapse;text-align:center;font-family:monospace">'
        f"{body}</table>"
    )


def perceptron_playground(w1: float = 0.5, w2: float = 0.5, b: float = -0.7,
                          target: str = "none") -> BookWidget:
    """Sliders for ``w1``, ``w2``, ``b``; buttons loading the book's AND/NAND/OR settings; a
    target dropdown (none/AND/NAND/OR/XOR). Shows the decision line with its half-planes, the
    four inputs by output, a live truth table and the name of the gate the setting computes.

    Controls: ``w1``, ``w2``, ``b``, ``target`` and the buttons ``AND``, ``NAND``, ``OR``;
    readouts: ``gate``, ``status``, ``table``.
    """
    if target not in PLAYGROUND_TARGETS:
        raise ValueError(f"unknown target {target!r}; expected one of {PLAYGROUND_TARGETS}")
    style = {"description_width": "30px"}
    layout = W.Layout(width="300px")
    controls = {
        name: W.FloatSlider(min=-1.5, max=1.5, step=0.05, description=name,
                            readout_format=".2f", continuous_update=False, style=style,
                            layout=layout)
        for name in ("w1", "w2", "b")
    }
    start_at(controls, w1=w1, w2=w2, b=b)
    options = labelled_options(PLAYGROUND_TARGETS, lambda t: _("none") if t == "none" else t)
    controls["target"] = W.Dropdown(options=options, value=target,
                                    description=_("target"), style={"description_width": "45px"},
                                    layout=W.Layout(width="190px"))
    for name, values in GATES.items():  # buttons that load the book's settings
        controls[name] = W.Button(description=name,
                                  tooltip=_("load the book's {name} setting {values}",
                                            name=name, values=values),
                                  layout=W.Layout(width="70px"))
    readouts = {
        "gate": W.HTML(),
        "status": W.HTML(layout=W.Layout(max_width="660px")),
        "table": W.HTML(layout=W.Layout(margin="0 0 0 8px")),
    }

    def draw(w1: float, w2: float, b: float, target: str):
        name = identify_gate(w1, w2, b)
        formula = describe_outputs(gate_outputs(w1, w2, b))
        readouts["gate"].value = (
            "<b>" + _("gate: {name}", name=name) + "</b>" if name != "none"
            else "<b>" + _("gate: none") + "</b>"
            + _(" of AND/NAND/OR/NOR (computes {formula})", formula=html.escape(_(formula)))
        )
        readouts["status"].value = html.escape(target_report(w1, w2, b, target))
        readouts["table"].value = _table_html(w1, w2, b, target)
        fig, ax = new_figure(figsize=(4.4, 3.1))
        plot_decision_boundary(ax, w1, w2, b, target=target, show_normal=True)
        return fig

    def arrange(box: BookWidget) -> list[W.Widget]:
        def wrap() -> W.Layout:  # a row that wraps on a narrow page
            return W.Layout(flex_flow="row wrap", align_items="center")

        c = box.controls
        buttons = W.HBox([W.Label(_("load:")), *(c[name] for name in GATES)])
        rows = W.HBox([
            W.VBox([c["w1"], c["w2"], c["b"]]),
            W.VBox([buttons, c["target"]], layout=W.Layout(margin="0 0 0 12px")),
        ], layout=wrap())
        return [rows, readouts["gate"], readouts["status"],
                W.HBox([box.output, readouts["table"]], layout=wrap())]

    box = BookWidget(controls, draw, arrange, readouts=readouts,
                     output_layout=W.Layout(width="440px"))
    for name, (v1, v2, vb) in GATES.items():
        controls[name].on_click(lambda _button, v1=v1, v2=v2, vb=vb: box.set(w1=v1, w2=v2, b=vb))
    return box
