"""Figures of the book: one consistent look, and the pure drawing functions behind the widgets.

Each topic module (``nn.plots.perceptron``, ``nn.plots.descent``, ...) holds functions that take
numbers and return or fill a matplotlib ``Figure``; the widgets in :mod:`nn.widgets` only wire
controls to them, so the tests exercise the functions directly.
"""

from .activations import *  # noqa: F403
from .blocks import *  # noqa: F403
from .conv import *  # noqa: F403
from .deep import *  # noqa: F403
from .descent import *  # noqa: F403
from .digits import *  # noqa: F403
from .graph import *  # noqa: F403
from .init import *  # noqa: F403
from .optimizers import *  # noqa: F403
from .perceptron import *  # noqa: F403
from .primer import *  # noqa: F403
from .style import *  # noqa: F403
