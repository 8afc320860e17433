"""Weight files: every failure to read one is a ValueError naming the path and what is wrong (never
a suggestion to unpickle), a bad file changes nothing, and saved files get a normal file's mode."""

import os
import stat

import numpy as np
import pytest

import nn


@pytest.fixture
def net():
    return nn.TwoLayerNet(4, 3, 2, seed=1)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "good.npz"
    nn.TwoLayerNet(4, 3, 2, seed=2).save_params(path, metadata={"note": "x"})
    return path


def unchanged(net, before):
    return all(np.array_equal(before[k], net.params[k]) for k in before)


@pytest.mark.parametrize(
    "name, content, what",
    [
        ("w.txt", b"hello, these are not weights\n", r"it is not a \.npz archive"),
        ("empty.npz", b"", r"the file is empty \(0 bytes\)"),
        ("html.npz", b"<!DOCTYPE html><html>404</html>", r"it is not a \.npz archive"),
    ],
)
def test_files_that_are_not_npz(tmp_path, net, name, content, what):
    path = tmp_path / name
    path.write_bytes(content)
    before = {k: v.copy() for k, v in net.params.items()}
    with pytest.raises(ValueError, match=rf"cannot read weights from '{path}': {what}") as info:
        net.load_params(path)
    assert "allow_pickle" not in str(info.value) and "unsafe" not in str(info.value)
    assert unchanged(net, before)


def test_npy_file(tmp_path, net):
    path = tmp_path / "w1.npy"
    np.save(path, np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"w1\.npy': it is a single \.npy array, not a \.npz"):
        net.load_params(path)


def test_missing_file_and_folder(tmp_path, net):
    with pytest.raises(ValueError, match=r"nope\.npz': there is no such file"):
        net.load_params(tmp_path / "nope.npz")
    with pytest.raises(ValueError, match=r"it is a folder, not a file"):
        net.load_params(tmp_path)


def test_object_arrays_are_refused_without_suggesting_pickle(tmp_path, net):
    path = tmp_path / "obj.npz"
    np.savez(path, W1=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match=r"obj\.npz': the entry 'W1' holds Python objects") as info:
        net.load_params(path)
    assert "allow_pickle" not in str(info.value)


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.5, 0.9, 0.99])
def test_truncated_file(tmp_path, net, saved, fraction):
    data = saved.read_bytes()
    path = tmp_path / "cut.npz"
    path.write_bytes(data[: int(len(data) * fraction)])
    before = {k: v.copy() for k, v in net.params.items()}
    with pytest.raises(ValueError, match=rf"cannot read weights from '{path}': "):
        net.load_params(path)
    assert unchanged(net, before)


def test_any_flipped_byte_loads_or_fails_clearly(tmp_path, net, saved):
    # Flip bytes all over the file: the zip CRC catches damage to the arrays; damage elsewhere
    # may be harmless.  Either the weights load, or a ValueError names the file. Nothing else.
    data = saved.read_bytes()
    path = tmp_path / "flip.npz"
    rng = np.random.default_rng(0)
    failures = 0
    for position in rng.choice(len(data), size=60, replace=False):
        damaged = bytearray(data)
        damaged[position] ^= 1 << int(rng.integers(8))
        path.write_bytes(bytes(damaged))
        try:
            net.load_params(path)
        except ValueError as exc:
            assert str(path) in str(exc) and "allow_pickle" not in str(exc)
            failures += 1
    assert failures > 30  # most bytes matter


def test_damaged_array_bytes_fail_the_crc_check(tmp_path, net, saved):
    data = bytearray(saved.read_bytes())
    start = data.index(b"\x93NUMPY")  # the first array's .npy header
    data[start + 200] ^= 0x10  # inside its numbers
    path = tmp_path / "crc.npz"
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"crc\.npz': the archive is truncated or damaged"):
        net.load_params(path)


def test_non_finite_weights_are_refused(tmp_path, net):
    state = net.state_dict()
    state["W2"][0, 0] = np.inf
    path = tmp_path / "inf.npz"
    np.savez(path, **state)
    with pytest.raises(ValueError, match=r"inf\.npz: W2 must hold finite numbers"):
        net.load_params(path)


# ------------------------------------------------------------------ file modes


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_saved_weights_get_the_mode_of_a_normal_write(tmp_path, net, umask, mask, expected):
    umask(mask)
    net.save_params(tmp_path / "w.npz")
    plain = tmp_path / "plain"
    plain.write_bytes(b"x")  # what open() gives under the same umask
    assert mode(tmp_path / "w.npz") == mode(plain) == expected


def test_overwriting_keeps_the_existing_mode(tmp_path, net, umask):
    path = tmp_path / "w.npz"
    path.write_bytes(b"old")
    os.chmod(path, 0o644)
    umask(0o077)
    net.save_params(path)
    assert mode(path) == 0o644  # as open(path, "wb") would leave it
    nn.TwoLayerNet(4, 3, 2, seed=1).load_params(path)
