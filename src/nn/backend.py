"""The few numpy operations whose fastest spelling differs between CPython and the browser.

``matmul(a, b)`` is ``a @ b``, the one matrix product the layers call; :func:`maximum`,
:func:`zero_where`, :func:`keep_where` and :func:`running_maximum` are the elementwise steps
of ``Relu`` and ``FastPooling``.

In CPython it *is* ``a @ b`` (``np.matmul``, which hands the work to the BLAS library numpy was
built with).  In the live book (Pyodide, the browser) numpy has no BLAS, and its fallback for
``@`` runs about 2 to 3 GFLOP/s on the products of a training step, while ``np.einsum``
computes the same sums two to three times faster when its innermost loop runs along a long row
of numbers that lie next to each other in memory.  So in the browser :func:`matmul` writes the
product as an einsum whose innermost loop runs along a long axis of the product, copying only
the smaller operand into the memory order that loop needs (:func:`einsum_matmul`).
``benchmarks/browser_step.py`` measures both.

Which path runs is ``USE_EINSUM``: True in the browser, False in CPython.  The results agree to
rounding (the sums are added in another order).  scipy's BLAS is not used: the live site's
Pyodide does not ship scipy, which would also take about 11 s to load, and einsum along long
rows already runs about as fast as scipy's ``sgemm`` was measured to in Pyodide.
"""

from __future__ import annotations

import numpy as np

from . import live

__all__ = [
    "matmul", "einsum_matmul", "maximum", "zero_where", "keep_where", "running_maximum",
    "USE_EINSUM", "USE_WHERE",
]

#: Whether :func:`matmul` computes with :func:`einsum_matmul` (the browser) or ``np.matmul``.
USE_EINSUM: bool = live.IN_BROWSER

#: Whether the elementwise functions select with ``np.where`` (the browser) or not (CPython).
USE_WHERE: bool = live.IN_BROWSER

#: An innermost loop shorter than this is short: einsum runs it at half speed or less.
SHORT_LOOP = 64


def matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` (written into ``out`` when given, like ``np.matmul``).

    CPython: exactly ``np.matmul(a, b, out=out)``.  Browser: :func:`einsum_matmul` for two
    float32 or float64 matrices of the same dtype, ``np.matmul`` for anything else.
    """
    if USE_EINSUM:
        return einsum_matmul(a, b, out=out)
    return np.matmul(a, b, out=out)


def maximum(a: np.ndarray, b: np.ndarray | float) -> np.ndarray:
    """The elementwise maximum of a and b (broadcast), a new array.

    CPython: ``np.maximum(a, b)``.  Browser: ``np.where(a < b, b, a)``, the same numbers for
    inputs without NaN (a NaN in b is not passed on).  Pyodide's numpy runs ``np.maximum`` on
    float32 about four times slower than a comparison and a selection together (measured on a
    ReLU of 1.7 million numbers: 12 ms against 3), while CPython's numpy runs ``np.where``
    several times slower than ``np.maximum``.
    """
    if USE_WHERE:
        return np.where(a < b, b, a)
    return np.maximum(a, b)


def zero_where(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """values with 0 where the boolean mask is True (broadcast), a new array in values' dtype.

    CPython: ``values * ~mask``, a product with the inverted mask (so an inf or NaN of values
    under the mask becomes NaN).  Browser: ``np.where(mask, 0, values)``: Pyodide's numpy
    multiplies a float array by a boolean one about ten times slower than it selects, while
    CPython's numpy selects several times slower than it multiplies.
    """
    if USE_WHERE:
        return np.where(mask, values.dtype.type(0), values)
    return values * ~mask


def keep_where(keep: np.ndarray, values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """values where the boolean array keep is True, 0 elsewhere (written into ``out`` when
    given): :func:`zero_where` the other way round.  CPython: ``np.multiply(values, keep)``;
    browser: ``np.where(keep, values, 0)``, for the reasons :func:`zero_where` gives.
    """
    if not USE_WHERE:
        return np.multiply(values, keep, out=out)
    result = np.where(keep, values, values.dtype.type(0))
    if out is None:
        return result
    out[...] = result
    return out


def running_maximum(
    out: np.ndarray, winner: np.ndarray, candidate: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """One step of a running maximum that remembers where its maximum came from; returns the
    new (out, winner).

    Where candidate > out (strictly), out becomes candidate and winner (an unsigned integer
    array) becomes k; elsewhere both stay.  ``FastPooling`` calls it once per position k of its
    window, k = 1, 2, ... in increasing order, which is why CPython's spelling may take
    ``max(winner, k * better)``.  CPython updates out and winner in place with ``np.maximum``
    (the boolean array read as 0/1 bytes, no conversion); the browser returns new arrays made
    by two ``np.where``, as for :func:`maximum`.  So the caller must own out and winner (not
    views of its input) and go on with the arrays returned.
    """
    better = candidate > out
    if USE_WHERE:
        return np.where(better, candidate, out), np.where(better, winner.dtype.type(k), winner)
    np.maximum(winner, better.view(np.uint8) * winner.dtype.type(k), out=winner)
    np.maximum(out, candidate, out=out)
    return out, winner


def einsum_matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` for matrices a (M, K) and b (K, N), as an einsum along a long axis.

    out[m, n] = sum over k of a[m, k] * b[k, n].  The innermost loop of einsum runs along the
    axis whose numbers are next to each other in memory in the operands, and it is fastest
    when that run is long.  Three ways, by the axis of the innermost loop:

    - along K: out[m, n] is a dot product of row m of ``a`` and column n of ``b``, which needs
      a's rows and b's columns contiguous;
    - along N: row m of ``out`` adds a[m, k] times row k of ``b``, which needs b's rows
      contiguous;
    - along M: column n of ``out`` adds b[k, n] times column k of ``a`` (out.T = b.T @ a.T),
      which needs a's columns contiguous.

    The smaller operand is copied into the order a way needs; the larger one is not (copying it
    costs more than a longer loop gains), unless every way its order allows has a loop shorter
    than ``SHORT_LOOP``.  Of the ways left, the one with the longest innermost loop is taken.
    Anything but two float32 or float64 matrices of one dtype goes to ``np.matmul``.
    """
    a, b = np.asarray(a), np.asarray(b)
    if not (a.ndim == b.ndim == 2 and a.dtype == b.dtype
            and a.dtype in (np.float32, np.float64)):
        return np.matmul(a, b, out=out)
    (m, k), (k_b, n) = a.shape, b.shape
    if k != k_b:
        raise ValueError(
            f"matmul: a is {m}x{k} and b is {k_b}x{n}; a's columns must match b's rows "
            f"({k} != {k_b})"
        )
    if out is not None and out.shape != (m, n):
        raise ValueError(f"matmul: out must have shape {(m, n)}; got {out.shape}")
    a_rows, a_cols = _contiguous(a)
    b_rows, b_cols = _contiguous(b)
    a_larger = a.size >= b.size
    ways = {  # way: (length of its innermost loop, whether the larger operand allows it)
        "K": (k, a_rows if a_larger else b_cols),
        "N": (n, True if a_larger else b_rows),
        "M": (m, a_cols if a_larger else True),
    }
    usable = [(length, name) for name, (length, allowed) in ways.items() if allowed]
    if max(usable)[0] < SHORT_LOOP:  # only short loops without a copy: then the copy pays
        usable = [(length, name) for name, (length, _) in ways.items()]
    way = max(usable)[1]
    if way == "K":
        rows_of_a = a if a_rows else np.ascontiguousarray(a)
        columns_of_b = b.T if b_cols else np.ascontiguousarray(b.T)
        return np.einsum("mk,nk->mn", rows_of_a, columns_of_b, out=out)
    if way == "N":
        return np.einsum("mk,kn->mn", a, b if b_rows else np.ascontiguousarray(b), out=out)
    columns_of_a = a.T if a_cols else np.ascontiguousarray(a.T)
    product = np.einsum("kn,km->nm", b, columns_of_a).T  # out.T, transposed back
    if out is None:
        return product
    out[...] = product
    return out


def _contiguous(x: np.ndarray) -> tuple[bool, bool]:
    """(rows contiguous, columns contiguous) for a matrix: whether x[i, :], resp. x[:, j], are
    runs of neighbouring numbers in memory."""
    rows, cols = x.shape
    return (x.strides[1] == x.itemsize or cols == 1, x.strides[0] == x.itemsize or rows == 1)
