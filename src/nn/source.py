"""Show the library's own source inside a chapter, so the book and the code never disagree."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

__all__ = ["SourceCode", "glue", "show_source", "source_text"]


def source_text(obj: Any) -> str:
    """Return the source code of a function, class, method or module of ``nn``.

    Raises ``TypeError`` with the object's type when it has no Python source (a number, an
    array, a built-in), rather than inspect's terse message.
    """
    try:
        return inspect.getsource(obj)
    except (TypeError, OSError) as exc:
        raise TypeError(
            f"show_source expects a function, class, method or module defined in Python; "
            f"got {type(obj).__name__} {obj!r:.60}"
        ) from exc


class SourceCode:
    """Source text that notebooks display as a highlighted Python code block.

    It is shown through Markdown (a fenced ``python`` block), which JupyterLab and the web book
    highlight themselves, so a stored output holds the source once and no style sheet: an
    ``IPython.display.Code`` output carries a ~5 KB CSS block every time.
    """

    def __init__(self, text: str) -> None:
        self.data = text

    def _repr_markdown_(self) -> str:
        fence = "`" * max(3, _longest_backtick_run(self.data) + 1)
        return f"{fence}python\n{self.data.rstrip()}\n{fence}"

    def __repr__(self) -> str:
        return self.data


def _longest_backtick_run(text: str) -> int:
    run = best = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        best = max(best, run)
    return best


def show_source(obj: Any) -> SourceCode:
    """Display ``obj``'s source with syntax highlighting in a notebook.

    Returns a :class:`SourceCode` (rendered as a highlighted code block by JupyterLab and by the
    web book; its plain ``repr`` is the source itself).
    """
    return SourceCode(source_text(obj))


def glue(name: str, value: Any) -> None:
    """Record ``value`` under ``name`` for the chapter's prose, without showing it.

    The web book (myst-nb) inserts it where the text says ``{glue:text}`name```, so a number in a
    sentence is the number the cell computed.  This writes the same output as
    ``myst_nb.glue(name, value, display=False)`` without needing myst-nb, which the live book in
    the browser does not have; outside IPython it does nothing.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue: name must be an identifier such as 'test_acc'; got {name!r}")
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is None:
        return
    if isinstance(value, np.generic):
        value = value.item()  # 0.9451, not np.float64(0.9451), in the prose
    bundle = {"application/papermill.record/text/plain": repr(value)}
    display(bundle, raw=True, metadata={"scrapbook": {"name": name, "mime_prefix":
                                                      "application/papermill.record/"}})
