"""Pyodide for the live book: the release's files the site serves, each one verified.

Pyodide (the WebAssembly Python with numpy, matplotlib and the few packages the book needs) is
copied into the live site's ``static/pyodide/``. It comes from the folder named by
``NN_PYODIDE_DIR`` (``make`` points it at ``../shared/pyodide/<version>`` when that exists) or,
without one, from the official release, downloaded once with pooch. Either way every file is
checked against the SHA-256 pinned below (core files) or listed in the release's lock file
(packages: those of ``browser_packages.PYODIDE_ROOTS`` and their dependencies).

:data:`PYODIDE_VERSION` is the one place the book names its Pyodide release; the Makefile asks
this file for it::

    python book/_ext/pyodide_dist.py version
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from browser_packages import PYODIDE_ROOTS

PYODIDE_VERSION = "0.27.7"
PYODIDE_RELEASE_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"

#: SHA-256 of the official Pyodide core files (identical to the npm package's).
PYODIDE_CORE: dict[str, str] = {
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "package.json": "bf221f60c881626236d3501375a97753672a7fa6fed70e469e083f157c8a30d4",
}


class LiveBookError(RuntimeError):
    """The live site cannot be built as promised (a file is missing or fails its checksum)."""


def sha256_of(path: Path) -> str:
    import pooch

    return pooch.file_hash(str(path), alg="sha256")


def normal_name(name: str) -> str:
    """A distribution's name as Pyodide's lock file keys it (``Pillow`` → ``pillow``)."""
    return name.lower().replace("_", "-")


def verify(path: Path, expected: str) -> None:
    """Raise ``LiveBookError`` naming ``path`` if it is missing or its SHA-256 differs."""
    if not path.is_file():
        raise LiveBookError(f"{path} is missing")
    actual = sha256_of(path)
    if actual != expected:
        raise LiveBookError(
            f"{path.name}: SHA-256 {actual}, expected {expected} (Pyodide {PYODIDE_VERSION}); "
            "the file is damaged or from another release"
        )


def pyodide_files(lock: dict, roots: tuple[str, ...] = PYODIDE_ROOTS) -> dict[str, str]:
    """File name -> SHA-256 of ``roots`` and all they depend on, from Pyodide's lock file."""
    packages = {normal_name(name): info for name, info in lock["packages"].items()}
    wanted: set[str] = set()
    todo = [normal_name(root) for root in roots]
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        if name not in packages:
            raise LiveBookError(f"Pyodide's lock file has no package {name!r}")
        wanted.add(name)
        todo += [normal_name(dep) for dep in packages[name]["depends"]]
    return {packages[n]["file_name"]: packages[n]["sha256"] for n in sorted(wanted)}


def collect_pyodide(target: Path, source: Path | None, cache: Path,
                    base_url: str = PYODIDE_RELEASE_URL) -> dict[str, str]:
    """Fill ``target`` with the verified Pyodide files; return name -> SHA-256 of each.

    From the folder ``source`` when given, else downloaded from ``base_url`` into ``cache``
    (once; pooch re-checks the hash of a cached file). Raises ``LiveBookError`` naming any file
    that is missing or whose SHA-256 differs, and leaves ``target`` untouched then.
    """
    def fetch(name: str, sha256: str) -> Path:
        if source is not None:
            path = source / name
            verify(path, sha256)
            return path
        import pooch

        try:
            return Path(pooch.retrieve(base_url + name, known_hash=f"sha256:{sha256}",
                                       fname=name, path=cache, progressbar=False))
        except ValueError as exc:  # pooch's checksum mismatch
            raise LiveBookError(f"{name}: {exc}") from exc
        except Exception as exc:
            raise LiveBookError(f"{name}: could not download from {base_url}: {exc}") from exc

    files = {name: fetch(name, sha) for name, sha in PYODIDE_CORE.items()}
    lock = json.loads(files["pyodide-lock.json"].read_text(encoding="utf-8"))
    if lock.get("info", {}).get("version") != PYODIDE_VERSION:
        raise LiveBookError(f"pyodide-lock.json is not Pyodide {PYODIDE_VERSION}'s")
    wanted = pyodide_files(lock)
    files.update({name: fetch(name, sha) for name, sha in wanted.items()})
    replace_folder(target, files)
    return {**PYODIDE_CORE, **wanted}


def replace_folder(target: Path, files: dict[str, Path]) -> None:
    """Make ``target`` hold exactly ``files`` (name -> path), swapped in whole (never half a
    set)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    try:
        for name, path in files.items():
            shutil.copyfile(path, staging / name)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["version"]:
        sys.exit("usage: python book/_ext/pyodide_dist.py version")
    print(PYODIDE_VERSION)
