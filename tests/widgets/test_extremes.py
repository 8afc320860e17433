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
    [
        ([1e308, 0.0, -1e308], 0.01),
        ([1e300, 1e300], 1e-300),
        ([5.0, 3.0], 1e-300),
        ([-1e308, -1e308], 1.0),
    ],
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
    with pytest.raises(
        ValueError, match=r"start must lie within ±1e\+06 .* got \(1e\+300, 1e\+300\)"
    ):
        plot_descent(descent_path("bowl", 0.1, 10, (1e300, 1e300)))
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match=r"start must hold only finite numbers"):
        descent_path("bowl", 0.1, 10, (np.inf, 0.0))


@pytest.mark.parametrize("name", list(SURFACES))
@pytest.mark.parametrize(
    "lr, start",
    [(1e300, None), (10**1.5, (DIVERGENCE_LIMIT, -DIVERGENCE_LIMIT)), (1e-4, (0.0, 0.0))],
)
def test_descent_figure_at_extremes_draws_and_says_diverged(name, lr, start):
    with np.errstate(over="raise", invalid="raise"):
        fig = plot_descent(descent_path(name, lr, 200, start))
    texts = [t.get_text() for t in fig.axes[0].texts]
    if descent_path(name, lr, 200, start).diverged:
        assert any(t.startswith("diverged after") for t in texts)


def test_a_run_starting_far_away_is_refused_before_drawing():
    from nn.surfaces import OptimizationPath

    far = OptimizationPath(
        np.array([[1e300, 1e300], [8e299, 8e299]]), "diverged", "SGD", 0.1, "bowl"
    )
    with pytest.raises(ValueError, match=r"plot_descent draws runs that start within"):
        plot_descent(far)
    assert plt.get_fignums() == []


def test_a_drawing_error_closes_the_figure(monkeypatch):
    import nn.plots.descent as descent

    def broken(*args):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(descent, "_draw_descent", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        plot_descent(descent_path("bowl", 0.1, 10))
    assert plt.get_fignums() == []


# ------------------------------------------------------------------ widgets do not clamp silently


def widget_cases():
    w = nn.widgets
    return [
        (
            lambda: w.gradient_descent_playground("bowl", lr=1000.0),
            r"lr must be from 0\.0001 to 31\.62 .*; got 1000",
        ),
        (
            lambda: w.gradient_descent_playground("bowl", steps=500),
            r"steps must be from 0 to 200 .*; got 500",
        ),
        (
            lambda: w.gradient_descent_playground("bowl", steps=2.5),
            r"steps must be a whole number from 0 to 200; got 2\.5",
        ),
        (lambda: w.init_explorer(std=1e-6), r"std must be from 0\.001 to 10 .*; got 1e-06"),
        (lambda: w.neuron_explorer(w=1e6), r"w must be from -10 to 10 .*; got 1e\+06"),
        (lambda: w.neuron_explorer(b=np.nan), r"b must be a finite number; got nan"),
        (lambda: w.softmax_explorer((0.0, 50.0, 1.0)), r"a2 must be from -10 to 10"),
        (lambda: w.softmax_explorer(temperature=1000.0), r"temperature must be from 0\.01 to 100"),
        (lambda: w.optimizer_race(lr=100.0), r"lr must be from 0\.0001 to 31\.62"),
        (lambda: w.optimizer_race(steps=0), r"steps must be from 1 to 200"),
        (lambda: w.perceptron_playground(w1=2.0), r"w1 must be from -1\.5 to 1\.5"),
        (lambda: w.computational_graph_explorer(tax=2.0), r"tax must be from 1 to 1\.5"),
        (lambda: w.computational_graph_explorer(apple_num=11), r"apple_num must be from 0 to 10"),
        (
            lambda: w.convolution_explorer(np.zeros((28, 28)), stride=9),
            r"stride must be from 1 to 4",
        ),
        (
            lambda: w.convolution_explorer(np.zeros((28, 28)), pad="1"),
            r"pad must be a finite number; got '1'",
        ),
    ]


@pytest.mark.parametrize("case", range(len(widget_cases())))
def test_widget_values_outside_their_sliders_are_errors(case):
    make, message = widget_cases()[case]
    with pytest.raises(ValueError, match=message):
        make()
    assert plt.get_fignums() == []


def test_widget_values_at_the_ends_of_their_sliders_are_kept():
    box = nn.widgets.gradient_descent_playground("bowl", lr=10**1.5, steps=200)
    assert box.controls["lr"].value == pytest.approx(10**1.5) and box.controls["steps"].value == 200
    assert len(box.output.outputs) == 1  # drawn, not crashed
    box = nn.widgets.neuron_explorer(w=-10.0, b=10.0)
    assert (box.controls["w"].value, box.controls["b"].value) == (-10.0, 10.0)
