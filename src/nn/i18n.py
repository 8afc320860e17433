"""The language of the book's figures and widgets: English (the default) or 简体中文.

Every user-facing string that ``nn`` draws or shows (figure titles, axis labels, legends,
annotations such as "diverged", widget labels, readouts and status lines, dropdown options)
is written in English in the code, as the argument of :func:`_`, and looked up in the catalog
of the current language (:mod:`nn.locales.zh_CN`). English is the source of truth: a message
missing from a catalog shows in English. Exception messages are not translated.

One switch chooses the language: ``nn.set_language("zh_CN")``, or the environment variable
``NN_LANG=zh_CN`` read when ``nn`` is imported. The Chinese edition of the book executes its
chapters with ``NN_LANG=zh_CN``.

Figures in Chinese need a CJK font: :func:`font_rc` finds Noto Sans CJK SC through
matplotlib's font manager (Debian's ``fonts-noto-cjk``), or, in the live book, the subset font
the site places at ``nn.live.BROWSER_FONT`` (see ``book/_ext/cjk_font.py``).

The chapters' own cells draw some figures with plain matplotlib calls and English strings;
:func:`translate_figure` translates those texts (exact strings, or templates with ``{fields}``
for f-strings) just before a figure is shown, from the same catalog's ``FIGURE_TEXTS``.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from functools import lru_cache

__all__ = ["LANGUAGES", "set_language", "get_language", "translate_figure"]

#: The languages nn speaks; "en" is the code's own.
LANGUAGES = ("en", "zh_CN")

#: The CJK font family the Chinese figures use (in Noto Sans CJK; the subset keeps its name).
CJK_FAMILY = "Noto Sans CJK SC"

_state = {"language": "en"}


def _locale(language: str):
    """The catalog module of ``language`` (nn.locales.<language>), None for English, the code's
    own; imported on first use."""
    if language == "en":
        return None
    return importlib.import_module(f"{__package__}.locales.{language}")


def _catalog(language: str) -> dict[str, str]:
    locale = _locale(language)
    return locale.MESSAGES if locale else {}


def _figure_texts(language: str) -> dict[str, str]:
    locale = _locale(language)
    return locale.FIGURE_TEXTS if locale else {}


def get_language() -> str:
    """The language of nn's figures and widgets: ``"en"`` or ``"zh_CN"``."""
    return _state["language"]


def set_language(language: str) -> None:
    """Draw figures and label widgets in ``language`` (``"en"`` or ``"zh_CN"``) from now on.

    Figures already drawn and widgets already built keep their language. When matplotlib is in
    use, its font switches too (a CJK font for Chinese; ``RuntimeError`` if none is installed).
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; nn speaks {list(LANGUAGES)}")
    previous, _state["language"] = _state["language"], language
    if "matplotlib" in sys.modules:
        import matplotlib as mpl

        try:
            mpl.rcParams.update(font_rc())
        except RuntimeError:  # no CJK font: stay in the language that can draw
            _state["language"] = previous
            raise


def _(message: str, /, **fields) -> str:
    """``message`` in the current language, its ``{fields}`` filled with ``str.format``.

    ``message`` is the English text, the key of every catalog; without ``fields`` it is
    returned as it is (braces and all).
    """
    text = _catalog(_state["language"]).get(message, message)
    return text.format(**fields) if fields else text


def N_(message: str, /) -> str:
    """Mark ``message`` for the catalogs without translating it now (gettext's ``N_``): for
    English texts kept in data, translated with ``_(text)`` where they are shown."""
    return message


# --------------------------------------------------------------------------- fonts

def font_rc() -> dict:
    """The matplotlib settings that draw the current language: for English matplotlib's own
    defaults (so English figures are exactly as before; nothing to change unless Chinese was
    on), for Chinese DejaVu Sans with the CJK
    font behind it for every glyph DejaVu lacks."""
    import matplotlib as mpl

    if _state["language"] == "en":
        if all(not name.startswith("Noto Sans CJK") for name in mpl.rcParams["font.family"]):
            return {}  # never switched: leave everything as it is
        return {"font.family": mpl.rcParamsDefault["font.family"]}
    # The CJK font first: the text around $math$ in a label is drawn in the first family only.
    return {"font.family": [cjk_font_family(), "DejaVu Sans"]}


@lru_cache(maxsize=1)
def cjk_font_family() -> str:
    """The family name of the CJK font figures use, after registering the live book's subset
    font if the site provides one. ``RuntimeError`` with what to install when there is none."""
    from matplotlib import font_manager

    from . import live

    if live.BROWSER_FONT.is_file():
        font_manager.fontManager.addfont(str(live.BROWSER_FONT))
    names = {f.name for f in font_manager.fontManager.ttflist}
    if CJK_FAMILY in names:
        return CJK_FAMILY
    others = sorted(n for n in names if n.startswith("Noto Sans CJK"))
    if others:
        return others[0]
    raise RuntimeError(
        "nn draws figures in Chinese with the font Noto Sans CJK, which matplotlib does not "
        "find on this machine. Install it (Debian/Ubuntu: apt-get install fonts-noto-cjk; "
        "macOS/Windows: the Noto Sans CJK SC font from Google Fonts), then delete "
        "matplotlib's font cache (fontlist-*.json in matplotlib.get_cachedir()) so that it "
        "finds the new font, or use nn.set_language('en')."
    )


# --------------------------------------------------------------------------- chapter figures

_FIELD = re.compile(r"\{[^{}]*\}")


@lru_cache(maxsize=4)
def _patterns(language: str) -> tuple[dict[str, str], list[tuple[re.Pattern, str, list[str]]]]:
    """The exact texts, and (regex, translation, field names) for the templates."""
    exact, templates = {}, []
    for english, translated in _figure_texts(language).items():
        fields = _FIELD.findall(english)
        if not fields:
            exact[english] = translated
            continue
        parts = _FIELD.split(english)
        regex = "".join(re.escape(p) + ("(.+?)" if i < len(fields) else "")
                        for i, p in enumerate(parts))
        templates.append((re.compile(regex + r"\Z", re.S), translated, fields))
    return exact, templates


def translate_text(text: str, language: str | None = None) -> str:
    """A chapter's figure text in ``language`` (default: the current one), or ``text`` itself
    when the catalog has no entry for it. A template entry ``"lr = {lr:g}"`` matches
    ``"lr = 0.1"``, and its translation gets the matched values in the same fields."""
    exact, templates = _patterns(language or _state["language"])
    if text in exact:
        return exact[text]
    for regex, translated, fields in templates:
        match = regex.match(text)
        if match:
            for field, value in zip(fields, match.groups(), strict=True):
                translated = translated.replace(field, value)
            return translated
    return text


def translate_figure(fig) -> None:
    """Translate, in place, every text of ``fig`` (titles, labels, legend entries, annotations)
    that the current language's ``FIGURE_TEXTS`` knows. Nothing happens in English."""
    language = _state["language"]
    if language == "en":
        return
    from matplotlib.text import Text

    for artist in fig.findobj(Text):
        text = artist.get_text()
        if text:
            new = translate_text(text, language)
            if new != text:
                artist.set_text(new)


_env = os.environ.get("NN_LANG", "").strip()
if _env:
    if _env not in LANGUAGES:
        raise ValueError(f"NN_LANG={_env!r} is not a language nn speaks: {list(LANGUAGES)}")
    _state["language"] = _env
