"""Reader notebooks (book/_ext/reader_notebooks.py): the chapters read in JupyterLab as on the page.

Unit tests of each conversion on small inputs, then the real chapters: no MyST role or directive
left in any English or Chinese reader copy or live notebook, every glued number as the page shows
it, the Chinese copies' prose from the catalogs, and (once the book is built) the live site
holding both languages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import launch_button
import lite_site
import pytest
import reader_notebooks as rn

from paths import CHAPTERS, HTML

LITE_FILES = HTML / lite_site.LITE_URL_DIR / "files"

#: Any MyST role (`{name}`text``) or directive fence (```{name}, :::{name}, ~~~{name}) left raw.
RAW_MYST = re.compile(r"(?<!`)\{[A-Za-z][\w:+.-]*\}`|^\s*(?:>\s*)*(?:`{3,}|~{3,}|:{3,})\s*\{", re.M)
#: MyST-only block syntax: targets "(label)=", comments "% …", block breaks "+++".
RAW_MYST_BLOCKS = re.compile(r"^\s*(?:\([\w-]+\)=\s*$|%\s|\+\+\+)", re.M)
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def glue_output(name: str, value, display: bool = False) -> dict:
    prefix = "" if display else rn.GLUE_PREFIX
    return {"output_type": "display_data", "metadata": {"scrapbook": {
        "name": name, "mime_prefix": prefix}}, "data": {prefix + "text/plain": repr(value)}}


def notebook(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def md(text: str, **meta) -> dict:
    return {"cell_type": "markdown", "metadata": meta, "source": text}


def code(text: str, outputs=(), tags=()) -> dict:
    return {"cell_type": "code", "metadata": {"tags": list(tags)} if tags else {},
            "source": text, "outputs": list(outputs), "execution_count": 1}


BIB = {
    "saitoh2016": rn.Reference("saitoh2016", "Saitoh", "2016", "Koki Saitoh. *DLfS*."),
    "he2015": rn.Reference("he2015", "He *et al.*", "2015", "Kaiming He et al."),
}


def text_of(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def convert(markdown: str, *outputs: dict) -> str:
    nb = notebook(code("glue(...)", outputs), md(markdown))
    return text_of(rn.reader_notebook(nb, bibliography=BIB))


# --------------------------------------------------------------------------- unit: glue


def test_glue_text_pastes_the_stored_value_with_its_format_spec():
    out = convert("about **{glue:text}`days:.0f`** days, x ≈ {glue:text}`x:.1f`, "
                  "{glue:text}`n` steps, {glue:text}`name`",
                  glue_output("days", 41.63), glue_output("x", 23.749),
                  glue_output("n", 2), glue_output("name", "Adam"))
    assert out == "about **42** days, x ≈ 23.7, 2 steps, Adam"


def test_glue_formats_as_myst_nb_does():
    from myst_nb.core.variables import format_plain_text

    for text, spec in [("0.98765", ".2%"), ("12", "d"), ("3.0", ".3g"), ("'s'", ""),
                       ("np.float32(0.5)", ""), ("1234567.0", ",.0f")]:
        assert rn.format_glue(text, spec) == format_plain_text(text, spec), (text, spec)


def test_a_glue_key_the_notebook_does_not_store_is_an_error():
    with pytest.raises(rn.ReaderNotebookError, match="'missing'"):
        convert("{glue:text}`missing:.1f`", glue_output("days", 1.0))


def test_displayed_glue_stays_and_hidden_glue_outputs_go():
    nb = notebook(code("glue", [glue_output("a", 1.5), glue_output("b", 2.5, display=True)]),
                  md("{glue:text}`a` and {glue}`b`"))
    out = rn.reader_notebook(nb, bibliography=BIB)
    assert text_of(out) == "1.5 and 2.5"
    assert [o["metadata"]["scrapbook"]["name"] for o in out["cells"][0]["outputs"]] == ["b"]


# --------------------------------------------------------------------------- unit: citations


def test_cite_becomes_author_year_linked_to_the_references():
    assert convert("the book {cite}`saitoh2016` and He {cite}`he2015,saitoh2016`.") == (
        "the book ([Saitoh, 2016](references.ipynb#saitoh2016)) and He "
        "([He *et al.*, 2015](references.ipynb#he2015); "
        "[Saitoh, 2016](references.ipynb#saitoh2016)).")
    assert convert("{cite:t}`saitoh2016`") == "[Saitoh (2016)](references.ipynb#saitoh2016)"


def test_an_unknown_citation_is_an_error():
    with pytest.raises(rn.ReaderNotebookError, match="nobody1999"):
        convert("{cite}`nobody1999`")


def test_bibliography_labels_as_the_page_shows_them():
    bib = rn.load_bibliography()
    assert (bib["saitoh2016"].authors, bib["saitoh2016"].year) == ("Saitoh", "2016")
    assert bib["glorot2010"].authors == "Glorot and Bengio"
    assert bib["he2015"].authors == "He *et al.*"
    assert "Deep Learning from Scratch" in bib["saitoh2016"].text


def test_references_notebook_anchors_every_key():
    ref = rn.references_notebook(BIB, "zh_CN")
    text = text_of(ref)
    assert text.startswith("# 参考文献")
    assert '<a id="saitoh2016"></a>' in text and '<a id="he2015"></a>' in text


# --------------------------------------------------------------------------- unit: directives


def test_dropdown_becomes_a_folded_details_block_with_markdown_inside():
    out = convert("1. Why?\n\n```{dropdown} Solution\nBecause $x > 0$ and {glue:text}`v:.2f`.\n"
                  "```\n\nAfter.", glue_output("v", 0.123))
    assert out == ("1. Why?\n\n<details>\n<summary><b>Solution</b> (click to show)</summary>\n\n"
                   "Because $x > 0$ and 0.12.\n\n</details>\n\nAfter.")


def test_a_dropdown_holding_a_code_fence_keeps_it_as_code():
    out = convert("````{dropdown} Solution\n```python\nx = {1: 2}\n```\n````")
    assert "<details>" in out and "```python\nx = {1: 2}\n```" in out
    assert "````" not in out


def test_admonitions_become_quoted_blocks_with_a_bold_title():
    out = convert(":::{note}\nFirst line.\n\nSecond, {cite}`saitoh2016`.\n:::")
    assert out == ("> **Note**\n>\n> First line.\n>\n"
                   "> Second, ([Saitoh, 2016](references.ipynb#saitoh2016)).")
    out = convert("```{admonition} Careful here\n:class: warning\nText.\n```")
    assert out == "> **Careful here**\n>\n> Text."
    out = convert("```{warning} All on one line.\n```")
    assert out == "> **Warning**\n>\n> All on one line."


def test_an_indented_directive_in_a_list_keeps_its_indentation():
    out = convert("- item\n\n  ```{dropdown} Hint\n  Look.\n  ```\n")
    assert ("  <details>\n  <summary><b>Hint</b> (click to show)</summary>\n\n  Look.\n\n"
            "  </details>") in out


def test_other_roles_and_directives_get_plain_equivalents():
    out = convert("{math}`a^2` {sub}`2` {doc}`chapter 6 <06_backprop>` {ref}`the loss <loss>` "
                  "{term}`epoch` {code}`x + 1` {abbr}`SGD (stochastic gradient descent)`\n\n"
                  "(my-label)=\n\n```{math}\ny = 1\n```\n\n```{code-cell} python\nx = 1\n```\n\n"
                  "```{epigraph}\nWords.\n```")
    assert out == ("$a^2$ <sub>2</sub> [chapter 6](06_backprop.ipynb) the loss epoch `x + 1` "
                   "SGD\n\n\n$$\ny = 1\n$$\n\n```python\nx = 1\n```\n\nWords.")


def test_roles_inside_code_stay_literal():
    text = "Write `` {cite}`key` `` or\n\n```markdown\n{glue:text}`x`\n```"
    assert convert(text) == text


def test_math_labels_and_myst_comments_go():
    assert convert("$$E = mc^2$$ (energy)\n\n% a comment\nText.") == "$$E = mc^2$$\n\nText."


# --------------------------------------------------------------------------- unit: cells


def test_cell_tags_mean_what_they_mean_on_the_page():
    nb = notebook(
        code("install()", tags=["remove-cell"]),
        code("assert ok", tags=["remove-input"]),
        code("print(1)", [{"output_type": "stream", "name": "stderr", "text": "warn"},
                          {"output_type": "stream", "name": "stdout", "text": "1"}],
             tags=["remove-stderr"]),
        code("noisy()", tags=["hide-output"]),
        md("Gone.", tags=["remove-cell"]),
    )
    out = rn.reader_notebook(nb)
    assert ["".join(c["source"]) for c in out["cells"]] == ["assert ok", "print(1)", "noisy()"]
    assert out["cells"][0]["metadata"]["jupyter"] == {"source_hidden": True}
    assert [o["name"] for o in out["cells"][1]["outputs"]] == ["stdout"]
    assert out["cells"][2]["metadata"]["jupyter"] == {"outputs_hidden": True}
    live = rn.reader_notebook(nb, keep_removed=True)
    assert "".join(live["cells"][0]["source"]) == "install()"
    assert live["cells"][0]["metadata"]["jupyter"] == {"source_hidden": True,
                                                      "outputs_hidden": True}
    assert len(nb["cells"]) == 5 and nb["cells"][1]["metadata"] == {"tags": ["remove-input"]}


def test_sources_are_stored_as_lines():
    out = rn.reader_notebook(notebook(md("# T\n\nText.")))
    assert out["cells"][0]["source"] == ["# T\n", "\n", "Text."]


# --------------------------------------------------------------------------- unit: translation


CATALOG = {
    "1. Title（标题）": "1\\. 标题",
    "A paragraph on two lines with {glue:text}`v:.1f`.": "一个段落，含 {glue:text}`v:.1f`。",
    "first item": "第一项",
    "second item continued": "第二项（续）",
    "Solution": "解答",
    "Inside the dropdown {cite}`saitoh2016`.": "折叠块里 {cite}`saitoh2016`。",
    "\nE = 1\n": "\nE = 1\n",
    "head": "表头",
    "cell a": "单元 a",
}
ZH_SOURCE = ("# 1. Title（标题）\n\nA paragraph on two\nlines with {glue:text}`v:.1f`.\n\n"
             "- first item\n- second\n  item continued\n\n$$\nE = 1\n$$\n\n"
             "| head |\n|---|\n| cell a |\n\n```python\nprint('code stays')\n```\n\n"
             "```{dropdown} Solution\nInside the dropdown {cite}`saitoh2016`.\n```")


def test_translation_replaces_every_block_from_the_catalog():
    tr = rn.Translator(CATALOG)
    out = rn.translate_markdown(ZH_SOURCE, tr)
    assert tr.missing == []
    assert out == ("# 1\\. 标题\n\n一个段落，含 {glue:text}`v:.1f`。\n\n"
                   "- 第一项\n- 第二项（续）\n\n$$\nE = 1\n$$\n\n"
                   "| 表头 |\n|---|\n| 单元 a |\n\n```python\nprint('code stays')\n```\n\n"
                   "```{dropdown} 解答\n折叠块里 {cite}`saitoh2016`。\n```")


def test_a_block_without_translation_is_reported():
    tr = rn.Translator({k: v for k, v in CATALOG.items() if k != "first item"})
    out = rn.translate_markdown(ZH_SOURCE, tr)
    assert tr.missing == ["first item"]
    assert "- first item" in out


def test_chinese_notebook_translates_converts_and_switches_nn():
    nb = notebook(md("# 1. Title（标题）"), code("install()", tags=["remove-cell"]),
                  code("glue", [glue_output("v", 2.345)]),
                  md("A paragraph on two lines with {glue:text}`v:.1f`."))
    out, missing = rn.chinese_notebook(nb, CATALOG, bibliography=BIB, keep_removed=True)
    assert missing == []
    sources = ["".join(c["source"]) for c in out["cells"]]
    assert sources == ["# 1\\. 标题", "install()", 'import nn\n\nnn.set_language("zh_CN")',
                       "glue", "一个段落，含 2.3。"]
    assert out["cells"][2]["metadata"]["jupyter"] == {"source_hidden": True}
    out, _ = rn.chinese_notebook(nb, CATALOG, bibliography=BIB)
    switch = "".join(out["cells"][1]["source"])
    assert switch == 'import nn\n\nnn.set_language("zh_CN")'


# --------------------------------------------------------------------------- unit: make lab


def test_make_lab_never_overwrites_a_copy_the_reader_edited(tmp_path):
    src = tmp_path / "01_x.ipynb"
    src.write_text(json.dumps(notebook(md("Version 1 {cite}`saitoh2016`."))))
    target = tmp_path / "lab"
    report = rn.write_reader_copies([src], target, languages=("en",))
    assert sorted(report["written"]) == ["01_x.ipynb", "references.ipynb"]
    copy = target / "01_x.ipynb"
    assert "([Saitoh, 2016](references.ipynb#saitoh2016))" in copy.read_text()
    # Opened and saved without edits (JupyterLab rewrites metadata): still the book's copy.
    nb = json.loads(copy.read_text())
    nb["metadata"]["kernelspec"] = {"display_name": "Python 3 (ipykernel)"}
    copy.write_text(json.dumps(nb))
    src.write_text(json.dumps(notebook(md("Version 2."))))
    report = rn.write_reader_copies([src], target, languages=("en",))
    assert "01_x.ipynb" in report["written"] and "Version 2." in copy.read_text()
    # Edited by the reader: kept.
    nb = json.loads(copy.read_text())
    nb["cells"][0]["source"] = ["My own notes."]
    copy.write_text(json.dumps(nb))
    src.write_text(json.dumps(notebook(md("Version 3."))))
    report = rn.write_reader_copies([src], target, languages=("en",))
    assert report["kept"] == ["01_x.ipynb"] and "My own notes." in copy.read_text()


# --------------------------------------------------------------------------- the real chapters


@pytest.fixture(scope="module")
def bibliography():
    return rn.load_bibliography()


@pytest.fixture(scope="module")
def chapters(bibliography) -> dict[str, dict]:
    """name -> {"source", "en", "zh", "missing", "live_en", "live_zh"} of every chapter."""
    out = {}
    for path in CHAPTERS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        catalog = rn.chapter_catalog(path.stem)
        zh, missing = rn.chinese_notebook(nb, catalog, bibliography=bibliography)
        out[path.stem] = {
            "source": nb, "catalog": catalog, "zh": zh, "missing": missing,
            "en": rn.reader_notebook(nb, bibliography=bibliography),
            "live_en": lite_site.live_notebook(nb, None, bibliography),
            "live_zh": lite_site.live_notebook(nb, catalog, bibliography),
        }
    return out


def raw_myst(nb: dict) -> list[str]:
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            found += [text[max(0, m.start() - 30): m.end() + 30]
                      for pattern in (RAW_MYST, RAW_MYST_BLOCKS) for m in pattern.finditer(text)]
    return found


def test_the_raw_myst_pattern_catches_what_the_chapters_use():
    for raw in ("{glue:text}`x:.1f`", "{cite}`saitoh2016`", "```{dropdown} Solution",
                ":::{note}", "  ````{dropdown} S", "{math}`x`"):
        assert RAW_MYST.search(raw), raw
    assert RAW_MYST_BLOCKS.search("(label)=\n")
    assert not RAW_MYST.search("```python\nx = {1: 2}\n``` and `{x}`")


@pytest.mark.parametrize("kind", ["en", "zh", "live_en", "live_zh"])
def test_no_myst_role_or_directive_left(chapters, kind):
    left = {name: raw_myst(ch[kind]) for name, ch in chapters.items()}
    assert not any(left.values()), {k: v for k, v in left.items() if v}
    assert sum(RAW_MYST.search(text_of(ch["source"])) is not None
               for ch in chapters.values()) == len(chapters), "the sources do use MyST"


def glue_uses(text: str) -> list[str]:
    return re.findall(r"\{glue:text\}`([^`]+)`", text)


def test_every_glued_value_is_shown_as_the_page_formats_it(chapters):
    from myst_nb.core.variables import format_plain_text

    total = 0
    for name, ch in chapters.items():
        store = rn.glue_store(ch["source"])
        reader_cells = [c for c in ch["en"]["cells"] if c["cell_type"] == "markdown"]
        source_cells = [c for c in ch["source"]["cells"] if c["cell_type"] == "markdown"
                        and "remove-cell" not in c.get("metadata", {}).get("tags", [])]
        for src, out in zip(source_cells, reader_cells, strict=True):
            text, shown = "".join(src["source"]), "".join(out["source"])
            for use in glue_uses(text):
                key, _, spec = use.rpartition(":") if ":" in use else (use, "", "")
                value = format_plain_text(store[key]["text/plain"], spec)
                assert value in shown, (name, use, value)
                total += 1
    assert total >= 20


def page_glue(path: Path) -> list[str]:
    return re.findall(r'<span class="pasted-text">([^<]*)</span>', path.read_text(encoding="utf-8"))


@pytest.mark.built(HTML / "notebooks", "the web book")
def test_glued_values_equal_the_built_pages(chapters):
    for name, ch in chapters.items():
        store = rn.glue_store(ch["source"])
        values = [rn.glue_text(use, store) for use in glue_uses(text_of(ch["source"]))]
        assert values == page_glue(HTML / "notebooks" / f"{name}.html"), name
        zh_page = HTML / "zh_CN" / "notebooks" / f"{name}.html"
        if zh_page.is_file():
            # Cell by cell, as the live notebooks are translated: joined, the last line of one
            # cell and the first of the next would read as one paragraph.
            translator = rn.Translator(ch["catalog"])
            zh_text = "\n\n".join(rn.translate_markdown("".join(c["source"]), translator)
                                  for c in ch["source"]["cells"] if c["cell_type"] == "markdown")
            zh_values = [rn.glue_text(u, store) for u in glue_uses(zh_text)]
            assert zh_values == page_glue(zh_page), name


def test_every_chinese_block_has_its_translation(chapters):
    assert {name: ch["missing"] for name, ch in chapters.items() if ch["missing"]} == {}


def prose(text: str) -> str:
    """Markdown without code, math, link targets and HTML tags: the words a reader reads."""
    text = re.sub(r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)|<[^>]+>", " ", text)
    return text


def test_chinese_notebooks_read_chinese(chapters):
    for name, ch in chapters.items():
        for cell in ch["zh"]["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            words = prose("".join(cell["source"]))
            han, latin = len(HAN.findall(words)), len(LATIN.findall(words))
            if han + latin < 20:  # a formula or a one-word heading
                continue
            assert han > latin, (name, words[:200])


def test_chinese_notebooks_hold_the_catalogs_translations(chapters):
    for name, ch in chapters.items():
        english = " ".join(text_of(ch["source"]).split())
        chinese = " ".join(text_of(ch["zh"]).split())
        used = 0
        for msgid, msgstr in ch["catalog"].items():
            if msgid in english and len(msgid) > 40 and "}`" not in msgstr:
                assert " ".join(msgstr.split()) in chinese, (name, msgstr[:80])
                used += 1
        assert used >= 10, name


def test_chinese_notebooks_switch_nn_to_chinese_before_any_shown_code(chapters):
    for name, ch in chapters.items():
        cells = [c for c in ch["zh"]["cells"] if c["cell_type"] == "code"]
        assert "".join(cells[0]["source"]).endswith('nn.set_language("zh_CN")'), name
        assert cells[0]["metadata"]["jupyter"]["source_hidden"] is True


def test_chapter_links_point_at_notebooks_beside_them(chapters):
    names = {p.name for p in CHAPTERS} | {rn.REFERENCES}
    for name, ch in chapters.items():
        for kind in ("en", "zh"):
            targets = re.findall(r"\]\(([^)#\s]+\.ipynb)", text_of(ch[kind]))
            assert set(targets) <= names, (name, kind, set(targets) - names)


def test_the_live_button_of_a_chinese_page_opens_the_chinese_notebook():
    assert (launch_button.live_url("notebooks/03_activations", "../lite", "zh_CN")
            == "../../lite/lab/index.html?path=zh_CN/03_activations.ipynb")
    assert (launch_button.live_url("notebooks/03_activations")
            == "../lite/lab/index.html?path=03_activations.ipynb")


# --------------------------------------------------------------------------- the built site


@pytest.mark.built(LITE_FILES, "the live site")
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_live_site_holds_both_languages(path):
    for folder in ("", "zh_CN/"):
        served = LITE_FILES / f"{folder}{path.name}"
        assert served.is_file(), served
        nb = json.loads(served.read_text(encoding="utf-8"))
        assert raw_myst(nb) == [], served
        assert (LITE_FILES / f"{folder}{rn.REFERENCES}").is_file()
        # The stored figures stay, for the reader to see before running.
        source = json.loads(path.read_text(encoding="utf-8"))
        figures = sum("image/png" in o.get("data", {}) for c in source["cells"]
                      for o in c.get("outputs", []))
        assert sum("image/png" in o.get("data", {}) for c in nb["cells"]
                   for o in c.get("outputs", [])) == figures, served
    zh = json.loads((LITE_FILES / "zh_CN" / path.name).read_text(encoding="utf-8"))
    assert HAN.search(text_of(zh))
