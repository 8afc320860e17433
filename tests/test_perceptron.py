"""nn.perceptron: the book's logic gates."""

from __future__ import annotations

import numpy as np
import pytest

import nn

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]
TRUTH = {
    "AND": [0, 0, 0, 1],
    "NAND": [1, 1, 1, 0],
    "OR": [0, 1, 1, 1],
    "XOR": [0, 1, 1, 0],
}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_truth_tables(name):
    gate = getattr(nn, name)
    assert [gate(x1, x2) for x1, x2 in INPUTS] == TRUTH[name]


def test_gates_hold_the_book_parameters():
    assert nn.GATES == {"AND": (0.5, 0.5, -0.7), "NAND": (-0.5, -0.5, 0.7), "OR": (0.5, 0.5, -0.2)}


@pytest.mark.parametrize("name", sorted(nn.GATES))
def test_gates_are_perceptrons_with_those_parameters(name):
    w1, w2, b = nn.GATES[name]
    for x1, x2 in INPUTS:
        assert nn.perceptron(np.array([x1, x2]), np.array([w1, w2]), b) == getattr(nn, name)(x1, x2)


def test_perceptron_threshold_is_strict():
    assert nn.perceptron(np.array([1.0]), np.array([1.0]), -1.0) == 0  # w·x + b = 0 -> 0
    assert nn.perceptron(np.array([1.0, 2.0, 3.0]), np.array([0.1, 0.1, 0.1]), -0.5) == 1
    assert isinstance(nn.perceptron(np.array([1.0]), np.array([1.0]), 0.0), int)


def test_perceptron_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"same length; got \(2,\) and \(3,\)"):
        nn.perceptron(np.array([1, 0]), np.array([0.5, 0.5, 0.5]), -0.7)
