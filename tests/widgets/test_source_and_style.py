"""nn.show_source and the shared figure style."""

from __future__ import annotations

import numpy as np
import pytest

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
    import io

    from PIL import Image

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
