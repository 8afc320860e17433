"""Perceptrons and logic gates (book ch. 2, notebook 02).

A perceptron with inputs x, weights w and bias b outputs 1 when w·x + b > 0 and 0 otherwise
(a weighted sum of exactly zero gives 0).  AND, NAND and OR are one perceptron each, differing
only in their parameters; XOR cannot be a single perceptron (its 1s and 0s are not separated by
one line) but is a two-layer one.

A two-input perceptron has only four possible inputs, the corners of the unit square, so a
setting ``(w1, w2, b)`` is fully described by its four outputs: its truth table.
"""

from __future__ import annotations

import numpy as np

from ._checks import finite_number
from .i18n import N_

__all__ = [
    "GATES",
    "GATE_INPUTS",
    "GATE_TARGETS",
    "perceptron",
    "AND",
    "NAND",
    "OR",
    "XOR",
    "gate_outputs",
    "gate_truth_table",
    "describe_outputs",
    "identify_gate",
    "matches_target",
]

#: The book's parameters (w1, w2, b) for each single-perceptron gate.
GATES: dict[str, tuple[float, float, float]] = {
    "AND": (0.5, 0.5, -0.7),
    "NAND": (-0.5, -0.5, 0.7),
    "OR": (0.5, 0.5, -0.2),
}

#: The four inputs (x1, x2) in the order of the book's truth tables.
GATE_INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.int64)

#: The output column of each named gate, in the order of ``GATE_INPUTS``.
GATE_TARGETS: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "NAND": (1, 1, 1, 0),
    "OR": (0, 1, 1, 1),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
}

# All 16 Boolean functions of two inputs, keyed by their outputs on GATE_INPUTS.
_FORMULAS: dict[tuple[int, ...], str] = {
    (0, 0, 0, 0): N_("always 0"),
    (1, 1, 1, 1): N_("always 1"),
    (0, 1, 0, 1): "x1",
    (0, 0, 1, 1): "x2",
    (1, 0, 1, 0): "NOT x1",
    (1, 1, 0, 0): "NOT x2",
    (0, 1, 0, 0): "x1 AND NOT x2",
    (0, 0, 1, 0): "x2 AND NOT x1",
    (1, 1, 0, 1): "x1 OR NOT x2",
    (1, 0, 1, 1): "x2 OR NOT x1",
    **{target: name for name, target in GATE_TARGETS.items()},
}


def perceptron(x: np.ndarray, w: np.ndarray, b: float | np.ndarray) -> int | np.ndarray:
    """1 where x @ w + b > 0, else 0.

    x: one input (D,) or a batch (N, D); w: weights (D,), or (D, K) for K perceptrons side by
    side, each with its own bias in b (K,).  One input and one perceptron give a Python int;
    otherwise an int array of shape (N,), (K,) or (N, K).
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    if x.ndim not in (1, 2) or w.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"perceptron expects x (D,) or (N, D) and w (D,) or (D, K) of the same length D; "
            f"got {x.shape} and {w.shape}"
        )
    fired = (x @ w + b > 0).astype(np.int64)
    return int(fired) if fired.ndim == 0 else fired


def _gate(name: str, x1, x2):
    w1, w2, b = GATES[name]
    return perceptron(np.stack(np.broadcast_arrays(x1, x2), axis=-1), np.array([w1, w2]), b)


def AND(x1, x2):
    """1 only when both inputs are 1 (numbers, or arrays for many inputs at once)."""
    return _gate("AND", x1, x2)


def NAND(x1, x2):
    """NOT AND: 0 only when both inputs are 1."""
    return _gate("NAND", x1, x2)


def OR(x1, x2):
    """1 when at least one input is 1."""
    return _gate("OR", x1, x2)


def XOR(x1, x2):
    """1 when exactly one input is 1: a second layer ANDs the outputs of NAND and OR."""
    return AND(NAND(x1, x2), OR(x1, x2))


def gate_outputs(w1: float, w2: float, b: float) -> np.ndarray:
    """Outputs (4,) int of the perceptron ``(w1, w2, b)`` on the four ``GATE_INPUTS``."""
    w1, w2, b = finite_number("w1", w1), finite_number("w2", w2), finite_number("b", b)
    return perceptron(GATE_INPUTS, np.array([w1, w2]), b)


def gate_truth_table(w1: float, w2: float, b: float) -> np.ndarray:
    """Truth table (4, 3) int, columns ``x1, x2, y``, rows in the order of ``GATE_INPUTS``."""
    return np.column_stack([GATE_INPUTS, gate_outputs(w1, w2, b)])


def describe_outputs(outputs) -> str:
    """The Boolean formula of an output column (4,), e.g. ``(0, 0, 0, 1)`` -> ``"AND"``."""
    key = tuple(int(v) for v in np.asarray(outputs).ravel())
    if key not in _FORMULAS:
        raise ValueError(f"expected four outputs, each 0 or 1; got {key}")
    return _FORMULAS[key]


def identify_gate(w1: float, w2: float, b: float) -> str:
    """Name of the gate (AND, NAND, OR, NOR) that ``(w1, w2, b)`` implements, or ``"none"``.

    XOR and XNOR are never returned: no single perceptron computes them.
    """
    outputs = tuple(gate_outputs(w1, w2, b).tolist())
    for name, target in GATE_TARGETS.items():
        if outputs == target:
            return name
    return "none"


def matches_target(w1: float, w2: float, b: float, target: str) -> np.ndarray:
    """Boolean (4,): whether each input's output equals the target gate's."""
    if target not in GATE_TARGETS:
        raise ValueError(f"unknown target gate {target!r}; expected one of {list(GATE_TARGETS)}")
    return gate_outputs(w1, w2, b) == np.array(GATE_TARGETS[target])
