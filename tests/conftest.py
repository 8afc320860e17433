"""Shared test setup: figures drawn off-screen, none left open, and the ``built`` marker.

Shared paths are in ``paths.py`` (importable, since pyproject puts tests/ on the import path).
"""

import matplotlib
import pytest

matplotlib.use("Agg")  # before pyplot is imported anywhere: no test opens a window

import matplotlib.pyplot as plt  # noqa: E402

from paths import require_built  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "built(path, what): needs `path`, which make book writes; skipped without it, "
        "failed with NN_REQUIRE_BUILD=1",
    )


def pytest_runtest_setup(item):
    for mark in item.iter_markers(name="built"):
        require_built(*mark.args, **mark.kwargs)


@pytest.fixture(autouse=True)
def _no_open_figures():
    """Each test starts with no figure open and leaves none behind (figure-leak checks count)."""
    plt.close("all")
    yield
    plt.close("all")
