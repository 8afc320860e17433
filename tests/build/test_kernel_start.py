"""The bytecode compiled at build time for the browser's Python (book/_ext/kernel_start.py).

The archive rewriting is the same Python that runs in Pyodide under Node.js at build time; here
it runs in CPython on small archives made for the test. The built site's files are checked when
the book is built.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import browser_packages
import kernel_start
import lite_site
import pytest
import site_wheels

from paths import HTML

PYODIDE = HTML / lite_site.LITE_URL_DIR / "static" / "pyodide"
# Python 3.12's bytecode magic number (3531), the Python of Pyodide 0.27.
PYTHON_312_MAGIC = (3531).to_bytes(2, "little") + b"\r\n"
UNCHECKED_HASH = 0b01  # PEP 552 flags: hash-based, source not checked


@pytest.fixture
def compiler():
    """The functions the build runs in Pyodide (``job_file`` unset: nothing runs on import)."""
    namespace: dict = {}
    exec(compile(kernel_start._PYTHON, "kernel_start._PYTHON", "exec"), namespace)
    return namespace


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_a_wheel_gains_bytecode_for_its_imported_modules_only(tmp_path, compiler):
    package = "kernel_start_probe_a"
    wheel = make_zip(tmp_path / "probe-1.0-py3-none-any.whl", {
        f"{package}/__init__.py": "VALUE = 1\n",
        f"{package}/unused.py": "VALUE = 3\n",
        f"{package}/broken.py": "def (:\n",
        "probe-1.0.dist-info/RECORD": f"{package}/__init__.py,sha256=x,10\n",
    })
    site = str(tmp_path / "site") + "/"
    imported = {site + f"{package}/__init__.py", site + f"{package}/broken.py"}
    added = compiler["compile_archive"](str(wheel), str(tmp_path / "out.whl"), site, False,
                                        imported)
    cached = importlib.util.cache_from_source(f"{package}/__init__.py")
    assert added == [cached]  # not the unused module, not the one that does not compile
    with zipfile.ZipFile(tmp_path / "out.whl") as out:
        record = out.read("probe-1.0.dist-info/RECORD").decode()
        assert f"{cached},," in record.splitlines()
        assert out.read(f"{package}/__init__.py") == b"VALUE = 1\n"  # the source stays
        out.extractall(tmp_path / "site")
    # Unchecked: Python uses the bytecode even when the source beside it says otherwise.
    (tmp_path / "site" / package / "__init__.py").write_text("VALUE = 2\n")
    sys.path.insert(0, str(tmp_path / "site"))
    try:
        module = importlib.import_module(package)
        assert module.VALUE == 1
    finally:
        sys.path.remove(str(tmp_path / "site"))
        sys.modules.pop(package, None)


def test_a_zip_on_the_path_gains_bytecode_beside_its_modules(tmp_path, compiler):
    name = "kernel_start_probe_b"
    library = make_zip(tmp_path / "library.zip", {f"{name}.py": "VALUE = 4\n"})
    out = tmp_path / "compiled.zip"
    prefix = str(out) + "/"
    added = compiler["compile_archive"](str(library), str(out), prefix, True,
                                        {prefix + f"{name}.py"})
    assert added == [f"{name}.pyc"]
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(name)
        assert module.__file__.endswith(".pyc") and module.VALUE == 4
    finally:
        sys.path.remove(str(out))
        sys.modules.pop(name, None)


def test_jedis_stubs_for_python_2_django_and_absent_packages_are_left_out():
    typeshed = kernel_start.JEDI_STUBS + "typeshed/"
    kept = [
        "jedi/api/__init__.py",
        typeshed + "stdlib/3/builtins.pyi",
        typeshed + "stdlib/3/os/__init__.pyi",
        typeshed + "stdlib/3.7/contextvars.pyi",
        typeshed + "third_party/2and3/six/__init__.pyi",  # six is in the site
        typeshed + "third_party/2and3/pytz.pyi",
    ]
    unread = [
        typeshed + "stdlib/2/os/__init__.pyi",
        typeshed + "third_party/2/enum.pyi",
        typeshed + "third_party/2and3/requests/__init__.pyi",
        typeshed + "third_party/3/jwt.pyi",
        kernel_start.JEDI_STUBS + "django-stubs/django-stubs/__init__.pyi",
    ]
    assert kernel_start.unread_stubs(kept + unread, {"six", "pytz", "os"}) == unread


def test_a_file_left_out_leaves_its_folder_and_the_record(tmp_path, compiler):
    base = "pkg/stubs/"
    wheel = make_zip(tmp_path / "pkg-1.0-py3-none-any.whl", {
        "pkg/__init__.py": "",
        base + "kept/a.pyi": "",
        base + "gone/b.pyi": "",
        base + "gone/deeper/c.pyi": "",
        "pkg-1.0.dist-info/RECORD": f"pkg/__init__.py,,\n{base}kept/a.pyi,,\n{base}gone/b.pyi,,\n",
    })
    out = tmp_path / "out.whl"
    compiler["compile_archive"](str(wheel), str(out), "/site/", False, set(),
                                [base + "gone/b.pyi", base + "gone/deeper/c.pyi"])
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        record = archive.read("pkg-1.0.dist-info/RECORD").decode().splitlines()
        archive.extractall(tmp_path / "site")
    assert names == {"pkg/__init__.py", base + "kept/a.pyi", base + "gone/",
                     "pkg-1.0.dist-info/RECORD"}
    assert record == ["pkg/__init__.py,,", f"{base}kept/a.pyi,,"]
    assert (tmp_path / "site" / base / "gone").is_dir()  # jedi lists its stub folders


def test_the_working_directory_goes_last_on_the_path_yet_stays_importable(tmp_path):
    # As in Pyodide: "" goes first after start-up; sitecustomize moves it at the next import.
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(kernel_start.SITECUSTOMIZE)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "helper_beside_the_notebook.py").write_text("VALUE = 5\n")
    code = ("import sys; sys.path.insert(0, ''); import json; first = sys.path[0]; "
            "import helper_beside_the_notebook as h; "
            "print(json.dumps([first, sys.path[-1], sys.path.count(''), h.VALUE]))")
    result = subprocess.run([sys.executable, "-P", "-c", code], cwd=tmp_path / "notebooks",
                            env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
                            capture_output=True, text=True, check=True)
    first, last, count, value = json.loads(result.stdout)
    assert first != "" and last == "" and count == 1 and value == 5


needs_site = pytest.mark.built(PYODIDE / site_wheels.BOOK_LOCK, "the live site")


def _header(archive: Path, name: str) -> bytes:
    with zipfile.ZipFile(archive) as files:
        return files.read(name)[:8]


@needs_site
@pytest.mark.parametrize(("archive", "bytecode"), [
    (kernel_start.STDLIB, "asyncio/base_events.pyc"),
    ("ipython-*.whl", "IPython/core/__pycache__/interactiveshell.cpython-312.pyc"),
    ("numpy-*.whl", "numpy/__pycache__/__init__.cpython-312.pyc"),
])
def test_the_site_ships_python_312_bytecode_of_what_starts_python(archive, bytecode):
    [path] = PYODIDE.glob(archive)
    header = _header(path, bytecode)
    assert header[:4] == PYTHON_312_MAGIC
    assert int.from_bytes(header[4:8], "little") == UNCHECKED_HASH


@needs_site
def test_the_sites_jedi_keeps_the_standard_librarys_stubs_only_and_those_of_its_packages():
    [wheel] = PYODIDE.glob("jedi-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        stubs = [n for n in archive.namelist() if n.endswith(".pyi")]
    typeshed = kernel_start.JEDI_STUBS + "typeshed/"
    assert typeshed + "stdlib/3/builtins.pyi" in stubs
    python_2_or_django = (typeshed + "stdlib/2/", typeshed + "third_party/2/",
                          kernel_start.JEDI_STUBS + "django-stubs/")
    assert not [n for n in stubs if n.startswith(python_2_or_django)]
    assert len(stubs) < 800  # of jedi's 1,780


@needs_site
def test_the_sites_standard_library_has_the_books_sitecustomize():
    with zipfile.ZipFile(PYODIDE / kernel_start.STDLIB) as library:
        assert library.read("sitecustomize.py").decode() == kernel_start.SITECUSTOMIZE


@needs_site
def test_the_book_lock_lists_each_rewritten_wheel_with_its_checksum():
    packages = json.loads((PYODIDE / site_wheels.BOOK_LOCK).read_text(encoding="utf-8"))["packages"]
    present = [e for e in packages.values() if (PYODIDE / e["file_name"]).is_file()]
    assert len(present) > 30
    for entry in present:
        digest = hashlib.sha256((PYODIDE / entry["file_name"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], entry["file_name"]


@pytest.mark.parametrize("font_cache", [True, False])
def test_nn_brings_matplotlib_and_its_font_list_when_a_cell_imports_it(tmp_path, font_cache):
    # The kernel no longer preloads nn: a cell's `import nn` loads it with what it draws with.
    assert not {"nn", "numpy"} & set(browser_packages.KERNEL_PRELOAD)
    wheels = {}
    for name in ["nn-0.1.0-py3-none-any.whl"] + (
            ["matplotlib_font_cache-0.27.7-py3-none-any.whl"] if font_cache else []):
        (tmp_path / name).write_bytes(name.encode())
        wheels[name] = tmp_path / name
    book = site_wheels.book_lock({"packages": {}}, wheels)
    depends = book["packages"]["nn"]["depends"]
    assert "matplotlib" in depends
    assert ("matplotlib-font-cache" in depends) == font_cache


def test_the_live_site_takes_every_installed_extension_but_those_left_out(tmp_path):
    root = tmp_path / "share" / "jupyter" / "labextensions"
    for name in ["@jupyter-widgets/jupyterlab-manager", "jupyterlab-myst", "other"]:
        (root / name).mkdir(parents=True)
        (root / name / "package.json").write_text(json.dumps({"name": name}))
    found = kernel_start.lite_extensions(tmp_path)
    assert [Path(p).name for p in found] == ["jupyterlab-manager", "other"]


@pytest.mark.built(HTML / "lite" / "jupyter-lite.json", "the live site")
def test_the_built_live_site_ships_the_kernel_and_widgets_but_not_myst():
    config = json.loads((HTML / "lite" / "jupyter-lite.json").read_text(encoding="utf-8"))
    names = {e["name"] for e in config["jupyter-config-data"]["federated_extensions"]}
    assert {"@jupyter-widgets/jupyterlab-manager", "@jupyterlite/pyodide-kernel-extension"} <= names
    assert not names & set(kernel_start.LEFT_OUT_EXTENSIONS)
    assert not (HTML / "lite" / "extensions" / "jupyterlab-myst").exists()
