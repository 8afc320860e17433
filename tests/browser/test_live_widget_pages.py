"""Widgets made live on the chapter page, as a reader uses them (headless Chromium, both editions).

Every widget's "Make this live" button, a dragged slider, the figure redrawn; no new tab, no
navigation, no request to another host, and the time from click to a working widget within the
limits below. The times go to ``_build/live-widget-timings.json``, before/after screenshots to
``_build/screenshots/``. The declarations and the Python half of the page's comm are tested
without a browser in ``tests/build/test_live_widgets.py``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import editions
import live_widgets
import pytest

from headless import CHROMIUM, Recorder, chromium, drag_handle, serve
from paths import CHAPTERS, HTML, ROOT, SCREENSHOTS

TIMINGS = ROOT / "_build" / "live-widget-timings.json"
SHOTS = SCREENSHOTS

# From the click to a widget that answers a drag. The first widget of a page starts Python; later
# ones reuse it. Issue 20 asks for 10 s and 3 s on a quiet machine, 15 s and 3 s in CI: the suite
# holds CI's figures. Measured: 6.9-9.9 s on a quiet machine; 9.7-19.8 s when these tests ran
# beside the rest of the suite, which is why `make test` now runs tests/browser alone, after it.
# Later widgets 0.3-0.9 s. NN_FIRST_WIDGET_S=10 holds a quiet machine to the issue's own figure.
FIRST_WIDGET_S = float(os.environ.get("NN_FIRST_WIDGET_S", 15.0))
NEXT_WIDGET_S = float(os.environ.get("NN_NEXT_WIDGET_S", 3.0))
REDRAW_S = 5.0  # from releasing the slider to the new figure


def notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


playwright_sync = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).is_file(),
                                    reason="needs Chromium at /usr/bin/chromium")
needs_site = pytest.mark.built(HTML / "lite" / "static" / "pyodide", "the live site")


def widget_pages() -> list[tuple[str, str]]:
    """(edition folder, chapter) for every chapter with widgets, in every edition."""
    pages = []
    for edition in editions.EDITIONS.values():
        for path in CHAPTERS:
            if live_widgets.widget_specs(notebook(path), path.name):
                pages.append((edition.folder, path.stem))
    return pages


PICTURES = """(el) => Array.from(el.querySelectorAll('img')).map(i => i.src).join('|')"""
READY = """(bar) => bar.classList.contains('live-widget-ready')
                    || bar.classList.contains('live-widget-failed')"""


def _drag(page, live) -> float:
    """Drag the live widget's first slider handle as a person does; seconds to a new figure."""
    handle = live.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed(timeout=10_000)
    before = live.evaluate(PICTURES)
    released = drag_handle(page, handle, dx=45)
    page.wait_for_function(f"([el, before]) => ({PICTURES})(el) !== before",
                           arg=[live.element_handle(), before], timeout=REDRAW_S * 4000,
                           polling=50)
    return time.monotonic() - released


@pytest.fixture(scope="module")
def site():
    with serve(HTML) as base, chromium(playwright_sync) as browser:
        yield base, browser


@needs_chromium
@needs_site
@pytest.mark.slow
@pytest.mark.parametrize("folder, chapter", widget_pages(),
                         ids=lambda v: v or "en")
def test_each_widget_goes_live_in_place_and_answers_a_drag(site, folder, chapter):
    base, browser = site
    recorder = Recorder(browser, base)
    tabs: list = []
    recorder.context.on("page", lambda p: tabs.append(p))
    prefix = f"{folder}/" if folder else ""
    url = f"{base}{prefix}notebooks/{chapter}.html"
    page = recorder.open(url)
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url)
            if frame == page.main_frame else None)
    bars = page.locator(".live-widget-bar")
    specs = live_widgets.widget_specs(notebook(ROOT / "notebooks" / f"{chapter}.ipynb"))
    assert bars.count() == len(specs), f"{chapter}: one control per widget"
    times = []
    name = f"{folder or 'en'}__{chapter}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for i in range(bars.count()):
        bar = bars.nth(i)
        bar.scroll_into_view_if_needed()
        if i == 0:
            page.screenshot(path=str(SHOTS / f"live-widget__{name}__before.png"))
        clicked = time.monotonic()
        bar.locator("button").click()
        page.wait_for_function(READY, arg=bar.element_handle(), timeout=120_000, polling=50)
        status = bar.locator(".live-widget-status").inner_text()
        assert "live-widget-ready" in bar.get_attribute("class"), f"{chapter} #{i}: {status}"
        live = page.locator(".live-widget-live").nth(i)
        redraw = _drag(page, live)
        ready = time.monotonic() - clicked - redraw
        times.append({"widget": i, "ready_s": round(ready, 2), "redraw_s": round(redraw, 2),
                      "page_s": float(bar.get_attribute("data-seconds")),
                      "python_start_s": float(bar.get_attribute("data-start-seconds")),
                      "cells_s": float(bar.get_attribute("data-run-seconds"))})
        if i == 0:
            page.screenshot(path=str(SHOTS / f"live-widget__{name}__after.png"))
    _record(name, times)
    assert page.url == url and not navigations, f"{chapter}: the page navigated {navigations}"
    assert len(tabs) == 1, f"{chapter}: a new tab opened"
    assert not recorder.external, f"requests to other hosts {recorder.external}"
    assert not recorder.failed, f"failed requests {recorder.failed}"
    assert not recorder.errors, f"console errors {recorder.errors}"
    recorder.close()
    first, *rest = times
    assert first["page_s"] <= FIRST_WIDGET_S, f"{chapter}: first widget {first}"
    for later in rest:
        assert later["page_s"] <= NEXT_WIDGET_S, f"{chapter}: later widget {later}"
    for t in times:
        assert t["redraw_s"] <= REDRAW_S, f"{chapter}: redraw {t}"


def _record(name: str, times: list[dict]) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(TIMINGS.read_text()) if TIMINGS.is_file() else {}
    known[name] = times
    TIMINGS.write_text(json.dumps(known, indent=2, sort_keys=True) + "\n")


@needs_chromium
@needs_site
def test_from_a_file_the_live_controls_say_what_to_do(site):
    """Opened as a file, the page cannot run Python: both live controls say so in one sentence."""
    _, browser = site
    recorder = Recorder(browser, "file:///")
    tabs: list = []
    recorder.context.on("page", lambda p: tabs.append(p))
    page = recorder.open((HTML / "notebooks" / "03_activations.html").as_uri())
    page.locator("a.live-launch-button").click()
    notice = page.locator(".live-file-notice")
    notice.wait_for(timeout=5_000)
    assert "make serve" in notice.inner_text()
    bar = page.locator(".live-widget-bar").first
    bar.locator("button").click()
    assert "make serve" in bar.locator(".live-widget-status").inner_text()
    assert len(tabs) == 1 and page.url.startswith("file://"), "the page went elsewhere"
    recorder.close()


@needs_chromium
@needs_site
def test_a_snapshot_takes_no_drag_before_it_is_live(site):
    base, browser = site
    recorder = Recorder(browser, base)
    page = recorder.open(f"{base}notebooks/03_activations.html")
    snapshot = page.locator(".live-widget-snapshot").first
    snapshot.locator(".noUi-handle").first.wait_for(timeout=30_000)
    assert snapshot.evaluate("el => el.inert") is True
    caption = page.locator(".live-widget-bar .live-widget-status").first.inner_text()
    assert caption == editions.EDITIONS["en"].widgets["snapshot"]
    before = snapshot.evaluate(PICTURES)
    handle = snapshot.locator(".noUi-handle").first
    box = handle.bounding_box()
    page.mouse.move(box["x"] + 3, box["y"] + 3)
    page.mouse.down()
    page.mouse.move(box["x"] + 80, box["y"] + 3, steps=4)
    page.mouse.up()
    assert handle.bounding_box()["x"] == box["x"], "the snapshot's slider moved"
    assert snapshot.evaluate(PICTURES) == before
    recorder.close()
