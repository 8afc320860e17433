"""Perceptrons and logic gates (chapter 2 of the book).

A perceptron with inputs x, weights w and bias b outputs 1 when w·x + b > 0 and 0 otherwise.
AND, NAND and OR are one perceptron each, differing only in their parameters; XOR cannot be a
single perceptron (its 1s and 0s are not separated by one line) but is a two-layer one.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GATES", "perceptron", "AND", "NAND", "OR", "XOR"]

#: The book's parameters (w1, w2, b) for each single-perceptron gate.
GATES: dict[str, tuple[float, float, float]] = {
    "AND": (0.5, 0.5, -0.7),
    "NAND": (-0.5, -0.5, 0.7),
    "OR": (0.5, 0.5, -0.2),
}


def perceptron(x: np.ndarray, w: np.ndarray, b: float) -> int:
    """1 if sum(w * x) + b > 0 else 0; x and w: 1-D arrays of the same length."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    if x.ndim != 1 or x.shape != w.shape:
        raise ValueError(
            f"perceptron expects 1-D x and w of the same length; got {x.shape} and {w.shape}"
        )
    return int(np.sum(w * x) + b > 0)


def _gate(name: str, x1: float, x2: float) -> int:
    w1, w2, b = GATES[name]
    return perceptron(np.array([x1, x2]), np.array([w1, w2]), b)


def AND(x1: float, x2: float) -> int:
    """1 only when both inputs are 1."""
    return _gate("AND", x1, x2)


def NAND(x1: float, x2: float) -> int:
    """NOT AND: 0 only when both inputs are 1."""
    return _gate("NAND", x1, x2)


def OR(x1: float, x2: float) -> int:
    """1 when at least one input is 1."""
    return _gate("OR", x1, x2)


def XOR(x1: float, x2: float) -> int:
    """1 when exactly one input is 1: a second layer ANDs the outputs of NAND and OR."""
    return AND(NAND(x1, x2), OR(x1, x2))
