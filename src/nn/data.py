"""MNIST: download (or find offline), validate, cache and serve the book's data set.

``load_mnist`` keeps the book's signature and return value. Behind it:

1. *Find the four IDX files.* If the environment variable ``NN_DATA_DIR`` names a folder, the
   files are read from there and nothing is downloaded or written into it (it may be read-only).
   Otherwise pooch downloads them once into the user cache, trying each mirror in turn and
   verifying every file's SHA-256.
2. *Parse and validate* each file: magic number, declared dimensions, exact byte length, and
   that images and labels agree in number. The sample counts are the ones the files declare:
   the official training set has 60,000 images, but an offline copy may hold fewer.
3. *Cache the parsed arrays* as ``.npz`` (never pickle), keyed to the SHA-256 of the source files
   and written atomically, so the next call is fast and two processes never read half a file.
   The cache is data too: it stores the SHA-256 of its own arrays, and on reading, the arrays are
   validated as strictly as freshly parsed ones and must match that digest. A cache that fails
   to load, validate or match is rebuilt, never trusted.
   In the live book (the browser) the parsed arrays stay in memory instead, for the kernel's
   life: its files are requests to the page and its cache folder would be lost with the kernel.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from pathlib import Path

import numpy as np

from . import _checks, live
from ._npz import load_npz, save_npz_atomic

__all__ = [
    "load_mnist",
    "mnist_files",
    "MNISTFormatError",
    "MNISTUnavailableError",
    "MNIST_FILES",
    "MNIST_MIRRORS",
]

#: The four files, their role, and the SHA-256 of the official downloads.
MNIST_FILES: dict[str, tuple[str, str]] = {
    "train_img": (
        "train-images-idx3-ubyte.gz",
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    ),
    "train_label": (
        "train-labels-idx1-ubyte.gz",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    ),
    "test_img": (
        "t10k-images-idx3-ubyte.gz",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    ),
    "test_label": (
        "t10k-labels-idx1-ubyte.gz",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    ),
}

#: Public mirrors of the original files, tried in this order.
MNIST_MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

_IMAGE_MAGIC = 2051
_LABEL_MAGIC = 2049
_ROWS = _COLS = 28
_CACHE_VERSION = 2  # 2: the cache stores and checks a digest of its arrays


class MNISTFormatError(ValueError):
    """An MNIST file is not a valid IDX file of the expected kind (the message names the file)."""


class MNISTUnavailableError(OSError):
    """The MNIST files could be neither found offline nor downloaded."""


# --------------------------------------------------------------------------- locating the files


def _cache_root() -> Path:
    """Where downloads and parsed arrays live: ``NN_CACHE_DIR`` or the user cache of ``nn``."""
    override = os.environ.get("NN_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    if live.IN_BROWSER:  # the browser's file system lives in memory; pooch is not installed there
        return Path("/tmp/nn-cache")
    import pooch

    return Path(pooch.os_cache("nn"))


def _offline_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        raise MNISTUnavailableError(
            f"NN_DATA_DIR is set to {str(folder)!r}, which is not a folder. Point it at a folder "
            f"holding the four MNIST files ({', '.join(n for n, _ in MNIST_FILES.values())}), "
            "or unset it to download them."
        )
    paths = {key: folder / name for key, (name, _) in MNIST_FILES.items()}
    missing = [p.name for p in paths.values() if not p.is_file()]
    if missing:
        raise MNISTUnavailableError(
            f"NN_DATA_DIR={str(folder)!r} is missing {', '.join(missing)}. The folder must hold "
            f"all four MNIST files: {', '.join(n for n, _ in MNIST_FILES.values())}."
        )
    return paths


def _download_files() -> dict[str, Path]:
    import pooch

    folder = _cache_root() / "mnist"
    paths: dict[str, Path] = {}
    for key, (name, sha256) in MNIST_FILES.items():
        reasons = []
        mismatched = []
        for mirror in MNIST_MIRRORS:
            try:
                path = pooch.retrieve(
                    url=mirror + name,
                    known_hash=f"sha256:{sha256}",
                    fname=name,
                    path=folder,
                    progressbar=True,
                )
            except Exception as exc:  # network, HTTP and checksum failures alike: try the next
                if _is_checksum_mismatch(exc):
                    mismatched.append(mirror)
                    reasons.append(
                        f"{mirror}: the downloaded file does not match the SHA-256 the book "
                        f"expects ({sha256[:16]}...): {exc}"[:400]
                    )
                else:
                    reasons.append(f"{mirror}: {type(exc).__name__}: {exc}"[:300])
                continue
            paths[key] = Path(path)
            break
        else:
            files = ", ".join(n for n, _ in MNIST_FILES.values())
            if mismatched:
                advice = (
                    f"\nA checksum mismatch means what arrived is not the official {name}: a "
                    "damaged download, an error page from a proxy, or a mirror that changed. "
                    "Nothing was kept. Try again later, or put verified copies of the four MNIST "
                    f"files ({files}) in a folder and set NN_DATA_DIR to it."
                )
            else:
                advice = (
                    f"\nWithout a network, put the four MNIST files ({files}) in a folder and "
                    f"set NN_DATA_DIR to it, or copy them into {folder} (the download folder; "
                    "their SHA-256 is checked there too)."
                )
            raise MNISTUnavailableError(
                f"Could not download {name} from any mirror:\n  " + "\n  ".join(reasons) + advice
            )
    return paths


def _is_checksum_mismatch(exc: Exception) -> bool:
    """Whether pooch refused a download because its hash differs from the known one."""
    text = str(exc).lower()
    return isinstance(exc, ValueError) and "hash" in text and "match" in text


# --------------------------------------------------------------------------- parsing IDX


def _read_gzip(path: Path) -> bytes:
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise MNISTFormatError(
            f"{path.name}: cannot be decompressed ({exc}). The file is damaged or not gzip; "
            f"replace it with a fresh copy of {path.name}."
        ) from exc


def _header(data: bytes, path: Path, size: int, magic: int, kind: str) -> np.ndarray:
    if len(data) < size:
        raise MNISTFormatError(
            f"{path.name}: {len(data)} bytes is shorter than an IDX {kind} header ({size} bytes); "
            "the file is truncated or empty. Replace it with a fresh copy."
        )
    header = np.frombuffer(data, dtype=">u4", count=size // 4)
    if header[0] != magic:
        raise MNISTFormatError(
            f"{path.name}: magic number {int(header[0])}, expected {magic} for an IDX {kind} "
            "file. Is it the right file (images vs labels), and not an HTML error page?"
        )
    return header


def _parse_images(path: Path) -> np.ndarray:
    """(N, 784) uint8 pixel rows from an IDX3 image file."""
    data = _read_gzip(path)
    _, count, rows, cols = (int(v) for v in _header(data, path, 16, _IMAGE_MAGIC, "image"))
    if (rows, cols) != (_ROWS, _COLS):
        raise MNISTFormatError(
            f"{path.name}: images are declared {rows}x{cols}, expected {_ROWS}x{_COLS}. "
            "This is not MNIST."
        )
    expected = 16 + count * rows * cols
    if len(data) != expected:
        raise MNISTFormatError(
            f"{path.name}: the header declares {count} images of {rows}x{cols}, which needs "
            f"{expected} bytes, but the file holds {len(data)}. The file is truncated or "
            "damaged; replace it with a fresh copy."
        )
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols).copy()


def _parse_labels(path: Path) -> np.ndarray:
    """(N,) uint8 labels 0-9 from an IDX1 label file."""
    data = _read_gzip(path)
    _, count = (int(v) for v in _header(data, path, 8, _LABEL_MAGIC, "label"))
    if len(data) != 8 + count:
        raise MNISTFormatError(
            f"{path.name}: the header declares {count} labels ({8 + count} bytes) but the file "
            f"holds {len(data)} bytes. The file is truncated or damaged; replace it."
        )
    labels = np.frombuffer(data, dtype=np.uint8, offset=8).copy()
    if labels.size and labels.max() > 9:
        raise MNISTFormatError(
            f"{path.name}: holds label {int(labels.max())}; MNIST labels are 0-9."
        )
    return labels


def _parse_all(paths: dict[str, Path]) -> dict[str, np.ndarray]:
    arrays = {
        "x_train": _parse_images(paths["train_img"]),
        "t_train": _parse_labels(paths["train_label"]),
        "x_test": _parse_images(paths["test_img"]),
        "t_test": _parse_labels(paths["test_label"]),
    }
    for split, img_key, lab_key in (("train", "train_img", "train_label"),
                                    ("test", "test_img", "test_label")):
        n_img, n_lab = len(arrays[f"x_{split}"]), len(arrays[f"t_{split}"])
        if n_img != n_lab:
            raise MNISTFormatError(
                f"{paths[img_key].name} holds {n_img} images but {paths[lab_key].name} holds "
                f"{n_lab} labels; they must match. Are the two files from the same release?"
            )
    return arrays


# --------------------------------------------------------------------------- the .npz cache


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cache_path(paths: dict[str, Path]) -> Path:
    key = hashlib.sha256()
    key.update(f"v{_CACHE_VERSION}".encode())
    for name in sorted(paths):
        key.update(_sha256(paths[name]).encode())
    return _cache_root() / "parsed" / f"mnist-{key.hexdigest()[:24]}.npz"


_KEYS = ("x_train", "t_train", "x_test", "t_test")


def _digest(arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 of the four arrays' shapes and bytes, in a fixed order."""
    digest = hashlib.sha256()
    for key in _KEYS:
        array = np.ascontiguousarray(arrays[key])
        digest.update(f"{key}{array.dtype.str}{array.shape}".encode())
        digest.update(memoryview(array).cast("B"))
    return digest.hexdigest()


def _valid_arrays(arrays: dict[str, np.ndarray]) -> bool:
    """The checks a freshly parsed file passes: uint8 images (N, 784), as many uint8 labels,
    every label 0-9."""
    for split in ("train", "test"):
        x, t = arrays[f"x_{split}"], arrays[f"t_{split}"]
        if x.dtype != np.uint8 or t.dtype != np.uint8:
            return False
        if x.ndim != 2 or x.shape[1] != _ROWS * _COLS or t.shape != (len(x),):
            return False
        if t.size and t.max() > 9:
            return False
    return True


def _read_cache(path: Path) -> dict[str, np.ndarray] | None:
    """The cached arrays if the file loads, validates and matches its stored digest, else
    ``None`` (to rebuild)."""
    try:
        stored = load_npz(path, what="the MNIST cache")
        arrays = {k: stored[k] for k in _KEYS}
        digest = str(stored["sha256"])
    except (ValueError, KeyError):  # missing, truncated, not a zip, wrong keys: all mean "rebuild"
        return None
    if not _valid_arrays(arrays) or digest != _digest(arrays):
        return None
    return arrays


def _write_cache(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write atomically, with the digest of the arrays: a reader sees either no file or a whole
    one. Best effort."""
    try:
        save_npz_atomic(path, {**arrays, "sha256": np.array(_digest(arrays))})
    except OSError:
        pass  # an unwritable cache only costs speed


def mnist_files() -> dict[str, Path]:
    """The four MNIST files ``load_mnist`` reads, keyed ``train_img``, ``train_label``,
    ``test_img``, ``test_label``.

    From the folder ``NN_DATA_DIR`` when it is set; in the live book (browser) from the copy the
    site carries (``nn.live.BROWSER_DATA_DIR``); otherwise downloaded once and verified.
    """
    data_dir = os.environ.get("NN_DATA_DIR")
    if data_dir:
        return _offline_files(Path(data_dir).expanduser())
    if live.IN_BROWSER:
        return _offline_files(live.BROWSER_DATA_DIR)
    return _download_files()


#: The browser's parsed files, keyed by each file's path, size and modification time.
_PARSED_IN_MEMORY: dict[tuple, dict[str, np.ndarray]] = {}


def _load_uint8() -> dict[str, np.ndarray]:
    paths = mnist_files()
    if live.IN_BROWSER:
        return _load_uint8_in_memory(paths)
    cache = _cache_path(paths)
    arrays = _read_cache(cache)
    if arrays is None:
        arrays = _parse_all(paths)
        _write_cache(cache, arrays)
    return arrays


def _load_uint8_in_memory(paths: dict[str, Path]) -> dict[str, np.ndarray]:
    """The browser's way: parse once per kernel and keep the arrays in memory (the stored arrays
    themselves come out: ``load_mnist`` returns new ones made from them).

    In the browser every open of a file of the page's file system is a request to the page, and
    the cache folder is in memory, lost with the kernel. The ``.npz`` cache would cost a hash of
    all four files and a write at every load (about 0.9 s of 1.3) and save nothing for the next
    kernel, so here each file is opened once, and a second load in the same kernel parses
    nothing. The parsed arrays are validated exactly as in CPython (``_parse_all``).
    """
    key = tuple(
        (str(path), status.st_size, status.st_mtime_ns)
        for path, status in ((p, p.stat()) for p in paths.values())
    )
    arrays = _PARSED_IN_MEMORY.get(key)
    if arrays is None:
        _PARSED_IN_MEMORY.clear()  # one copy of MNIST in the browser's memory at most
        arrays = _PARSED_IN_MEMORY[key] = _parse_all(paths)
    return arrays


# --------------------------------------------------------------------------- public API


def _one_hot(labels: np.ndarray) -> np.ndarray:
    out = np.zeros((labels.size, 10), dtype=np.float32)
    out[np.arange(labels.size), labels] = 1.0
    return out


def load_mnist(
    normalize: bool = True, flatten: bool = True, one_hot_label: bool = False
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST as ``((x_train, t_train), (x_test, t_test))``.

    Parameters
    ----------
    normalize : pixels as float32 in [0, 1] if True, else uint8 0-255.
    flatten : images as (N, 784) if True, else (N, 1, 28, 28) (channels first, as the
        convolution layers expect).
    one_hot_label : labels as (N, 10) float32 one-hot rows if True, else integer labels (N,).

    N is what the files declare: 60,000 training and 10,000 test images for the official
    download, possibly fewer training images in an offline copy (``NN_DATA_DIR``).

    Raises ``MNISTUnavailableError`` when the files can be neither found nor downloaded, and
    ``MNISTFormatError`` (a ``ValueError``) naming the file when one is damaged.
    """
    normalize = _checks.flag("normalize", normalize)
    flatten = _checks.flag("flatten", flatten)
    one_hot_label = _checks.flag("one_hot_label", one_hot_label)
    arrays = _load_uint8()
    out = []
    for split in ("train", "test"):
        x, t = arrays[f"x_{split}"], arrays[f"t_{split}"]
        # Always a new array: in the browser the parsed ones are kept for the next call.
        x = x.astype(np.float32) / 255.0 if normalize else x.copy()
        if not flatten:
            x = x.reshape(-1, 1, _ROWS, _COLS)
        t = _one_hot(t) if one_hot_label else t.astype(np.int64)
        out.append((x, t))
    return out[0], out[1]
