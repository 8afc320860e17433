"""What the widget tests read back from a widget (test-only; not part of nn)."""

from __future__ import annotations


def shown_png(widget) -> str:
    """The base64 PNG a widget shows now, read back from its ``output`` (the inverse of
    ``nn.widgets.figure_output``; what the tests compare before and after moving a control)."""
    (output,) = widget.output.outputs
    return output["data"]["image/png"]
