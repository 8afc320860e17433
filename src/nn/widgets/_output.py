"""How every widget shows its figure."""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt


def figure_output(fig) -> dict:
    """``fig`` as one stored PNG output for an ``ipywidgets.Output``, and the figure closed.

    Setting ``Output.outputs`` to this (rather than calling ``plt.show`` inside the Output)
    makes the picture part of the widget's state: it shows live in JupyterLab, in the saved
    widget state on the web page, and to the tests, and no open figure is left behind.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return {
        "output_type": "display_data",
        "data": {
            "image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
            "text/plain": "<Figure>",
        },
        "metadata": {},
    }


def shown_png(widget) -> str:
    """The base64 PNG a widget shows now, read back from its ``output`` (the inverse of
    :func:`figure_output`; what the tests compare before and after moving a control)."""
    (output,) = widget.output.outputs
    return output["data"]["image/png"]
