"""The live book: every chapter opens in a JupyterLab that runs in the reader's browser tab.

JupyterLite (through ``jupyterlite-sphinx``) builds that JupyterLab into ``_build/html/lite/``,
and its Pyodide kernel runs Python compiled to WebAssembly. Nothing is fetched from the internet
when a reader uses it; every file comes from the book's own site:

* **Pyodide** (the WebAssembly Python, numpy, matplotlib and the few packages the kernel needs)
  is copied into ``lite/static/pyodide/``. It comes from the folder named by ``NN_PYODIDE_DIR``
  (``make`` points it at ``../shared/pyodide/0.27.7`` when that exists) or, without one, from the
  official release, downloaded once with pooch. Either way every file is checked against the
  SHA-256 pinned below (core files) or listed in the release's lock file (packages).
* **Python wheels**: the book's library ``nn``, built from ``src/`` at every build, and pinned
  wheels of ipywidgets, comm and tqdm downloaded from PyPI with their hashes checked. With the
  Pyodide kernel's own wheels and matplotlib's font list (``font_cache.py``) they are listed in
  the book's lock file (``BOOK_LOCK``), from which the kernel loads them (its own at start, the
  book's when a cell imports them; ``KERNEL_PRELOAD``); they are also served to the browser's
  installer (piplite), whose fallback to PyPI is switched off.
* **Bytecode**: the modules that the kernel and the page's widgets import at start are compiled
  at build time into the site's wheels and standard library (``kernel_start.py``), so that the
  browser's Python does not compile them at every start.
* **The chapters and MNIST**: the chapters' reader copies in English and Chinese
  (``reader_notebooks.py``), the four MNIST files the build itself uses under ``data/mnist/`` of
  the in-browser file system, where ``nn.load_mnist`` looks first in the browser, and the
  Chinese figures' font under ``fonts/`` (``cjk_font.py``).

The extension also adds a "Run this chapter live" control to every chapter page, removes the web
font that ``jupyterlite-sphinx`` links from Google, shows repository, issues and Binder buttons
only when a real repository URL is configured, and after the build checks that the lite site
points at its own Pyodide with the PyPI fallback off.
"""

from __future__ import annotations

import copy
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import cjk_font
import font_cache as font_cache_module
import kernel_start
import reader_notebooks
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

PYODIDE_VERSION = "0.27.7"
PYODIDE_RELEASE_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"

#: SHA-256 of the official Pyodide 0.27.7 core files (identical to the npm package's).
PYODIDE_CORE: dict[str, str] = {
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "package.json": "bf221f60c881626236d3501375a97753672a7fa6fed70e469e083f157c8a30d4",
}

#: The Pyodide packages the book's kernel imports; the lock file adds their dependencies.
PYODIDE_ROOTS = (
    "numpy", "matplotlib", "matplotlib-pyodide", "matplotlib-inline", "ipython", "jedi",
    "micropip", "packaging", "ssl", "sqlite3",
)

#: Wheels served to the browser's installer: (file name, SHA-256). Versions must match the
#: front end's widget manager: ipywidgets 8.1.7 pairs with jupyterlab_widgets 3.0.15.
BROWSER_WHEELS: tuple[tuple[str, str], ...] = (
    ("ipywidgets-8.1.7-py3-none-any.whl",
     "764f2602d25471c213919b8a1997df04bef869251db4ca8efba1b76b1bd9f7bb"),
    ("comm-0.2.2-py3-none-any.whl",
     "e6fb86cb70ff661ee8c9c14e7d36d6de3b4066f1441be4063df9c5009f0a64d3"),
    ("tqdm-4.67.1-py3-none-any.whl",
     "26445eca388f82e72884e0d580d5464cd801a3ea01e63e5601bdff9ba6a48de2"),
)

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"

#: The lock file the live book's Pythons load from (Pyodide's own plus the site's wheels), in
#: the Pyodide folder of the lite site.
BOOK_LOCK = "book-lock.json"

#: Import names and Pyodide dependencies of the wheels the lock file adds, by distribution.
WHEEL_PACKAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # nn draws with matplotlib (nn.plots imports it on first use, which Pyodide cannot foresee).
    "nn": (("nn",), ("numpy", "tqdm", "matplotlib")),
    "ipywidgets": (("ipywidgets",), ("comm", "ipython", "traitlets")),
    "comm": (("comm",), ("traitlets",)),
    "tqdm": (("tqdm",), ()),
    # The Pyodide kernel's own (shipped with jupyterlite-pyodide-kernel).
    "piplite": (("piplite",), ("micropip",)),
    "ipykernel": (("ipykernel",), ()),
    "pyodide-kernel": (("pyodide_kernel",), ("ipykernel", "comm", "ipython")),
    "widgetsnbextension": (("widgetsnbextension",), ()),
    # Matplotlib's font list, built at build time (font_cache.py).
    "matplotlib-font-cache": ((), ("matplotlib",)),
}

#: What the live JupyterLab's kernel loads at start, all at once from the lock file, instead of
#: installing them one by one with piplite: the kernel's own packages (it installs with piplite
#: whichever of ssl, sqlite3, ipykernel, comm, pyodide_kernel, jedi, ipython is not listed here)
#: and ipywidgets. nn, numpy and matplotlib (with its font list) load when a chapter's first cell
#: imports them: the kernel runs Pyodide's loadPackagesFromImports before each cell. Preloaded,
#: their compiled extension modules doubled the kernel's start (numpy alone ~3 s).
KERNEL_PRELOAD = (
    "micropip", "piplite", "ssl", "sqlite3", "ipykernel", "comm", "pyodide-kernel", "jedi",
    "ipython", "widgetsnbextension", "ipywidgets",
)
LITE_URL_DIR = "lite"  # jupyterlite-sphinx builds into _build/html/lite
CACHE_DIR = "_build/.lite-cache"  # downloads, kept between builds
MNIST_NAMES = (
    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
)


#: The live button's text in each edition: (label, note under it).
LAUNCH_TEXT: dict[str, tuple[str, str]] = {
    "en": ("▶ Run this chapter live in your browser",
           "JupyterLab and Python inside your browser: nothing to install, nothing sent to a "
           "server. Choose Run → Run All Cells, then drag the sliders."),
    "zh_CN": ("▶ 在浏览器中运行本章",
              "JupyterLab 和 Python 都在你的浏览器里运行：无需安装，不向服务器发送任何数据。"
              "选择 Run → Run All Cells，然后拖动滑块。"),
}


class LiveBookError(RuntimeError):
    """The live site cannot be built as promised (a file is missing or fails its checksum)."""


# --------------------------------------------------------------------------- Pyodide


def sha256_of(path: Path) -> str:
    import pooch

    return pooch.file_hash(str(path), alg="sha256")


def _normal(name: str) -> str:
    return name.lower().replace("_", "-")


def pyodide_files(lock: dict) -> dict[str, str]:
    """File name -> SHA-256 of every package file the book needs, from the lock file."""
    packages = {_normal(name): info for name, info in lock["packages"].items()}
    wanted: set[str] = set()
    todo = [_normal(root) for root in PYODIDE_ROOTS]
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        if name not in packages:
            raise LiveBookError(f"Pyodide's lock file has no package {name!r}")
        wanted.add(name)
        todo += [_normal(dep) for dep in packages[name]["depends"]]
    return {packages[n]["file_name"]: packages[n]["sha256"] for n in sorted(wanted)}


def _check(path: Path, expected: str) -> None:
    if not path.is_file():
        raise LiveBookError(f"{path} is missing")
    actual = sha256_of(path)
    if actual != expected:
        raise LiveBookError(
            f"{path.name}: SHA-256 {actual}, expected {expected} (Pyodide {PYODIDE_VERSION}); "
            "the file is damaged or from another release"
        )


def collect_pyodide(target: Path, source: Path | None, cache: Path,
                    base_url: str = PYODIDE_RELEASE_URL) -> dict[str, str]:
    """Fill ``target`` with the verified Pyodide files; return name -> SHA-256 of each.

    From the folder ``source`` when given, else downloaded from ``base_url`` into ``cache``
    (once; pooch re-checks the hash of a cached file). Raises ``LiveBookError`` naming any file
    that is missing or whose SHA-256 differs, and leaves ``target`` untouched then.
    """
    def fetch(name: str, sha256: str) -> Path:
        if source is not None:
            path = source / name
            _check(path, sha256)
            return path
        import pooch

        try:
            return Path(pooch.retrieve(base_url + name, known_hash=f"sha256:{sha256}",
                                       fname=name, path=cache, progressbar=False))
        except ValueError as exc:  # pooch's checksum mismatch
            raise LiveBookError(f"{name}: {exc}") from exc
        except Exception as exc:
            raise LiveBookError(f"{name}: could not download from {base_url}: {exc}") from exc

    files = {name: fetch(name, sha) for name, sha in PYODIDE_CORE.items()}
    lock = json.loads(files["pyodide-lock.json"].read_text(encoding="utf-8"))
    if lock.get("info", {}).get("version") != PYODIDE_VERSION:
        raise LiveBookError(f"pyodide-lock.json is not Pyodide {PYODIDE_VERSION}'s")
    wanted = pyodide_files(lock)
    files.update({name: fetch(name, sha) for name, sha in wanted.items()})
    _replace_folder(target, files)
    return {**PYODIDE_CORE, **wanted}


def _replace_folder(target: Path, files: dict[str, Path]) -> None:
    """Make ``target`` hold exactly ``files``, swapped in whole (never half a set)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    try:
        for name, path in files.items():
            shutil.copyfile(path, staging / name)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------- wheels


def collect_wheels(target: Path, root: Path, cache: Path) -> list[str]:
    """Fill ``target`` with the browser's wheels: ``nn`` built from ``src/`` and the pinned ones."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = [n for n, sha in BROWSER_WHEELS
               if not (cache / n).is_file() or sha256_of(cache / n) != sha]
    if missing:
        pins = "".join(
            f"{n.split('-')[0]}=={n.split('-')[1]} --hash=sha256:{sha}\n"
            for n, sha in BROWSER_WHEELS if n in missing
        )
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as req:
            req.write(pins)
        try:
            _pip("download", "--no-deps", "--only-binary=:all:", "--require-hashes",
                 "-r", req.name, "-d", str(cache))
        finally:
            os.unlink(req.name)
    files = {}
    for name, sha in BROWSER_WHEELS:
        _check(cache / name, sha)
        files[name] = cache / name
    with tempfile.TemporaryDirectory() as tmp:
        _pip("wheel", "--no-deps", "--quiet", "-w", tmp, str(root))
        built = sorted(Path(tmp).glob("nn-*.whl"))
        if len(built) != 1:
            raise LiveBookError(f"building the wheel of nn gave {built}")
        files[built[0].name] = built[0]
        _replace_folder(target, files)
    return sorted(files)


def _pip(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args],
                            capture_output=True, text=True, timeout=600)
    if result.returncode:
        output = result.stdout[-2000:] + result.stderr[-2000:]
        raise LiveBookError(f"pip {args[0]} failed:\n{output}")


def kernel_wheels() -> dict[str, Path]:
    """The Pyodide kernel's own wheels (piplite, its ipykernel shim, …), by file name."""
    import jupyterlite_pyodide_kernel

    for base in (Path(sys.prefix), Path(jupyterlite_pyodide_kernel.__file__).parent):
        folder = (base / "share" / "jupyter" / "labextensions" / "@jupyterlite"
                  / "pyodide-kernel-extension" / "static" / "pypi")
        if folder.is_dir():
            wheels = {p.name: p for p in folder.glob("*.whl")
                      if not p.name.startswith("widgetsnbextension-3.")}
            if wheels:
                return wheels
    raise LiveBookError("the Pyodide kernel's wheels (jupyterlite-pyodide-kernel) were not found")


def _distribution(wheel_name: str) -> tuple[str, str]:
    name, version = wheel_name.split("-")[:2]
    return _normal(name), version


def book_lock(lock: dict, wheels: dict[str, Path]) -> dict:
    """Pyodide's lock file plus an entry for each of ``wheels`` (file name -> path).

    Each entry carries the wheel's SHA-256, so Pyodide checks it as it checks its own packages;
    the wheels sit beside the lock file. Raises ``LiveBookError`` for a wheel not described in
    ``WHEEL_PACKAGES`` (its imports and dependencies must be known).
    """
    book = copy.deepcopy(lock)
    for file_name, path in sorted(wheels.items()):
        name, version = _distribution(file_name)
        if name not in WHEEL_PACKAGES:
            raise LiveBookError(f"{file_name}: no imports and dependencies known for {name!r} "
                                "(add it to WHEEL_PACKAGES)")
        imports, depends = WHEEL_PACKAGES[name]
        if name == "nn" and any(w.startswith(f"{font_cache_module.NAME}-") for w in wheels):
            depends = (*depends, "matplotlib-font-cache")  # matplotlib's font list comes along
        book["packages"][name] = {
            "name": name, "version": version, "file_name": file_name, "install_dir": "site",
            "sha256": sha256_of(path), "package_type": "package", "imports": list(imports),
            "depends": list(depends), "unvendored_tests": False, "shared_library": False,
        }
    return book


def write_book_lock(pyodide_dir: Path, wheels: dict[str, Path]) -> None:
    """Copy ``wheels`` beside Pyodide and write the book's lock file listing them."""
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    for name, path in wheels.items():
        shutil.copyfile(path, pyodide_dir / name)
    text = json.dumps(book_lock(lock, wheels), indent=1, sort_keys=True) + "\n"
    partial = pyodide_dir / (BOOK_LOCK + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(pyodide_dir / BOOK_LOCK)


# --------------------------------------------------------------------------- contents


def mnist_folder() -> Path:
    """The folder holding the four MNIST files this build uses (downloading them if needed)."""
    from nn.data import mnist_files

    folders = {p.parent for p in mnist_files().values()}
    if len(folders) != 1:
        raise LiveBookError(f"the MNIST files are spread over {sorted(folders)}")
    return folders.pop()


def live_notebook(nb: dict, catalog: dict[str, str] | None = None,
                  bibliography: dict | None = None) -> dict:
    """A chapter as the live site serves it: its reader copy (plain Markdown, see
    ``reader_notebooks``), without stale widget views, each stored output's data as one string
    per type. With a translation ``catalog``, the Chinese reader copy (``nn`` set to zh_CN).

    Saved widget views would show "model not found" in a live JupyterLab before the cell runs,
    so those outputs are dropped; text and figures stay for the reader to see before running.
    Code cells the page removes (``remove-cell``) stay, folded, for the browser's kernel to run.
    """
    if catalog is None:
        nb = reader_notebooks.reader_notebook(nb, bibliography=bibliography, keep_removed=True)
    else:
        nb, missing = reader_notebooks.chinese_notebook(
            nb, catalog, bibliography=bibliography, keep_removed=True)
        if missing:
            logger.info(f"live book: {len(missing)} messages of a chapter have no translation "
                        f"yet and stay English in its Chinese live notebook: {missing[:3]}")
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


#: The folder of each translated edition's live notebooks inside the live site's contents.
LIVE_LANGUAGES = ("zh_CN",)


def stage_contents(target: Path, notebooks: list[Path], mnist: Path,
                   locales: Path | None = None) -> None:
    """The in-browser file system: every chapter's English reader copy at the top, the
    Chinese ones under ``zh_CN/`` (same file names), each folder with the references notebook
    the citations link to, and MNIST under ``data/mnist``.

    ``locales`` is the catalogs' folder (default: ``locales/`` beside ``notebooks/``).
    """
    (target / "data" / "mnist").mkdir(parents=True, exist_ok=True)
    bib = reader_notebooks.load_bibliography()
    if locales is None and notebooks:
        locales = notebooks[0].parent.parent / "locales"
    for language in ("en", *LIVE_LANGUAGES):
        folder = target if language == "en" else target / language
        folder.mkdir(parents=True, exist_ok=True)
        references = reader_notebooks.references_notebook(bib, language)
        (folder / reader_notebooks.REFERENCES).write_text(
            json.dumps(references, ensure_ascii=False), encoding="utf-8")
        for nb_path in notebooks:
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
            catalog = (None if language == "en" else
                       reader_notebooks.chapter_catalog(nb_path.stem, language, locales))
            live = live_notebook(nb, catalog, bib)
            (folder / nb_path.name).write_text(json.dumps(live, ensure_ascii=False),
                                               encoding="utf-8")
    for name in MNIST_NAMES:
        shutil.copyfile(mnist / name, target / "data" / "mnist" / name)


def lite_settings() -> dict:
    """``jupyter-lite.json`` of the staging folder: local Pyodide, no PyPI, the book's name."""
    options = {"lockFileURL": f"./static/pyodide/{BOOK_LOCK}", "packages": list(KERNEL_PRELOAD)}
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


# --------------------------------------------------------------------------- Sphinx wiring


def _chapter_notebooks(root: Path) -> list[Path]:
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _configure(app: Sphinx, config) -> None:
    static = str(Path(__file__).parent / "static")
    if static not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, static]
    _repository_buttons(config)
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
    collect_wheels(lite_dir / "pypi", root, cache / "wheels")
    site_wheels = {p.name: p for p in (lite_dir / "pypi").glob("*.whl")}
    fonts = cache / "font-cache" / f"{font_cache_module.NAME}-{PYODIDE_VERSION}-py3-none-any.whl"
    if not fonts.is_file():
        fonts = font_cache_module.build_wheel(pyodide_dir, fonts.parent, PYODIDE_VERSION)
        if fonts is None:
            logger.info("live book: Node.js not found; matplotlib will scan its fonts at every "
                        "start in the browser")
    extra = {fonts.name: fonts} if fonts else {}
    write_book_lock(pyodide_dir, {**site_wheels, **kernel_wheels(), **extra})
    # The modules Python imports at start, compiled here instead of in every reader's browser.
    if kernel_start.compile_site(pyodide_dir, BOOK_LOCK, cache / "bytecode") is None:
        logger.info("live book: Node.js not found; Python in the browser will compile the "
                    "modules it imports at every start")
    (lite_dir / "jupyter-lite.json").write_text(
        json.dumps(lite_settings(), indent=2) + "\n")
    # JupyterLab records when each cell ran (cell metadata), which shows where the time goes.
    (lite_dir / "overrides.json").write_text(
        json.dumps({"@jupyterlab/notebook-extension:tracker": {"recordTiming": True}}) + "\n")
    build_config = {"no_sourcemaps": True, "ignore_sys_prefix": ["federated_extensions"],
                    "federated_extensions": kernel_start.lite_extensions()}
    (lite_dir / "jupyter_lite_config.json").write_text(
        json.dumps({"LiteBuildConfig": build_config}, indent=2) + "\n")
    # jupyterlite-sphinx emptied the content folder at its config-inited.
    contents = root / config.jupyterlite_content_dir
    stage_contents(contents, _chapter_notebooks(root), mnist_folder())
    # The Chinese figures' font: the browser has no system fonts (nn.live.BROWSER_FONT).
    try:
        cjk_font.make_subset_font(contents / "fonts")
    except FileNotFoundError as missing:
        logger.info(f"live book: {missing}; the live Chinese figures will lack their font")


def _repository_buttons(config) -> None:
    """Repository, issues and Binder buttons exactly when a repository URL is configured.

    A placeholder URL made them dead links; with no repository, the page's own live button is
    the way to run a chapter.
    """
    options = config.html_theme_options
    has_repo = bool(options.get("repository_url"))
    options["use_repository_button"] = has_repo
    options["use_issues_button"] = has_repo
    launch = dict(options.get("launch_buttons") or {})
    binder = launch.get("binderhub_url") or "https://mybinder.org"
    launch["binderhub_url"] = binder if has_repo else ""
    options["launch_buttons"] = launch


def _drop_web_fonts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    # jupyterlite-sphinx links a Google web font for its own directives, which we do not use;
    # the book loads nothing from another host.
    css = context.get("css_files", [])
    css[:] = [c for c in css if not str(getattr(c, "filename", c)).startswith(("http:", "https:"))]


def live_url(pagename: str, site: str = LITE_URL_DIR, language: str = "en") -> str | None:
    """The live JupyterLab URL of a chapter page, relative to that page; None for other pages.

    ``site`` is the lite site's folder relative to the root of the built book: ``lite`` for the
    edition that builds it, ``../lite`` for an edition built into a subfolder beside it. The
    Chinese pages open the Chinese live notebooks (``zh_CN/`` in the site's contents).
    """
    if not pagename.startswith("notebooks/"):
        return None
    depth = pagename.count("/")
    name = pagename.split("/")[-1]
    folder = f"{language}/" if language in LIVE_LANGUAGES else ""
    return "../" * depth + f"{site}/lab/index.html?path={folder}{name}.ipynb"


def _add_live_button(app: Sphinx, pagename, templatename, context, doctree) -> None:
    url = live_url(pagename, app.config.live_book_site or LITE_URL_DIR, app.config.language)
    if url is None or "body" not in context:
        return
    label, note = LAUNCH_TEXT.get(app.config.language, LAUNCH_TEXT["en"])
    button = (
        '<div class="live-launch">'
        f'<a class="live-launch-button" href="{html.escape(url)}" target="_blank" rel="noopener">'
        f"{label}</a>"
        f'<span class="live-launch-note">{note}</span></div>'
    )
    body = context["body"]
    end = body.find("</h1>")
    context["body"] = body[: end + 5] + button + body[end + 5:] if end >= 0 else button + body


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
    lock_path = pyodide_dir / BOOK_LOCK
    if not lock_path.is_file():
        raise LiveBookError(f"{lock_path} is missing: the kernel could not preload its packages")
    packages = json.loads(lock_path.read_text(encoding="utf-8"))["packages"]
    for name in KERNEL_PRELOAD:
        entry = packages.get(_normal(name))
        if entry is None:
            raise LiveBookError(f"{lock_path} lists no {name!r}, which the kernel preloads")
        if _normal(name) in WHEEL_PACKAGES:
            _check(pyodide_dir / entry["file_name"], entry["sha256"])
    wheels = {p.name for p in (out / "pypi").glob("*.whl")}
    for needed in ("nn-", "ipywidgets-", "comm-", "tqdm-"):
        if not any(w.startswith(needed) for w in wheels):
            raise LiveBookError(f"{out / 'pypi'} has no {needed}* wheel")


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
    app.connect("html-page-context", _drop_web_fonts, priority=100)
    app.connect("html-page-context", _add_live_button)
    app.connect("build-finished", _after_build, priority=900)
    app.add_css_file("live-book.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
