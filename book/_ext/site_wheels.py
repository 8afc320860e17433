"""The live site's own wheels and the lock file from which the browser's Pythons load them.

Beside Pyodide's packages the site serves: the book's library ``nn``, built from ``src/`` at
every build (in a copy of the project in a temporary folder, so that the build leaves no
``build/`` or ``src/nn.egg-info`` in the source tree); the pinned wheels of
``browser_packages.PINNED_WHEELS``, downloaded from PyPI once with their hashes checked; the
Pyodide kernel's own wheels; and matplotlib's font list (``font_cache.py``). They go into the
site's ``pypi/`` folder (served to the browser's installer, piplite, whose fallback to PyPI is
switched off) and beside Pyodide, listed with their SHA-256 in the book's lock file
(:data:`BOOK_LOCK`), Pyodide's own plus one entry per wheel.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import font_cache
from browser_packages import PINNED_WHEELS, SITE_WHEELS
from pyodide_dist import (
    PYODIDE_VERSION,
    LiveBookError,
    normal_name,
    replace_folder,
    sha256_of,
    verify,
)
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The lock file the live book's Pythons load from, in the Pyodide folder of the lite site.
BOOK_LOCK = "book-lock.json"

#: What a wheel of nn needs from the project: its metadata, its README and its sources.
_PROJECT_FILES = ("pyproject.toml", "README.md")


def fetch_pinned_wheels(cache: Path, names: tuple[str, ...] | None = None) -> dict[str, Path]:
    """The pinned wheels (all, or the distributions ``names``) in ``cache``, downloaded with
    pip the first time and checked against their SHA-256 every time; file name -> path."""
    pins = [(n, sha) for n, sha in PINNED_WHEELS if names is None or n.split("-")[0] in names]
    cache.mkdir(parents=True, exist_ok=True)
    missing = [(n, sha) for n, sha in pins
               if not (cache / n).is_file() or sha256_of(cache / n) != sha]
    if missing:
        lines = "".join(f"{n.split('-')[0]}=={n.split('-')[1]} --hash=sha256:{sha}\n"
                        for n, sha in missing)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as req:
            req.write(lines)
        try:
            _pip("download", "--no-deps", "--only-binary=:all:", "--require-hashes",
                 "-r", req.name, "-d", str(cache))
        finally:
            os.unlink(req.name)
    for name, sha in pins:
        verify(cache / name, sha)
    return {name: cache / name for name, _ in pins}


def build_nn_wheel(root: Path, target: Path) -> Path:
    """Build the wheel of ``nn`` from ``root``'s sources into ``target``; return its path.

    pip builds a local project in place, leaving ``build/`` and ``src/nn.egg-info`` behind, so
    the build runs in a copy of the files the wheel needs.
    """
    with tempfile.TemporaryDirectory(prefix="nn-wheel-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        for name in _PROJECT_FILES:
            shutil.copyfile(root / name, project / name)
        shutil.copytree(root / "src", project / "src",
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        out = Path(tmp) / "dist"
        _pip("wheel", "--no-deps", "--quiet", "-w", str(out), str(project))
        built = sorted(out.glob("nn-*.whl"))
        if len(built) != 1:
            raise LiveBookError(f"building the wheel of nn gave {built}")
        target.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy(built[0], target / built[0].name))


def collect_wheels(target: Path, root: Path, cache: Path) -> list[str]:
    """Fill ``target`` with the browser's wheels: ``nn`` built from ``src/`` and the pinned ones."""
    files = fetch_pinned_wheels(cache)
    with tempfile.TemporaryDirectory() as tmp:
        nn_wheel = build_nn_wheel(root, Path(tmp))
        files[nn_wheel.name] = nn_wheel
        replace_folder(target, files)
    return sorted(files)


def _pip(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args],
                            capture_output=True, text=True, timeout=600)
    if result.returncode:
        output = result.stdout[-2000:] + result.stderr[-2000:]
        raise LiveBookError(f"pip {args[0]} failed:\n{output}")


def kernel_wheels() -> dict[str, Path]:
    """The Pyodide kernel's own wheels (piplite, its ipykernel shim, …), by file name."""
    import jupyterlite_pyodide_kernel

    for base in (Path(sys.prefix), Path(jupyterlite_pyodide_kernel.__file__).parent):
        folder = (base / "share" / "jupyter" / "labextensions" / "@jupyterlite"
                  / "pyodide-kernel-extension" / "static" / "pypi")
        if folder.is_dir():
            wheels = {p.name: p for p in folder.glob("*.whl")
                      if not p.name.startswith("widgetsnbextension-3.")}
            if wheels:
                return wheels
    raise LiveBookError("the Pyodide kernel's wheels (jupyterlite-pyodide-kernel) were not found")


def font_cache_wheel(pyodide_dir: Path, cache: Path) -> Path | None:
    """matplotlib's font list as a wheel (made once, then kept in ``cache``); None without
    Node.js, and the browser's matplotlib then scans its fonts at every start."""
    wheel = cache / f"{font_cache.NAME}-{PYODIDE_VERSION}-py3-none-any.whl"
    if wheel.is_file():
        return wheel
    built = font_cache.build_wheel(pyodide_dir, cache, PYODIDE_VERSION)
    if built is None:
        logger.info("live book: Node.js not found; matplotlib will scan its fonts at every "
                    "start in the browser")
    return built


def book_lock(lock: dict, wheels: dict[str, Path]) -> dict:
    """Pyodide's lock file plus an entry for each of ``wheels`` (file name -> path).

    Each entry carries the wheel's SHA-256, so Pyodide checks it as it checks its own packages;
    the wheels sit beside the lock file. Raises ``LiveBookError`` for a wheel that
    ``browser_packages.PACKAGES`` does not describe (its imports and dependencies must be known).
    """
    book = copy.deepcopy(lock)
    for file_name, path in sorted(wheels.items()):
        name, version = file_name.split("-")[:2]
        name = normal_name(name)
        if name not in SITE_WHEELS:
            raise LiveBookError(f"{file_name}: no imports and dependencies known for {name!r} "
                                "(add it to browser_packages.PACKAGES)")
        package = SITE_WHEELS[name]
        depends = list(package.depends)
        if name == "nn" and any(w.startswith(f"{font_cache.NAME}-") for w in wheels):
            depends.append("matplotlib-font-cache")  # matplotlib's font list comes along
        book["packages"][name] = {
            "name": name, "version": version, "file_name": file_name, "install_dir": "site",
            "sha256": sha256_of(path), "package_type": "package",
            "imports": list(package.imports), "depends": depends,
            "unvendored_tests": False, "shared_library": False,
        }
    return book


def write_book_lock(pyodide_dir: Path, wheels: dict[str, Path]) -> None:
    """Copy ``wheels`` beside Pyodide and write the book's lock file listing them."""
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    for name, path in wheels.items():
        shutil.copyfile(path, pyodide_dir / name)
    text = json.dumps(book_lock(lock, wheels), indent=1, sort_keys=True) + "\n"
    partial = pyodide_dir / (BOOK_LOCK + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(pyodide_dir / BOOK_LOCK)
