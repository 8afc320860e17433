"""The book's structure, checked without building it: table of contents, glossary, citations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from paths import CHAPTERS, ROOT

NOTEBOOKS = CHAPTERS
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
BIB = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
BIB_KEYS = set(re.findall(r"^@\w+\{([^,\s]+),", BIB, flags=re.MULTILINE))


def toc_files() -> list[str]:
    files = [TOC["root"]]
    for part in TOC.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def markdown_sources() -> dict[str, str]:
    """Every page's markdown text: the .md pages and the markdown cells of each notebook."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("*.md")}
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        texts[nb.name] = "\n".join(
            "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
        )
    return texts


def test_every_chapter_notebook_is_in_the_toc_in_order():
    listed = [f for f in toc_files() if f.startswith("notebooks/")]
    expected = [f"notebooks/{nb.stem}" for nb in NOTEBOOKS]
    assert [str(Path(f).with_suffix("")) for f in listed] == expected


def test_every_toc_entry_exists():
    for entry in toc_files():
        candidates = [ROOT / f"{entry}{ext}" for ext in ("", ".md", ".ipynb")]
        assert any(c.is_file() for c in candidates), f"_toc.yml lists {entry}, which is missing"


def test_chapters_have_one_numbered_title_matching_the_file():
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        titles = [
            line
            for c in cells
            if c["cell_type"] == "markdown"
            for line in "".join(c["source"]).splitlines()
            if line.startswith("# ")
        ]
        assert len(titles) == 1, f"{nb.name} has {len(titles)} level-1 titles: {titles}"
        number = int(nb.name[:2])
        assert titles[0].startswith(f"# {number}. "), f"{nb.name}: title {titles[0]!r}"


def test_glossary_has_at_least_60_bilingual_terms_linked_to_chapters():
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    rows = [r for r in text.splitlines() if r.startswith("| ") and "](../notebooks/" in r]
    assert len(rows) >= 60
    stated = int(re.search(r"There are (\d+) terms", text).group(1))
    assert stated == len(rows), "the glossary's stated count is out of date"
    chinese = re.compile(r"[\u4e00-\u9fff]")
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        # A few terms (Adam, Dropout, im2col) stay in English in the Chinese edition too.
        kept_in_english = cells[1].lower() in cells[0].lower()
        assert chinese.search(cells[1]) or kept_in_english, f"no Chinese term in {row}"
        target = re.search(r"\]\(\.\./(notebooks/[^)]+)\)", row).group(1)
        assert (ROOT / target).is_file(), f"glossary links to missing {target}"


@pytest.mark.parametrize(
    "key",
    ["saitoh2016", "glorot2010", "he2015", "ioffe2015", "kingma2015", "duchi2011",
     "srivastava2014", "lecun1998", "krizhevsky2012", "simonyan2015", "szegedy2015", "he2016"],
)
def test_bibliography_has_the_required_works(key):
    assert key in BIB_KEYS


def test_every_citation_has_a_bibliography_entry():
    cited = {
        (page, key.strip())
        for page, text in markdown_sources().items()
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text)
        for key in group.split(",")
    }
    missing = sorted((page, key) for page, key in cited if key not in BIB_KEYS)
    assert not missing, f"citations without an entry in references.bib: {missing}"


def shown_sources() -> list[tuple[str, str, str]]:
    """(notebook, expression, committed text) for every cell that is just nn.show_source(X)."""
    found = []
    for nb in NOTEBOOKS:
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            src = "".join(cell["source"]).strip()
            match = re.fullmatch(r"nn\.show_source\((nn(?:\.\w+)+)\)", src)
            if cell["cell_type"] == "code" and match:
                outputs = [o for o in cell["outputs"] if "text/plain" in o.get("data", {})]
                text = "".join(outputs[0]["data"]["text/plain"]) if outputs else ""
                found.append((nb.name, match.group(1), text))
    return found


SHOWN = shown_sources()


@pytest.mark.parametrize("notebook, expression, text", SHOWN, ids=[f"{n}:{e}" for n, e, _ in SHOWN])
def test_source_shown_in_the_book_is_the_librarys_current_source(notebook, expression, text):
    # The executed notebooks are committed; a change to nn must be followed by re-executing
    # every chapter that shows the changed code, or the book prints code that no longer exists.
    import inspect
    import operator

    import nn

    obj = operator.attrgetter(expression.removeprefix("nn."))(nn)
    assert text.strip() == inspect.getsource(obj).strip(), (
        f"{notebook} shows an old version of {expression}; re-execute it (make execute)"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_glued_number_in_the_prose_is_recorded_by_a_cell(notebook):
    # {glue:text}`name:format` in the text must find `name` among the chapter's stored outputs
    # (nn.glue), or the web book would print a warning instead of the number.
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    used = set(re.findall(r"\{glue:text\}`([A-Za-z_][A-Za-z0-9_]*)", prose))
    recorded = {
        output["metadata"]["scrapbook"]["name"]
        for c in cells
        if c["cell_type"] == "code"
        for output in c.get("outputs", [])
        if "scrapbook" in output.get("metadata", {})
    }
    assert used <= recorded, f"{notebook.name}: glued in the text but never recorded: " + (
        ", ".join(sorted(used - recorded)))


def test_the_executed_chapters_stay_light():
    # book-style.md: no output over ~150 KB, the nine chapters together under 3 MB, and no
    # style sheet repeated in the stored outputs (show_source stores Markdown).
    total = sum(nb.stat().st_size for nb in NOTEBOOKS)
    assert total < 3_000_000, f"the chapters weigh {total / 1e6:.2f} MB"
    for nb in NOTEBOOKS:
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                size = len(json.dumps(output))
                assert size < 150_000, f"{nb.name}, cell {cell.get('id')}: output of {size:,} B"
                assert "<style>" not in json.dumps(output.get("data", {})), (
                    f"{nb.name}, cell {cell.get('id')}: a style sheet in a stored output")
