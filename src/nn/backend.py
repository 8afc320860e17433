"""The one matrix product the layers call: ``matmul(a, b)`` is ``a @ b``.

In CPython it *is* ``a @ b`` (``np.matmul``, which hands the work to the BLAS library numpy was
built with).  In the live book (Pyodide, the browser) numpy has no BLAS, and its fallback for
``@`` runs about 2 to 3 GFLOP/s on the products of a training step, while ``np.einsum``
computes the same sums two to three times faster when its innermost loop runs along a long row
of numbers that lie next to each other in memory.  So in the browser :func:`matmul` writes the
product as an einsum whose innermost loop is the longest of the product's three axes, copying
the smaller operands into the memory order that loop needs (:func:`einsum_matmul`).
``benchmarks/browser_step.py`` measures both.

Which path runs is ``USE_EINSUM``: True in the browser, False in CPython.  The results agree to
rounding (the sums are added in another order).
"""

from __future__ import annotations

import numpy as np

from . import live

__all__ = ["matmul", "einsum_matmul", "USE_EINSUM"]

#: Whether :func:`matmul` computes with :func:`einsum_matmul` (the browser) or ``np.matmul``.
USE_EINSUM: bool = live.IN_BROWSER


def matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` (written into ``out`` when given, like ``np.matmul``).

    CPython: exactly ``np.matmul(a, b, out=out)``.  Browser: :func:`einsum_matmul` for two
    float32 or float64 matrices of the same dtype, ``np.matmul`` for anything else.
    """
    if USE_EINSUM:
        return einsum_matmul(a, b, out=out)
    return np.matmul(a, b, out=out)


def einsum_matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` for matrices a (M, K) and b (K, N), as an einsum along the longest axis.

    out[m, n] = sum over k of a[m, k] * b[k, n].  The innermost loop of einsum runs along the
    axis whose numbers are next to each other in memory in every operand that has it, so:

    - K longest: each out[m, n] is a dot product of row m of ``a`` and column n of ``b``,
      with ``b`` transposed (copied) so that its columns are rows;
    - N longest: each row of ``out`` adds a[m, k] times row k of ``b``;
    - M longest: the same for the columns of ``out``, computed as out.T = b.T @ a.T.

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
    longest = max(m, n, k)
    if longest == k:  # dot products of contiguous rows
        return np.einsum("mk,nk->mn", np.ascontiguousarray(a), np.ascontiguousarray(b.T),
                         out=out)
    if longest == n:  # rows of out += a[m, k] * rows of b
        return np.einsum("mk,kn->mn", a, np.ascontiguousarray(b), out=out)
    # columns of out += b[k, n] * columns of a: computed as out.T, returned transposed
    product = np.einsum("kn,km->nm", b, np.ascontiguousarray(a.T)).T
    if out is None:
        return product
    out[...] = product
    return out
