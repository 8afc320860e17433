"""nn.gates: the perceptron, the book's logic gates and the truth tables of a setting."""

from __future__ import annotations

import itertools

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
    with pytest.raises(ValueError, match=r"same length D; got \(2,\) and \(3,\)"):
        nn.perceptron(np.array([1, 0]), np.array([0.5, 0.5, 0.5]), -0.7)


def test_perceptron_takes_a_batch_of_inputs_and_of_perceptrons():
    w, b = np.array(nn.GATES["AND"][:2]), nn.GATES["AND"][2]
    assert nn.perceptron(nn.GATE_INPUTS, w, b).tolist() == [0, 0, 0, 1]
    # Three perceptrons side by side: columns AND, NAND, OR.
    W = np.array([nn.GATES[g][:2] for g in ("AND", "NAND", "OR")]).T  # (2, 3)
    B = np.array([nn.GATES[g][2] for g in ("AND", "NAND", "OR")])
    out = nn.perceptron(nn.GATE_INPUTS, W, B)
    assert out.shape == (4, 3)
    expected = [nn.GATE_TARGETS[g] for g in ("AND", "NAND", "OR")]
    assert [tuple(out[:, k]) for k in range(3)] == expected


def test_gates_work_on_arrays_elementwise():
    x1, x2 = nn.GATE_INPUTS[:, 0], nn.GATE_INPUTS[:, 1]
    for name in ("AND", "NAND", "OR", "XOR"):
        assert tuple(getattr(nn, name)(x1, x2)) == nn.GATE_TARGETS[name]


def test_the_module_is_reachable_as_nn_gates():
    import importlib

    assert nn.gates is importlib.import_module("nn.gates")
    assert callable(nn.perceptron)


# ------------------------------------------------------------ truth tables of a setting


@pytest.mark.parametrize("name", list(nn.GATES))
def test_book_parameters_give_the_book_truth_tables(name):
    table = nn.gate_truth_table(*nn.GATES[name])
    assert table[:, :2].tolist() == [[0, 0], [1, 0], [0, 1], [1, 1]]
    assert tuple(table[:, 2]) == nn.GATE_TARGETS[name]
    assert nn.identify_gate(*nn.GATES[name]) == name


def test_truth_table_follows_the_rule_with_zero_giving_zero():
    # w1*x1 + w2*x2 + b = 0 exactly on input (1, 1) -> output 0, as in the book's `tmp <= 0`.
    assert nn.gate_outputs(0.5, 0.5, -1.0).tolist() == [0, 0, 0, 0]
    assert nn.gate_outputs(0.5, 0.5, -0.999).tolist() == [0, 0, 0, 1]


def test_identify_gate_names_nor_and_none():
    assert nn.identify_gate(-1, -1, 0.5) == "NOR"
    assert nn.identify_gate(1, 0, -0.5) == "none"
    assert nn.describe_outputs(nn.gate_outputs(1, 0, -0.5)) == "x1"
    assert nn.identify_gate(0, 0, 1) == "none"
    assert nn.describe_outputs(nn.gate_outputs(0, 0, 1)) == "always 1"


def test_no_setting_on_a_grid_computes_xor():
    # A brute-force check of the chapter's argument: 14 of the 16 functions appear, never XOR/XNOR.
    grid = np.linspace(-1.5, 1.5, 31)
    seen = {tuple(nn.gate_outputs(w1, w2, b)) for w1, w2, b in itertools.product(grid, grid, grid)}
    assert nn.GATE_TARGETS["XOR"] not in seen and nn.GATE_TARGETS["XNOR"] not in seen
    assert len(seen) == 14


def test_truth_table_and_bad_input():
    table = nn.gate_truth_table(*nn.GATES["OR"])
    assert table.shape == (4, 3)
    np.testing.assert_array_equal(table[:, :2], nn.GATE_INPUTS)
    assert table[:, 2].tolist() == [0, 1, 1, 1]
    with pytest.raises(ValueError, match="finite"):
        nn.gate_outputs(np.nan, 0, 0)
    with pytest.raises(ValueError, match="unknown target gate"):
        nn.matches_target(1, 1, 1, "MAYBE")


