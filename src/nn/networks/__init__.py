"""The book's networks, each assembled from the layers in :mod:`nn.layers` and :mod:`nn.conv`."""

from .base import *  # noqa: F403
from .deep_convnet import *  # noqa: F403
from .multi_layer_net import *  # noqa: F403
from .simple_convnet import *  # noqa: F403
from .two_layer_net import *  # noqa: F403
