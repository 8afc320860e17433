"""Networks with trained weights shipped inside the package.

``nn.pretrained.load(name)`` returns a ready network; the weights are ``.npz`` files next to
this module, made by the project's own command ``python -m nn.pretrained train NAME`` (see
``__main__.py``), which trains on whatever ``nn.load_mnist`` provides. Names:

- ``"mnist_mlp"``: 784-50-100-10 with sigmoid activations, the sample network of book ch. 3
  (notebook 04);
- ``"simple_convnet"``: :class:`nn.SimpleConvNet` with the book's defaults;
- ``"deep_convnet"``: :class:`nn.DeepConvNet`, the VGG-style network of book ch. 8 (notebook 09).

Each file also holds metadata (``meta_*`` arrays): the architecture name, the test accuracy
reached, the number of training images and the training settings; ``load`` puts them in
``network.metadata``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from ..images import shift_images
from ..networks import DeepConvNet, MultiLayerNet, Network, SimpleConvNet

__all__ = ["load", "NAMES", "RECIPES", "Recipe", "weights_path", "shift_augment"]


@dataclass(frozen=True)
class Recipe:
    """How a shipped network is built and trained."""

    build: Callable[[Any], Network]  # dtype -> a freshly initialised network (seed 0)
    flatten: bool  # input as (N, 784) rows (True) or (N, 1, 28, 28) images (False)
    epochs: int
    batch_size: int
    optimizer: str
    lr: float
    augment: bool  # add four 1-pixel shifted copies of every training image
    accuracy_floor: float  # the test accuracy the shipped weights must reach


RECIPES: dict[str, Recipe] = {
    "mnist_mlp": Recipe(
        build=lambda dtype: MultiLayerNet(
            784, [50, 100], 10, activation="sigmoid", weight_init_std="sigmoid", dtype=dtype
        ),
        flatten=True,
        epochs=20,
        batch_size=100,
        optimizer="Adam",
        lr=0.01,
        augment=False,
        accuracy_floor=0.92,
    ),
    "simple_convnet": Recipe(
        # He initialisation: with the book's std 0.01 the first epochs are slow, and 10,000
        # images do not give it the 20 epochs of the book.
        build=lambda dtype: SimpleConvNet(weight_init_std="he", dtype=dtype),
        flatten=False,
        epochs=10,
        batch_size=100,
        optimizer="Adam",
        lr=0.001,
        augment=False,
        accuracy_floor=0.97,
    ),
    "deep_convnet": Recipe(
        build=lambda dtype: DeepConvNet(dtype=dtype),
        flatten=False,
        epochs=14,
        batch_size=100,
        optimizer="Adam",
        lr=0.001,
        augment=False,
        accuracy_floor=0.98,
    ),
}

#: The names ``load`` accepts.
NAMES: tuple[str, ...] = tuple(RECIPES)


def _check_name(name: str) -> Recipe:
    if name not in RECIPES:
        raise ValueError(f"unknown pretrained network {name!r}; valid names: {', '.join(NAMES)}")
    return RECIPES[name]


def weights_path(name: str) -> Any:
    """Where the shipped weights of ``name`` live (a ``Traversable`` inside the package)."""
    _check_name(name)
    return resources.files(__name__) / f"{name}.npz"


def load(name: str, dtype: Any = np.float32) -> Network:
    """Build the network ``name`` and load its shipped weights.

    ``dtype`` is the type the network computes in (float32 is fast; float64 works too).
    The file's metadata (e.g. ``metadata["test_accuracy"]``) is in ``network.metadata``.
    """
    recipe = _check_name(name)
    network = recipe.build(dtype)
    source = weights_path(name)
    if not source.is_file():
        raise FileNotFoundError(
            f"the weights of {name!r} are not installed ({source}); make them with "
            f"`python -m nn.pretrained train {name}`"
        )
    with resources.as_file(source) as path:
        metadata = network.load_params(path)
    if metadata.get("architecture", name) != name:
        raise ValueError(f"{source} holds weights for {metadata['architecture']!r}, not {name!r}")
    network.metadata = metadata
    return network


def shift_augment(x: np.ndarray) -> np.ndarray:
    """The images x (N, C, H, W) followed by four copies shifted by one pixel (up, down, left,
    right; the border filled with zeros, see :func:`nn.shift_images`): a (5N, C, H, W) array.
    Labels repeat with ``np.tile(t, 5)``."""
    if np.ndim(x) != 4:
        raise ValueError(f"shift_augment expects images (N, C, H, W); got shape {np.shape(x)}")
    moves = [(0, -1), (0, 1), (-1, 0), (1, 0)]  # (dx, dy): up, down, left, right
    return np.concatenate([x] + [shift_images(x, dx, dy) for dx, dy in moves])
