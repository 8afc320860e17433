"""What the browser tests share: the built site served on 127.0.0.1, and headless Chromium.

A page is opened in a context that records console errors and failed requests and refuses every
request to another host (the book must be self-contained), counting it as a failure.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling home, which fails offline.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep pytest's output clean
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over http on 127.0.0.1; yields the base URL (ending in ``/``)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextlib.contextmanager
def chromium(playwright_sync) -> Iterator[object]:
    """Headless Debian Chromium, driven by Playwright."""
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class Recorder:
    """A browser context whose pages record console errors, failed and external requests."""

    def __init__(self, browser, base_url: str, viewport=(1280, 900), not_found_ok=None):
        # not_found_ok(url) -> True for URLs whose 404 is an answer, not a failure.
        self.not_found_ok = not_found_ok or (lambda url: False)
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        host = urlparse(base_url).netloc

        def route(route):
            url = route.request.url
            if urlparse(url).netloc == host or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                self.external.append(url)
                route.abort()

        self.context.route("**/*", route)
        self.context.on("page", self._watch)

    def _watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        page.on("requestfailed", lambda req: self.failed.append(f"{req.url} ({req.failure})"))
        page.on("response", self._response)

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if msg.text.startswith("Failed to load resource") and self.not_found_ok(url):
            return
        self.errors.append(msg.text)

    def _response(self, resp) -> None:
        if resp.status >= 400 and not (resp.status == 404 and self.not_found_ok(resp.url)):
            self.failed.append(f"{resp.url} (HTTP {resp.status})")

    def open(self, url: str, wait_until: str = "load"):
        page = self.context.new_page()
        page.goto(url, wait_until=wait_until)
        return page

    def close(self) -> None:
        self.context.close()


def drag_handle(page, handle, dx: float = 40) -> float:
    """Drag a slider's ``handle`` by ``dx`` pixels as a person does: press, move, release.

    Returns ``time.monotonic()`` at the release, when the book's sliders send their value.
    """
    import time

    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=5)
    page.mouse.up()
    return time.monotonic()
