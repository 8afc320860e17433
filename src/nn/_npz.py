"""Reading and writing ``.npz`` files: writes are atomic, reads say what is wrong with a file.

Both the MNIST cache and the networks' weight files go through here.  No pickle, ever: a file
holding Python objects is refused as damaged, and no message suggests loading it "unsafely".
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import numpy as np

_ZIP_MAGIC = b"PK\x03\x04"
_NPY_MAGIC = b"\x93NUMPY"


def _current_umask() -> int:
    """The process's umask: from /proc on Linux, else by setting it and putting it back."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_of_a_normal_write(path: Path) -> int:
    """The permissions ``open(path, "wb")`` would leave: those of the file it overwrites, or
    0666 less the umask for a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_current_umask()


def save_npz_atomic(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` (uncompressed ``.npz``, no pickle) under a temporary name in
    the same folder, then rename it: ``path`` holds either its old content or the whole new
    file, even if writing fails half-way.  Creates the folder; raises ``OSError`` as it comes.

    The file gets the permissions a normal write would give it (those of the file it replaces,
    else 0666 less the umask, usually 0644), not the 0600 of the temporary file it starts as.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        os.fchmod(fd, _mode_of_a_normal_write(path))
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class NpzReadError(ValueError):
    """A ``.npz`` file cannot be read; the message names the file and what is wrong with it."""


def _problem_with_file(path: Path) -> str | None:
    """What makes ``path`` unreadable as a ``.npz`` before numpy even tries, or None."""
    if not path.exists():
        return "there is no such file"
    if path.is_dir():
        return "it is a folder, not a file"
    with open(path, "rb") as f:
        head = f.read(8)
    if not head:
        return "the file is empty (0 bytes)"
    if head.startswith(_NPY_MAGIC):
        return "it is a single .npy array, not a .npz archive of named arrays"
    if not head.startswith(_ZIP_MAGIC):
        return (
            f"it is not a .npz archive (a .npz file starts with {_ZIP_MAGIC!r}; "
            f"this one with {head!r})"
        )
    return None


def load_npz(path: str | os.PathLike, what: str = "arrays") -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` file ``path``, read in full (so damage shows now, not later).

    Raises :class:`NpzReadError` (a ``ValueError``) saying ``cannot read <what> from '<path>': ``
    and what is wrong: missing, empty, a ``.npy`` or another kind of file, truncated or damaged
    (bad zip structure, failed CRC check), or an entry holding Python objects.
    """
    path = Path(path)
    prefix = f"cannot read {what} from {str(path)!r}: "
    try:
        problem = _problem_with_file(path)
    except OSError as exc:
        raise NpzReadError(prefix + f"{exc.strerror or exc}") from exc
    if problem:
        raise NpzReadError(prefix + problem)
    arrays: dict[str, np.ndarray] = {}
    key = None
    try:
        with np.load(path, allow_pickle=False) as archive:
            for key in archive.files:
                arrays[key] = archive[key]
    except ValueError as exc:
        if "object" in str(exc).lower() or "pickle" in str(exc).lower():
            raise NpzReadError(
                prefix + f"the entry {key!r} holds Python objects (pickled data), which nn "
                "never loads; the file was not written by nn or has been tampered with"
            ) from None
        raise NpzReadError(prefix + f"the entry {key!r} is damaged ({exc})") from None
    except Exception as exc:  # BadZipFile, EOFError, zlib.error, CRC errors...: all damage
        where = f" (while reading the entry {key!r})" if key else ""
        raise NpzReadError(
            prefix + f"the archive is truncated or damaged{where}: {type(exc).__name__}: {exc}"
        ) from None
    return arrays
