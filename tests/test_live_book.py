"""The live book, used as a reader uses it: every chapter run in the browser, offline.

For each chapter, headless Chromium opens the chapter's page of the built book, clicks its
"Run this chapter live" button, waits for the in-browser Python (Pyodide) to start, runs all cells
and fails on any error output, any request to another host or a Run All longer than the budget.
In a chapter with sliders it then drags the first slider's handle with the mouse, as a person does,
and checks that the widget's figure changes within the latency budget. The measured times go to
``_build/live-timings.json`` (and the screenshots to ``_build/screenshots/live__*.png``).

Needs ``make book`` first and Chromium at /usr/bin/chromium; skipped, saying why, without them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from browser import CHROMIUM, HTML, ROOT, Recorder, chromium, serve

RUN_ALL_BUDGET_S = 180.0  # the budget for a chapter's Run All on 2 cores
SLIDER_BUDGET_S = 2.0  # from the key press to the new figure on the page
BOOT_TIMEOUT_S = 180.0
TIMINGS = ROOT / "_build" / "live-timings.json"
SHOTS = ROOT / "_build" / "screenshots"

playwright_sync = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

if not Path(CHROMIUM).is_file():
    pytest.skip(f"Chromium not found at {CHROMIUM}; install Debian's 'chromium' package",
                allow_module_level=True)
if not (HTML / "lite" / "lab" / "index.html").is_file():
    pytest.skip("the live book is not built (_build/html/lite); run 'make book' first",
                allow_module_level=True)

CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# JavaScript run in the live JupyterLab (the site exposes it as window.jupyterapp).
NOTEBOOK = "window.jupyterapp && window.jupyterapp.shell.currentWidget"
KERNEL_IDLE = f"""() => {{ const nb = {NOTEBOOK};
  const kernel = nb && nb.sessionContext && nb.sessionContext.session
                 && nb.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle'; }}"""
# Run All has finished when the kernel is idle and the last code cell has run, or a cell failed
# (JupyterLab then cancels the cells after it).
RUN_ALL_DONE = f"""() => {{ const nb = {NOTEBOOK};
  if (nb.sessionContext.session.kernel.status !== 'idle') return false;
  const cells = nb.model.toJSON().cells.filter(c => c.cell_type === 'code');
  const failed = cells.some(c => (c.outputs || []).some(o => o.output_type === 'error'));
  return failed || cells[cells.length - 1].execution_count !== null; }}"""
# What the widgets show: every image inside a widget (figures are PNGs in Output widgets).
WIDGET_PICTURES = """() => Array.from(document.querySelectorAll('.jp-OutputArea .jupyter-widgets img'))
  .map(img => img.src).join('|')"""
SHOW_FIRST_SLIDER = f"""async () => {{ const nb = {NOTEBOOK}.content;
  const i = nb.widgets.findIndex(cell => cell.node.querySelector('.noUi-handle'));
  if (i < 0) return -1;
  nb.activeCellIndex = i;
  await nb.scrollToItem(i, 'start');
  return i; }}"""


def has_sliders(chapter: str) -> bool:
    nb = json.loads((ROOT / "notebooks" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    state = nb.get("metadata", {}).get("widgets", {})
    return "SliderModel" in json.dumps(state)


@pytest.fixture(scope="module")
def site():
    with serve(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium(playwright_sync) as b:
        yield b


@pytest.fixture(scope="module")
def timings():
    measured: dict[str, dict[str, float]] = {}
    yield measured
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps(measured, indent=2) + "\n")
    for chapter, t in measured.items():
        print(f"live {chapter}: " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items()))


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_live_in_the_browser(browser, site, timings, chapter):
    recorder = Recorder(browser, site)
    try:
        page = recorder.open(f"{site}notebooks/{chapter}.html")
        button = page.locator("a.live-launch-button")
        assert button.count() == 1, f"{chapter}: no 'Run this chapter live' button"
        start = time.monotonic()
        with recorder.context.expect_page() as opened:
            button.click()
        lab = opened.value
        lab.wait_for_function(KERNEL_IDLE, timeout=BOOT_TIMEOUT_S * 1000, polling=500)
        booted = time.monotonic()
        lab.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        lab.wait_for_timeout(500)
        lab.wait_for_function(RUN_ALL_DONE, timeout=(RUN_ALL_BUDGET_S + 60) * 1000, polling=500)
        run_all = time.monotonic() - booted
        timings[chapter] = {"start": booted - start, "run_all": run_all}

        notebook = lab.evaluate(f"() => {NOTEBOOK}.model.toJSON()")
        errors = [
            f"cell {i}: {out['ename']}: {out['evalue']}"
            for i, cell in enumerate(notebook["cells"])
            for out in cell.get("outputs", [])
            if out["output_type"] == "error"
        ]
        assert not errors, f"{chapter} failed in the browser: {errors}"
        not_run = [i for i, c in enumerate(notebook["cells"])
                   if c["cell_type"] == "code" and c["execution_count"] is None]
        assert not not_run, f"{chapter}: cells {not_run} did not run"
        assert run_all < RUN_ALL_BUDGET_S, (
            f"{chapter}: Run All took {run_all:.0f} s in the browser, budget {RUN_ALL_BUDGET_S:.0f} s"
        )

        if has_sliders(chapter):
            assert lab.evaluate(SHOW_FIRST_SLIDER) >= 0, f"{chapter}: no slider on the page"
            handle = lab.locator(".jp-OutputArea .jupyter-widgets .noUi-handle").first
            handle.scroll_into_view_if_needed(timeout=10_000)
            lab.wait_for_timeout(300)
            before = lab.evaluate(WIDGET_PICTURES)
            # Drag the handle as a person does: JupyterLab keeps the arrow keys for itself.
            box = handle.bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            lab.mouse.move(x, y)
            lab.mouse.down()
            lab.mouse.move(x + 40, y, steps=5)
            lab.mouse.up()
            pressed = time.monotonic()  # the sliders send their value on release
            lab.wait_for_function(f"(before) => ({WIDGET_PICTURES})() !== before", arg=before,
                                  timeout=20_000, polling=50)
            latency = time.monotonic() - pressed
            timings[chapter]["slider"] = latency
            assert latency < SLIDER_BUDGET_S, (
                f"{chapter}: the figure took {latency:.2f} s to follow the slider"
            )
        SHOTS.mkdir(parents=True, exist_ok=True)
        lab.screenshot(path=str(SHOTS / f"live__{chapter}.png"))
        assert not recorder.external, f"{chapter}: requests to other hosts {recorder.external}"
        assert not recorder.failed, f"{chapter}: failed requests {recorder.failed}"
        assert not recorder.errors, f"{chapter}: console errors {recorder.errors}"
    finally:
        recorder.close()
