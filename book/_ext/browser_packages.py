"""The Python packages of the live book, in one table: where each comes from, who loads it.

Two Pythons run in the reader's browser, both Pyodide: the kernel of the live JupyterLab
(``lite_site.py``) and the in-page Python of the live widgets (``live_widgets.py``). Both load
their packages from the book's lock file (``site_wheels.BOOK_LOCK``), never from the internet.
Every package either of them loads, or that the lock file must describe, is one row of
:data:`PACKAGES`; the lists the extensions need (the Pyodide packages to copy, the wheels to
download, what each Python preloads) are read from it.

The origins:

* ``pyodide``: a package of the Pyodide release (``pyodide_dist.py`` copies it with its
  dependencies, as Pyodide's own lock file lists them);
* ``pypi``: a pinned wheel from PyPI, checked against its SHA-256 (``site_wheels.py``);
* ``src``: the book's library ``nn``, built from ``src/`` at every build;
* ``kernel``: a wheel shipped with the Pyodide kernel (``jupyterlite-pyodide-kernel``);
* ``build``: made by the build itself (matplotlib's font list, ``font_cache.py``).

Adding a package the chapters import in the browser is one row here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Package:
    """One package of the browser's Pythons.

    ``name`` is its distribution name as Pyodide's lock file spells it (lower case, hyphens).
    ``kernel``: the live JupyterLab's kernel loads it at start; ``page``: so does the in-page
    Python of the live widgets. ``imports`` and ``depends`` describe a wheel that is not
    Pyodide's own in the book's lock file. A ``pypi`` row names its wheel and that wheel's
    SHA-256; ``front_end`` names the JupyterLab package (``name==version``) it must pair with.
    """

    name: str
    origin: str
    kernel: bool = False
    page: bool = False
    imports: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()
    wheel: str = ""
    sha256: str = ""
    front_end: str = ""

    @property
    def version(self) -> str:
        """The pinned version of a ``pypi`` wheel (from its file name)."""
        return self.wheel.split("-")[1]


ORIGINS = ("pyodide", "pypi", "src", "kernel", "build")

# The order is the kernel's preload order. The Pyodide kernel installs with piplite whichever of
# ssl, sqlite3, ipykernel, comm, pyodide-kernel, jedi, ipython it is not told to preload, one by
# one; loading them from the lock file at once is faster. nn, numpy and matplotlib (with its font
# list) load when a chapter's first cell imports them: the kernel runs Pyodide's
# loadPackagesFromImports before each cell. Preloaded, their compiled extension modules doubled
# the kernel's start (numpy alone about 3 s). ipywidgets 8.1.7 pairs with the front end's
# jupyterlab_widgets 3.0.15.
_ROWS = (
    Package("micropip", "pyodide", kernel=True),
    Package("piplite", "kernel", kernel=True, imports=("piplite",), depends=("micropip",)),
    Package("ssl", "pyodide", kernel=True),
    Package("sqlite3", "pyodide", kernel=True),
    Package("ipykernel", "kernel", kernel=True, imports=("ipykernel",)),
    Package("comm", "pypi", kernel=True, page=True, imports=("comm",), depends=("traitlets",),
            wheel="comm-0.2.2-py3-none-any.whl",
            sha256="e6fb86cb70ff661ee8c9c14e7d36d6de3b4066f1441be4063df9c5009f0a64d3"),
    Package("pyodide-kernel", "kernel", kernel=True, imports=("pyodide_kernel",),
            depends=("ipykernel", "comm", "ipython")),
    Package("jedi", "pyodide", kernel=True),
    Package("ipython", "pyodide", kernel=True, page=True),
    Package("widgetsnbextension", "kernel", kernel=True, imports=("widgetsnbextension",)),
    Package("ipywidgets", "pypi", kernel=True, page=True, imports=("ipywidgets",),
            depends=("comm", "ipython", "traitlets"),
            wheel="ipywidgets-8.1.7-py3-none-any.whl",
            sha256="764f2602d25471c213919b8a1997df04bef869251db4ca8efba1b76b1bd9f7bb",
            front_end="jupyterlab_widgets==3.0.15"),
    # nn draws with matplotlib (nn.plots imports it on first use, which Pyodide cannot foresee);
    # site_wheels.book_lock adds the font list when the build made it.
    Package("nn", "src", page=True, imports=("nn",), depends=("numpy", "tqdm", "matplotlib")),
    Package("tqdm", "pypi", page=True, imports=("tqdm",),
            wheel="tqdm-4.67.1-py3-none-any.whl",
            sha256="26445eca388f82e72884e0d580d5464cd801a3ea01e63e5601bdff9ba6a48de2"),
    Package("numpy", "pyodide", page=True),
    Package("matplotlib", "pyodide", page=True),
    Package("matplotlib-pyodide", "pyodide"),
    Package("matplotlib-inline", "pyodide"),
    Package("packaging", "pyodide"),
    # Made when the build has Node.js; then nn's lock entry depends on it (site_wheels.book_lock),
    # so both Pythons load it with nn, after matplotlib.
    Package("matplotlib-font-cache", "build", depends=("matplotlib",)),
)

PACKAGES: dict[str, Package] = {p.name: p for p in _ROWS}


def _names(rows) -> tuple[str, ...]:
    return tuple(p.name for p in rows)


#: The Pyodide packages to copy (with their dependencies) into the site.
PYODIDE_ROOTS = _names(p for p in _ROWS if p.origin == "pyodide")
#: The pinned wheels downloaded from PyPI: (file name, SHA-256).
PINNED_WHEELS = tuple((p.wheel, p.sha256) for p in _ROWS if p.origin == "pypi")
#: The wheels the site serves beside Pyodide's own, which the book's lock file describes.
SITE_WHEELS = {p.name: p for p in _ROWS if p.origin != "pyodide"}
#: What the live JupyterLab's kernel preloads.
KERNEL_PRELOAD = _names(p for p in _ROWS if p.kernel)
#: What the in-page Python of the live widgets loads (with the dependencies).
PAGE_PRELOAD = _names(p for p in _ROWS if p.page)
#: The packages built from the project or pinned: their wheels must be in the site's pypi/.
SERVED_WHEELS = _names(p for p in _ROWS if p.origin in ("src", "pypi"))


def _check_table() -> None:
    for p in _ROWS:
        if p.origin not in ORIGINS:
            raise ValueError(f"{p.name}: origin {p.origin!r} is not one of {ORIGINS}")
        if (p.origin == "pypi") != bool(p.wheel and p.sha256):
            raise ValueError(f"{p.name}: a pinned wheel and its SHA-256 go with origin 'pypi'")


_check_table()
