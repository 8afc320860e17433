"""The book's one term table (book/glossary.md) holds every chapter to its Chinese names.

The glossary page is the table: English, 中文, meaning, the chapter that introduces the term. A
chapter gives a term its Chinese name as ``term（中文）`` (bold or not); these tests fail when that
name differs from the table's, or when the table says a term is introduced later than the first
chapter that names it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GLOSSARY = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
HAN = re.compile(r"[\u4e00-\u9fff]")


def term_table() -> list[tuple[list[str], set[str], int]]:
    """(English names, accepted Chinese forms, chapter) for every row of the glossary."""
    rows = []
    for line in GLOSSARY.splitlines():
        match = re.match(r"\| ([^|]+) \| ([^|]+) \| [^|]+ \| \[chapter (\d)\]", line)
        if not match:
            continue
        english, chinese, chapter = match.groups()
        # "ReLU (rectified linear unit)" is named either way in the text.
        names = [n.strip() for n in re.split(r"[()]", english) if n.strip()]
        # "epoch（轮）" or "滤波器（卷积核）": the whole, and each part, are the table's forms.
        forms = {chinese.strip(), *(p.strip() for p in re.split(r"[（）]", chinese) if p.strip())}
        rows.append((names, {f.replace(" ", "") for f in forms}, int(chapter)))
    return rows


TABLE = term_table()


def chapter_text(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    # Headings translate whole section titles ("Implementing the CNN（CNN的实现）"), not terms.
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return re.sub(r"\s+", " ", text.replace("**", ""))


def named_terms(text: str) -> list[tuple[str, str]]:
    """Every (English words before, Chinese name) of ``words（中文…）`` in the text."""
    found = []
    for match in re.finditer(r"([A-Za-z][A-Za-z0-9\- ]*?) ?（([^）]*)）", text):
        chinese = re.split(r"[,，、;；]", match.group(2))[0].strip().replace(" ", "")
        if HAN.search(chinese):
            found.append((match.group(1).strip().lower(), chinese))
    return found


def table_row(words: str):
    """The row of the longest table name that ``words`` ends with, or None."""
    best, best_length = None, 0
    for row in TABLE:
        for name in row[0]:
            if len(name) > best_length and re.search(rf"(^|\s){re.escape(name.lower())}$", words):
                best, best_length = row, len(name)
    return best


def is_compound(chinese: str, forms: set[str]) -> bool:
    """最大池化 for "max pooling" builds on 池化: a longer term, not another name for it."""
    return any(form in chinese and form != chinese for form in forms)


def test_the_table_is_read():
    assert len(TABLE) >= 60
    assert any("batch normalization" in [n.lower() for n in names] for names, _, _ in TABLE)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_chapters_use_the_tables_chinese_names(notebook):
    wrong = []
    for words, chinese in named_terms(chapter_text(notebook)):
        row = table_row(words)
        if row and chinese not in row[1] and not is_compound(chinese, row[1]):
            wrong.append(f"{words}（{chinese}）, the table says {' / '.join(sorted(row[1]))}")
    assert not wrong, f"{notebook.name}: " + "; ".join(wrong)


def test_the_table_names_the_chapter_that_introduces_each_term():
    first = {}
    for notebook in NOTEBOOKS:
        number = int(notebook.name[:2])
        for words, chinese in named_terms(chapter_text(notebook)):
            row = table_row(words)
            if row and not is_compound(chinese, row[1]):
                first.setdefault(row[0][0], number)
    late = [f"{names[0]}: table says chapter {chapter}, first named in chapter {first[names[0]]}"
            for names, _, chapter in TABLE
            if names[0] in first and first[names[0]] < chapter]
    assert not late, "; ".join(late)


def test_a_wrong_chinese_name_is_caught():
    text = "an **epoch**（轮次） is one pass"
    (words, chinese), = named_terms(text.replace("**", ""))
    forms = next(f for names, f, _ in TABLE if names[0] == "epoch")
    assert words == "an epoch" and chinese not in forms
