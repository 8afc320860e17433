"""Interactive widgets of the book (ipywidgets).

Each widget is thin: a :class:`BookWidget` (module :mod:`nn.widgets.scaffold`) that wires its
named ``controls`` to a pure drawing function in :mod:`nn.plots` and shows the figure in its
``output``, so a test can change a control and read the output again.
"""

from .activations import *  # noqa: F403
from .augment import *  # noqa: F403
from .conv import *  # noqa: F403
from .descent import *  # noqa: F403
from .digits import *  # noqa: F403
from .graph import *  # noqa: F403
from .init import *  # noqa: F403
from .optimizers import *  # noqa: F403
from .perceptron import *  # noqa: F403
from .scaffold import *  # noqa: F403
