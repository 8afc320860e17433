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

from test_terms import TABLE, named_terms, table_row

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
from editions import edition_config  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
CATALOGS = sorted(LOCALE.rglob("*.po"))
PAGES = sorted(str(p.relative_to(LOCALE).with_suffix("")) for p in CATALOGS)

#: Names the issue found in use that the term table does not give (the table's name after →).
WRONG_NAMES = {"批标准化": "批归一化", "快捷路径": "快捷结构", "轮次": "轮"}


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


def markup(text: str) -> Counter:
    """The pieces of a message that must come through translation unchanged."""
    found = Counter()
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


def test_markup_comparison_sees_a_changed_role():
    english = "The accuracy {glue:text}`acc:.4f` of `nn.Affine` ($W$, [ch. 3](03_a.ipynb))."
    kept = "准确率 {glue:text}`acc:.4f`，`nn.Affine`（$W$，[第 3 章](03_a.ipynb)）。"
    assert markup(english) == markup(kept)
    assert markup(english) != markup(kept.replace(".4f", ".2f"))
    assert markup(english) != markup(kept.replace("](03_a.ipynb)", "]"))


def term_demands(english: str) -> list[tuple[str, set[str]]]:
    """(term, Chinese names any of which the translation must contain) for a source message.

    A term counts when the English gives it a Chinese name, ``perceptron（感知机）``, or sets a
    table term in bold, ``**perceptron**``.
    """
    demands = []
    for words, chinese in named_terms(english.replace("**", "")):
        row = table_row(words)
        if row:
            demands.append((words, {chinese}))
    for bold in re.findall(r"\*\*([^*]+)\*\*", english):
        name = re.sub(r"（[^）]*）", "", bold).strip().lower()
        for names, forms, _ in TABLE:
            if name in (n.lower() for n in names):
                demands.append((name, forms))
    return demands


@pytest.mark.parametrize("page", PAGES)
def test_translations_use_the_tables_terms(page):
    wrong = []
    for message in translated(page):
        text = str(message.string).replace(" ", "")
        for term, forms in term_demands(message.id):
            if not any(form in text for form in forms):
                wrong.append(f"{term} → {' / '.join(sorted(forms))} missing in "
                             f"{str(message.string)[:60]!r}")
        for bad, good in WRONG_NAMES.items():
            if bad in text:
                wrong.append(f"{bad} (the table says {good}) in {str(message.string)[:60]!r}")
    assert not wrong, f"{page}.po:\n  " + "\n  ".join(wrong)


def test_term_check_catches_a_wrong_name():
    demands = term_demands("One pass over the training data is an **epoch（轮）**.")
    assert demands and all("轮" in forms for _, forms in demands)
    assert not all(any(f in "遍历一次训练数据称为一个周期" for f in forms) for _, forms in demands)
    assert term_demands("the **batch normalization** layer")
