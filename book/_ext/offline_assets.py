"""Serve the ipywidgets JavaScript from the built site instead of a public CDN.

Many readers cannot reach the CDNs that myst-nb uses by default (cdnjs, jsDelivr), so a page
with widgets would show empty boxes. At build time this extension fetches two pinned npm
packages with ``npm pack`` — RequireJS and ``@jupyter-widgets/html-manager`` (whose
``embed-amd.js`` bundles the standard controls and the Output widget) — checks their SHA-256,
unpacks the browser files into ``_build/.offline-assets/widgets/`` and points myst-nb's
``nb_ipywidgets_js`` at ``_static/widgets/``, with a small setup script
(``static/widgets-setup.js``) that lets the manager find its fonts there and bridges its
MathJax 2 calls to the book's MathJax 3. The download happens once; later builds reuse it.

MathJax is served locally by the ``sphinx-mathjax-offline`` extension (see ``_config.yml``).

Without npm or a registry, the build falls back to the CDN and says so in its log (not as a
Sphinx warning, so a ``-W`` build still succeeds for a reader who only wants to read).

The pages also drop any style sheet linked from another host (``jupyterlite-sphinx`` links a
Google web font for directives the book does not use): the book loads nothing from elsewhere.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: npm package -> (version, SHA-256 of the tarball, files to serve from it)
PACKAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "requirejs": (
        "2.3.8",
        "777158e89275e16bd51aec3ef714fbcb5dc45789e7078659933bc814916d7dec",
        ("require.js",),
    ),
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        "2b9d65cb7913e1c7d671757a10008b32c9c2448d4429513371e55c07d6107638",
        ("dist/",),  # embed-amd.js and the fonts it loads relative to itself
    ),
}

ASSET_DIR = "widgets"  # under _static/ in the built site


def _tarball_name(package: str, version: str) -> str:
    return f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"


def _fetch(package: str, version: str, sha256: str, folder: Path) -> Path:
    """Download ``package@version`` with ``npm pack`` into ``folder`` and verify it."""
    tarball = folder / _tarball_name(package, version)
    if not tarball.is_file():
        subprocess.run(
            ["npm", "pack", "--silent", "--pack-destination", str(folder), f"{package}@{version}"],
            check=True, capture_output=True, text=True, timeout=300,
        )
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != sha256:
        tarball.unlink()
        raise RuntimeError(f"{tarball.name}: SHA-256 {digest}, expected {sha256}")
    return tarball


def _unpack(tarball: Path, wanted: tuple[str, ...], target: Path) -> None:
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            keep = any(name == w or (w.endswith("/") and name.startswith(w)) for w in wanted)
            if not keep or not member.isfile() or name.endswith(".map"):
                continue
            data = tar.extractfile(member)
            assert data is not None
            out = target / Path(name).name
            out.write_bytes(data.read())


def _prepare(root: Path) -> Path:
    """Return the folder to add to ``html_static_path``; raise if it cannot be made."""
    static_root = root / "_build" / ".offline-assets"
    target = static_root / ASSET_DIR
    stamp = target / ".complete"
    if stamp.is_file():
        _add_own_scripts(target)
        return static_root
    downloads = root / "_build" / ".npm-packs"
    downloads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=downloads) as tmp:
        staging = Path(tmp) / ASSET_DIR
        staging.mkdir()
        for package, (version, sha256, wanted) in PACKAGES.items():
            _unpack(_fetch(package, version, sha256, downloads), wanted, staging)
        for needed in ("require.js", "embed-amd.js"):
            if not (staging / needed).is_file():
                raise RuntimeError(f"{needed} missing from the npm packages")
        (staging / ".complete").write_text("ok\n")
        if target.exists():
            shutil.rmtree(target)
        static_root.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), target)  # whole folder at once: never half a set of files
    _add_own_scripts(target)
    return static_root


def _add_own_scripts(target: Path) -> None:
    shutil.copy(Path(__file__).parent / "static" / "widgets-setup.js", target)


def _configure(app: Sphinx, config) -> None:
    root = Path(app.confdir)
    try:
        static_root = _prepare(root)
    except (OSError, subprocess.SubprocessError, RuntimeError) as exc:
        logger.info(
            "offline_assets: could not fetch the widget JavaScript from the npm registry "
            f"({type(exc).__name__}: {exc}). Pages will load it from the public CDN instead; "
            "widgets will not render where that CDN is blocked.",
            color="red",
        )
        return
    config.html_static_path = [*config.html_static_path, str(static_root)]
    config.nb_ipywidgets_js = {
        f"{ASSET_DIR}/require.js": {},
        f"{ASSET_DIR}/widgets-setup.js": {},
        f"{ASSET_DIR}/embed-amd.js": {},
    }


def _drop_duplicate_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    # sphinx-thebe registers its inline configuration script twice under Jupyter Book 1, and
    # the second copy re-declares a `const`, which the browser reports as an error.
    seen = set()
    unique = []
    for script in context.get("script_files", []):
        key = (
            getattr(script, "filename", None) or "",  # None and "" both mean an inline script
            tuple(sorted(getattr(script, "attributes", {}).items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique  # in place: later handlers append to this list


def _drop_web_fonts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    css = context.get("css_files", [])
    css[:] = [c for c in css if not str(getattr(c, "filename", c)).startswith(("http:", "https:"))]


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _configure, priority=900)
    app.connect("html-page-context", _drop_web_fonts, priority=100)
    # Early: Sphinx stops calling html-page-context handlers after one returns a template name.
    app.connect("html-page-context", _drop_duplicate_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
