"""Show the library's own source inside a chapter, so the book and the code never disagree."""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["show_source", "source_text"]


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


def show_source(obj: Any) -> Any:
    """Display ``obj``'s source with syntax highlighting in a notebook.

    Returns an ``IPython.display.Code`` object (rendered as highlighted code by Jupyter and by
    the web book); outside IPython it prints the plain text and returns ``None``.
    """
    text = source_text(obj)
    try:
        from IPython.display import Code
    except ImportError:  # plain Python: still useful in a terminal
        print(text)
        return None
    return Code(text, language="python")
