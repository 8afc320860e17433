"""The shared argument checks (nn/_checks.py): what they accept, and messages that say what was
expected and what came."""

import math

import numpy as np
import pytest

from nn import _checks as checks


@pytest.mark.parametrize("value", [1, 7, np.int64(3), np.uint8(200)])
def test_positive_int_accepts_integers(value):
    out = checks.positive_int("epochs", value)
    assert out == int(value) and type(out) is int


@pytest.mark.parametrize(
    "value, message",
    [
        (0, r"epochs must be an integer >= 1; got 0$"),
        (-3, r"epochs must be an integer >= 1; got -3$"),
        (2.0, r"epochs must be an integer >= 1; got 2\.0$"),
        (True, r"epochs must be an integer >= 1; got True$"),
        ("3", r"epochs must be an integer >= 1; got '3'$"),
        (None, r"epochs must be an integer >= 1; got None$"),
        (np.array([1, 2]), r"epochs must be an integer >= 1; got array\(\[1, 2\]\)"),
    ],
)
def test_positive_int_rejects(value, message):
    with pytest.raises(ValueError, match=message):
        checks.positive_int("epochs", value)


def test_non_negative_int_and_int_at_least():
    assert checks.non_negative_int("pad", 0) == 0
    with pytest.raises(ValueError, match=r"pad must be an integer >= 0; got -1"):
        checks.non_negative_int("pad", -1)
    assert checks.int_at_least("n", 5, 5) == 5
    with pytest.raises(ValueError, match=r"n must be an integer >= 5; got 4"):
        checks.int_at_least("n", 4, 5)


@pytest.mark.parametrize("value", [0, -2.5, 1e300, np.float32(0.5), np.int16(4)])
def test_finite_number_accepts(value):
    out = checks.finite_number("lr", value)
    assert out == float(value) and type(out) is float


@pytest.mark.parametrize(
    "value, message",
    [
        (math.nan, r"lr must be a finite number; got nan"),
        (-math.inf, r"lr must be a finite number; got -inf"),
        ("0.1", r"lr must be a finite number; got '0\.1'"),
        (False, r"lr must be a finite number; got False"),
        (1 + 2j, r"lr must be a finite number; got \(1\+2j\)"),
    ],
)
def test_finite_number_rejects(value, message):
    with pytest.raises(ValueError, match=message):
        checks.finite_number("lr", value)


def test_positive_and_non_negative_numbers():
    assert checks.positive_number("lr", 1e-9) == 1e-9
    for bad in (0, -1, math.inf, math.nan):
        with pytest.raises(ValueError, match=r"lr must be a finite number > 0; got"):
            checks.positive_number("lr", bad)
    assert checks.non_negative_number("lam", 0) == 0.0
    with pytest.raises(ValueError, match=r"lam must be a finite number >= 0; got -0\.1"):
        checks.non_negative_number("lam", -0.1)


@pytest.mark.parametrize(
    "interval, inside, outside",
    [
        ("[0, 1)", [0, 0.5, 0.999], [1, -0.1, math.nan]),
        ("[0, 1]", [0, 1], [1.01, -1e-9]),
        ("(0, 1]", [1, 1e-12], [0, 2]),
        ("(0, 1)", [0.5], [0, 1]),
    ],
)
def test_fraction(interval, inside, outside):
    for value in inside:
        assert checks.fraction("ratio", value, interval) == value
    for value in outside:
        with pytest.raises(
            ValueError, match=rf"ratio must be a number in \{interval[0]}0, 1\{interval[-1]}; got"
        ):
            checks.fraction("ratio", value, interval)


def test_fraction_rejects_an_unknown_interval():
    with pytest.raises(ValueError, match="interval must be one of"):
        checks.fraction("ratio", 0.5, "[0, 2]")


def test_float_dtype():
    assert checks.float_dtype("dtype", "float32") == np.float32
    assert checks.float_dtype("dtype", np.float64) == np.float64
    for bad, shown in (
        (np.int32, "int32"),
        ("complex128", "complex128"),
        ("nonsense", "'nonsense'"),
    ):
        with pytest.raises(
            ValueError, match=rf"dtype must be a floating-point type .*; got {shown}"
        ):
            checks.float_dtype("dtype", bad)


def test_as_array_and_numeric_array():
    assert checks.as_array("x", [[1, 2], [3, 4]]).shape == (2, 2)
    with pytest.raises(ValueError, match="x must be an array or a rectangular nested list"):
        checks.as_array("x", [[1, 2], [3]])
    with pytest.raises(ValueError, match=r"x must be an array of real numbers; got dtype <U1"):
        checks.numeric_array("x", ["a", "b"])
    with pytest.raises(ValueError, match=r"got dtype complex128"):
        checks.numeric_array("x", np.ones(2, complex))
    assert checks.numeric_array("x", [True, False]).dtype == bool


def test_finite_array_names_count_and_place_of_the_first_bad_value():
    x = np.zeros((3, 4))
    x[1, 2] = np.nan
    x[2, 0] = np.inf
    with pytest.raises(
        ValueError,
        match=r"x_train must hold only finite numbers; got 2 NaN or inf value\(s\) of 12, "
        r"the first nan at index \(1, 2\)",
    ):
        checks.finite_array("x_train", x)
    with pytest.raises(ValueError, match=r"the first -inf at index 1$"):
        checks.finite_array("v", [0.0, -np.inf])
    ints = np.arange(5)
    assert checks.finite_array("t", ints) is ints


def test_ndim_and_shape():
    x = np.zeros((2, 3))
    checks.check_ndim("x", x, (2, 4))
    with pytest.raises(
        ValueError, match=r"x must be a 4-D array \(N, C, H, W\); got shape \(2, 3\)"
    ):
        checks.check_ndim("x", x, 4, "(N, C, H, W)")
    with pytest.raises(ValueError, match=r"x must be a 1-D or 2-D array; got shape \(\)"):
        checks.check_ndim("x", np.float64(1), (1, 2))
    checks.check_shape("x", x, (None, 3))
    with pytest.raises(ValueError, match=r"x must have shape \(N, 4\); got shape \(2, 3\)"):
        checks.check_shape("x", x, (None, 4))
    with pytest.raises(ValueError, match=r"b must have shape \(3,\); got shape \(2, 3\)"):
        checks.check_shape("b", x, (3,))


def test_non_empty_and_same_length():
    checks.non_empty("x", np.zeros((1, 3)))
    with pytest.raises(
        ValueError, match=r"x_test must hold at least one sample; got shape \(0, 3\)"
    ):
        checks.non_empty("x_test", np.zeros((0, 3)))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        checks.non_empty("x", np.float64(2))
    checks.same_length("x", [1, 2], "t", [0, 1])
    with pytest.raises(ValueError, match=r"x and t must have the same length .*; got 2 and 3"):
        checks.same_length("x", [1, 2], "t", [0, 1, 2])


def test_class_labels():
    out = checks.class_labels("t", [0, 9, 3], 10)
    assert out.dtype == np.int64 and out.tolist() == [0, 9, 3]
    assert checks.class_labels("t", np.array([1.0, 2.0]), 3).tolist() == [1, 2]
    with pytest.raises(ValueError, match=r"t must be integer class labels 0\.\.9; got label 200"):
        checks.class_labels("t", np.array([1, 200], np.uint8), 10)
    with pytest.raises(ValueError, match=r"got label -1"):
        checks.class_labels("t", [-1, 0], 10)
    with pytest.raises(ValueError, match=r"got 0\.5"):
        checks.class_labels("t", [0.5, 1.0], 10)
    with pytest.raises(ValueError, match=r"got nan"):
        checks.class_labels("t", [np.nan], 10)
    with pytest.raises(
        ValueError, match=r"t must be class labels of shape \(3,\); got shape \(2,\)"
    ):
        checks.class_labels("t", [1, 2], 10, n=3)
    assert checks.class_labels("t", np.zeros(0, int), 10).shape == (0,)


def test_numpy_scalars_read_like_python_numbers():
    with pytest.raises(ValueError, match=r"epochs must be an integer >= 1; got 2\.5$"):
        checks.positive_int("epochs", np.float64(2.5))
    assert checks.describe(np.int32(7)) == "7"


def test_describe_keeps_messages_short():
    assert checks.describe(np.zeros((100, 100))) == "an array of shape (100, 100) and dtype float64"
    assert checks.describe(list(range(50))) == "a list of length 50"
    assert len(checks.describe("x" * 500)) < 100


def test_flag():
    assert checks.flag("normalize", True) is True
    assert checks.flag("normalize", np.bool_(False)) is False
    for bad in (1, "yes", None):
        with pytest.raises(ValueError, match=r"normalize must be True or False; got"):
            checks.flag("normalize", bad)
