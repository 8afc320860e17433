"""The book's one term table (book/glossary.md) holds every chapter to its Chinese names.

The glossary page is the table: English, 中文, meaning, the chapter that introduces the term. Its
Chinese names are those of the book's Chinese edition (《深度学习入门》); a second common name
follows as "也译作…" and may appear only in that form. A chapter gives a term its Chinese name as
``term（中文）`` (bold or not); these tests fail when that name is not the table's, when a chapter
uses a name the table refuses, or when the table says a term is introduced later than the first
chapter that names it. tests/book/test_translations.py holds the Chinese catalogs to the same table.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from paths import CHAPTERS, ROOT

NOTEBOOKS = CHAPTERS
BOOK_PAGES = sorted((ROOT / "book").glob("*.md"))
GLOSSARY = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
HAN = re.compile(r"[\u4e00-\u9fff]")
#: "mini-batch（也译作小批量）": the second common name, allowed only after these words.
ALSO = ("也译作", "也称")


class Term(NamedTuple):
    names: list[str]   # English names, "ReLU (rectified linear unit)" gives both
    forms: set[str]    # the Chinese edition's names (spaces removed)
    also: set[str]     # second names, allowed only as "也译作…"
    chapter: int


def term_table() -> list[Term]:
    """Every row of the glossary's table."""
    rows = []
    for line in GLOSSARY.splitlines():
        match = re.match(r"\| ([^|]+) \| ([^|]+) \| [^|]+ \| \[chapter (\d)\]", line)
        if not match:
            continue
        english, chinese, chapter = match.groups()
        names = [n.strip() for n in re.split(r"[()]", english) if n.strip()]
        # "滤波器（卷积核）", "Batch Normalization（Batch Norm，也译作批归一化）",
        # "中间层（也称隐藏层）": each part is a name; a part after 也译作 is a second name,
        # one after 也称 another name the book itself uses.
        forms, also = set(), set()
        for part in re.split(r"[（）,，]", chinese.replace(" ", "")):
            if not part:
                continue
            if part.startswith("也译作"):
                also.add(part.removeprefix("也译作"))
            else:
                forms.add(part.removeprefix("也称"))
        rows.append(Term(names, forms, also, int(chapter)))
    return rows


TABLE = term_table()

#: Names the Chinese edition does not use, found in earlier versions of this book → the book's
#: name. Refused everywhere, except as the second name of a "也译作…" gloss the table gives.
REFUSED = {
    "前向传播": "正向传播",
    "小批量": "mini-batch",
    "批归一化": "Batch Normalization / Batch Norm",
    "批标准化": "Batch Normalization / Batch Norm",
    "归一化": "正规化",
    "最大池化": "Max池化",
    "快捷路径": "快捷结构",
    "真实标签": "正确解标签",
    "偏置校正": "偏差校正 (Adam's statistical bias is 偏差)",
    "偏置修正": "偏差修正 (Adam's statistical bias is 偏差)",
    "轮次": "epoch",
}
#: Epochs counted in 轮 ("训练 20 轮", "每轮", "轮数"): the book says "20 个 epoch".
REFUSED_PATTERNS = {r"\d\s*轮|[几每]轮|轮数": "N 个 epoch"}
#: The terms whose English name, wherever a message uses it, must come with the book's Chinese
#: name (or the name itself, where the book keeps it in English): the ones the Chinese edition's
#: readers would miss most.
ENFORCED = ("forward propagation", "mini-batch", "Batch Normalization", "Batch Norm",
            "normalization", "max pooling", "epoch", "correct label", "supervision data")


def without_also_glosses(text: str) -> str:
    """The text with every "也译作<second name>" the table allows taken out."""
    for term in TABLE:
        for name in term.also:
            for word in ALSO:
                text = text.replace(word + name, "")
    return text


def refused_names(text: str) -> list[str]:
    """Every refused name in a Chinese text, with the name the book uses."""
    text = without_also_glosses(text.replace(" ", ""))
    found = [f"{bad} (the book says {good})" for bad, good in REFUSED.items() if bad in text]
    found += [f"{m.group(0)} (the book says {good})"
              for pattern, good in REFUSED_PATTERNS.items() for m in re.finditer(pattern, text)]
    return found


def chapter_markdown(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def chapter_text(notebook: Path) -> str:
    text = chapter_markdown(notebook)
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


def table_rows(words: str) -> list[Term]:
    """The rows of the longest table name that ``words`` ends with (two for a homonym: bias)."""
    best, best_length = [], 0
    for row in TABLE:
        for name in row.names:
            if re.search(rf"(^|\s){re.escape(name.lower())}$", words):
                if len(name) > best_length:
                    best, best_length = [row], len(name)
                elif len(name) == best_length and row not in best:
                    best.append(row)
    return best


def accepts(rows: list[Term], chinese: str) -> Term | None:
    """The row whose name ``chinese`` is: a form, "也译作" + a second name, or a longer term."""
    for row in rows:
        second = next((chinese.removeprefix(w) for w in ALSO if chinese.startswith(w)), None)
        if chinese in row.forms or (second is not None and second in row.also | row.forms):
            return row
    for row in rows:
        # 最大池化 for "max pooling" once built on 池化: a longer term, not another name for it.
        if any(form in chinese and form != chinese for form in row.forms):
            return row
    return None


def test_the_table_is_read():
    assert len(TABLE) >= 60
    batch_norm = next(r for r in TABLE if "batch normalization" in [n.lower() for n in r.names])
    assert {"BatchNormalization", "BatchNorm"} <= batch_norm.forms
    assert batch_norm.also == {"批归一化"}
    assert [r.forms for r in TABLE if r.names[0] == "forward propagation"] == [{"正向传播"}]
    assert len(table_rows("that bias")) == 2  # the parameter b and the statistical bias


def test_the_table_gives_no_refused_name():
    for row in TABLE:
        for form in row.forms:
            assert not refused_names(form), f"{row.names[0]}: {form}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_chapters_use_the_tables_chinese_names(notebook):
    text = chapter_text(notebook)
    wrong = []
    for words, chinese in named_terms(text):
        rows = table_rows(words)
        if rows and not accepts(rows, chinese):
            forms = sorted(set().union(*(r.forms for r in rows)))
            wrong.append(f"{words}（{chinese}）, the table says {' / '.join(forms)}")
    wrong += refused_names(chapter_markdown(notebook))
    assert not wrong, f"{notebook.name}: " + "; ".join(wrong)


@pytest.mark.parametrize("page", BOOK_PAGES, ids=lambda p: p.name)
def test_book_pages_use_no_refused_name(page):
    assert not refused_names(page.read_text(encoding="utf-8")), page.name


def test_the_table_names_the_chapter_that_introduces_each_term():
    first = {}
    for notebook in NOTEBOOKS:
        number = int(notebook.name[:2])
        for words, chinese in named_terms(chapter_text(notebook)):
            row = accepts(table_rows(words), chinese)
            if row:
                first.setdefault(row.names[0], number)
    late = [f"{row.names[0]}: table says chapter {row.chapter}, first named in chapter "
            f"{first[row.names[0]]}"
            for row in TABLE if row.names[0] in first and first[row.names[0]] < row.chapter]
    assert not late, "; ".join(late)


def test_a_wrong_chinese_name_is_caught():
    (words, chinese), = named_terms("an epoch（轮次） is one pass")
    assert words == "an epoch" and not accepts(table_rows(words), chinese)
    (words, chinese), = named_terms("the forward propagation（前向传播） of chapter 3")
    assert not accepts(table_rows(words), chinese)
    (words, chinese), = named_terms("each mini-batch（也译作小批量） of 100 images")
    assert accepts(table_rows(words), chinese)
    (words, chinese), = named_terms("each mini-batch（小批量） of 100 images")
    assert not accepts(table_rows(words), chinese)
    (words, chinese), = named_terms("correct that bias（偏差） with")
    assert accepts(table_rows(words), chinese).names[0] == "statistical bias"


def test_refused_names_are_caught_outside_a_gloss_only():
    assert refused_names("训练 20 轮后") and refused_names("每个小批量")
    assert refused_names("前向传播")
    assert refused_names("局部响应归一化") and refused_names("最大池化层")
    assert not refused_names("Batch Normalization（Batch Norm，也译作批归一化）")
    assert not refused_names("每个 mini-batch（也译作小批量）有 100 张图像，训练 20 个 epoch")
    assert not refused_names("下一轮搜索只在虚线框内")  # a round of search, not an epoch
