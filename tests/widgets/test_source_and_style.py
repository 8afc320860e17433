"""nn.show_source and the shared figure style."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

import nn
from nn import plots


def test_source_text_is_the_real_source():
    text = nn.source_text(nn.load_mnist)
    assert text.startswith("def load_mnist(")
    assert "one_hot_label" in text


def test_show_source_returns_highlightable_code():
    code = nn.show_source(nn.source_text)
    assert "def source_text" in code.data
    markdown = code._repr_markdown_()
    assert markdown.startswith("```python\ndef source_text(") and markdown.endswith("\n```")
    assert not hasattr(code, "_repr_html_")  # no style sheet stored with every output


def test_show_source_fences_source_that_contains_backticks():
    def quoted():
        return "```"  # a run of three backticks inside the source

    markdown = nn.show_source(quoted)._repr_markdown_()
    assert markdown.startswith("````python\n") and markdown.endswith("\n````")


def test_glue_records_a_plain_number_for_the_prose(monkeypatch, request):
    from IPython.core.interactiveshell import InteractiveShell

    # The shell made here must not outlive the test: ipywidgets would find it and show callback
    # errors there instead of sending them on (tests/build/test_live_widgets.py's bridge test).
    request.addfinalizer(InteractiveShell.clear_instance)
    shown = []
    monkeypatch.setattr("IPython.get_ipython", lambda: InteractiveShell.instance())
    monkeypatch.setattr("IPython.display.display",
                        lambda data, raw, metadata: shown.append((data, metadata)))
    nn.glue("test_acc", np.float64(0.9451))
    assert shown == [({"application/papermill.record/text/plain": "0.9451"},
                      {"scrapbook": {"name": "test_acc",
                                     "mime_prefix": "application/papermill.record/"}})]
    with pytest.raises(ValueError, match="identifier"):
        nn.glue("test acc", 1)


@pytest.mark.parametrize("bad", [3, np.zeros(2), len])
def test_show_source_rejects_objects_without_source(bad):
    with pytest.raises(TypeError, match="expects a function, class, method or module"):
        nn.show_source(bad)


def test_palette_is_the_colour_blind_safe_one():
    assert plots.COLORS["blue"] == "#0072B2" and len(set(plots.CYCLE)) == len(plots.CYCLE)


@pytest.mark.parametrize("shape", [(3, 784), (3, 28, 28), (3, 1, 28, 28)])
def test_show_digits_accepts_every_layout(shape):
    fig = plots.show_digits(np.zeros(shape), titles=["a", "b", "c"], ncols=2)
    axes = fig.axes
    assert len(axes) == 4  # 2 x 2 grid, last one switched off
    assert [ax.get_title() for ax in axes[:3]] == ["a", "b", "c"]
    assert all(len(ax.get_xticks()) == 0 for ax in axes[:3])


def test_show_digits_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"\(N, 784\).*got \(3, 5\)"):
        plots.show_digits(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="2 images but 1 titles"):
        plots.show_digits(np.zeros((2, 784)), titles=["x"])


def test_compact_png_keeps_the_picture_and_shrinks_it():
    fig, ax = plots.new_figure()
    x = np.linspace(0, 10, 400)
    for k in range(5):
        ax.plot(x, np.sin(x + k), label=str(k))
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    raw = buf.getvalue()
    small = plots.compact_png(raw)
    assert len(small) < len(raw) / 1.5
    before = np.asarray(Image.open(io.BytesIO(raw)).convert("RGB"), dtype=float)
    after = np.asarray(Image.open(io.BytesIO(small)).convert("RGB"), dtype=float)
    assert before.shape == after.shape
    assert np.abs(before - after).mean() < 2.0  # out of 255: the same picture


def _tight_and_cropped(fig):
    """(matplotlib's tight PNG, cropped_png) of one figure, as RGBA arrays."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    tight = np.asarray(Image.open(buf).convert("RGBA"), dtype=float)
    cropped = np.asarray(Image.open(io.BytesIO(plots.cropped_png(fig))).convert("RGBA"),
                         dtype=float)
    return tight, cropped


def _fixed_layout_figure():
    # Like chapter 7's histograms: several axes, no layout engine, titles and labels at the edge.
    fig, axes = plots.new_figure(1, 4, figsize=(9, 2.7), sharey=True, layout=None)
    fig.subplots_adjust(left=0.1, right=0.99, bottom=0.19, top=0.8, wspace=0.08)
    rng = np.random.default_rng(0)
    for i, ax in enumerate(axes):
        ax.hist(rng.random(500), bins=30)
        ax.set_title(f"layer {i + 1}")
        ax.set_xlabel("activation")
    fig.suptitle("a title above the axes")
    return fig


def _constrained_figure_with_text_outside():
    fig, ax = plots.new_figure(figsize=(5, 3))
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend()
    fig.text(1.01, 0.5, "outside")  # beyond the right edge (within the margin): kept
    return fig


@pytest.mark.parametrize("make", [_fixed_layout_figure, _constrained_figure_with_text_outside])
def test_cropped_png_is_the_tight_picture(make):
    fig = make()
    tight, cropped = _tight_and_cropped(fig)
    # The same box to a pixel or two (the tight box measures artists, the crop their pixels).
    assert np.abs(np.subtract(tight.shape[:2], cropped.shape[:2])).max() <= 3, (
        tight.shape, cropped.shape)
    # Placed on each other at the best of a few shifts, the two show the same picture: they
    # differ only along edges that the two drawings place a fraction of a pixel apart.
    white = [tight[..., :3] * tight[..., 3:] / 255 + 255 - tight[..., 3:],
             cropped[..., :3] * cropped[..., 3:] / 255 + 255 - cropped[..., 3:]]
    rows = min(a.shape[0] for a in white) - 8
    cols = min(a.shape[1] for a in white) - 8
    difference = min(
        np.abs(white[0][4 : 4 + rows, 4 : 4 + cols]
               - white[1][4 + dy : 4 + dy + rows, 4 + dx : 4 + dx + cols]).mean()
        for dy in range(-4, 5) for dx in range(-4, 5)
    )
    assert difference < 6.0, difference  # out of 255


def test_cropped_png_of_an_empty_figure_is_the_whole_canvas():
    fig = plots.new_figure(figsize=(2, 1))[0]
    fig.axes[0].set_axis_off()
    size = Image.open(io.BytesIO(plots.cropped_png(fig))).size
    assert size == (2 * 100 + 200, 1 * 100 + 200)  # the figure and its 1-inch margins


def test_the_browser_shows_figures_drawn_once(monkeypatch):
    from matplotlib.backend_bases import FigureCanvasBase

    from nn.plots import style

    monkeypatch.setattr(nn.live, "IN_BROWSER", True)
    formats = []
    original = FigureCanvasBase.print_figure

    def spy(self, *args, **kwargs):
        formats.append((kwargs.get("format"), kwargs.get("bbox_inches")))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FigureCanvasBase, "print_figure", spy)
    fig = _fixed_layout_figure()
    text = style._inline_png(fig)
    # Base64 text, as the inline backend's own printer gives: the browser's kernel sends raw
    # bytes on unencoded, and the page shows a broken image.
    assert isinstance(text, str)
    assert base64.b64decode(text).startswith(b"\x89PNG")
    assert len(formats) == 1 and formats[0][0] == "png" and formats[0][1] != "tight", formats

