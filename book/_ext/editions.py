"""The book's editions, one per language, built from the same notebooks and pages.

Each edition is one entry of :data:`EDITIONS`: its language, the name the language switch shows,
the words of the live button and of the live widgets, and the few ``_config.yml`` entries its
language decides. Adding a language is one entry there plus its catalogs.

The English edition is the source: ``_config.yml`` builds it into ``_build/html/``. A
translated edition (简体中文, ``zh_CN``) is the same sources read through the translation
catalogs in ``locales/<language>/LC_MESSAGES/`` (Sphinx internationalisation: every paragraph,
heading, list item, table cell and caption is one message). It is built into
``_build/html/<language>/`` with a configuration derived from ``_config.yml`` by this module, so
the editions cannot drift apart in anything but language. Code cells are shared, untranslated,
and so are their stored outputs, except the figures and widgets: ``make book-<language>`` first
executes copies of the chapters with ``NN_LANG=<language>`` (``nn`` draws and labels in that
language, :mod:`nn.i18n`) into ``_build/<language>/executed/``, and the edition shows those
copies' images and widget states in place of the English ones (:func:`chinese_outputs`). Every
other output, glued numbers included, stays the English edition's, so every edition quotes the
same numbers.

As a Sphinx extension this module adds the language switch to the header of every page: a link
to the same page in each other edition. As a script it lists the translated editions (for the
Makefile) and writes an edition's configuration::

    python book/_ext/editions.py codes
    python book/_ext/editions.py config zh_CN _build/zh_CN/_config.yml
"""

from __future__ import annotations

import copy
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


#: The edition the sources are written in; the others are translations of it.
SOURCE = "en"


@dataclass(frozen=True)
class Edition:
    """One language of the book: everything that differs between editions, in one entry.

    ``name`` is what the language switch shows; ``launch`` the chapter pages' live button (its
    label and the note beside it, ``launch_button.py``); ``widgets`` the words of the live
    widgets (``live_widgets.py``) and ``reader`` those the reader copies of the chapters write
    themselves (``reader_notebooks.py``), each with the same keys in every edition;
    ``overrides`` the ``_config.yml`` entries of a translated edition that the language itself
    decides (title, footer, search). What every translation shares (its folder, its live
    notebooks, the chapters executed in its language) is derived from ``language`` by
    :func:`edition_config`.

    A new language is one entry here, its catalogs (``locales/<language>/``, ``make catalogs``)
    and, for figure labels, ``nn``'s own catalog (``src/nn/locales/``).
    """

    language: str
    name: str
    launch: tuple[str, str]
    widgets: dict[str, str]
    reader: dict[str, str]
    overrides: dict = field(default_factory=dict)

    @property
    def folder(self) -> str:
        """Where the edition lives inside the built site (empty for the source's root)."""
        return "" if self.language == SOURCE else self.language


EDITIONS: dict[str, Edition] = {
    "en": Edition(
        language="en",
        name="English",
        launch=("▶ Run this chapter live in your browser",
                "JupyterLab and Python inside your browser: nothing to install, nothing sent to "
                "a server. Choose Run → Run All Cells, then drag the sliders."),
        widgets={
            "button": "▶ Make this live",
            "live": "● Live",
            "snapshot": "A saved picture of this widget: make it live to drag its controls here.",
            "starting": "Starting Python in your browser… (a few seconds, once per page)",
            "running": "Running this widget's cells…",
            "ready": "Live: drag the controls.",
            "failed": "Could not make this widget live:",
            "fromFile": "Live widgets need the book served over http, not opened as a file: run "
                        "`make serve` and open http://127.0.0.1:8000/ (or put _build/html on any "
                        "static web host).",
        },
        reader={
            "references": "References", "show": "Show", "note": "Note", "tip": "Tip",
            "hint": "Hint", "important": "Important", "warning": "Warning", "caution": "Caution",
            "attention": "Attention", "danger": "Danger", "error": "Error", "seealso": "See also",
            "admonition": "Note", "references_intro": "The works the chapters cite.",
            "click": "(click to show)",
        },
    ),
    "zh_CN": Edition(
        language="zh_CN",
        name="中文",
        launch=("▶ 在浏览器中运行本章",
                "JupyterLab 和 Python 都在你的浏览器里运行：无需安装，不向服务器发送任何数据。"
                "选择 Run → Run All Cells，然后拖动滑块。"),
        widgets={
            "button": "▶ 运行此交互",
            "live": "● 已运行",
            "snapshot": "这是交互图的保存画面：点击运行后即可在此处拖动控件。",
            "starting": "正在浏览器中启动 Python…（每页一次，需要几秒）",
            "running": "正在运行此交互所需的单元格…",
            "ready": "已就绪：拖动控件试试。",
            "failed": "无法运行此交互：",
            "fromFile": "交互需要通过 http 访问本书，而不是直接打开文件：运行 `make serve` 后打开 "
                        "http://127.0.0.1:8000/（或把 _build/html 放到任意静态网站服务器上）。",
        },
        reader={
            "references": "参考文献", "show": "显示", "note": "备注", "tip": "小技巧",
            "hint": "提示", "important": "重要", "warning": "警告", "caution": "小心",
            "attention": "注意", "danger": "危险", "error": "错误", "seealso": "参见",
            "admonition": "备注", "references_intro": "各章引用的文献。",
            "click": "（点击显示）",
        },
        overrides={
            "title": "深度学习入门——可运行的书",
            "html": {
                "extra_footer": (
                    "依照《深度学习入门：基于Python的理论与实现》（斋藤康毅著）编写的可运行章节。\n"
                ),
            },
            "sphinx": {
                "config": {
                    # Sphinx splits Chinese text into words for the search index with jieba.
                    "html_search_language": "zh",
                    "html_theme_options": {"search_bar_text": "搜索本书……"},
                },
            },
        },
    ),
}

#: The translated editions' languages, each built by `make book-<language>`.
TRANSLATIONS = tuple(code for code in EDITIONS if code != SOURCE)


def _translation_overrides(language: str) -> dict:
    """What every translated edition sets the same way, for its own language."""
    return {"sphinx": {"config": {
        "language": language,
        # The source edition's build made the live site; its chapters are the same notebooks.
        "live_book_site": "../lite",
        "jupyterlite_content_dir": f"_build/.lite-contents-{language}",
        # The chapters executed with NN_LANG=<language> (make book-<language>): their figures
        # and widgets are drawn in that language.
        "editions_executed_dir": f"_build/{language}/executed",
    }}}


def edition_config(language: str, base: dict) -> dict:
    """``base`` (the English ``_config.yml``) with the edition's overrides merged in.

    The result is written outside the project root, and Jupyter Book reads the paths of local
    extensions relative to the configuration file: they become absolute.
    """
    try:
        edition = EDITIONS[language]
    except KeyError:
        raise ValueError(f"no edition for language {language!r}; "
                         f"the editions are {sorted(EDITIONS)}") from None
    config = copy.deepcopy(base)
    if language != SOURCE:
        config = _merged(config, _translation_overrides(language))
    config = _merged(config, edition.overrides)
    sphinx = config.get("sphinx", {})
    if sphinx.get("local_extensions"):
        sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                      for name, path in sphinx["local_extensions"].items()}
    return config


def _merged(base: dict, overrides: dict) -> dict:
    result = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = value
    return result


def switch_links(pagename: str, current: str) -> list[tuple[str, str, bool]]:
    """(edition name, URL relative to the page, is the current edition) for every edition.

    Each URL leads to the same page in that edition: ``notebooks/02_perceptron`` in English
    links to ``../zh_CN/notebooks/02_perceptron.html``.
    """
    here = EDITIONS[current]
    to_site_root = "../" * pagename.count("/") + ("../" if here.folder else "")
    links = []
    for language, edition in EDITIONS.items():
        folder = edition.folder + "/" if edition.folder else ""
        links.append((edition.name, f"{to_site_root}{folder}{pagename}.html", language == current))
    return links


# --------------------------------------------------------------------------- Sphinx wiring


def _add_switch(app, pagename, templatename, context, doctree) -> None:
    language = app.config.language if app.config.language in EDITIONS else SOURCE
    items = []
    links = switch_links(pagename, language)
    for edition, (name, url, current) in zip(EDITIONS.values(), links, strict=True):
        if current:
            items.append(f'<span class="edition-current" aria-current="true">{name}</span>')
        else:
            lang = edition.language.replace("_", "-")  # zh_CN → the HTML tag zh-CN
            items.append(f'<a class="edition-link" href="{html.escape(url)}" hreflang="{lang}" '
                         f'lang="{lang}">{name}</a>')
    context["edition_switch"] = (
        '<nav class="edition-switch" aria-label="Language / 语言">' + " · ".join(items) + "</nav>"
    )


def _use_template(app, config) -> None:
    here = Path(__file__).parent
    config.templates_path = [*config.templates_path, str(here / "templates")]
    if str(here / "static") not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(here / "static")]
    options = config.html_theme_options
    end = list(options.get("article_header_end") or ["article-header-buttons.html"])
    if "edition-switch.html" not in end:
        end.insert(0, "edition-switch.html")
    options["article_header_end"] = end


# --------------------------------------------------------------------------- glue in translations


_GLUE_RENDERER = "editions_nb_renderer"  # env.temp_data key: (docname, the notebook's renderer)


def _let_translations_see_glue() -> None:
    """Make a notebook's glued values reachable from its translated paragraphs.

    Sphinx translates a paragraph by parsing its ``msgstr`` as a document of its own, which does
    not carry the notebook's outputs, so myst-nb's ``{glue:text}`` finds no value there (and the
    number silently disappears). The glue lookup below remembers the notebook's renderer when the
    notebook itself is parsed (its English paragraphs hold the same glue references, and Sphinx
    translates after parsing) and falls back to it in the translated paragraphs. The same glued
    numbers thus appear in every edition.
    """
    from myst_nb.core.variables import RetrievalError
    from myst_nb.ext.glue import directives, roles, utils

    original = utils.retrieve_glue_data

    def retrieve_glue_data(document, key):
        env = getattr(document.settings, "env", None)
        if env is not None and "nb_renderer" in document:
            env.temp_data.setdefault(_GLUE_RENDERER, (env.docname, document["nb_renderer"]))
        try:
            return original(document, key)
        except RetrievalError:
            remembered = env.temp_data.get(_GLUE_RENDERER) if env is not None else None
            docname, renderer = remembered or (None, None)
            if renderer is None or docname != env.docname or "nb_renderer" in document:
                raise
            document["nb_renderer"] = renderer
            try:
                return original(document, key)
            finally:
                del document["nb_renderer"]

    roles.retrieve_glue_data = retrieve_glue_data
    directives.retrieve_glue_data = retrieve_glue_data


def _toc_caption_transform():
    from sphinx import addnodes
    from sphinx.locale import init as init_locale
    from sphinx.transforms import SphinxTransform
    from sphinx.util.i18n import docname_to_domain

    class TranslateTocCaptions(SphinxTransform):
        """Translate the part captions of the table of contents ("Foundations" → 基础).

        sphinx-external-toc inserts the toctrees after Sphinx has translated the page, so their
        captions, which the gettext builder does extract, would stay English.
        """

        default_priority = 150  # after sphinx-external-toc's InsertToctrees (100)

        def apply(self) -> None:
            if self.config.language == SOURCE:
                return
            toctrees = list(self.document.findall(addnodes.toctree))
            if not any(t.get("caption") for t in toctrees):
                return
            domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
            dirs = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
            catalog, found = init_locale(dirs, self.config.language, domain)
            if not found:
                return
            for toctree in toctrees:
                if toctree.get("caption"):
                    toctree["caption"] = catalog.gettext(toctree["caption"])

    return TranslateTocCaptions


def _translations_see_glue(app, config) -> None:
    if config.language != SOURCE:
        _let_translations_see_glue()


# --------------------------------------------------------------------------- figures in Chinese

#: The outputs that differ by language: figures and widgets. Everything else (printed text,
#: tables, glued values) is taken from the English notebook.
_DRAWN = ("image/png", "application/vnd.jupyter.widget-view+json")
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _drawn(output: dict) -> bool:
    data = output.get("data", {})
    return any(kind in data for kind in _DRAWN) and "scrapbook" not in output.get("metadata", {})


def chinese_outputs(english: dict, executed: dict, name: str = "notebook") -> dict:
    """``english`` (a notebook) with the figures and widgets of ``executed``, the same notebook
    executed in another language: each code cell's image and widget outputs are replaced, in
    order, by the executed copy's, and the saved widget states are the copy's. The cells must
    be the same (same sources, the same number of drawn outputs in each), or ``ValueError``
    says which cell differs: the copy is then stale.
    """
    result = copy.deepcopy(english)
    cells, others = result["cells"], executed["cells"]
    if [c["source"] for c in cells] != [c["source"] for c in others]:
        raise ValueError(f"{name}: the executed copy's cells differ from the notebook's "
                         "(a stale copy? make book-<language> executes it again)")
    for number, (cell, other) in enumerate(zip(cells, others, strict=True), start=1):
        if cell["cell_type"] != "code":
            continue
        drawn = [o for o in other.get("outputs", []) if _drawn(o)]
        mine = [i for i, o in enumerate(cell.get("outputs", [])) if _drawn(o)]
        if len(drawn) != len(mine):
            raise ValueError(f"{name}, cell {number}: {len(mine)} figures or widgets in the "
                             f"notebook, {len(drawn)} in the executed copy")
        for i, output in zip(mine, drawn, strict=True):
            cell["outputs"][i] = output
    state = executed.get("metadata", {}).get("widgets")
    if state:
        result.setdefault("metadata", {})["widgets"] = state
    elif "widgets" in result.get("metadata", {}):
        result["metadata"]["widgets"] = {_WIDGET_STATE: {"state": {}, "version_major": 2,
                                                         "version_minor": 0}}
    return result


def _use_executed_copies(app, docname: str, source: list[str]) -> None:
    """In an edition with ``editions_executed_dir``, a chapter's figures and widgets come from
    its executed copy there (see :func:`chinese_outputs`)."""
    import json

    folder = app.config.editions_executed_dir
    path = Path(app.env.doc2path(docname))
    if not folder or path.suffix != ".ipynb":
        return
    copy_path = Path(app.srcdir) / folder / path.name
    if not copy_path.is_file():
        raise FileNotFoundError(f"{copy_path} is missing: make book-{app.config.language} "
                                "executes the chapters in its language before it builds it")
    # A new copy (nn or the chapter changed) makes Sphinx read the chapter again.
    app.env.note_dependency(str(copy_path))
    english = json.loads(source[0])
    executed = json.loads(copy_path.read_text(encoding="utf-8"))
    merged = chinese_outputs(english, executed, name=path.name)
    source[0] = json.dumps(merged, ensure_ascii=False, indent=1)


# --------------------------------------------------------------------------- Chinese search


def glossary_chinese_terms(glossary: Path) -> list[str]:
    """Every Chinese name in the glossary's term table (``| English | 中文 | … |`` rows).

    "轮（epoch）"-style cells give each part; the table is the book's one list of terms.
    """
    terms: list[str] = []
    for line in glossary.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] == "English" or not re.search(r"[\u4e00-\u9fff]", cells[1]):
            continue
        for part in re.split(r"[（）()、,，/]", cells[1]):
            part = part.replace(" ", "").removeprefix("也译作").removeprefix("也称")
            if re.search(r"[\u4e00-\u9fff]", part) and part not in terms:
                terms.append(part)
    return terms


def _search_knows_the_terms(app, config) -> None:
    """Sphinx splits Chinese into words with jieba, whose dictionary lacks most of our terms
    (激活函数 becomes 激活 + 函数, and a search for 激活函数 finds nothing): teach it the
    glossary's terms."""
    if config.html_search_language != "zh" and not str(config.language).startswith("zh"):
        return
    words = glossary_chinese_terms(Path(app.srcdir) / "book" / "glossary.md")
    target = Path(app.outdir).parent / "jieba-terms.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    # jieba's user dictionary: one word per line with a frequency high enough to win.
    target.write_text("".join(f"{word} 100000\n" for word in words), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(target)}


def setup(app) -> dict:
    app.connect("config-inited", _use_template)
    app.connect("config-inited", _translations_see_glue)
    app.connect("config-inited", _search_knows_the_terms)
    app.add_config_value("editions_executed_dir", "", "env")
    app.connect("source-read", _use_executed_copies)
    app.add_transform(_toc_caption_transform())
    app.connect("html-page-context", _add_switch)
    app.add_css_file("editions.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# --------------------------------------------------------------------------- script


def main(argv: list[str]) -> int:
    import yaml

    if argv == ["codes"]:
        print(" ".join(TRANSLATIONS))
        return 0
    if len(argv) != 3 or argv[0] != "config":
        print("usage:\n" + "\n".join(__doc__.strip().splitlines()[-2:]), file=sys.stderr)
        return 2
    language, target = argv[1], Path(argv[2])
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = edition_config(language, base)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    partial.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                       encoding="utf-8")
    partial.replace(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
