"""Python's bytecode compiled at build time, so that the browser's Python does not compile at start.

Pyodide 0.27.7 ships its standard library (``python_stdlib.zip``) and its packages' wheels as
source only. Python in the browser then compiles every module it imports, at every start, and
cannot keep the result: the file system is in memory. Starting the live JupyterLab's kernel
imports piplite, micropip and IPython (with prompt_toolkit, jedi, pygments, traitlets, …); a live
widget imports numpy, matplotlib and ipywidgets; measured in headless Chromium, compiling their
modules is about half of the kernel's start after Pyodide itself.

Here the build compiles them once. It runs the site's own Pyodide under Node.js (the same Python
that will load the files, so the bytecode's format always matches) and rewrites, in the lite site's
Pyodide folder, every wheel the book's lock file (``BOOK_LOCK``) lists and the standard library:

* a wheel gains ``__pycache__/<module>.cpython-312.pyc`` beside each module, listed in its
  ``RECORD``;
* the standard library's zip gains ``<module>.pyc`` beside each ``<module>.py`` (where Python's
  zip importer looks for it).

The bytecode is "unchecked hash-based" (PEP 552): Python uses it without comparing it with the
source, whose time stamp in the browser's file system is the time of unpacking. The sources stay,
so tracebacks still show their lines. The same rewrite makes two more cuts to the start: jedi's
wheel leaves out the type stubs Python in the browser never reads (``unread_stubs``), and the
standard library gains a ``sitecustomize.py`` (``SITECUSTOMIZE``) that puts the working directory
last on ``sys.path``. The file names stay, and the lock file lists each rewritten wheel's new
SHA-256, which the browser checks as before. The originals are checked against Pyodide's own
hashes before they are rewritten (``pyodide_dist.collect_pyodide``).

Rewritten files are kept in the build's cache, by the SHA-256 of their source file, so a rebuild
compiles only what changed (in practice only the book's own ``nn``). Without Node.js the build
says so and the site keeps Pyodide's own files, compiling in the browser.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

STDLIB = "python_stdlib.zip"

# What the profile run imports: what the live JupyterLab's kernel imports at start (piplite, then
# pyodide_kernel with IPython), what a page's live widgets import (numpy, ipywidgets, nn and its
# widgets, matplotlib drawing a PNG) and the matplotlib backend of the JupyterLab.
PROFILE = r"""
import importlib, io, pkgutil
for name in ("piplite.piplite", "pyodide_kernel", "ipywidgets", "comm", "tqdm",
             "matplotlib_inline.backend_inline"):
    try:
        importlib.import_module(name)
    except Exception as error:  # noqa: BLE001 - a module that does not import here is not compiled
        print(f"profile: {name}: {error}")
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
import nn
for module in pkgutil.walk_packages(nn.__path__, "nn."):
    try:
        importlib.import_module(module.name)
    except Exception as error:  # noqa: BLE001
        print(f"profile: {module.name}: {error}")
figure, axes = plt.subplots()
axes.plot([0, 1], [1, 0])
axes.set_title("profile")
figure.savefig(io.BytesIO(), format="png")
"""

# Added to the standard library as sitecustomize.py: Python imports it at every start, in the
# kernel of the live JupyterLab and in the in-page Python of the live widgets.
SITECUSTOMIZE = '''"""The live book's site customisation: the working directory last on sys.path.

Pyodide puts "" (the working directory) first on sys.path once it has started. The live
JupyterLab's kernel works in the browser-backed folder of the site's notebooks, where every
look-up is a request answered by the page: with "" first, every top-level import asked the page
whether the module was there (96 requests, 0.4 s, at every kernel start; more with each chapter's
imports). Last, it is asked only for modules that nothing installed provides, so the notebooks'
folder stays importable.
"""
import sys


class _WorkingDirectoryLast:
    """A finder that finds nothing: at the first import after "" went first, moves it last."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if sys.path[:1] == [""]:
            sys.path.append(sys.path.pop(0))
            # A new list: the import under way goes on over the old one.
            sys.meta_path = [f for f in sys.meta_path if f is not _WorkingDirectoryLast]
        return None


sys.meta_path.insert(0, _WorkingDirectoryLast)
'''

# Run by Pyodide under Node.js: argv = [pyodide folder, lock file, job file, Python file]. The job
# lists the packages to load, the profile's code and the archives: {source, target, prefix,
# beside}, host paths of the archive to read and the one to write, the folder its modules are
# imported from in the browser, and whether the bytecode goes beside the module (zip importer)
# or into __pycache__ (file system).
_NODE_SCRIPT = r"""
const [pyodideDir, lockFile, jobFile, pythonFile] = process.argv.slice(2);
const fs = require("fs");
const { loadPyodide } = require(pyodideDir + "/pyodide.js");
(async () => {
  const job = JSON.parse(fs.readFileSync(jobFile, "utf-8"));
  const py = await loadPyodide({ indexURL: pyodideDir + "/", lockFileURL: lockFile });
  await py.loadPackage(job.packages, { messageCallback() {} });
  py.FS.mkdirTree("/host");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: "/" }, "/host");
  py.globals.set("job_file", "/host" + jobFile);
  py.runPython(fs.readFileSync(pythonFile, "utf-8"));
})().catch((error) => { console.error(String(error)); process.exit(1); });
"""

_PYTHON = r'''
import importlib.util
import json
import sys
import warnings
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def bytecode(source, filename):
    """The unchecked hash-based .pyc of ``source``, or None when it does not compile."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = compile(source, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def compile_archive(source, target, prefix, beside, imported, unread=(), extra=None):
    """Copy the archive ``source`` to ``target`` with bytecode for its modules in ``imported``.

    ``imported`` holds file names as the importing Python sees them (``prefix`` + the name in
    the archive). The files named in ``unread`` are left out (and out of a wheel's RECORD); their
    folders stay, empty if nothing else is in them. ``extra`` maps names of modules to add to
    their source. Returns the names of the bytecode files added.
    """
    unread = set(unread)
    with zipfile.ZipFile(source) as old, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        names = set(old.namelist())
        kept = names - unread

        def vanishes(folder):
            return not any(name.startswith(folder) for name in kept)

        record, added = None, []
        for folder in sorted({n.rsplit("/", 1)[0] + "/" for n in unread if "/" in n}):
            # Emptied, the folder stays (as an entry) where its parent keeps other files.
            while folder.count("/") > 1 and vanishes(folder.rsplit("/", 2)[0] + "/"):
                folder = folder.rsplit("/", 2)[0] + "/"
            if vanishes(folder) and folder not in names:
                names.add(folder)
                new.writestr(zipfile.ZipInfo(folder), b"")
        for info in old.infolist():
            if info.filename in unread:
                continue
            data = old.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode("utf-8").splitlines(keepends=True)
                data = "".join(line for line in lines
                               if line.split(",", 1)[0] not in unread).encode("utf-8")
                record = (info, data)
                continue
            new.writestr(info, data)
            if not info.filename.endswith(".py") or prefix + info.filename not in imported:
                continue
            name = (info.filename[:-3] + ".pyc" if beside
                    else importlib.util.cache_from_source(info.filename))
            code = bytecode(data, prefix + info.filename)
            if code is None or name in names:
                continue
            entry = zipfile.ZipInfo(name, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(entry, code)
            added.append(name)
        for name, text in (extra or {}).items():
            if name in names:
                raise ValueError(f"{source} already has a {name}")
            new.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), text)
        if record is not None:
            info, data = record
            text = data.decode("utf-8")
            text += ("" if text.endswith("\n") else "\n") + "".join(f"{n},,\n" for n in added)
            new.writestr(info, text.encode("utf-8"))
    return added


def imported_files():
    """The source file of every module imported so far."""
    files = {getattr(module, "__file__", None) for module in list(sys.modules.values())}
    return {f[:-1] if f.endswith(".pyc") else f for f in files if isinstance(f, str)}


if "job_file" in globals():  # in Pyodide under Node.js; the host's files are under /host
    job = json.load(open(job_file))
    exec(compile(job["profile"], "<profile>", "exec"), {})
    imported = imported_files()
    report = {item["source"]: compile_archive("/host" + item["source"], "/host" + item["target"],
                                              item["prefix"], item["beside"], imported,
                                              item["unread"], item["extra"])
              for item in job["archives"]}
    with open("/host" + job["report"], "w") as out:
        json.dump(report, out)
'''


#: jedi's type stubs: typeshed's (stdlib and third-party, by Python version) and Django's.
JEDI_STUBS = "jedi/third_party/"


def unread_stubs(names: list[str], importable: set[str]) -> list[str]:
    """The files among jedi's ``names`` that Python in the browser never reads.

    jedi (IPython's completion) ships 1,780 type stubs in its 1,949 files, and unpacking them
    was a sixth of the kernel's package loading at every start. It reads typeshed's ``2and3``,
    ``3`` and ``3.N`` folders only, so the ``2`` folders (Python 2) go; Django's stubs go (no
    Django in the browser); a third-party stub goes unless its module is ``importable`` (a
    package of the site provides it). The standard library's stubs all stay.
    """
    typeshed = JEDI_STUBS + "typeshed/"
    unread = []
    for name in names:
        if not name.startswith(JEDI_STUBS) or name.endswith("/"):
            continue
        if name.startswith(JEDI_STUBS + "django-stubs/"):
            unread.append(name)
        elif name.startswith((typeshed + "stdlib/2/", typeshed + "third_party/2/")):
            unread.append(name)
        elif name.startswith(typeshed + "third_party/"):
            parts = name[len(typeshed + "third_party/"):].split("/")
            if len(parts) > 1 and parts[1].removesuffix(".pyi") not in importable:
                unread.append(name)
    return unread


def _importable(lock: dict, pyodide_dir: Path) -> set[str]:
    """The top-level modules the site's packages provide (those whose files it ships)."""
    return {module for entry in lock["packages"].values()
            if (pyodide_dir / entry["file_name"]).is_file() for module in entry.get("imports", [])}


def _unread(source: Path, importable: set[str]) -> list[str]:
    if not source.name.startswith("jedi-"):
        return []
    with zipfile.ZipFile(source) as archive:
        return unread_stubs(archive.namelist(), importable)


class BytecodeError(RuntimeError):
    """Pyodide under Node.js could not compile the archives."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run_pyodide(pyodide_dir: Path, lock_name: str, job: dict, node: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp).resolve()
        (work / "compile.py").write_text(_PYTHON, encoding="utf-8")
        (work / "compile.js").write_text(_NODE_SCRIPT, encoding="utf-8")
        job = {**job, "profile": PROFILE, "report": str(work / "report.json")}
        (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
        folder = pyodide_dir.resolve()
        result = subprocess.run(
            [node, str(work / "compile.js"), str(folder), str(folder / lock_name),
             str(work / "job.json"), str(work / "compile.py")],
            capture_output=True, text=True, timeout=900)
        if result.returncode or not (work / "report.json").is_file():
            raise BytecodeError(f"compiling Python's bytecode in Pyodide failed:\n"
                                f"{result.stderr[-2000:]}")
        return json.loads((work / "report.json").read_text(encoding="utf-8"))


def compile_site(pyodide_dir: Path, lock_name: str, cache: Path) -> dict[str, int] | None:
    """Rewrite the lock file's wheels in ``pyodide_dir`` and its standard library, compiled.

    Only the modules the profile run (``PROFILE``) imports are compiled, a sixth of the standard
    library and of the packages' sources, so the site grows by a few megabytes, not by the
    sources' size again. Updates each rewritten wheel's SHA-256 in the lock file ``lock_name``.
    Returns the number of compiled modules by file name, or None when Node.js is not installed
    (nothing changes then). An archive compiled before comes from ``cache`` (by the SHA-256 of
    its source, of this module's code and of the files it leaves out); entries of ``cache``
    this build does not use are removed. Raises ``BytecodeError`` when Pyodide fails.
    """
    node = shutil.which("node")
    if node is None:
        return None
    lock_path = pyodide_dir / lock_name
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    site = "/lib/python3.12/site-packages/"
    targets = {STDLIB: ("/lib/python312.zip/", True)}
    packages = []
    for entry in lock["packages"].values():
        name = entry["file_name"]
        if name.endswith(".whl") and entry.get("install_dir", "site") == "site" \
                and (pyodide_dir / name).is_file():
            targets[name] = (site, False)
            packages.append(entry["name"])
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    importable = _importable(lock, pyodide_dir)
    cache.mkdir(parents=True, exist_ok=True)
    compiled, archives, parts = {}, [], []
    for name, (prefix, beside) in sorted(targets.items()):
        source = pyodide_dir / name
        unread = _unread(source, importable)
        left_out = hashlib.sha256("\n".join(unread).encode()).hexdigest()[:8]
        done = cache / f"{_sha256(source)[:32]}-{code}-{left_out}" / name
        compiled[name] = done
        if not done.is_file():
            done.parent.mkdir(exist_ok=True)
            part = done.parent / f"{name}.part"
            extra = {"sitecustomize.py": SITECUSTOMIZE} if name == STDLIB else {}
            archives.append({"source": str(source.resolve()), "target": str(part.resolve()),
                             "prefix": prefix, "beside": beside, "unread": unread,
                             "extra": extra})
            parts.append((source, part, done, bool(unread or extra)))
    counts = {}
    if archives:
        report = _run_pyodide(pyodide_dir, lock_name,
                              {"packages": sorted(packages), "archives": archives}, node)
        counts = {Path(source).name: len(added) for source, added in report.items()}
        for source, part, done, thinned in parts:
            if report[str(source.resolve())] or thinned:
                part.replace(done)
            else:  # nothing of it is imported at start: Pyodide's own file stays
                part.unlink()
                shutil.copyfile(source, done)
    used = {path.parent.name for path in compiled.values()}
    for folder in cache.iterdir():
        if folder.is_dir() and folder.name not in used:
            shutil.rmtree(folder)
    for name, path in compiled.items():
        shutil.copyfile(path, pyodide_dir / name)
    for entry in lock["packages"].values():
        if entry["file_name"] in compiled:
            entry["sha256"] = _sha256(pyodide_dir / entry["file_name"])
    partial = lock_path.with_suffix(".part")
    partial.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(lock_path)
    return counts


#: JupyterLab extensions of the build's environment that the live JupyterLab does without.
#: jupyterlab-myst (for ``make lab``) is untested with JupyterLite's JupyterLab: disabled there,
#: its 2 MB of JavaScript were still fetched and run at every start, before the kernel's.
LEFT_OUT_EXTENSIONS = ("jupyterlab-myst",)


def lite_extensions(prefix: Path | None = None) -> list[str]:
    """The folders of the environment's prebuilt JupyterLab extensions the live site ships.

    All of ``<prefix>/share/jupyter/labextensions`` but ``LEFT_OUT_EXTENSIONS``; for
    JupyterLite's ``federated_extensions`` with the environment's own ignored
    (``ignore_sys_prefix``), which otherwise takes every installed one.
    """
    import sys

    root = (prefix or Path(sys.prefix)) / "share" / "jupyter" / "labextensions"
    found = [*root.glob("*/package.json"), *root.glob("@*/*/package.json")]
    return sorted(str(p.parent) for p in found
                  if json.loads(p.read_text(encoding="utf-8"))["name"] not in LEFT_OUT_EXTENSIONS)
