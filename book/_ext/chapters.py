"""The book's chapters: the notebooks ``notebooks/NN_name.ipynb``, in the order of their number.

The one place that says which files are chapters. The extensions, the tests and the benchmarks
call :func:`chapter_notebooks`; the Makefile asks this file::

    python book/_ext/chapters.py      # the chapters' paths, relative to the project, one a line
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: A chapter's file name: two digits, an underscore, a name.
PATTERN = "[0-9][0-9]_*.ipynb"


def chapter_notebooks(root: Path = ROOT) -> list[Path]:
    """The chapters under ``root/notebooks``, sorted by name (and so by number)."""
    return sorted((root / "notebooks").glob(PATTERN))


if __name__ == "__main__":
    for path in chapter_notebooks():
        print(path.relative_to(ROOT))
