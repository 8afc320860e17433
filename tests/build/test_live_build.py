"""How the live book is built (book/_ext: pyodide_dist, site_wheels, lite_site, launch_button),
without a browser.

Pyodide must come from verified files only, the chapters must install nothing (the kernel
preloads the wheels the site serves), the build must leave nothing in the source tree, and the
built site must point at its own Pyodide with the PyPI fallback off. The browser side is tested
in ``test_live_book.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import browser_packages
import launch_button
import lite_site
import pyodide_dist
import pytest
import site_wheels

import nn
from headless import serve
from nn import data as nn_data
from nn import live
from paths import CHAPTERS, HTML, ROOT

LITE = HTML / lite_site.LITE_URL_DIR
PYODIDE_DIR = os.environ.get("NN_PYODIDE_DIR")
needs_pyodide = pytest.mark.skipif(
    not PYODIDE_DIR, reason="NN_PYODIDE_DIR is not set (make sets it from ../shared/pyodide)"
)
needs_site = pytest.mark.built(LITE / "jupyter-lite.json", "the live site")


# --------------------------------------------------------------------------- Pyodide


FAKE_LOCK = {
    "info": {"version": pyodide_dist.PYODIDE_VERSION},
    "packages": {
        "numpy": {"file_name": "numpy.whl", "sha256": "a", "depends": []},
        "matplotlib": {"file_name": "mpl.whl", "sha256": "b", "depends": ["numpy", "Pillow"]},
        "pillow": {"file_name": "pillow.whl", "sha256": "c", "depends": []},
        "scipy": {"file_name": "scipy.whl", "sha256": "d", "depends": ["numpy"]},
    },
}


def test_pyodide_files_follow_dependencies_and_nothing_else():
    assert pyodide_dist.pyodide_files(FAKE_LOCK, roots=("matplotlib",)) == {
        "mpl.whl": "b", "numpy.whl": "a", "pillow.whl": "c",
    }


def test_pyodide_files_name_a_package_the_lock_lacks():
    with pytest.raises(pyodide_dist.LiveBookError, match="pandas"):
        pyodide_dist.pyodide_files(FAKE_LOCK, roots=("matplotlib", "pandas"))


@needs_pyodide
def test_the_closure_is_the_shared_folder(tmp_path):
    lock = json.loads((Path(PYODIDE_DIR) / "pyodide-lock.json").read_text())
    wanted = pyodide_dist.pyodide_files(lock)
    present = {p.name for p in Path(PYODIDE_DIR).iterdir()} - set(pyodide_dist.PYODIDE_CORE)
    assert set(wanted) == present


@needs_pyodide
def test_collect_pyodide_from_a_folder_verifies_and_copies_every_file(tmp_path):
    target = tmp_path / "pyodide"
    hashes = pyodide_dist.collect_pyodide(target, Path(PYODIDE_DIR), tmp_path / "cache")
    assert sorted(p.name for p in target.iterdir()) == sorted(hashes)
    for name, sha in hashes.items():
        assert hashlib.sha256((target / name).read_bytes()).hexdigest() == sha


@pytest.fixture()
def tampered_pyodide(tmp_path):
    """A copy of the shared Pyodide with one byte of numpy's wheel changed."""
    folder = tmp_path / "tampered"
    shutil.copytree(PYODIDE_DIR, folder)
    wheel = next(folder.glob("numpy-*.whl"))
    blob = bytearray(wheel.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    wheel.write_bytes(bytes(blob))
    return folder, wheel.name


@needs_pyodide
def test_a_damaged_file_in_the_folder_is_refused_by_name(tmp_path, tampered_pyodide):
    folder, damaged = tampered_pyodide
    target = tmp_path / "pyodide"
    target.mkdir()
    (target / "keep.txt").write_text("previous build")
    with pytest.raises(pyodide_dist.LiveBookError, match=re.escape(damaged)):
        pyodide_dist.collect_pyodide(target, folder, tmp_path / "cache")
    assert [p.name for p in target.iterdir()] == ["keep.txt"], "target changed on failure"


@pytest.fixture()
def http_folder():
    """Serve a folder on 127.0.0.1, standing in for the release's download server."""
    with contextlib.ExitStack() as stack:
        yield lambda folder: stack.enter_context(serve(folder))


@needs_pyodide
def test_collect_pyodide_downloads_and_verifies_without_a_folder(tmp_path, http_folder):
    url = http_folder(Path(PYODIDE_DIR))
    target = tmp_path / "pyodide"
    hashes = pyodide_dist.collect_pyodide(target, None, tmp_path / "cache", base_url=url)
    assert len(hashes) == len(list(target.iterdir())) > len(pyodide_dist.PYODIDE_CORE)


@needs_pyodide
def test_a_download_with_the_wrong_checksum_is_refused(tmp_path, http_folder, tampered_pyodide):
    folder, damaged = tampered_pyodide
    url = http_folder(folder)
    with pytest.raises(pyodide_dist.LiveBookError, match=re.escape(damaged)):
        pyodide_dist.collect_pyodide(tmp_path / "pyodide", None, tmp_path / "cache", base_url=url)
    assert not (tmp_path / "pyodide").exists()


# --------------------------------------------------------------------------- chapters


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_chapter_installs_packages_in_the_browser(path):
    # The live kernel preloads nn, ipywidgets and the rest from the book's lock file.
    source = path.read_text(encoding="utf-8")
    assert "piplite" not in source and "%pip" not in source, f"{path.name} installs packages"


def kernel_worker_installs() -> set[str]:
    """What the installed Pyodide kernel's worker installs with piplite unless its preload list
    names it, read from the worker's own JavaScript, spelled as the worker compares them."""
    static = (Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyterlite"
              / "pyodide-kernel-extension" / "static")
    lists = set()
    for script in static.glob("*.js"):
        text = script.read_text(encoding="utf-8", errors="replace")
        for found in re.finditer(r'initKernel\(\w+\)\{.{0,120}?=\[((?:"[\w-]+",?)+)\]', text):
            lists.add(tuple(json.loads(f"[{found.group(1)}]")))
    assert len(lists) == 1, f"expected one list of the kernel's packages in {static}, found {lists}"
    return set(lists.pop()) | {"micropip", "piplite"}  # initPackageManager's two


def test_the_kernel_preloads_every_package_it_would_install():
    # The worker installs with piplite, one by one, whichever of them its preload list lacks.
    options = lite_site.lite_settings()["jupyter-config-data"]["litePluginSettings"][
        lite_site.KERNEL_PLUGIN]["loadPyodideOptions"]
    missing = kernel_worker_installs() - set(options["packages"])
    assert not missing, f"the kernel would install {sorted(missing)} at every start"
    assert [pyodide_dist.normal_name(name) for name in options["packages"]] == list(
        browser_packages.KERNEL_PRELOAD)
    assert options["lockFileURL"] == f"./static/pyodide/{site_wheels.BOOK_LOCK}"


def test_the_book_lock_adds_each_wheel_with_its_checksum(tmp_path):
    wheel = tmp_path / "nn-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"not really a zip, but bytes with a hash")
    lock = {"info": {"version": "0.27.7"}, "packages": {"numpy": {"name": "numpy"}}}
    book = site_wheels.book_lock(lock, {wheel.name: wheel})
    entry = book["packages"]["nn"]
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert entry["file_name"] == wheel.name and entry["imports"] == ["nn"]
    assert entry["depends"] == ["numpy", "tqdm", "matplotlib"]
    assert book["packages"]["numpy"] == {"name": "numpy"} and "nn" not in lock["packages"]


def test_the_book_lock_refuses_a_wheel_it_cannot_describe(tmp_path):
    wheel = tmp_path / "mystery-1.0-py3-none-any.whl"
    wheel.write_bytes(b"x")
    with pytest.raises(pyodide_dist.LiveBookError, match="mystery"):
        site_wheels.book_lock({"packages": {}}, {wheel.name: wheel})


def test_the_wheel_of_nn_is_built_without_litter_in_the_source_tree(tmp_path):
    litter = [ROOT / "build", ROOT / "src" / "nn.egg-info"]
    before = [path.exists() for path in litter]
    wheel = site_wheels.build_nn_wheel(ROOT, tmp_path)
    assert [path.exists() for path in litter] == before, "the build left files in the tree"
    assert wheel.parent == tmp_path and wheel.name.startswith("nn-")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "nn/__init__.py" in names and not any("__pycache__" in n for n in names)


def test_the_package_table_gives_each_list_the_extensions_use():
    # Pyodide's own packages are copied, not described; every other one has a lock entry.
    assert set(browser_packages.PYODIDE_ROOTS).isdisjoint(browser_packages.SITE_WHEELS)
    assert {n.split("-")[0] for n, _ in browser_packages.PINNED_WHEELS} == {
        "comm", "ipywidgets", "tqdm"}
    assert set(browser_packages.SERVED_WHEELS) == {"comm", "ipywidgets", "tqdm", "nn"}
    assert "matplotlib-font-cache" not in browser_packages.KERNEL_PRELOAD
    assert {"nn", "numpy", "matplotlib", "ipywidgets"} <= set(browser_packages.PAGE_PRELOAD)


def test_ipywidgets_matches_the_front_end_the_site_ships():
    # The browser kernel's ipywidgets and the front end (jupyterlab_widgets) come as a pair.
    import jupyterlab_widgets

    ipywidgets = browser_packages.PACKAGES["ipywidgets"]
    assert ipywidgets.version == "8.1.7"
    assert ipywidgets.front_end == f"jupyterlab_widgets=={jupyterlab_widgets.__version__}"


def test_live_notebook_drops_widget_views_and_joins_the_rest():
    view = {"output_type": "display_data",
            "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                     "text/plain": "VBox()"}}
    figure = {"output_type": "display_data", "data": {"image/png": "iVBOR"}}
    listing = {"output_type": "display_data", "data": {"text/markdown": ["```python\n", "x\n"]}}
    nb = {"cells": [{"cell_type": "code", "source": "w", "outputs": [view, figure, listing]},
                    {"cell_type": "markdown", "source": "# t"}],
          "metadata": {"widgets": {"state": {}}}}
    out = lite_site.live_notebook(nb)
    joined = {"output_type": "display_data", "data": {"text/markdown": "```python\nx\n"}}
    assert out["cells"][0]["outputs"] == [figure, joined]
    assert "widgets" not in out["metadata"]
    assert nb["cells"][0]["outputs"] == [view, figure, listing], "the input notebook was changed"


def test_live_url_of_a_chapter_and_of_other_pages():
    assert launch_button.live_url("notebooks/08_cnn") == "../lite/lab/index.html?path=08_cnn.ipynb"
    assert launch_button.live_url("book/setup") is None


@pytest.mark.parametrize("url, shown", [("", False), ("https://example.org/book", True)])
def test_repository_buttons_only_with_a_repository(url, shown):
    class Config:
        html_theme_options = {"repository_url": url, "use_repository_button": True,
                              "launch_buttons": {"binderhub_url": "https://mybinder.org"}}

    launch_button._repository_buttons(Config)
    options = Config.html_theme_options
    assert options["use_repository_button"] is shown and options["use_issues_button"] is shown
    assert bool(options["launch_buttons"]["binderhub_url"]) is shown


# --------------------------------------------------------------------------- the built site


@needs_site
def test_the_built_site_uses_its_own_pyodide_and_no_pypi():
    lite_site.check_lite_site(LITE)
    config = json.loads((LITE / "jupyter-lite.json").read_text())
    text = json.dumps(config)
    assert "cdn.jsdelivr" not in text and "pypi.org" not in text


@needs_site
@pytest.mark.parametrize("change, message", [
    (lambda s: s.pop("pyodideUrl"), "pyodideUrl"),
    (lambda s: s.update(pyodideUrl="https://cdn.jsdelivr.net/pyodide/v0.27.7/full/pyodide.js"),
     "pyodideUrl"),
    (lambda s: s.update(disablePyPIFallback=False), "PyPI"),
])
def test_check_lite_site_catches_a_site_that_would_go_online(tmp_path, change, message):
    site = tmp_path / "lite"
    site.mkdir()
    config = json.loads((LITE / "jupyter-lite.json").read_text())
    change(config["jupyter-config-data"]["litePluginSettings"][lite_site.KERNEL_PLUGIN])
    (site / "jupyter-lite.json").write_text(json.dumps(config))
    (site / "static").symlink_to(LITE / "static")
    (site / "pypi").symlink_to(LITE / "pypi")
    with pytest.raises(pyodide_dist.LiveBookError, match=message):
        lite_site.check_lite_site(site)


@needs_site
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_page_has_a_live_button_to_its_notebook(path):
    page = (HTML / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="live-launch-button" href="([^"]+)"', page)
    assert links == [f"../lite/lab/index.html?path={path.name}"]
    assert (LITE / "files" / path.name).is_file()
    assert (LITE / "lab" / "index.html").is_file()


@needs_site
def test_the_site_carries_the_mnist_files_the_build_used():
    for key, path in nn.mnist_files().items():
        copy = LITE / "files" / "data" / "mnist" / path.name
        assert copy.read_bytes() == path.read_bytes(), key


@needs_site
def test_no_page_links_a_web_font():
    for page in HTML.rglob("*.html"):
        if LITE in page.parents:
            continue
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8"), page


# --------------------------------------------------------------------------- nn.live


def test_sized_picks_the_browser_size_only_in_the_browser(monkeypatch):
    monkeypatch.setattr(live, "BROWSER_SIZES", False)
    assert nn.live.sized(10_000, browser=500) == 10_000
    monkeypatch.setattr(live, "BROWSER_SIZES", True)
    assert nn.live.sized(10_000, browser=500) == 500


def test_browser_sizes_follow_the_platform_or_the_variable():
    import subprocess

    code = "import nn; print(nn.live.IN_BROWSER, nn.live.BROWSER_SIZES)"
    for value, expected in (("1", "False True"), ("0", "False False")):
        env = {**os.environ, "NN_BROWSER_SIZES": value}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout.strip()
        assert out == expected


@pytest.mark.parametrize("full, browser", [(0, 1), (10, 0), (10, 20), (10.0, 5), (True, 1)])
def test_sized_refuses_what_is_not_a_smaller_positive_count(full, browser):
    with pytest.raises(ValueError, match="sized"):
        nn.live.sized(full, browser=browser)


def test_mnist_files_in_the_browser_come_from_the_site(monkeypatch, tmp_path):
    for name, _ in nn_data.MNIST_FILES.values():
        (tmp_path / name).write_bytes(b"")
    monkeypatch.delenv("NN_DATA_DIR", raising=False)
    monkeypatch.setattr(live, "IN_BROWSER", True)
    monkeypatch.setattr(live, "BROWSER_DATA_DIR", tmp_path)
    files = nn.mnist_files()
    assert {p.parent for p in files.values()} == {tmp_path}
    assert nn_data._cache_root() == Path("/tmp/nn-cache")
