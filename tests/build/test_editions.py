"""The two editions (book/_ext/editions.py): their configuration, language switch and built pages.

The browser side (every page of both editions opened, the switch followed, Chinese search) is in
``test_web_book.py``; the translations themselves are checked in ``test_translations.py``.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import editions
import launch_button
import pytest
import yaml

from paths import CHAPTERS, HTML, ROOT

ZH = HTML / "zh_CN"
BASE = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
needs_zh = pytest.mark.built(ZH / "index.html", "the Chinese edition")


def test_the_chinese_config_changes_language_and_keeps_everything_else():
    zh = editions.edition_config("zh_CN", BASE)
    config = zh["sphinx"]["config"]
    assert config["language"] == "zh_CN"
    assert config["live_book_site"] == "../lite"
    assert config["editions_executed_dir"] == "_build/zh_CN/executed"
    assert zh["title"] != BASE["title"]
    # Untouched settings come through unchanged; the base itself is not modified.
    assert zh["parse"] == BASE["parse"]
    assert config["numfig"] == BASE["sphinx"]["config"]["numfig"]
    assert BASE["sphinx"]["config"]["language"] == "en"
    # Written outside the project, the config must still find the local extensions.
    for path in zh["sphinx"]["local_extensions"].values():
        assert Path(path).is_absolute() and (Path(path) / "editions.py").is_file()


def test_every_edition_has_every_word_the_pages_write():
    source = editions.EDITIONS[editions.SOURCE]
    for edition in editions.EDITIONS.values():
        assert edition.reader.keys() == source.reader.keys(), edition.language
        assert len(edition.launch) == 2 and all(edition.launch), edition.language


def test_an_unknown_edition_is_refused_by_name():
    with pytest.raises(ValueError, match="'fr'.*editions are"):
        editions.edition_config("fr", BASE)


@pytest.mark.parametrize("pagename, language, expected", [
    ("book/intro", "en", {"English": "../book/intro.html", "中文": "../zh_CN/book/intro.html"}),
    ("notebooks/02_perceptron", "zh_CN",
     {"English": "../../notebooks/02_perceptron.html",
      "中文": "../../zh_CN/notebooks/02_perceptron.html"}),
    ("search", "zh_CN", {"English": "../search.html", "中文": "../zh_CN/search.html"}),
])
def test_switch_links_lead_to_the_same_page(pagename, language, expected):
    links = editions.switch_links(pagename, language)
    assert {name: url for name, url, _ in links} == expected
    assert [name for name, _, current in links if current] == [editions.EDITIONS[language].name]


def test_live_url_of_an_edition_in_a_subfolder():
    assert (launch_button.live_url("notebooks/03_activations", "../lite")
            == "../../lite/lab/index.html?path=03_activations.ipynb")


@needs_zh
def test_every_english_page_has_its_chinese_page():
    english = {p.relative_to(HTML) for p in (HTML / "notebooks").glob("*.html")}
    english |= {p.relative_to(HTML) for p in (HTML / "book").glob("*.html")}
    missing = sorted(str(p) for p in english if not (ZH / p).is_file())
    assert english and not missing, missing


@needs_zh
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chinese_chapter_opens_its_chinese_live_notebook(path):
    page = (ZH / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in page
    links = re.findall(r'<a class="live-launch-button" href="([^"]+)"', page)
    assert links == [f"../../lite/lab/index.html?path=zh_CN/{path.name}"]
    assert "在浏览器中运行本章" in page
    # The Chinese build links to the English build's live site and makes none of its own.
    assert (HTML / "lite" / "files" / "zh_CN" / path.name).is_file()
    assert not (ZH / "lite").exists()


@needs_zh
def test_chinese_search_index_holds_chinese_words():
    text = (ZH / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1: text.rindex(")")])
    # jieba splits the text into words; without it Sphinx indexes no Chinese at all.
    for word in ("感知机", "激活函数", "梯度"):
        assert word in index["terms"], word


def glued_values(page: Path) -> list[str]:
    return sorted(re.findall(r'<span class="pasted-text">([^<]*)</span>',
                             page.read_text(encoding="utf-8")))


@needs_zh
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chinese_chapter_shows_the_same_glued_numbers(path):
    # Sphinx drops a role's output silently inside a translated paragraph; the numbers the
    # English text quotes from the outputs must all be in the Chinese text too.
    english = glued_values(HTML / "notebooks" / f"{path.stem}.html")
    assert glued_values(ZH / "notebooks" / f"{path.stem}.html") == english


def test_the_search_dictionary_holds_the_glossarys_terms():
    terms = editions.glossary_chinese_terms(ROOT / "book" / "glossary.md")
    for term in ("激活函数", "批归一化", "误差反向传播法", "轮"):
        assert term in terms
    assert "中文" not in terms  # the table's header
    assert all(re.fullmatch(r"[\w\u4e00-\u9fff-]+", t) for t in terms), terms


def first_heading(page: Path) -> str:
    match = re.search(r"<h1>(.*?)<a class=\"headerlink\"", page.read_text(encoding="utf-8"), re.S)
    assert match, f"{page} has no <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@needs_zh
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chinese_chapter_title_is_translated(path):
    # "2. 感知机与逻辑电路" would parse as a list item and be dropped: the catalog writes "2\. …".
    title = first_heading(ZH / "notebooks" / f"{path.stem}.html")
    assert re.search(r"[\u4e00-\u9fff]{2}", title.split("（")[0]), title
    assert title.startswith(f"{int(path.stem[:2])}. ")


@needs_zh
def test_table_of_contents_captions_are_translated():
    page = (ZH / "book" / "intro.html").read_text(encoding="utf-8")
    captions = re.findall(r'caption-text">([^<]*)', page)
    english = re.findall(r'caption-text">([^<]*)',
                         (HTML / "book" / "intro.html").read_text(encoding="utf-8"))
    assert len(captions) == len(english) >= 5
    assert all(re.search(r"[\u4e00-\u9fff]", c) for c in captions), captions


class _ProseText(HTMLParser):
    """The text of each paragraph and heading of a page's article, outside code and outputs."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "dt", "td", "th", "figcaption"}
    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: inside code or an output?
        self.blocks: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skip = (bool(self.stack) and self.stack[-1]) or tag in ("pre", "code", "script", "style") \
            or bool(classes & {"cell_output", "output", "math", "highlight", "notranslate"})
        self.stack.append(skip)
        if tag in self.BLOCKS and not skip:
            self.current = []

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        self.stack.pop()
        if tag in self.BLOCKS and self.current is not None:
            self.blocks.append(" ".join("".join(self.current).split()))
            self.current = None

    def handle_data(self, data):
        if self.current is not None and not (self.stack and self.stack[-1]):
            self.current.append(data)


def prose_blocks(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    article = text[text.index("<article"): text.index("</article>")]
    parser = _ProseText()
    parser.feed(article)
    return parser.blocks


@needs_zh
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_english_paragraph_is_left_on_a_chinese_page(path):
    # Sphinx silently keeps the English when a translation parses into other markup (a title
    # that reads as a list item, say): such a block has English words and no Chinese.
    left = [block[:80] for block in prose_blocks(ZH / "notebooks" / f"{path.stem}.html")
            if re.search(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}", block)
            and not re.search(r"[\u4e00-\u9fff]", block)]
    assert not left, "\n".join(left)


# --------------------------------------------------------------------------- figures and widgets

_IMG = re.compile(r'<img[^>]+src="([^"]+\.png)"')
_WIDGET_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S)
CJK = re.compile(r"[\u4e00-\u9fff]")

# Figures that hold no text at all (digits, filters and maps without any title): the same
# picture in both editions. Each entry is (chapter, position of the figure on the page, from 1).
# None today: every figure of the book has a title or labels.
FIGURES_WITHOUT_TEXT: set[tuple[str, int]] = set()


def figures(page: Path) -> list[bytes]:
    """The bytes of every PNG figure a built page shows, in page order."""
    srcs = _IMG.findall(page.read_text(encoding="utf-8"))
    return [(page.parent / src).read_bytes() for src in srcs]


@needs_zh
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chinese_chapter_figures_are_drawn_in_chinese(path):
    # The Chinese edition's figures come from the chapter executed with NN_LANG=zh_CN (make
    # book-zh): each differs from the English one, unless it has no text to translate.
    english = figures(HTML / "notebooks" / f"{path.stem}.html")
    chinese = figures(ZH / "notebooks" / f"{path.stem}.html")
    assert len(chinese) == len(english), "the editions show different numbers of figures"
    same = [k for k, (en, zh) in enumerate(zip(english, chinese, strict=True), start=1)
            if en == zh and (path.stem[:2], k) not in FIGURES_WITHOUT_TEXT]
    assert not same, f"figures {same} of {path.stem} are the English ones"


def widget_states(page: Path) -> dict:
    match = _WIDGET_STATE.search(page.read_text(encoding="utf-8"))
    return json.loads(match.group(1))["state"] if match else {}


def widget_labels(state: dict) -> list[str]:
    """What a reader reads on the page's saved widgets: descriptions, dropdown options and the
    HTML readouts."""
    labels = []
    for model in state.values():
        s = model.get("state", {})
        if s.get("description"):
            labels.append(s["description"])
        labels += s.get("_options_labels", [])
        if model.get("model_name") == "HTMLModel" and s.get("value"):
            labels.append(re.sub(r"<[^>]+>", " ", s["value"]))
    return labels


WIDGET_CHAPTERS = [p for p in CHAPTERS if '"nn.widgets.' in p.read_text(encoding="utf-8")]


@needs_zh
@pytest.mark.parametrize("path", WIDGET_CHAPTERS, ids=lambda p: p.stem)
def test_chinese_chapter_widgets_are_labelled_in_chinese(path):
    from nn.locales import zh_CN

    english = widget_labels(widget_states(HTML / "notebooks" / f"{path.stem}.html"))
    chinese = widget_labels(widget_states(ZH / "notebooks" / f"{path.stem}.html"))
    assert english and chinese
    assert sum(bool(CJK.search(label)) for label in chinese) >= 1
    # No label the catalog translates is left in English on the Chinese page.
    left = sorted({label for label in chinese if label in zh_CN.MESSAGES})
    assert not left, left
    # The snapshots (the figures inside the saved widgets) are the Chinese ones too.
    assert widget_states(ZH / "notebooks" / f"{path.stem}.html") != widget_states(
        HTML / "notebooks" / f"{path.stem}.html")


def test_chinese_outputs_replace_figures_and_widgets_and_keep_everything_else():
    def cell(*outputs):
        return {"cell_type": "code", "source": ["x"], "outputs": list(outputs), "metadata": {}}

    png = {"output_type": "display_data", "data": {"image/png": "EN"}, "metadata": {}}
    text = {"output_type": "stream", "name": "stdout", "text": "1.23 s\n"}
    glue = {"output_type": "display_data", "data": {"text/plain": "0.97"},
            "metadata": {"scrapbook": {"name": "acc"}}}
    english = {"cells": [cell(text, png, glue)], "metadata": {"widgets": {"en": 1}}}
    zh_png = dict(png, data={"image/png": "ZH"})
    executed = {"cells": [cell(dict(text, text="1.31 s\n"), zh_png, dict(glue))],
                "metadata": {"widgets": {"zh": 1}}}
    merged = editions.chinese_outputs(english, executed)
    assert merged["cells"][0]["outputs"] == [text, zh_png, glue]
    assert merged["metadata"]["widgets"] == {"zh": 1}
    assert english["cells"][0]["outputs"][1] is png and png["data"]["image/png"] == "EN"

    executed["cells"][0]["outputs"] = [text]  # a stale copy: one figure missing
    with pytest.raises(ValueError, match="cell 1: 1 figures or widgets in the notebook, 0"):
        editions.chinese_outputs(english, executed)
    executed["cells"][0]["source"] = ["y"]
    with pytest.raises(ValueError, match="stale copy"):
        editions.chinese_outputs(english, executed)
