"""The chapters' demonstrations: small experiments built on the library, kept apart from it.

The core modules of ``nn`` hold what a network is made of (functions, layers, optimizers,
networks); the modules here hold what a chapter runs to show something, one module per topic:

- :mod:`nn.demos.activations`: softmax with a temperature, random networks per activation
  (notebook 03);
- :mod:`nn.demos.backprop`: the book's apple and orange shopping graphs (notebook 06);
- :mod:`nn.demos.init`: activations through a deep stack of random layers (notebook 07);
- :mod:`nn.demos.conv`: hand-made filters, feature maps and receptive fields (notebooks 08-09).

Their public names are re-exported as ``nn.<name>``, like the core modules' names.
"""

from .activations import *  # noqa: F403
from .backprop import *  # noqa: F403
from .conv import *  # noqa: F403
from .init import *  # noqa: F403
