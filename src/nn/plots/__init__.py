"""Figures of the book: one consistent look, and the pure drawing functions behind the widgets.

Each topic module (``nn.plots.perceptron``, ``nn.plots.descent``, ...) holds functions that take
numbers and return or fill a matplotlib ``Figure``; the widgets in :mod:`nn.widgets` only wire
controls to them, so the tests exercise the functions directly.
"""

from .style import *  # noqa: F403
