"""nn in two languages (nn.i18n): the catalogs, the switch, the CJK font, English unchanged.

The built Chinese edition (figures and saved widgets in Chinese) is checked in
``test_editions.py``; the live book's subset font here, with ``book/_ext/cjk_font.py``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import cjk_font
import matplotlib
import pytest

import nn
from nn import i18n
from nn.i18n import _, translate_text
from nn.locales import zh_CN
from paths import CHAPTERS, ROOT

SRC = ROOT / "src" / "nn"
FIELD = re.compile(r"\{[^{}]*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese():
    """nn in Chinese for one test, English again afterwards."""
    nn.set_language("zh_CN")
    yield
    nn.set_language("en")


# --------------------------------------------------------------------------- the catalogs


def code_messages() -> dict[str, str]:
    """Every message the library's code passes to ``_()`` or ``N_()``, with its file."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "locales" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_") and node.args):
                arg = node.args[0]
                # _(surface.note) translates data whose texts are marked N_("...") where
                # they are written: the marks are what this collects.
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, path.name)
    return found


def test_the_code_uses_messages_and_the_catalog_holds_each_of_them():
    used = code_messages()
    assert len(used) > 150  # the figures and widgets really go through _()
    missing = {m: f for m, f in used.items() if m not in zh_CN.MESSAGES}
    assert not missing, f"messages without a Chinese translation: {missing}"


def test_the_catalog_holds_no_message_the_code_no_longer_uses():
    stale = sorted(set(zh_CN.MESSAGES) - set(code_messages()))
    assert not stale, f"stale catalog entries: {stale}"


@pytest.mark.parametrize("table", ["MESSAGES", "FIGURE_TEXTS"])
def test_every_translation_is_chinese_and_keeps_the_fields(table):
    for english, chinese in getattr(zh_CN, table).items():
        assert sorted(FIELD.findall(english)) == sorted(FIELD.findall(chinese)), english
        assert english.count("$") == chinese.count("$"), english  # formulas stay formulas
        if re.search(r"[A-Za-z]{3}", FIELD.sub("", english)) and english not in _KEPT_AS_IS:
            assert CJK.search(chinese), f"{english!r} → {chinese!r} is not Chinese"


# Words the Chinese edition keeps in English, and texts that are formulas or names.
_KEPT_AS_IS = {"epoch", "reshape,\ntranspose"}


def _notebook_code(path: Path) -> list[tuple[str, ast.AST]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    trees = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            try:
                trees.append((source, ast.parse(source)))
            except SyntaxError:  # a cell with IPython magic
                continue
    return trees


def _template(node: ast.AST, source: str) -> str | None:
    """A string literal as written, an f-string as a template: f"lr = {lr:g}" → "lr = {lr:g}"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        text = ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                text += part.value
            else:
                spec = ""
                if part.format_spec is not None:
                    spec = ":" + "".join(p.value for p in part.format_spec.values
                                         if isinstance(p, ast.Constant))
                text += "{" + ast.get_source_segment(source, part.value) + spec + "}"
        return text
    return None


_TEXT_CALLS = {"set_title", "set_xlabel", "set_ylabel", "suptitle"}
_TEXT_KEYWORDS = {"label", "title", "xlabel", "ylabel"}
# Chapter figure texts that are formulas or names, the same in every language.
_FORMULAS = {"sin", "cos", "x", "y", "f(x)", "h = 1e-4", "f(x) = 0.01x² + 0.1x", "epoch", "$x$",
             "$h(x)$"}


def chapter_figure_texts() -> set[str]:
    """The texts the chapters' own cells draw: titles, axis labels, legend labels, text(), and
    the string keys of dicts in cells that draw with nn.plots (curve and panel names)."""
    texts = set()
    for path in CHAPTERS:
        for source, tree in _notebook_code(path):
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                args = node.args[:1] if name in _TEXT_CALLS else []
                args += node.args[2:3] if name == "text" else []
                args += [k.value for k in node.keywords if k.arg in _TEXT_KEYWORDS]
                for arg in args:
                    text = _template(arg, source)
                    if text and re.search("[A-Za-z]", FIELD.sub("", text)):
                        texts.add(text)
            # Names of the curves and panels a cell hands to nn.plots ({"with BN": ...}).
            dicts = [n for n in ast.walk(tree) if isinstance(n, ast.Dict)]
            for node in dicts if "nn.plots." in source else []:
                for arg in node.keys:
                    text = _template(arg, source) if arg is not None else None
                    if text and re.search("[A-Za-z]", FIELD.sub("", text)):
                        texts.add(text)
    return texts


def test_every_text_a_chapter_draws_has_its_translation():
    texts = chapter_figure_texts()
    assert len(texts) > 50
    missing = sorted(t for t in texts - _FORMULAS if t not in zh_CN.FIGURE_TEXTS)
    assert not missing, f"chapter figure texts without a translation: {missing}"


def test_every_chapter_figure_text_is_still_drawn_by_a_chapter():
    strings = []
    for path in CHAPTERS:
        for _source, tree in _notebook_code(path):
            strings += [n.value for n in ast.walk(tree)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    corpus = "\0".join(strings)
    stale = [text for text in zh_CN.FIGURE_TEXTS
             if not all(part in corpus for part in FIELD.split(text) if part)]
    assert not stale, f"FIGURE_TEXTS no chapter draws any more: {stale}"


# --------------------------------------------------------------------------- the switch


def test_english_is_the_default_and_messages_are_the_code_itself():
    assert nn.get_language() == "en"
    assert _("diverged after {steps} steps", steps=3) == "diverged after 3 steps"
    assert _("learning rate") == "learning rate"
    assert translate_text("with BN") == "with BN"


def test_chinese_messages_are_filled_the_same_way(chinese):
    assert nn.get_language() == "zh_CN"
    assert _("diverged after {steps} steps", steps=3) == "3 步后发散"
    assert _("gate: {name}", name="AND") == "门：AND"


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="'fr'.*en.*zh_CN"):
        nn.set_language("fr")
    assert nn.get_language() == "en"


def test_the_environment_variable_chooses_the_language_at_import():
    code = "import nn; print(nn.get_language())"
    env = {"PYTHONPATH": str(ROOT / "src"), "NN_LANG": "zh_CN", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "zh_CN"
    env["NN_LANG"] = "klingon"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "NN_LANG='klingon'" in bad.stderr


def test_chapter_texts_are_translated_exactly_or_by_template(chinese):
    assert translate_text("with BN") == "使用 Batch Norm"
    assert translate_text("tangent at x = 5: slope 0.2000") == "x = 5 处的切线：斜率 0.2000"
    assert (translate_text("the first 30 of 87 misclassified test digits (label → prediction)")
            == "87 个识别错误的测试数字中的前 30 个（标签 → 预测）")
    assert translate_text("not in any catalog") == "not in any catalog"


def test_a_figure_shown_in_chinese_has_its_chapter_texts_translated(chinese):
    fig, ax = nn.plots.new_figure()
    ax.plot([0, 1], [0, 1], label="train")
    ax.set_xlabel("epoch")
    ax.set_title("accuracy per epoch")
    ax.legend()
    nn.plots.figure_png(fig)  # translates, like showing it in a notebook
    assert ax.get_title() == "每个 epoch 的识别精度"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["训练数据"]


# --------------------------------------------------------------------------- figures and widgets


def _all_texts(fig) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


def test_a_diverged_run_says_so_in_chinese(chinese):
    fig = nn.plots.plot_descent(nn.descent_path("bowl", 10, 100, (-3, 4)))
    texts = _all_texts(fig)
    assert "5 步后发散" in texts and "diverged" not in texts


def test_chinese_figures_use_the_cjk_font(chinese):
    family = matplotlib.rcParams["font.family"]
    assert family[0].startswith("Noto Sans CJK"), family
    fig = nn.plots.plot_step_vs_sigmoid()
    with _no_missing_glyph_warning():
        nn.plots.figure_png(fig)


class _no_missing_glyph_warning:
    """Fails when matplotlib warns of a glyph it cannot draw (a box instead of a character)."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings(record=True)
        self._records = self._catch.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)
        missing = [str(w.message) for w in self._records if "missing from font" in str(w.message)]
        assert not missing, missing[:3]


def test_switching_back_to_english_restores_the_font(chinese):
    nn.plots.new_figure()
    nn.set_language("en")
    assert matplotlib.rcParams["font.family"] == matplotlib.rcParamsDefault["font.family"]


def test_without_a_cjk_font_chinese_figures_fail_with_what_to_install(monkeypatch, chinese):
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name])
    monkeypatch.setattr(nn.live, "BROWSER_FONT", Path("/nonexistent/font.otf"))
    i18n.cjk_font_family.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
            nn.plots.new_figure()
        nn.set_language("en")
        with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
            nn.set_language("zh_CN")  # matplotlib is in use: the switch itself says so
        assert nn.get_language() == "en"
    finally:
        i18n.cjk_font_family.cache_clear()


def test_widgets_are_labelled_in_chinese(chinese):
    box = nn.widgets.gradient_descent_playground()
    assert box.controls["lr"].description == "学习率"
    box = nn.widgets.perceptron_playground(target="XOR")
    assert dict(box.controls["target"].options)["无"] == "none"
    assert "不一致" in box.readouts["status"].value
    box.controls["target"].value = "none"  # the values stay English: the code keeps working
    assert "没有目标" in box.readouts["status"].value


def test_widgets_in_english_are_as_before():
    box = nn.widgets.perceptron_playground()
    assert box.controls["target"].value == "none"
    assert box.controls["target"].options == nn.widgets.PLAYGROUND_TARGETS
    assert box.controls["w1"].description == "w1"
    assert box.readouts["status"].value.startswith("No target")


# --------------------------------------------------------------------------- English unchanged

# PNG digests (sha256, first 16 hex digits) of figures drawn in English by the library before
# it had a catalog (commit e9d0a94), with matplotlib 3.11.2: the English edition's figures are
# the same bytes. Another matplotlib draws other bytes, so only that version compares them.
_BEFORE_MATPLOTLIB = "3.11.2"
_BEFORE = {
    "plot_step_vs_sigmoid": "379ad8e4007bebc7",
    "plot_descent_diverged": "9a09d471123c593d",
    "plot_apple_graph": "d4a2dd9b667bcf35",
    "plot_optimizer_race": "750f1d1805437e08",
}


def _english_figures():
    return {
        "plot_step_vs_sigmoid": lambda: nn.plots.plot_step_vs_sigmoid(),
        "plot_descent_diverged": lambda: nn.plots.plot_descent(
            nn.descent_path("bowl", 1.1, 20)),
        "plot_apple_graph": lambda: nn.plots.plot_apple_graph(),
        "plot_optimizer_race": lambda: nn.plots.plot_optimizer_race(
            [nn.optimizer_path(n, 0.95, 30) for n in ("SGD", "Momentum", "AdaGrad", "Adam")]),
    }


@pytest.mark.parametrize("name", list(_BEFORE))
def test_english_figures_are_the_same_bytes_before_and_after_a_round_trip_through_chinese(name):
    make = _english_figures()[name]
    before = nn.plots.figure_png(make())
    nn.set_language("zh_CN")
    try:
        chinese = nn.plots.figure_png(make())
    finally:
        nn.set_language("en")
    after = nn.plots.figure_png(make())
    assert after == before != chinese
    if matplotlib.__version__ == _BEFORE_MATPLOTLIB:
        assert hashlib.sha256(after).hexdigest()[:16] == _BEFORE[name]


def test_english_figure_texts_are_the_messages_themselves():
    fig = nn.plots.plot_descent(nn.descent_path("bowl", 10, 100, (-3, 4)))
    texts = _all_texts(fig)
    assert "diverged after 5 steps\n(|x| or |y| > 1e+06)" in texts
    assert "one minimum at (0, 0); x ← (1 − 2·lr)·x, so lr > 0.5 overshoots" in texts


# --------------------------------------------------------------------------- the live book's font


@pytest.fixture(scope="module")
def subset_font(tmp_path_factory):
    return cjk_font.make_subset_font(tmp_path_factory.mktemp("font"))


def test_the_subset_font_holds_every_character_of_the_catalog_and_is_small(subset_font):
    from fontTools.ttLib import TTFont

    assert subset_font.name == cjk_font.FONT_FILE == nn.live.BROWSER_FONT.name
    cmap = TTFont(str(subset_font)).getBestCmap()
    chars = cjk_font.catalog_characters()
    assert CJK.search(chars) and "A" in chars and "−" in chars
    missing = sorted({c for c in chars if ord(c) not in cmap and not c.isspace()} - {"⊛"})
    assert not missing, missing
    assert subset_font.stat().st_size < 400_000, subset_font.stat().st_size


def test_nn_draws_chinese_with_the_browser_font_alone(subset_font, monkeypatch, chinese):
    """In the browser there are no system fonts: the subset at nn.live.BROWSER_FONT is all."""
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name])
    monkeypatch.setattr(nn.live, "BROWSER_FONT", subset_font)
    i18n.cjk_font_family.cache_clear()
    try:
        assert i18n.cjk_font_family() == "Noto Sans CJK SC"
        found = font_manager.findfont("Noto Sans CJK SC", fallback_to_default=False)
        assert Path(found) == subset_font
        with _no_missing_glyph_warning():
            nn.plots.figure_png(nn.plots.plot_apple_graph())
    finally:
        i18n.cjk_font_family.cache_clear()
        font_manager.fontManager.ttflist = [
            f for f in font_manager.fontManager.ttflist if Path(f.fname) != subset_font]
