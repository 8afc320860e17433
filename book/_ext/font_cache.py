"""Matplotlib's font list for the browser, built once at build time instead of at every start.

Pyodide's matplotlib 3.8.4 reads its font list from ``matplotlib/fontlist.json`` in its own
package folder, but the file it ships is stamped with another version of the list format (390
instead of 330), so at every start, in every live chapter and every live widget, matplotlib scans
all its fonts again ("Matplotlib is building the font cache"). Here the build runs the site's own
Pyodide once under Node.js, lets matplotlib write the list it wants, and packs that file into a
small wheel, ``matplotlib_font_cache``, whose only content is ``matplotlib/fontlist.json``. It
depends on matplotlib in the book's lock file, so Pyodide installs it after matplotlib, over the
stale file. The list names fonts by their paths inside Pyodide, which are the same in every
browser.

Without Node.js the build says so and the site works as before (matplotlib scans at start).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

NAME = "matplotlib_font_cache"
LIST_PATH = "matplotlib/fontlist.json"  # inside site-packages, where Pyodide's matplotlib reads it

_NODE_SCRIPT = r"""
const [pyodideDir, outFile] = process.argv.slice(2);
const { loadPyodide } = require(pyodideDir + "/pyodide.js");
(async () => {
  const py = await loadPyodide({ indexURL: pyodideDir + "/", packages: ["matplotlib"] });
  const text = py.runPython(`
import json, pathlib
import matplotlib.font_manager as fm
path = pathlib.Path(fm.__file__).parent / "fontlist.json"
text = path.read_text()
assert json.loads(text)["_version"] == fm.FontManager.__version__, "stale font list"
text`);
  require("fs").writeFileSync(outFile, JSON.stringify({ text }));
})().catch((error) => { console.error(String(error)); process.exit(1); });
"""


def font_list(pyodide_dir: Path, node: str = "node") -> str:
    """The font list (JSON text) matplotlib writes in the Pyodide of ``pyodide_dir``.

    Raises ``RuntimeError`` with Node's message when Pyodide cannot run or writes no list.
    """
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "font-list.js"
        script.write_text(_NODE_SCRIPT, encoding="utf-8")
        out = Path(tmp) / "out.json"
        result = subprocess.run([node, str(script), str(pyodide_dir.resolve()), str(out)],
                                capture_output=True, text=True, timeout=300)
        if result.returncode or not out.is_file():
            raise RuntimeError(f"building matplotlib's font list in Pyodide failed:\n"
                               f"{result.stderr[-2000:]}")
        answer = json.loads(out.read_text(encoding="utf-8"))
    json.loads(answer["text"])  # a truncated list must not ship
    return answer["text"]


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def build_wheel(pyodide_dir: Path, target_dir: Path, version: str) -> Path | None:
    """Write ``matplotlib_font_cache-<version>-py3-none-any.whl`` into ``target_dir``.

    Returns its path, or None when Node.js is not installed. The wheel is written under a
    temporary name and renamed when complete.
    """
    node = shutil.which("node")
    if node is None:
        return None
    text = font_list(pyodide_dir, node)
    dist = f"{NAME}-{version}.dist-info"
    files = {
        LIST_PATH: text.encode("utf-8"),
        f"{dist}/METADATA": (f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {version}\n"
                             "Summary: matplotlib's font list for the book's Pyodide\n").encode(),
        f"{dist}/WHEEL": (b"Wheel-Version: 1.0\nGenerator: book/_ext/font_cache.py\n"
                          b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
    }
    record = "\n".join(_record_line(p, d) for p, d in files.items()) + f"\n{dist}/RECORD,,\n"
    files[f"{dist}/RECORD"] = record.encode()
    target_dir.mkdir(parents=True, exist_ok=True)
    wheel = target_dir / f"{NAME}-{version}-py3-none-any.whl"
    partial = wheel.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    partial.replace(wheel)
    return wheel
