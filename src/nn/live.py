"""Where the book is running: CPython (JupyterLab, CI) or the reader's browser (the live book).

The live book runs every chapter in Pyodide, Python compiled to WebAssembly, inside the reader's
browser tab. The code is the same; four things differ there:

* numpy is single-threaded WebAssembly without an optimised BLAS, several times slower than on
  a laptop's CPython, so the few heavy experiments of the book (long training runs, whole test
  sets through a convolutional network) run on fewer samples or steps. ``sized`` is the one
  switch the chapters use for that, and the text next to each use says what the browser does.
* MNIST is not downloaded: the live site carries the files the book was built with, in
  ``BROWSER_DATA_DIR`` of the browser's file system, and ``nn.load_mnist`` reads them from there.
* There are no threads, so progress bars run without tqdm's monitor thread.
* The layers' matrix products (``nn.backend.matmul``) are computed as einsums along long rows,
  two to three times faster there than numpy's BLAS-less ``@``; in CPython they are ``@``.

And one thing the site adds: the browser has no system fonts, so for figures in Chinese
(``nn.set_language("zh_CN")``) the live site carries a small subset of Noto Sans CJK SC holding
every character of nn's Chinese catalog, at ``BROWSER_FONT``; :mod:`nn.i18n` registers it with
matplotlib when it is there. ``book/_ext/cjk_font.py`` makes it at build time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["IN_BROWSER", "BROWSER_SIZES", "BROWSER_DATA_DIR", "BROWSER_FONT_DIR", "BROWSER_FONT",
           "sized"]

#: True inside the live book (Pyodide reports the platform "emscripten").
IN_BROWSER: bool = sys.platform == "emscripten"

#: True when experiments run at their browser sizes: in the live book, or in CPython with the
#: environment variable ``NN_BROWSER_SIZES=1`` (to check the browser versions quickly: their
#: claims must hold too).
BROWSER_SIZES: bool = IN_BROWSER or os.environ.get("NN_BROWSER_SIZES") == "1"

#: Where the live site puts the four MNIST files in the browser's file system.
BROWSER_DATA_DIR = Path("/drive/data/mnist")

#: Where the live site puts the subset CJK font for figures in Chinese (the file
#: ``BROWSER_FONT``); in CPython the system's Noto Sans CJK is used instead.
BROWSER_FONT_DIR = Path("/drive/fonts")
BROWSER_FONT = BROWSER_FONT_DIR / "NotoSansCJKsc-nn.otf"

if IN_BROWSER:
    # The browser has no threads: tqdm's monitor thread would fail with a warning on every
    # progress bar.
    from tqdm import std as _tqdm_std

    _tqdm_std.tqdm.monitor_interval = 0


def sized(full: int, *, browser: int) -> int:
    """``full`` in CPython, ``browser`` in the live book: a sample or step count for both.

    A claim that depends on the size (an accuracy floor, say) reads ``BROWSER_SIZES`` too.

    >>> sized(10_000, browser=1_000)  # in CPython
    10000
    """
    for name, value in (("full", full), ("browser", browser)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"sized: {name} must be a positive int, got {value!r}")
    if browser > full:
        raise ValueError(f"sized: browser={browser} is larger than full={full}; the browser "
                         "version of an experiment is the smaller one")
    return browser if BROWSER_SIZES else full
