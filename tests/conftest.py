"""Shared test setup."""

import matplotlib
import matplotlib.pyplot as plt
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _no_open_figures():
    """Each test starts with no figure open and leaves none behind (figure-leak checks count)."""
    plt.close("all")
    yield
    plt.close("all")
