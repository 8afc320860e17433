"""Figures and their computations at extreme settings: no NaN from finite input, no crash inside
matplotlib, no figure left open."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nn
from nn.plots.descent import plot_descent
from nn.surfaces import DIVERGENCE_LIMIT, SURFACES, descent_path


@pytest.mark.parametrize(
    "logits, temperature",
    [([1e308, 0.0, -1e308], 0.01), ([1e300, 1e300], 1e-300), ([5.0, 3.0], 1e-300), ([-1e308, -1e308], 1.0)],
)
def test_softmax_with_temperature_is_finite_for_huge_logits(logits, temperature):
    with np.errstate(over="raise", invalid="raise"):  # and without overflow warnings
        p = nn.softmax_with_temperature(logits, temperature)
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0)
    assert int(np.argmax(p)) == int(np.argmax(logits))


def test_softmax_with_temperature_matches_the_formula_where_it_does_not_overflow():
    a = np.array([0.3, 2.9, 4.0])
    for t in (0.5, 1.0, 3.0):
        e = np.exp(a / t)
        np.testing.assert_allclose(nn.softmax_with_temperature(a, t), e / e.sum(), rtol=1e-12)


def test_softmax_with_temperature_names_bad_arguments():
    with pytest.raises(ValueError, match=r"logits must hold only finite numbers"):
        nn.softmax_with_temperature([np.nan, 1.0])
    with pytest.raises(ValueError, match=r"temperature must be a finite number > 0; got 0"):
        nn.softmax_with_temperature([1.0, 2.0], 0)


def test_descent_from_far_away_is_refused_clearly_and_leaves_no_figure():
    with pytest.raises(ValueError, match=r"start must lie within ±1e\+06 .* got \(1e\+300, 1e\+300\)"):
        plot_descent("bowl", 0.1, 10, (1e300, 1e300))
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match=r"start must hold only finite numbers"):
        descent_path("bowl", 0.1, 10, (np.inf, 0.0))


@pytest.mark.parametrize("name", list(SURFACES))
@pytest.mark.parametrize("lr, start", [(1e300, None), (10**1.5, (DIVERGENCE_LIMIT, -DIVERGENCE_LIMIT)), (1e-4, (0.0, 0.0))])
def test_descent_figure_at_extremes_draws_and_says_diverged(name, lr, start):
    with np.errstate(over="raise", invalid="raise"):
        fig = plot_descent(name, lr, 200, start)
    texts = [t.get_text() for t in fig.axes[0].texts]
    if descent_path(name, lr, 200, start).diverged:
        assert any(t.startswith("diverged after") for t in texts)
    plt.close(fig)


def test_a_drawing_error_closes_the_figure(monkeypatch):
    import nn.plots.descent as descent

    def broken(*args):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(descent, "_draw_descent", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        plot_descent("bowl")
    assert plt.get_fignums() == []
