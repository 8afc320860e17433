"""The live site: a JupyterLab in the reader's browser tab, in which every chapter runs.

JupyterLite (through ``jupyterlite-sphinx``) builds that JupyterLab into ``_build/html/lite/``,
and its Pyodide kernel runs Python compiled to WebAssembly. Nothing is fetched from the internet
when a reader uses it; every file comes from the book's own site. This extension fills the
staging folders that ``jupyterlite-sphinx`` builds from (named in ``_config.yml``) at every HTML
build and checks the site it built:

* Pyodide, verified (``pyodide_dist.py``), in ``static/pyodide/``;
* the site's wheels and the book's lock file (``site_wheels.py``), from which the kernel
  preloads ``browser_packages.KERNEL_PRELOAD`` at start and loads nn, numpy and matplotlib when
  a cell imports them;
* bytecode: the modules the kernel and the page's widgets import at start, compiled at build
  time into the site's wheels and standard library (``kernel_start.py``), so that the browser's
  Python does not compile them at every start;
* ``jupyter-lite.json``: the local Pyodide, the PyPI fallback off, the preload list;
* the in-browser file system: every edition's reader copies of the chapters
  (``reader_notebooks.py``; the translated ones under ``<language>/``), the four MNIST files the
  build itself uses under ``data/mnist/``, where ``nn.load_mnist`` looks first in the browser,
  and the Chinese figures' font under ``fonts/`` (``cjk_font.py``).

An edition built into a subfolder (``live_book_site: ../lite``) makes no site of its own: it
links to the one the English build made.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import cjk_font
import kernel_start
import reader_notebooks
import site_wheels
from browser_packages import KERNEL_PRELOAD, SERVED_WHEELS, SITE_WHEELS
from chapters import chapter_notebooks
from editions import SOURCE, TRANSLATIONS
from pyodide_dist import LiveBookError, collect_pyodide, normal_name, verify
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
LITE_URL_DIR = "lite"  # jupyterlite-sphinx builds into _build/html/lite
CACHE_DIR = "_build/.lite-cache"  # downloads, kept between builds
MNIST_NAMES = (
    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
)


# --------------------------------------------------------------------------- contents


#: The configuration of `jupyter lite build` (which extensions, no source maps), written by _stage.
LITE_BUILD_CONFIG = "jupyter_lite_config.json"

def mnist_folder() -> Path:
    """The folder holding the four MNIST files this build uses (downloading them if needed)."""
    from nn.data import mnist_files

    folders = {p.parent for p in mnist_files().values()}
    if len(folders) != 1:
        raise LiveBookError(f"the MNIST files are spread over {sorted(folders)}")
    return folders.pop()


def live_notebook(nb: dict, catalog: dict[str, str] | None = None,
                  bibliography: dict | None = None, language: str = "zh_CN") -> dict:
    """A chapter as the live site serves it: its reader copy (plain Markdown, see
    ``reader_notebooks``), without stale widget views, each stored output's data as one string
    per type. With a translation ``catalog``, the reader copy in ``language`` (``nn`` set to it).

    Saved widget views would show "model not found" in a live JupyterLab before the cell runs,
    so those outputs are dropped; text and figures stay for the reader to see before running.
    Code cells the page removes (``remove-cell``) stay, folded, for the browser's kernel to run.
    """
    if catalog is None:
        nb = reader_notebooks.reader_notebook(nb, bibliography=bibliography, keep_removed=True)
    else:
        nb, missing = reader_notebooks.chinese_notebook(
            nb, catalog, bibliography=bibliography, keep_removed=True, language=language)
        if missing:
            logger.info(f"live book: {len(missing)} messages of a chapter have no translation "
                        f"yet and stay English in its {language} live notebook: {missing[:3]}")
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                out for out in cell.get("outputs", [])
                if "application/vnd.jupyter.widget-view+json" not in out.get("data", {})
            ]
            for out in cell["outputs"]:
                # One string per type, not a list of lines: JupyterLite's table of contents
                # splits a stored text/markdown output and fails on a list (then Run All stops).
                data = out.get("data", {})
                for mime, value in data.items():
                    if isinstance(value, list):
                        data[mime] = "".join(value)
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def stage_contents(target: Path, notebooks: list[Path], mnist: Path,
                   locales: Path | None = None) -> None:
    """The in-browser file system: every chapter's English reader copy at the top, each
    translated edition's under its language's folder (``zh_CN/``, same file names), each folder
    with the references notebook the citations link to, and MNIST under ``data/mnist``.

    ``locales`` is the catalogs' folder (default: ``locales/`` beside ``notebooks/``).
    """
    (target / "data" / "mnist").mkdir(parents=True, exist_ok=True)
    bib = reader_notebooks.load_bibliography()
    if locales is None and notebooks:
        locales = notebooks[0].parent.parent / "locales"
    for language in (SOURCE, *TRANSLATIONS):
        folder = target if language == SOURCE else target / language
        folder.mkdir(parents=True, exist_ok=True)
        references = reader_notebooks.references_notebook(bib, language)
        (folder / reader_notebooks.REFERENCES).write_text(
            json.dumps(references, ensure_ascii=False), encoding="utf-8")
        for nb_path in notebooks:
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
            catalog = (None if language == SOURCE else
                       reader_notebooks.chapter_catalog(nb_path.stem, language, locales))
            live = live_notebook(nb, catalog, bib, language)
            (folder / nb_path.name).write_text(json.dumps(live, ensure_ascii=False),
                                               encoding="utf-8")
    for name in MNIST_NAMES:
        shutil.copyfile(mnist / name, target / "data" / "mnist" / name)


#: How the Pyodide kernel spells the packages it looks for in its preload list. It compares
#: names as written: given "pyodide-kernel" (the distribution's name, which Pyodide also accepts
#: as "pyodide_kernel"), it did not see it and installed the package again with piplite, 0.2 s of
#: every start.
KERNEL_SPELLING = {"pyodide-kernel": "pyodide_kernel"}


def kernel_preload() -> list[str]:
    """The kernel's preload list, as ``loadPyodideOptions.packages`` gives it."""
    return [KERNEL_SPELLING.get(name, name) for name in KERNEL_PRELOAD]


def lite_settings() -> dict:
    """``jupyter-lite.json`` of the staging folder: local Pyodide, no PyPI, the book's name."""
    options = {"lockFileURL": f"./static/pyodide/{site_wheels.BOOK_LOCK}",
               "packages": kernel_preload()}
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Deep Learning from Scratch (live)",
            # window.jupyterapp, so that the browser test can drive and read the notebook.
            "exposeAppInBrowser": True,
            # jupyterlab-myst is installed for `make lab`; it is untested with JupyterLite's own
            # JupyterLab, so the live chapters do without it (the build leaves it out, too:
            # kernel_start.LEFT_OUT_EXTENSIONS).
            "disabledExtensions": ["jupyterlab-myst"],
            "litePluginSettings": {
                KERNEL_PLUGIN: {
                    "pyodideUrl": "./static/pyodide/pyodide.js",
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": options,
                }
            },
        },
    }


def check_lite_site(out: Path) -> None:
    """Raise ``LiveBookError`` unless the built lite site uses its own Pyodide and no PyPI."""
    config = json.loads((out / "jupyter-lite.json").read_text(encoding="utf-8"))
    settings = config["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
    url = settings.get("pyodideUrl", "")
    if not url.startswith("./") or not (out / url).is_file():
        raise LiveBookError(f"{out / 'jupyter-lite.json'}: pyodideUrl is {url!r}, not a local file")
    if settings.get("disablePyPIFallback") is not True:
        raise LiveBookError(f"{out / 'jupyter-lite.json'}: the PyPI fallback is not switched off")
    pyodide_dir = out / "static" / "pyodide"
    lock_path = pyodide_dir / site_wheels.BOOK_LOCK
    if not lock_path.is_file():
        raise LiveBookError(f"{lock_path} is missing: the kernel could not preload its packages")
    packages = json.loads(lock_path.read_text(encoding="utf-8"))["packages"]
    for name in KERNEL_PRELOAD:
        entry = packages.get(normal_name(name))
        if entry is None:
            raise LiveBookError(f"{lock_path} lists no {name!r}, which the kernel preloads")
        if normal_name(name) in SITE_WHEELS:
            verify(pyodide_dir / entry["file_name"], entry["sha256"])
    wheels = {p.name for p in (out / "pypi").glob("*.whl")}
    for needed in SERVED_WHEELS:
        if not any(w.startswith(f"{needed}-") for w in wheels):
            raise LiveBookError(f"{out / 'pypi'} has no {needed}-* wheel")


# --------------------------------------------------------------------------- Sphinx wiring


def _configure(app: Sphinx, config) -> None:
    if config.live_book_site:
        # Another edition's build made the lite site: link to it, build none here.
        _skip_lite_build(app)


def _skip_lite_build(app: Sphinx) -> None:
    import jupyterlite_sphinx.jupyterlite_sphinx as lite

    for listener in list(app.events.listeners.get("build-finished", [])):
        if listener.handler is lite.jupyterlite_build:
            app.disconnect(listener.id)


def _stage(app: Sphinx) -> None:
    """Fill the staging folders named in _config.yml (HTML builds that make the lite site)."""
    config = app.config
    if app.builder.format != "html" or config.live_book_site:
        return
    root = Path(app.confdir)
    source = os.environ.get("NN_PYODIDE_DIR")
    # lite_dir gets static/pyodide, the wheels (pypi/) and jupyter-lite.json; the content folder
    # becomes the in-browser file system.
    lite_dir = root / config.jupyterlite_dir
    cache = root / CACHE_DIR
    pyodide_dir = lite_dir / "static" / "pyodide"
    collect_pyodide(pyodide_dir, Path(source) if source else None, cache / "pyodide")
    site_wheels.collect_wheels(lite_dir / "pypi", root, cache / "wheels")
    wheels = {p.name: p for p in (lite_dir / "pypi").glob("*.whl")}
    fonts = site_wheels.font_cache_wheel(pyodide_dir, cache / "font-cache")
    extra = {fonts.name: fonts} if fonts else {}
    site_wheels.write_book_lock(pyodide_dir, {**wheels, **site_wheels.kernel_wheels(), **extra})
    # The modules Python imports at start, compiled here instead of in every reader's browser.
    if kernel_start.compile_site(pyodide_dir, site_wheels.BOOK_LOCK, cache / "bytecode") is None:
        logger.info("live book: Node.js not found; Python in the browser will compile the "
                    "modules it imports at every start")
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(lite_settings(), indent=2) + "\n")
    # JupyterLab records when each cell ran (cell metadata), which shows where the time goes.
    (lite_dir / "overrides.json").write_text(
        json.dumps({"@jupyterlab/notebook-extension:tracker": {"recordTiming": True}}) + "\n")
    build_config = {"no_sourcemaps": True, "ignore_sys_prefix": ["federated_extensions"],
                    "federated_extensions": kernel_start.lite_extensions()}
    (lite_dir / LITE_BUILD_CONFIG).write_text(
        json.dumps({"LiteBuildConfig": build_config}, indent=2) + "\n")
    # `jupyter lite build` (run by jupyterlite-sphinx at build-finished, with this environment)
    # looks for that file in Jupyter's config path and its working directory, the project, not in
    # the lite folder; naming the file with --config would drop the lite folder's
    # jupyter-lite.json. So the lite folder goes first in the config path.
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        [str(lite_dir), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])])
    # jupyterlite-sphinx emptied the content folder at its config-inited.
    contents = root / config.jupyterlite_content_dir
    stage_contents(contents, chapter_notebooks(root), mnist_folder())
    # The Chinese figures' font: the browser has no system fonts (nn.live.BROWSER_FONT).
    try:
        cjk_font.make_subset_font(contents / "fonts")
    except FileNotFoundError as missing:
        logger.info(f"live book: {missing}; the live Chinese figures will lack their font")


def _after_build(app: Sphinx, error) -> None:
    if error is None and app.builder.format == "html" and not app.config.live_book_site:
        site = Path(app.outdir) / LITE_URL_DIR
        # JupyterLab's source maps (a third of the site) serve only its own developers.
        for source_map in site.rglob("*.js.map"):
            source_map.unlink()
        check_lite_site(site)


def setup(app: Sphinx) -> dict:
    app.setup_extension("jupyterlite_sphinx")
    # Empty: this build makes the lite site. "../lite": an edition built into a subfolder links
    # to the site the main edition built.
    app.add_config_value("live_book_site", "", "html", types=[str])
    app.connect("config-inited", _configure, priority=600)
    app.connect("builder-inited", _stage)
    app.connect("build-finished", _after_build, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
