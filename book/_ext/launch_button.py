"""The way from a chapter page into the live site: a "Run this chapter live" control.

Every chapter page gets, under its title, a link that opens the chapter's live notebook in the
live site's JupyterLab (``lite_site.py``), in the page's own language, with a note saying what
happens; the words are the edition's (``editions.EDITIONS``). The theme's repository, issues and
Binder buttons appear only when a real repository URL is configured: without one they were dead
links, and the live button is the way to run a chapter.
"""

from __future__ import annotations

import html
from pathlib import Path

from editions import EDITIONS, SOURCE, TRANSLATIONS
from lite_site import LITE_URL_DIR
from sphinx.application import Sphinx


def live_url(pagename: str, site: str = LITE_URL_DIR, language: str = SOURCE) -> str | None:
    """The live JupyterLab URL of a chapter page, relative to that page; None for other pages.

    ``site`` is the lite site's folder relative to the root of the built book: ``lite`` for the
    edition that builds it, ``../lite`` for an edition built into a subfolder beside it. A
    translated edition's pages open its own live notebooks (``zh_CN/`` in the site's contents).
    """
    if not pagename.startswith("notebooks/"):
        return None
    depth = pagename.count("/")
    name = pagename.split("/")[-1]
    folder = f"{language}/" if language in TRANSLATIONS else ""
    return "../" * depth + f"{site}/lab/index.html?path={folder}{name}.ipynb"


def launch_html(url: str, language: str) -> str:
    """The control: the edition's label on a link to ``url``, and its note beside it."""
    label, note = EDITIONS.get(language, EDITIONS[SOURCE]).launch
    return (
        '<div class="live-launch">'
        f'<a class="live-launch-button" href="{html.escape(url)}" target="_blank" rel="noopener">'
        f"{label}</a>"
        f'<span class="live-launch-note">{note}</span></div>'
    )


def _add_live_button(app: Sphinx, pagename, templatename, context, doctree) -> None:
    url = live_url(pagename, app.config.live_book_site or LITE_URL_DIR, app.config.language)
    if url is None or "body" not in context:
        return
    button = launch_html(url, app.config.language)
    body = context["body"]
    end = body.find("</h1>")
    context["body"] = body[: end + 5] + button + body[end + 5:] if end >= 0 else button + body


def _repository_buttons(config) -> None:
    """Repository, issues and Binder buttons exactly when a repository URL is configured."""
    options = config.html_theme_options
    has_repo = bool(options.get("repository_url"))
    options["use_repository_button"] = has_repo
    options["use_issues_button"] = has_repo
    launch = dict(options.get("launch_buttons") or {})
    binder = launch.get("binderhub_url") or "https://mybinder.org"
    launch["binderhub_url"] = binder if has_repo else ""
    options["launch_buttons"] = launch


def _configure(app: Sphinx, config) -> None:
    static = str(Path(__file__).parent / "static")
    if static not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, static]
    _repository_buttons(config)


def setup(app: Sphinx) -> dict:
    app.setup_extension("lite_site")  # the site the button opens, and its live_book_site
    app.connect("config-inited", _configure, priority=600)
    app.connect("html-page-context", _add_live_button)
    app.add_css_file("live-book.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
