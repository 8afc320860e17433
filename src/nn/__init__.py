"""nn: the from-scratch NumPy neural-network library of the executable book.

The public names of the core modules and of the chapters' demonstrations (:mod:`nn.demos`) are
reachable as ``nn.<Name>``; besides those, the chapters use the submodules named below and one
helper they show by its module, ``nn.conv_fast.col_pieces`` (chapter 8: the im2col pieces of a
batch).

Docstrings cite chapters in one scheme: "book ch. 7" is chapter 7 of Saitoh's *Deep Learning
from Scratch*, "notebook 08" is the chapter of this executable book (``notebooks/08_cnn.ipynb``).
Submodules ``nn.plots``, ``nn.widgets`` and ``nn.pretrained`` are imported on first use;
``nn.live`` says whether the book runs in the reader's browser (the live book).
``nn.set_language("zh_CN")`` (or ``NN_LANG=zh_CN``) draws figures and labels widgets in
Chinese (:mod:`nn.i18n`).
"""

from . import live as live
from .activations import *  # noqa: F403
from .conv import *  # noqa: F403
from .conv_fast import *  # noqa: F403
from .data import *  # noqa: F403
from .demos import *  # noqa: F403
from .functions import *  # noqa: F403
from .gates import *  # noqa: F403
from .gradient import *  # noqa: F403
from .i18n import get_language as get_language
from .i18n import set_language as set_language
from .images import *  # noqa: F403
from .initializers import *  # noqa: F403
from .layers import *  # noqa: F403
from .metrics import *  # noqa: F403
from .networks import *  # noqa: F403
from .optimizers import *  # noqa: F403
from .source import *  # noqa: F403
from .surfaces import *  # noqa: F403
from .trainer import *  # noqa: F403

__version__ = "0.1.0"


def __getattr__(name: str):
    # Heavy or optional submodules (matplotlib, ipywidgets) load only when a chapter asks.
    if name in {"plots", "widgets", "pretrained"}:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
