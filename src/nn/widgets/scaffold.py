"""The scaffold every widget of the book is built on: named controls, one figure, one redraw.

A widget is a :class:`BookWidget`: a dict of ``controls`` (sliders, dropdowns, checkboxes,
buttons, named like the arguments of the widget function), optional ``readouts`` (HTML text
beside the figure) and one ``output`` showing the figure that a pure drawing function from
:mod:`nn.plots` makes of the controls' values.  Any change of a control redraws once; changes
made together inside :meth:`BookWidget.hold` (a button that loads three values, a dropdown
that resets the sliders) redraw once at the end.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import ipywidgets as W

from .._checks import describe, finite_number
from ..plots.style import figure_png

__all__ = ["BookWidget", "figure_output", "labelled_options"]


def figure_output(fig, dpi: float | None = None) -> dict:
    """``fig`` as one stored PNG output for an ``ipywidgets.Output``, and the figure closed.

    Setting ``Output.outputs`` to this (rather than calling ``plt.show`` inside the Output)
    makes the picture part of the widget's state: it shows live in JupyterLab, in the saved
    widget state on the web page, and to the tests, and no open figure is left behind.
    """
    png = base64.b64encode(figure_png(fig, dpi)).decode("ascii")
    return {
        "output_type": "display_data",
        "data": {"image/png": png, "text/plain": "<Figure>"},
        "metadata": {},
    }


def labelled_options(values, label: Callable[[str], str]) -> list:
    """Options of a dropdown whose values stay the code's names while the reader sees
    ``label(value)`` (a translation): ``(label, value)`` pairs, or the values themselves where
    every label is its value (in English, so the options are exactly as they always were)."""
    values = list(values)
    labels = [label(v) for v in values]
    return values if labels == values else list(zip(labels, values, strict=True))


def _slider_range(control: W.Widget) -> tuple[float, float] | None:
    """(lowest, highest) value a slider can show, or None for a control without a range."""
    if isinstance(control, W.FloatLogSlider):
        return control.base**control.min, control.base**control.max
    if isinstance(control, (W.FloatSlider, W.IntSlider)):
        return control.min, control.max
    return None


def start_at(controls: Mapping[str, W.Widget], **values: Any) -> None:
    """Give ``controls`` the starting ``values`` a reader passed to the widget function, after
    checking each fits its control: a slider would silently clamp a value outside its range
    (``lr=1000`` would start at 31.6, and the figure would not show what was asked for), and a
    dropdown would raise a TraitError.  Raises ``ValueError`` naming the argument and the range.
    """
    for name, value in values.items():
        control = controls[name]
        bounds = _slider_range(control)
        if bounds is not None:
            low, high = bounds
            number = finite_number(name, value)
            if isinstance(control, W.IntSlider) and number != int(number):
                raise ValueError(
                    f"{name} must be a whole number from {low} to {high}; got {value!r}"
                )
            slack = 1e-9 * max(abs(low), abs(high))  # a log slider's ends (10**1.5) are rounded
            if not low - slack <= number <= high + slack:
                raise ValueError(
                    f"{name} must be from {low:.4g} to {high:.4g} (the range of its slider); "
                    f"got {number:.4g}"
                )
            value = int(number) if isinstance(control, W.IntSlider) else number
        elif isinstance(control, W.Dropdown):
            options = [o[1] if isinstance(o, tuple) else o for o in control.options]
            if value not in options:
                raise ValueError(f"{name} must be one of {options}; got {describe(value)}")
        control.value = value


class BookWidget(W.VBox):
    """Controls wired to a drawing function.

    controls : name -> control.  Every control with a ``value`` is watched; buttons are wired
        by the widget (usually to :meth:`set`).
    draw : called as ``draw(**values)`` with the value of every watched control; returns the
        figure to show (or None for no figure).  It may also fill the readouts.
    arrange : ``arrange(widget) -> list of children``; default: the controls in one row, the
        readouts, then the output.
    on_change : name -> ``hook(new_value)``, run before the redraw when that control changes
        (inside :meth:`hold`, so whatever the hook sets causes no extra redraw).
    readouts : name -> ``ipywidgets.HTML`` (or any widget) the draw function fills.
    """

    def __init__(
        self,
        controls: Mapping[str, W.Widget],
        draw: Callable[..., Any],
        arrange: Callable[[BookWidget], list[W.Widget]] | None = None,
        on_change: Mapping[str, Callable[[Any], None]] | None = None,
        readouts: Mapping[str, W.Widget] | None = None,
        output_layout: W.Layout | None = None,
        dpi: float | None = None,
    ) -> None:
        super().__init__()
        self.controls = dict(controls)
        self.readouts = dict(readouts or {})
        self.output = W.Output(layout=output_layout or W.Layout())
        self._draw, self._dpi = draw, dpi
        self._hooks = dict(on_change or {})
        self._held, self._stale = 0, False
        if arrange is None:
            self.children = [W.HBox(list(self.controls.values())), *self.readouts.values(),
                             self.output]
        else:
            self.children = arrange(self)
        for name, control in self.watched().items():
            control.observe(lambda change, name=name: self._changed(name, change["new"]),
                            "value")
        self.redraw()

    def watched(self) -> dict[str, W.Widget]:
        """The controls that have a value (every control but the buttons)."""
        return {name: c for name, c in self.controls.items() if hasattr(c, "value")}

    def values(self) -> dict[str, Any]:
        """The current value of every watched control, by name."""
        return {name: c.value for name, c in self.watched().items()}

    def redraw(self) -> None:
        """Draw the figure for the current values (later, if inside :meth:`hold`)."""
        if self._held:
            self._stale = True
            return
        fig = self._draw(**self.values())
        self.output.outputs = () if fig is None else (figure_output(fig, self._dpi),)

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Batch updates: controls changed inside redraw once, when the outermost hold ends."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._stale:
                self._stale = False
                self.redraw()

    def set(self, **values: Any) -> None:
        """Set several controls at once, with one redraw."""
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value

    def _changed(self, name: str, new: Any) -> None:
        with self.hold():
            if name in self._hooks:
                self._hooks[name](new)
            self._stale = True
