"""The book's networks, each assembled from the layers in :mod:`nn.layers` and :mod:`nn.conv`."""

from .base import Network
from .deep_convnet import DeepConvNet
from .multi_layer_net import MultiLayerNet
from .simple_convnet import SimpleConvNet
from .two_layer_net import TwoLayerNet

__all__ = ["Network", "TwoLayerNet", "MultiLayerNet", "SimpleConvNet", "DeepConvNet"]
