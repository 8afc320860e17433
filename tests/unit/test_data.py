"""load_mnist on small IDX files built here (no network), and on the real files if present."""

from __future__ import annotations

import gzip
import os
import stat
from pathlib import Path

import numpy as np
import pytest

import nn
from nn import data as mnist_data
from paths import needs_mnist

NAMES = {key: name for key, (name, _) in nn.MNIST_FILES.items()}


def idx_images(images: np.ndarray, magic: int = 2051, dims=(28, 28), count=None) -> bytes:
    n = len(images) if count is None else count
    header = np.array([magic, n, *dims], dtype=">u4").tobytes()
    return header + images.astype(np.uint8).tobytes()


def idx_labels(labels: np.ndarray, magic: int = 2049, count=None) -> bytes:
    n = len(labels) if count is None else count
    return np.array([magic, n], dtype=">u4").tobytes() + labels.astype(np.uint8).tobytes()


def write_gz(path: Path, payload: bytes) -> None:
    path.write_bytes(gzip.compress(payload))


@pytest.fixture
def sample(tmp_path, monkeypatch):
    """A data folder with 12 training and 5 test images, and a private cache folder."""
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, size=(12, 784), dtype=np.uint8)
    t_train = rng.integers(0, 10, size=12)
    x_test = rng.integers(0, 256, size=(5, 784), dtype=np.uint8)
    t_test = np.array([7, 2, 1, 0, 9])
    folder = tmp_path / "mnist"
    folder.mkdir()
    write_gz(folder / NAMES["train_img"], idx_images(x_train))
    write_gz(folder / NAMES["train_label"], idx_labels(t_train))
    write_gz(folder / NAMES["test_img"], idx_images(x_test))
    write_gz(folder / NAMES["test_label"], idx_labels(t_test))
    monkeypatch.setenv("NN_DATA_DIR", str(folder))
    monkeypatch.setenv("NN_CACHE_DIR", str(tmp_path / "cache"))
    return {"folder": folder, "cache": tmp_path / "cache", "x_train": x_train,
            "t_train": t_train, "x_test": x_test, "t_test": t_test}


def test_default_options_normalize_flatten_labels(sample):
    (x, t), (xt, tt) = nn.load_mnist()
    assert x.shape == (12, 784) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    np.testing.assert_allclose(x * 255, sample["x_train"], atol=1e-4)
    assert t.shape == (12,) and np.issubdtype(t.dtype, np.integer)
    np.testing.assert_array_equal(t, sample["t_train"])
    assert xt.shape == (5, 784)
    np.testing.assert_array_equal(tt, [7, 2, 1, 0, 9])


def test_raw_pixels_images_and_one_hot(sample):
    (x, t), (xt, tt) = nn.load_mnist(normalize=False, flatten=False, one_hot_label=True)
    assert x.dtype == np.uint8 and x.shape == (12, 1, 28, 28)
    np.testing.assert_array_equal(x.reshape(12, 784), sample["x_train"])
    assert t.shape == (12, 10) and t.dtype == np.float32
    np.testing.assert_array_equal(t.argmax(axis=1), sample["t_train"])
    np.testing.assert_array_equal(t.sum(axis=1), np.ones(12))
    assert xt.shape == (5, 1, 28, 28) and tt.shape == (5, 10)


def test_normalized_image_shape(sample):
    (x, _), _ = nn.load_mnist(normalize=True, flatten=False)
    assert x.shape == (12, 1, 28, 28) and x.dtype == np.float32


@pytest.mark.parametrize(
    "key, payload, words",
    [
        ("train_img", lambda s: idx_images(s["x_train"], magic=2049),
         ["magic number 2049", "2051"]),
        ("train_label", lambda s: idx_labels(s["t_train"], magic=2051),
         ["magic number 2051", "2049"]),
        ("test_img", lambda s: idx_images(s["x_test"])[:-100], ["truncated"]),
        ("test_label", lambda s: idx_labels(s["t_test"])[:-2], ["truncated"]),
        ("train_img", lambda s: idx_images(s["x_train"], count=13), ["declares 13 images"]),
        ("train_img", lambda s: idx_images(s["x_train"], dims=(28, 27)), ["28x27", "28x28"]),
        ("test_img", lambda s: b"\x00\x00", ["shorter than an IDX image header"]),
    ],
    ids=["bad-image-magic", "bad-label-magic", "truncated-images", "truncated-labels",
         "declared-count", "wrong-dimensions", "empty"],
)
def test_corrupt_file_is_named(sample, key, payload, words):
    write_gz(sample["folder"] / NAMES[key], payload(sample))
    with pytest.raises(nn.MNISTFormatError) as info:
        nn.load_mnist()
    message = str(info.value)
    assert NAMES[key] in message
    for word in words:
        assert word in message


def test_count_mismatch_names_both_files(sample):
    write_gz(sample["folder"] / NAMES["train_label"], idx_labels(sample["t_train"][:11]))
    with pytest.raises(ValueError) as info:
        nn.load_mnist()
    message = str(info.value)
    assert NAMES["train_img"] in message and NAMES["train_label"] in message
    assert "12 images" in message and "11 labels" in message


def test_not_gzip_is_named(sample):
    (sample["folder"] / NAMES["test_label"]).write_bytes(b"<html>404</html>")
    with pytest.raises(nn.MNISTFormatError, match=NAMES["test_label"]):
        nn.load_mnist()


def test_label_out_of_range_is_named(sample):
    write_gz(sample["folder"] / NAMES["test_label"], idx_labels(np.array([7, 2, 1, 0, 12])))
    with pytest.raises(nn.MNISTFormatError, match=f"{NAMES['test_label']}.*label 12"):
        nn.load_mnist()


def test_missing_file_in_data_dir(sample):
    (sample["folder"] / NAMES["test_img"]).unlink()
    with pytest.raises(nn.MNISTUnavailableError) as info:
        nn.load_mnist()
    assert NAMES["test_img"] in str(info.value) and "NN_DATA_DIR" in str(info.value)


def test_offline_error_names_files_folder_and_env(sample, monkeypatch):
    monkeypatch.delenv("NN_DATA_DIR")
    import pooch

    calls = []

    def no_network(url, **kwargs):
        calls.append(url)
        raise ConnectionError(f"cannot reach {url}")

    monkeypatch.setattr(pooch, "retrieve", no_network)
    with pytest.raises(nn.MNISTUnavailableError) as info:
        nn.load_mnist()
    message = str(info.value)
    for name in NAMES.values():
        assert name in message
    assert "NN_DATA_DIR" in message
    assert str(sample["cache"] / "mnist") in message
    # every mirror was tried before giving up
    assert [u.rsplit("/", 1)[0] + "/" for u in calls] == list(nn.MNIST_MIRRORS)


def test_download_uses_pooch_with_checksums(sample, monkeypatch):
    """Without NN_DATA_DIR, files come through pooch with the official SHA-256, falling back
    to the second mirror when the first fails."""
    monkeypatch.delenv("NN_DATA_DIR")
    import pooch

    seen = []

    def fake_retrieve(url, known_hash, fname, path, progressbar):
        seen.append((url, known_hash))
        if url.startswith(nn.MNIST_MIRRORS[0]):
            raise ConnectionError("first mirror down")
        return str(sample["folder"] / fname)

    monkeypatch.setattr(pooch, "retrieve", fake_retrieve)
    (x, _), _ = nn.load_mnist()
    assert x.shape == (12, 784)
    hashes = {name: f"sha256:{h}" for name, h in nn.MNIST_FILES.values()}
    for url, known_hash in seen:
        assert known_hash == hashes[url.rsplit("/", 1)[1]]
    assert sum(u.startswith(nn.MNIST_MIRRORS[1]) for u, _ in seen) == 4


def test_cache_is_reused(sample, monkeypatch):
    nn.load_mnist()
    cached = list((sample["cache"] / "parsed").glob("*.npz"))
    assert len(cached) == 1

    def must_not_parse(paths):
        raise AssertionError("parsed the IDX files although a valid cache exists")

    monkeypatch.setattr(mnist_data, "_parse_all", must_not_parse)
    (x, t), _ = nn.load_mnist(normalize=False)
    np.testing.assert_array_equal(x, sample["x_train"])


def test_cache_follows_source_files(sample):
    nn.load_mnist()
    changed = sample["t_test"].copy()
    changed[0] = 3
    write_gz(sample["folder"] / NAMES["test_label"], idx_labels(changed))
    _, (_, tt) = nn.load_mnist()
    assert tt[0] == 3
    assert len(list((sample["cache"] / "parsed").glob("*.npz"))) == 2


@pytest.mark.parametrize("garbage", [b"", b"not a zip file", b"PK\x03\x04broken"])
def test_corrupt_cache_is_rebuilt(sample, garbage):
    nn.load_mnist()
    (cached,) = (sample["cache"] / "parsed").glob("*.npz")
    cached.write_bytes(garbage)
    (x, _), _ = nn.load_mnist(normalize=False)
    np.testing.assert_array_equal(x, sample["x_train"])
    assert cached.stat().st_size > 1000  # rewritten whole


def test_cache_with_wrong_arrays_is_rebuilt(sample):
    nn.load_mnist()
    (cached,) = (sample["cache"] / "parsed").glob("*.npz")
    np.savez(cached, x_train=np.zeros((3, 5), np.uint8), t_train=np.zeros(2, np.uint8),
             x_test=np.zeros((1, 784), np.uint8), t_test=np.zeros(1, np.uint8))
    (x, _), _ = nn.load_mnist(normalize=False)
    np.testing.assert_array_equal(x, sample["x_train"])


def test_no_temporary_files_left(sample):
    nn.load_mnist()
    assert [p.suffix for p in (sample["cache"] / "parsed").iterdir()] == [".npz"]


def test_read_only_data_folder_is_never_written(sample):
    folder = sample["folder"]
    before = sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir())
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
    try:
        (x, _), _ = nn.load_mnist()
        assert x.shape == (12, 784)
    finally:
        os.chmod(folder, stat.S_IRWXU)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()) == before


def test_unwritable_cache_still_loads(sample, monkeypatch):
    blocker = sample["cache"]
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the cache folder should be")
    (x, _), _ = nn.load_mnist(normalize=False)
    np.testing.assert_array_equal(x, sample["x_train"])


def test_data_dir_that_is_not_a_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_DATA_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("NN_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(nn.MNISTUnavailableError, match="not a folder"):
        nn.load_mnist()


@pytest.mark.data
@needs_mnist
def test_real_files():
    (x, t), (xt, tt) = nn.load_mnist()
    assert xt.shape == (10000, 784) and tt.shape == (10000,)
    assert x.shape[0] == t.shape[0] and x.shape[0] in (10000, 60000)
    assert tt[0] == 7 and t[0] == 5
    assert x.dtype == np.float32 and 0.0 <= x.min() and x.max() == 1.0
    assert set(np.unique(tt)) == set(range(10))


# ---------------------------------------------------------------- the cache is data too


def rewrite_cache(sample, change):
    """Load once, then alter the cached arrays in a well-formed .npz (digest left as it was)."""
    nn.load_mnist()
    (cached,) = (sample["cache"] / "parsed").glob("*.npz")
    with np.load(cached, allow_pickle=False) as z:
        arrays = {k: z[k].copy() for k in z.files}
    change(arrays)
    np.savez(cached, **arrays)
    return cached


def set_label_200(arrays):
    arrays["t_train"][0] = 200


def invert_first_image(arrays):
    arrays["x_train"][0] = 255 - arrays["x_train"][0]


def drop_digest(arrays):
    del arrays["sha256"]


def consistent_but_forged(arrays):
    # Pixels changed and the stored digest replaced: it no longer matches the arrays.
    arrays["x_test"][1] = 0
    arrays["sha256"] = np.array("0" * 64)


@pytest.mark.parametrize(
    "change", [set_label_200, invert_first_image, drop_digest, consistent_but_forged]
)
def test_altered_cache_is_not_trusted(sample, change):
    cached = rewrite_cache(sample, change)
    (x, t), (xt, tt) = nn.load_mnist(normalize=False)
    np.testing.assert_array_equal(x, sample["x_train"])
    np.testing.assert_array_equal(t, sample["t_train"])
    np.testing.assert_array_equal(xt, sample["x_test"])
    assert t.max() <= 9
    # and the cache was rebuilt whole, with a digest that matches again
    assert mnist_data._read_cache(cached) is not None


def test_cache_labels_are_validated_like_parsed_ones(sample):
    arrays = {"x_train": sample["x_train"], "t_train": sample["t_train"].astype(np.uint8),
              "x_test": sample["x_test"], "t_test": sample["t_test"].astype(np.uint8)}
    assert mnist_data._valid_arrays(arrays)
    arrays["t_test"] = arrays["t_test"].copy()
    arrays["t_test"][2] = 10
    assert not mnist_data._valid_arrays(arrays)


def test_checksum_mismatch_is_named_as_such(sample, monkeypatch):
    monkeypatch.delenv("NN_DATA_DIR")
    import pooch

    def mismatch(url, known_hash, fname, path, progressbar):
        raise ValueError(
            f"SHA256 hash of downloaded file ({fname}) does not match the known hash: "
            f"expected {known_hash}, got 1234."
        )

    monkeypatch.setattr(pooch, "retrieve", mismatch)
    with pytest.raises(nn.MNISTUnavailableError) as info:
        nn.load_mnist()
    message = str(info.value)
    assert "does not match the SHA-256 the book expects" in message
    assert "A checksum mismatch means what arrived is not the official" in message
    assert "NN_DATA_DIR" in message
    # no advice to copy files into the folder that holds the mismatching download
    assert "copy them into" not in message


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600)])
def test_cache_file_gets_a_normal_mode(sample, mask, expected):
    old = os.umask(mask)
    try:
        nn.load_mnist()
    finally:
        os.umask(old)
    (cached,) = (sample["cache"] / "parsed").glob("*.npz")
    assert stat.S_IMODE(cached.stat().st_mode) == expected


@pytest.mark.parametrize("argument", ["normalize", "flatten", "one_hot_label"])
def test_switches_must_be_booleans(sample, argument):
    with pytest.raises(ValueError, match=rf"{argument} must be True or False; got 'yes'"):
        nn.load_mnist(**{argument: "yes"})


@pytest.fixture
def in_browser(sample, monkeypatch):
    """load_mnist as the live book runs it: nn.live.IN_BROWSER, an empty in-memory store."""
    monkeypatch.setattr(nn.live, "IN_BROWSER", True)
    monkeypatch.setattr(mnist_data, "_PARSED_IN_MEMORY", {})
    return sample


def test_browser_parses_once_per_kernel_and_writes_no_cache(in_browser, monkeypatch):
    (x, t), (xt, tt) = nn.load_mnist(normalize=False)
    np.testing.assert_array_equal(x, in_browser["x_train"])
    np.testing.assert_array_equal(tt, in_browser["t_test"])
    assert not in_browser["cache"].exists(), "the browser wrote a disk cache"

    def must_not_parse(paths):
        raise AssertionError("parsed the IDX files again in the same kernel")

    monkeypatch.setattr(mnist_data, "_parse_all", must_not_parse)
    x[0, 0] = 255 - x[0, 0]  # the caller's array is its own: the next load is not affected
    (x2, _), _ = nn.load_mnist(normalize=False)
    np.testing.assert_array_equal(x2, in_browser["x_train"])
    (x3, _), _ = nn.load_mnist()
    np.testing.assert_allclose(x3 * 255, in_browser["x_train"], atol=1e-4)


def test_browser_reads_a_changed_file_again(in_browser):
    nn.load_mnist()
    changed = in_browser["t_test"].copy()
    changed[0] = 3
    path = in_browser["folder"] / NAMES["test_label"]
    write_gz(path, idx_labels(changed))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    _, (_, tt) = nn.load_mnist()
    assert tt[0] == 3
    assert len(mnist_data._PARSED_IN_MEMORY) == 1, "the store keeps only the newest files"


def test_browser_validates_like_cpython(in_browser):
    write_gz(in_browser["folder"] / NAMES["train_label"], idx_labels(np.arange(11) % 10))
    with pytest.raises(nn.MNISTFormatError, match="12 images but .* 11 labels"):
        nn.load_mnist()
