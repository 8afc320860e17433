"""The Chinese catalogs (locales/zh_CN/LC_MESSAGES/*.po) are complete, current and faithful.

The English prose is extracted afresh with Sphinx's gettext builder (as `make catalogs` does), so
an English sentence changed without its translation fails here: its new text is missing from the
catalog and its old text is stale. Each translation must keep its source's markup (roles, code,
math, link targets) and give the term table's Chinese for the terms its source names.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from editions import edition_config
from test_terms import ENFORCED, TABLE, named_terms, refused_names, table_rows

from paths import ROOT

LOCALE = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
CATALOGS = sorted(LOCALE.rglob("*.po"))
PAGES = sorted(str(p.relative_to(LOCALE).with_suffix("")) for p in CATALOGS)

#: One wording for each of these across the whole book (the other → the chosen one).
WORDING = {"就地": "原地", "动手试试": "动手试一试", "游乐场": "交互演示",
           "批量大小": "批大小", "批的大小": "批大小", "批次大小": "批大小"}


def read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="zh_CN")


def messages(page: str) -> dict[str, object]:
    """msgid → message of a page's catalog (without the header entry)."""
    return {m.id: m for m in read_catalog(LOCALE / f"{page}.po") if m.id}


def translated(page: str) -> list:
    return [m for m in messages(page).values() if m.string]


@pytest.fixture(scope="session")
def fresh_english(tmp_path_factory) -> dict[str, set[str]]:
    """page → the msgids Sphinx extracts from today's English sources."""
    work = tmp_path_factory.mktemp("gettext")
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = edition_config("en", base)
    # Its own staging folder, so that this build leaves the live site's staging area alone.
    config["sphinx"]["config"]["jupyterlite_content_dir"] = str(work / "lite-contents")
    (work / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                      encoding="utf-8")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--config", str(work / "_config.yml"),
         "--builder", "custom", "--custom-builder", "gettext", "--path-output", str(work)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pot_dir = work / "_build" / "gettext"
    templates = {}
    for pot in pot_dir.rglob("*.pot"):
        with pot.open("rb") as f:
            templates[str(pot.relative_to(pot_dir).with_suffix(""))] = {
                m.id for m in read_po(f) if m.id}
    assert templates, f"no message templates in {pot_dir}"
    return templates


def test_every_page_has_a_catalog(fresh_english):
    assert sorted(fresh_english) == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_catalog_holds_exactly_the_current_english(page, fresh_english):
    catalog = messages(page)
    english = fresh_english.get(page, set())
    missing = sorted(english - set(catalog))
    stale = sorted(set(catalog) - english)
    assert not missing and not stale, (
        f"{page}.po is out of date (run `make catalogs`, then translate):\n"
        + "".join(f"  new English: {m[:100]!r}\n" for m in missing)
        + "".join(f"  stale: {m[:100]!r}\n" for m in stale))
    assert not read_catalog(LOCALE / f"{page}.po").obsolete, f"{page}.po keeps obsolete entries"


@pytest.mark.parametrize("page", PAGES)
def test_every_message_is_translated(page):
    catalog = messages(page).values()
    untranslated = [m.id[:80] for m in catalog if not m.string or not str(m.string).strip()]
    fuzzy = [m.id[:80] for m in catalog if m.fuzzy]
    assert not untranslated, f"{page}.po: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    assert not fuzzy, f"{page}.po: {len(fuzzy)} fuzzy (check and clear the flag): {fuzzy[:3]}"


ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
CODE = re.compile(r"`[^`]+`")
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)
INLINE_MATH = re.compile(r"\$[^$]+\$")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


TEXT_IN_MATH = re.compile(r"\\(?:text|mathrm)\{([^{}]*)\}")


def markup(text: str) -> Counter:
    """The pieces of a message that must come through translation unchanged.

    Words in a formula (``\\text{if }``, ``y_\\text{correct}``) are prose, and translated.
    """
    found = Counter()
    text = TEXT_IN_MATH.sub(r"\\text{…}", text)
    for pattern in (ROLE, CODE, DISPLAY_MATH, INLINE_MATH):
        found.update(pattern.findall(text))
        text = pattern.sub(" ", text)
    found.update(f"]({target})" for target in LINK_TARGET.findall(text))
    found.update(HTML_TAG.findall(text))
    return found


@pytest.mark.parametrize("page", PAGES)
def test_translations_keep_the_markup(page):
    changed = []
    for message in translated(page):
        source, target = markup(message.id), markup(message.string)
        if source != target:
            lost, added = source - target, target - source
            changed.append(f"{message.id[:60]!r}: lost {dict(lost)}, added {dict(added)}")
    assert not changed, f"{page}.po:\n  " + "\n  ".join(changed)


#: Words a formula may keep in English in the Chinese edition: names of layers, functions and
#: variables of the code (Affine, ReLU, Softmax, `col`, `out`, reshape), of the logic gates, and
#: people.
KEPT_IN_MATH = {"affine", "relu", "softmax", "sigmoid", "conv", "pool", "pooling", "dropout",
                "col", "out", "var", "and", "or", "nand", "xor", "max", "log", "exp", "std",
                "xavier", "he", "reshape", "transpose"}


def english_in_formulas(text: str) -> list[str]:
    """English words inside ``\\text{…}`` or ``\\mathrm{…}`` of a message's formulas.

    A display formula is a message of its own, without ``$$``: look at the whole message.
    """
    found = []
    for words in TEXT_IN_MATH.findall(text):
        found += [w for w in re.findall(r"[A-Za-z]{2,}", words) if w.lower() not in KEPT_IN_MATH]
    return found


@pytest.mark.parametrize("page", PAGES)
def test_formulas_are_translated(page):
    english = [f"{words} in {str(m.string)[:60]!r}" for m in translated(page)
               for words in english_in_formulas(str(m.string))]
    assert not english, f"{page}.po: English left in formulas:\n  " + "\n  ".join(english)


def test_english_in_a_formula_is_found():
    assert english_in_formulas(r"$P(\text{class 1})$ and $y = 0 \text{ if } x < 0$") == [
        "class", "if"]
    assert not english_in_formulas(r"$P(\text{类别 1})$, $\text{ReLU}(x)$, $W_{\text{col}}$")
    assert markup(r"$P(\text{class 1})$") == markup(r"$P(\text{类别 1})$")


def test_markup_comparison_sees_a_changed_role():
    english = "The accuracy {glue:text}`acc:.4f` of `nn.Affine` ($W$, [ch. 3](03_a.ipynb))."
    kept = "准确率 {glue:text}`acc:.4f`，`nn.Affine`（$W$，[第 3 章](03_a.ipynb)）。"
    assert markup(english) == markup(kept)
    assert markup(english) != markup(kept.replace(".4f", ".2f"))
    assert markup(english) != markup(kept.replace("](03_a.ipynb)", "]"))


def term_demands(english: str) -> list[tuple[str, set[str]]]:
    """(term, Chinese names any of which the translation must contain) for a source message.

    A term counts when the English gives it a Chinese name, ``perceptron（感知机）``, sets a
    table term in bold, ``**perceptron**``, or names one of the terms the Chinese edition's
    readers would miss most (`ENFORCED`: forward propagation, mini-batch, epoch, ...) anywhere
    in its prose. The book's own English names (mini-batch, epoch, Batch Norm) count as Chinese.
    """
    demands = []
    for words, chinese in named_terms(english.replace("**", "")):
        if table_rows(words):
            demands.append((words, {chinese}))
    for bold in re.findall(r"\*\*([^*]+)\*\*", english):
        name = re.sub(r"（[^）]*）", "", bold).strip().lower()
        rows = [row for row in TABLE if name in (n.lower() for n in row.names)]
        if rows:
            demands.append((name, set().union(*(row.forms for row in rows))))
    prose = english
    for pattern in (ROLE, CODE, DISPLAY_MATH, INLINE_MATH, LINK_TARGET):
        prose = pattern.sub(" ", prose)
    # Longest first: "Batch Normalization" is not also "normalization".
    for name in sorted(ENFORCED, key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(e?s)?(?![\w-])", re.I)
        if pattern.search(prose):
            row = next(row for row in TABLE if name.lower() in (n.lower() for n in row.names))
            demands.append((name, row.forms))
            prose = pattern.sub(" ", prose)
    return demands


def glossary_name_cell(page: str, message) -> bool:
    """The glossary's English column, kept in English in its translation."""
    return page == "book/glossary" and message.string == message.id


@pytest.mark.parametrize("page", PAGES)
def test_translations_use_the_tables_terms(page):
    wrong = []
    for message in translated(page):
        text = str(message.string).replace(" ", "").lower()
        for term, forms in ([] if glossary_name_cell(page, message) else term_demands(message.id)):
            if not any(form.lower() in text for form in forms):
                wrong.append(f"{term} → {' / '.join(sorted(forms))} missing in "
                             f"{str(message.string)[:60]!r}")
        for refused in refused_names(str(message.string)):
            wrong.append(f"{refused} in {str(message.string)[:60]!r}")
        for other, chosen in WORDING.items():
            if other in str(message.string):
                wrong.append(f"{other} (the book says {chosen}) in {str(message.string)[:60]!r}")
    assert not wrong, f"{page}.po:\n  " + "\n  ".join(wrong)


def test_term_check_catches_a_wrong_name():
    demands = term_demands("One pass over the training data is an **epoch（也译作轮）**.")
    assert demands and all("也译作轮" in forms or "epoch" in forms for _, forms in demands)
    assert not all(any(f in "遍历一次训练数据称为一个周期" for f in forms) for _, forms in demands)
    assert term_demands("the **Batch Normalization** layer")
    # Named anywhere in the prose, the book's terms must be in the translation.
    (_, forms), = term_demands("Each forward propagation of a `batch` is cheap.")
    assert forms == {"正向传播"}
    (_, forms), = term_demands("Batch Normalization layers")  # not also "normalization"
    assert "BatchNorm" in forms
    assert refused_names("在小批量上前向传播") and not refused_names("在 mini-batch 上正向传播")
