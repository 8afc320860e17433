"""The built web book, opened in a real browser (headless Chromium) with the internet cut off.

Every page of the table of contents is served from ``_build/html`` on 127.0.0.1 and must load
without a console error or a failed request, render its math with the MathJax served from the
build, load every figure, and show its widgets' saved state; search must find "softmax", and each
chapter's "next" link must lead to the next chapter. Both editions are visited: the English pages
and the Chinese ones under ``zh_CN/`` (same checks, plus: the language switch of every page leads
to the same page in the other edition, Chinese search finds Chinese words, and no Markdown markup
leaks into the Chinese text). A full-page screenshot of every page is saved in
``_build/screenshots/`` to look at (with Debian's fonts-noto-cjk, the Chinese is drawn as it is
in a reader's browser).

Needs ``make book`` first (``make test`` does it) and Chromium at /usr/bin/chromium (Debian's
``chromium`` package); without either, the tests are skipped and say why.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import editions
import pytest
import yaml

from headless import CHROMIUM, Recorder, chromium, serve
from paths import HTML, ROOT, require_built

SHOTS = ROOT / "_build" / "screenshots"

playwright_sync = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"Chromium not found at {CHROMIUM}; install Debian's 'chromium' package to run the "
        "browser test of the web book",
        allow_module_level=True,
    )
require_built(HTML / "index.html", "the web book")


def toc_pages() -> list[str]:
    """Every page of ``_toc.yml`` in reading order, as paths relative to the HTML root."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return [str(Path(f).with_suffix("")) + ".html" for f in files]


#: Where each edition's pages are, relative to the HTML root.
EDITIONS = {language: edition.folder + "/" if edition.folder else ""
            for language, edition in editions.EDITIONS.items()}
ENGLISH = toc_pages()
PAGES = [folder + page for folder in EDITIONS.values() for page in ENGLISH]
CHAPTERS = [p for p in PAGES if "notebooks/" in p]


@pytest.fixture(scope="module")
def server():
    with serve(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium(playwright_sync) as b:
        yield b


class PageVisit:
    """A page opened with every console error, failed and external request recorded."""

    def __init__(self, browser, url: str):
        self.recorder = Recorder(browser, url)
        self.page = self.recorder.open(url)
        self.page.wait_for_load_state("networkidle")
        self.errors = self.recorder.errors
        self.failed = self.recorder.failed
        self.external = self.recorder.external

    def close(self):
        self.recorder.close()


@pytest.fixture(scope="module")
def visits(browser, server):
    """Open every page once; the tests below read what each visit recorded."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    opened = {}
    for rel in PAGES:
        visit = PageVisit(browser, server + rel)
        page = visit.page
        if page.locator("script[type='application/vnd.jupyter.widget-state+json']").count():
            page.wait_for_selector(".jupyter-widgets", state="attached", timeout=30_000)
        if page.locator(".math").count():
            page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
        page.wait_for_timeout(300)  # let the last layout settle before the screenshot
        page.screenshot(path=str(SHOTS / (rel.replace("/", "__") + ".png")), full_page=True)
        opened[rel] = visit
    yield opened
    for visit in opened.values():
        visit.close()


def test_toc_lists_the_chapters_in_order():
    chapters = [p for p in ENGLISH if p.startswith("notebooks/")]
    numbers = [Path(p).name[:2] for p in chapters]
    assert numbers == sorted(numbers), f"chapters out of order in _toc.yml: {chapters}"


@pytest.mark.parametrize("rel", PAGES)
def test_page_loads_cleanly_and_offline(visits, rel):
    visit = visits[rel]
    assert not visit.external, f"{rel} requested resources from the internet: {visit.external}"
    assert not visit.failed, f"{rel} had failed requests: {visit.failed}"
    assert not visit.errors, f"{rel} logged console errors: {visit.errors}"


@pytest.mark.parametrize("rel", PAGES)
def test_math_is_rendered(visits, rel):
    page = visits[rel].page
    n_math = page.locator(".math").count()
    if n_math == 0:
        pytest.skip(f"{rel} has no math")
    rendered = page.locator("mjx-container").count()
    assert rendered >= n_math, f"{rel}: {n_math} formulas, {rendered} rendered by MathJax"
    assert page.locator("mjx-merror").count() == 0, f"{rel}: MathJax reported a TeX error"


@pytest.mark.parametrize("rel", PAGES)
def test_every_figure_is_loaded(visits, rel):
    page = visits[rel].page
    broken = page.evaluate(
        """() => Array.from(document.querySelectorAll('article img'))
                 .filter(img => !(img.complete && img.naturalWidth > 0))
                 .map(img => img.src.slice(0, 80))"""
    )
    assert broken == [], f"{rel}: images that did not load: {broken}"


@pytest.mark.parametrize("rel", CHAPTERS)
def test_widgets_render_their_saved_state(visits, rel):
    page = visits[rel].page
    has_state = page.locator("script[type='application/vnd.jupyter.widget-state+json']").count()
    views = page.locator("script[type='application/vnd.jupyter.widget-view+json']").count()
    if not views:
        pytest.skip(f"{rel} has no widgets")
    assert has_state, f"{rel} shows widgets but its widget state was not saved"
    selector = ".jupyter-widgets.widget-container, .jupyter-widgets.widget-box"
    rendered = page.locator(selector).count()
    assert rendered >= views, f"{rel}: {views} widget views in the page, {rendered} rendered"
    # A widget whose figure lives in an Output widget must show that figure too.
    blank_outputs = page.evaluate(
        """() => Array.from(document.querySelectorAll('.jupyter-widgets-output-area'))
                 .filter(el => el.innerText.trim() === '' && !el.querySelector('img')).length"""
    )
    assert blank_outputs == 0, f"{rel}: {blank_outputs} widget output areas are empty"


def test_search_finds_softmax(browser, server):
    visit = PageVisit(browser, server + "search.html?q=softmax")
    try:
        visit.page.wait_for_selector("#search-results li", timeout=30_000)
        hits = visit.page.locator("#search-results li").count()
        assert hits > 0
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def next_chapters() -> list[tuple[str, str]]:
    chapters = [p for p in ENGLISH if p.startswith("notebooks/")]
    return [(folder + a, folder + b) for folder in EDITIONS.values()
            for a, b in zip(chapters, chapters[1:], strict=False)]


@pytest.mark.parametrize("rel, expected", next_chapters())
def test_next_link_leads_to_the_next_chapter(visits, rel, expected):
    page = visits[rel].page
    link = page.locator("a.right-next")
    assert link.count() == 1, f"{rel} has no 'next' link"
    href = link.get_attribute("href")
    assert urlparse(urljoin(page.url, href)).path.endswith("/" + expected), (
        f"{rel}: next link goes to {href}, expected {expected}"
    )


def other_edition(rel: str) -> str:
    chinese = EDITIONS["zh_CN"]
    return rel[len(chinese):] if rel.startswith(chinese) else chinese + rel


@pytest.mark.parametrize("rel", PAGES)
def test_language_switch_leads_to_the_same_page_in_the_other_edition(visits, rel):
    page = visits[rel].page
    expected_lang = "en" if rel.startswith(EDITIONS["zh_CN"]) else "zh-CN"
    assert page.evaluate("() => document.documentElement.lang") == (
        "zh-CN" if expected_lang == "en" else "en")
    link = page.locator(".edition-switch a.edition-link")
    assert link.count() == 1, f"{rel}: no language switch"
    target = urljoin(page.url, link.get_attribute("href"))
    assert urlparse(target).path.endswith("/" + other_edition(rel)), (rel, target)
    assert (HTML / other_edition(rel)).is_file()


def test_clicking_the_switch_opens_the_chinese_chapter(browser, server):
    visit = PageVisit(browser, server + "notebooks/02_perceptron.html")
    try:
        with visit.page.expect_navigation():
            visit.page.locator(".edition-switch a.edition-link").click()
        assert visit.page.url.endswith("/zh_CN/notebooks/02_perceptron.html")
        assert "感知机" in visit.page.locator("article").inner_text()
        assert not visit.errors, visit.errors
    finally:
        visit.close()


@pytest.mark.parametrize("rel", [p for p in PAGES if p.startswith(EDITIONS["zh_CN"])])
def test_chinese_text_carries_no_markdown_markup(visits, rel):
    # A `**` that CommonMark did not pair (bold closed after punctuation, before a letter)
    # shows as two asterisks; the English page is the reference for intended literal ones.
    chinese = visits[rel].page.locator("article").inner_text()
    english = visits[other_edition(rel)].page.locator("article").inner_text()
    assert chinese.count("**") == english.count("**"), f"{rel}: unpaired ** in the Chinese text"
    assert len(re.findall(r"[\u4e00-\u9fff]", chinese)) > 40, f"{rel} is not in Chinese"


@pytest.mark.parametrize("query", ["感知机", "激活函数", "批归一化"])
def test_chinese_search_finds_chinese_words(browser, server, query):
    visit = PageVisit(browser, server + f"zh_CN/search.html?q={query}")
    try:
        visit.page.wait_for_selector("#search-results li", timeout=30_000)
        assert visit.page.locator("#search-results li").count() > 0, query
        assert not visit.errors, visit.errors
    finally:
        visit.close()
