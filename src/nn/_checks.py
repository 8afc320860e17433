"""Argument checks shared by every public entry point of ``nn``.

Each check returns the value in the form the caller computes with (an ``int``, a ``float``, an
array) or raises an error that says what was expected and what came, always worded the same way:

    ``<name> must be <what was expected>; got <what came>``

``name`` is the argument as the reader wrote it (``"mini_batch_size"``, ``"x_train"``), possibly
prefixed by who checks it (``"Affine: x"``).  Every check raises ``ValueError``, whether the value
is of the wrong kind (a string where a number belongs) or out of range or of the wrong shape: the
library documents one exception for bad arguments, so a caller catches one thing.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "describe",
    "flag",
    "positive_int",
    "non_negative_int",
    "int_at_least",
    "finite_number",
    "positive_number",
    "non_negative_number",
    "fraction",
    "float_dtype",
    "as_array",
    "numeric_array",
    "finite_array",
    "check_ndim",
    "check_shape",
    "non_empty",
    "same_length",
    "class_labels",
]


def describe(value: Any) -> str:
    """A short description of ``value`` for an error message: the value itself when it is small,
    else its type, shape and dtype."""
    if isinstance(value, np.ndarray):
        if value.size <= 6 and value.ndim <= 1:
            return f"{value!r}"
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):  # np.float64(2.5) reads as 2.5
        return repr(value.item())
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"a {type(value).__name__} of length {len(value)}"
    text = repr(value)
    if len(text) > 80:
        text = f"a {type(value).__name__} ({text[:60]}...)"
    return text


def _is_integer(value: Any) -> bool:
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


def _is_real(value: Any) -> bool:
    return isinstance(value, (numbers.Real, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


# --------------------------------------------------------------------------- flags and integers


def flag(name: str, value: Any) -> bool:
    """``value`` as a ``bool`` if it is ``True`` or ``False`` (NumPy's too); ``"yes"``, ``1`` and
    ``None`` are not, so that a misplaced argument does not pass as a switch."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {describe(value)}")
    return bool(value)


def int_at_least(name: str, value: Any, minimum: int) -> int:
    """``value`` as an ``int`` if it is an integer >= ``minimum``.

    ``True``, ``2.0`` and ``"3"`` are not integers.
    """
    if not _is_integer(value):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {int(value)}")
    return int(value)


def positive_int(name: str, value: Any) -> int:
    """``value`` as an ``int`` if it is an integer >= 1."""
    return int_at_least(name, value, 1)


def non_negative_int(name: str, value: Any) -> int:
    """``value`` as an ``int`` if it is an integer >= 0."""
    return int_at_least(name, value, 0)


# --------------------------------------------------------------------------- real numbers


def finite_number(name: str, value: Any) -> float:
    """``value`` as a ``float`` if it is a finite real number (not a bool, NaN or inf)."""
    if not _is_real(value):
        raise ValueError(f"{name} must be a finite number; got {describe(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {number}")
    return number


def positive_number(name: str, value: Any) -> float:
    """``value`` as a ``float`` if it is a finite number > 0."""
    if not _is_real(value):
        raise ValueError(f"{name} must be a finite number > 0; got {describe(value)}")
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a finite number > 0; got {number}")
    return number


def non_negative_number(name: str, value: Any) -> float:
    """``value`` as a ``float`` if it is a finite number >= 0."""
    if not _is_real(value):
        raise ValueError(f"{name} must be a finite number >= 0; got {describe(value)}")
    number = float(value)
    if not (math.isfinite(number) and number >= 0):
        raise ValueError(f"{name} must be a finite number >= 0; got {number}")
    return number


def fraction(name: str, value: Any, interval: str = "[0, 1)") -> float:
    """``value`` as a ``float`` if it lies in ``interval``: one of ``"[0, 1)"``, ``"[0, 1]"``,
    ``"(0, 1]"``, ``"(0, 1)"``."""
    tests = {
        "[0, 1)": lambda v: 0 <= v < 1,
        "[0, 1]": lambda v: 0 <= v <= 1,
        "(0, 1]": lambda v: 0 < v <= 1,
        "(0, 1)": lambda v: 0 < v < 1,
    }
    if interval not in tests:
        raise ValueError(f"interval must be one of {list(tests)}; got {interval!r}")
    if not _is_real(value):
        raise ValueError(f"{name} must be a number in {interval}; got {describe(value)}")
    number = float(value)
    if not (math.isfinite(number) and tests[interval](number)):
        raise ValueError(f"{name} must be a number in {interval}; got {number}")
    return number


# --------------------------------------------------------------------------- dtypes and arrays


def float_dtype(name: str, dtype: Any) -> np.dtype:
    """``np.dtype(dtype)`` if it is a floating-point type (float16/32/64), else ``ValueError``."""
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be a floating-point type such as np.float32; got {describe(dtype)}"
        ) from exc
    if dt.kind != "f":
        raise ValueError(f"{name} must be a floating-point type such as np.float32; got {dt}")
    return dt


def as_array(name: str, value: Any) -> np.ndarray:
    """``np.asarray(value)``, with a clear ``ValueError`` for ragged lists and other things NumPy
    cannot turn into a rectangular array."""
    try:
        return np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{name} must be an array or a rectangular nested list of numbers; "
            f"got {describe(value)} ({exc})"
        ) from exc


def numeric_array(name: str, value: Any) -> np.ndarray:
    """``value`` as an array of numbers (bool, integer or float), not strings,
    objects, complex numbers."""
    x = as_array(name, value)
    if x.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be an array of real numbers; got dtype {x.dtype}")
    return x


def finite_array(name: str, value: Any) -> np.ndarray:
    """``value`` as an array of real numbers, all finite; the message counts and locates the
    first NaN or inf."""
    x = numeric_array(name, value)
    if x.dtype.kind == "f":
        bad = ~np.isfinite(x)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            where_text = where if x.ndim != 1 else where[0]
            raise ValueError(
                f"{name} must hold only finite numbers; got {int(bad.sum())} NaN or inf "
                f"value(s) of {x.size}, the first {x[where]} at index {where_text}"
            )
    return x


def check_ndim(name: str, x: np.ndarray, ndim: int | Sequence[int], meaning: str = "") -> None:
    """``ValueError`` unless ``x.ndim`` is ``ndim`` (or one of them); ``meaning`` spells the
    expected layout, e.g. ``"(N, C, H, W)"``."""
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if x.ndim not in allowed:
        dims = " or ".join(f"{d}-D" for d in allowed)
        layout = f" {meaning}" if meaning else ""
        raise ValueError(f"{name} must be a {dims} array{layout}; got shape {x.shape}")


def check_shape(name: str, x: np.ndarray, shape: Sequence[int | None]) -> None:
    """``ValueError`` unless ``x.shape`` matches ``shape``, where ``None`` matches any length."""
    ok = x.ndim == len(shape) and all(
        s is None or s == d for s, d in zip(shape, x.shape, strict=True)
    )
    if not ok:
        spelled = "(" + ", ".join("N" if s is None else str(s) for s in shape)
        spelled += ",)" if len(shape) == 1 else ")"
        raise ValueError(f"{name} must have shape {spelled}; got shape {x.shape}")


def non_empty(name: str, x: np.ndarray) -> None:
    """``ValueError`` if ``x`` holds no samples (``len(x) == 0``)."""
    if x.ndim == 0 or len(x) == 0:
        raise ValueError(f"{name} must hold at least one sample; got shape {x.shape}")


def same_length(name_a: str, a: Any, name_b: str, b: Any) -> None:
    """``ValueError`` unless ``a`` and ``b`` have the same number of samples."""
    if len(a) != len(b):
        raise ValueError(
            f"{name_a} and {name_b} must have the same length (one label per sample); "
            f"got {len(a)} and {len(b)}"
        )


def class_labels(name: str, value: Any, num_classes: int, n: int | None = None) -> np.ndarray:
    """``value`` as ``int64`` class labels of shape (N,) with every label in [0, num_classes).

    Floats are accepted when they hold whole numbers (labels read from a CSV are often float).
    ``n``, if given, is the required number of labels.
    """
    t = numeric_array(name, value)
    if t.ndim != 1 or (n is not None and len(t) != n):
        want = f"({n},)" if n is not None else "(N,)"
        raise ValueError(f"{name} must be class labels of shape {want}; got shape {t.shape}")
    if t.dtype.kind == "f":
        whole = np.isfinite(t) & (t == np.round(t))
        if not whole.all():
            bad = t[~whole][0]
            raise ValueError(
                f"{name} must be integer class labels 0..{num_classes - 1}; got {float(bad)!r} "
                f"(dtype {t.dtype})"
            )
    if t.size and (t.min() < 0 or t.max() >= num_classes):
        bad = t[(t < 0) | (t >= num_classes)][0]
        raise ValueError(
            f"{name} must be integer class labels 0..{num_classes - 1}; got label {bad:g}"
        )
    return t.astype(np.int64, copy=False)
