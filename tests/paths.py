"""Where the tests find things, said once: the project, the built book, the chapters, MNIST.

Also the one rule for tests that need the built book (``require_built`` and the ``built``
marker): without the file they skip, saying which file and what makes it; with
``NN_REQUIRE_BUILD=1`` (set by ``make test`` and CI) they fail instead, so that a build output
that moved or was never written cannot pass as "not built".
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from chapters import chapter_notebooks

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
HTML = BUILD / "html"  # the English edition; the other editions are folders inside it
SCREENSHOTS = BUILD / "screenshots"  # what the browser tests save for a person to look at
# The book's chapters, in reading order (book/_ext/chapters.py says which notebooks are chapters).
CHAPTERS = chapter_notebooks(ROOT)
# The real MNIST files (make and CI point NN_DATA_DIR at ../shared/data/mnist); None without them.
MNIST_DIR = Path(os.environ["NN_DATA_DIR"]) if os.environ.get("NN_DATA_DIR") else None
needs_mnist = pytest.mark.skipif(MNIST_DIR is None,
                                 reason="NN_DATA_DIR is not set: no real MNIST files to read")

REQUIRE_BUILD = "NN_REQUIRE_BUILD"


def build_required() -> bool:
    return os.environ.get(REQUIRE_BUILD) == "1"


def require_built(path: Path, what: str) -> None:
    """Return if ``path`` (something ``make book`` writes) exists; otherwise skip the test, or
    the whole module when called at import, or fail when NN_REQUIRE_BUILD=1."""
    if path.exists():
        return
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    message = f"{what} is not built: {shown} is missing (run make book)"
    if build_required():
        pytest.fail(f"{message}; {REQUIRE_BUILD}=1 asks for the built book", pytrace=False)
    pytest.skip(message, allow_module_level=True)
