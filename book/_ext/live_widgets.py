"""Widgets that come alive on the chapter page itself, one click each.

Every widget of a chapter is stored in the notebook as a snapshot (its saved state), which the
web page draws but cannot run. This extension gives each one a "Make this live" button. A click
starts one Python for the whole page (Pyodide in a Web Worker, from the live site's own files),
runs the cells the widget needs, then the widget's own cell, and shows the live widget where the
snapshot was (``static/live-widgets.js``, ``static/live-widgets-worker.js`` and the Python half,
``static/live_widgets_bridge.py``).

What a widget needs is declared once, in the notebook, in the widget cell's metadata::

    "live": {"setup": ["22c32f55", "fbba8d14", "08a98274"], "data": ["mnist"]}

naming the ids of the code cells to run first (imports, data, a network from ``nn.pretrained``),
in the order they appear, and the data sets the page must copy into the browser's Python first
("mnist": the four MNIST files of the live site, where ``nn.load_mnist`` reads them). The cells
must come before the widget cell, be plain Python (no magics, no top-level ``await``) and be
small: the reader waits for them. ``tests/build/test_live_widgets.py`` runs exactly those cells
and the widget cell in a fresh CPython namespace (without MNIST unless declared), so a missing
declaration fails there and not in front of a reader.
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

from browser_packages import PAGE_PRELOAD
from editions import EDITIONS, SOURCE, chinese_outputs
from lite_site import LITE_URL_DIR, MNIST_NAMES
from site_wheels import BOOK_LOCK
from sphinx.application import Sphinx

from nn import live

#: The cell shows a widget when its last line calls a function of ``nn.widgets``.
WIDGET_CALL = re.compile(r"^nn\.widgets\.\w+\(", re.M)
VIEW_MIME = "application/vnd.jupyter.widget-view+json"

#: The four MNIST files, as the live site serves them (``files/data/mnist/``), and where
#: ``nn.load_mnist`` reads them and ``nn`` finds the Chinese figures' font in the browser.
MNIST_FILES = MNIST_NAMES
BROWSER_DATA_DIR = str(live.BROWSER_DATA_DIR)
BROWSER_FONT_DIR = str(live.BROWSER_FONT_DIR)
FONT_FILE = live.BROWSER_FONT.name

class LiveWidgetError(ValueError):
    """A widget cell's declared setup is missing, misplaced or not plain Python."""


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _model_id(cell: dict) -> str | None:
    for output in cell.get("outputs", []):
        view = output.get("data", {}).get(VIEW_MIME)
        if view:
            if isinstance(view, str):
                view = json.loads(view)
            return view["model_id"]
    return None


def _plain_python(code: str, where: str) -> None:
    try:
        ast.parse(code)
    except SyntaxError as exc:
        raise LiveWidgetError(
            f"{where} is not plain Python ({exc.msg}, line {exc.lineno}); live widgets run "
            "setup cells without IPython (no magics, no top-level await)"
        ) from exc


#: The data sets a widget may declare.
DATA_SETS = ("mnist",)


def widget_specs(nb: dict, name: str = "notebook") -> list[dict]:
    """What the page needs to make each widget of ``nb`` live, in the order of the notebook.

    One dict per widget cell: ``model_id`` (of the saved snapshot), ``code`` (the widget cell),
    ``setup`` (the declared cells, as ``{"key", "code"}``) and ``data`` (the declared data sets).
    Raises ``LiveWidgetError`` naming the notebook and cell when a widget cell declares no setup,
    names a cell that does not exist, is not code, or does not come before it, or names an
    unknown data set.
    """
    cells = nb.get("cells", [])
    position = {cell.get("id"): i for i, cell in enumerate(cells)}
    specs = []
    for index, cell in enumerate(cells):
        code = _source(cell)
        if cell.get("cell_type") != "code" or not WIDGET_CALL.search(code):
            continue
        where = f"{name}, cell {index} ({cell.get('id')})"
        live = cell.get("metadata", {}).get("live", {})
        declared = live.get("setup")
        data = live.get("data", [])
        if not isinstance(data, list) or not set(data) <= set(DATA_SETS):
            raise LiveWidgetError(f"{where}: \"data\" must list some of {list(DATA_SETS)}; "
                                  f"got {data!r}")
        if not isinstance(declared, list) or not all(isinstance(c, str) for c in declared):
            raise LiveWidgetError(
                f'{where}: a widget cell declares the cells it needs in its metadata, '
                f'"live": {{"setup": [cell ids]}}; got {declared!r}'
            )
        setup = []
        for cell_id in declared:
            at = position.get(cell_id)
            if at is None:
                raise LiveWidgetError(f"{where}: setup cell {cell_id!r} is not in the notebook")
            if at >= index or cells[at].get("cell_type") != "code":
                raise LiveWidgetError(
                    f"{where}: setup cell {cell_id!r} must be a code cell before the widget"
                )
            setup_code = _source(cells[at])
            _plain_python(setup_code, f"{name}, setup cell {cell_id!r}")
            setup.append({"key": cell_id, "code": setup_code})
        _plain_python(code, where)
        model_id = _model_id(cell)
        if model_id is None:
            raise LiveWidgetError(f"{where}: no saved widget view (execute the chapter first)")
        specs.append({"model_id": model_id, "code": code, "setup": setup, "data": data})
    return specs


def page_data(specs: list[dict], *, lite: str, static: str, language: str) -> dict:
    """The JSON a chapter page carries for its live widgets; URLs relative to the page.

    ``lite`` is the live site's folder as seen from the page (ending in ``/``), ``static`` the
    page's ``_static/`` folder.
    """
    needs_data = any("mnist" in spec["data"] for spec in specs)
    files = [{"url": f"{lite}files/data/mnist/{n}", "path": f"{BROWSER_DATA_DIR}/{n}"}
             for n in MNIST_FILES] if needs_data else []
    if language != SOURCE:
        # The figures' font (book/_ext/cjk_font.py), where nn looks for it in the browser.
        files.append({"url": f"{lite}files/fonts/{FONT_FILE}",
                      "path": f"{BROWSER_FONT_DIR}/{FONT_FILE}"})
    return {
        "widgets": specs,
        "worker": f"{static}live-widgets-worker.js",
        "bridge": f"{static}live_widgets_bridge.py",
        "pyodide": f"{lite}static/pyodide/",
        "lockFile": f"{lite}static/pyodide/{BOOK_LOCK}",
        "packages": list(PAGE_PRELOAD),
        "files": files,
        "language": language,
        "text": words(language),
    }


def words(language: str) -> dict[str, str]:
    """The live widgets' words in ``language``'s edition (the source's for another language)."""
    return EDITIONS.get(language, EDITIONS[SOURCE]).widgets


def _lite_folder(pagename: str, site: str) -> str:
    return "../" * pagename.count("/") + site.rstrip("/") + "/"


def _add_page_data(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if not pagename.startswith("notebooks/") or "body" not in context:
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".ipynb":
        return
    nb = json.loads(source.read_text(encoding="utf-8"))
    executed_dir = getattr(app.config, "editions_executed_dir", "")
    if executed_dir:
        # This edition shows the widgets of the chapter executed in its language
        # (book/_ext/editions.py): their snapshots carry that copy's model ids.
        copy = Path(app.srcdir) / executed_dir / source.name
        nb = chinese_outputs(nb, json.loads(copy.read_text(encoding="utf-8")), source.name)
    specs = widget_specs(nb, source.name)
    if not specs:
        return
    static = context["pathto"]("_static/", 1)
    lite = _lite_folder(pagename, app.config.live_book_site or LITE_URL_DIR)
    data = page_data(specs, lite=lite, static=static, language=app.config.language or SOURCE)
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    context["body"] += (
        f'<script type="application/json" id="live-widgets-data">{payload}</script>'
    )


def _file_notice(app: Sphinx, pagename, templatename, context, doctree) -> None:
    # The chapter's own live button (book/_ext/launch_button.py) says what to do from file://.
    body = context.get("body", "")
    notice = words(app.config.language or SOURCE)["fromFile"]
    context["body"] = re.sub(r'(<a class="live-launch-button" href="[^"]*")',
                             lambda m: f'{m.group(1)} data-file-notice="{html.escape(notice)}"',
                             body, count=1)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _add_page_data)
    app.connect("html-page-context", _file_notice, priority=600)
    app.add_js_file("live-widgets.js")
    app.add_css_file("live-widgets.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
