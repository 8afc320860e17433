"""Opening a chapter in JupyterLab changes nothing: the chapters are stored as JupyterLab saves.

JupyterLab reads a notebook into the browser and saves it by sending JavaScript's
``JSON.stringify`` text to the server, which parses it and writes the file with nbformat; when
the kernel starts it also copies the kernel's description into the notebook's ``kernelspec``.
These tests do the same to each chapter, with their own JavaScript-style number writer (checked
against Node's ``JSON.stringify`` when Node is installed), and need the file back byte for byte.
``book/_ext/notebook_form.py`` puts a notebook in that form (``make execute`` runs it).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import nbformat
import notebook_form
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from paths import CHAPTERS, ROOT

NOTEBOOKS = CHAPTERS


def js_number(x: float | int) -> str:
    """ECMAScript's Number::toString, which JSON.stringify uses for every number."""
    if isinstance(x, int):
        x = float(x)  # JavaScript has no integers apart from doubles
    if not math.isfinite(x):
        return "null"
    if x == 0:
        return "0"
    if x < 0:
        return "-" + js_number(-x)
    # The shortest digits that read back as x (Python's repr finds the same ones).
    _, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    s = "".join(map(str, digits))
    k = len(s)
    n = exponent + k  # x = 0.s × 10**n
    if k <= n <= 21:
        return s + "0" * (n - k)
    if 0 < n <= 21:
        return s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + s
    e = n - 1
    mantissa = s if k == 1 else s[0] + "." + s[1:]
    return f"{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"


def js_stringify(value) -> str:
    """JSON text as JavaScript's JSON.stringify writes it (compact, keys in their order)."""
    if value is None or value is True or value is False:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(js_stringify(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{js_stringify(k)}:{js_stringify(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    raise TypeError(f"not JSON: {type(value).__name__}")


def jupyterlab_save(text: str) -> str:
    """The notebook ``text`` after JupyterLab opened it, started its kernel and saved it."""
    in_browser = json.loads(text)
    spec = KernelSpecManager().get_kernel_spec(in_browser["metadata"]["kernelspec"]["name"])
    in_browser["metadata"]["kernelspec"] = {
        "display_name": spec.display_name, "language": spec.language,
        "name": in_browser["metadata"]["kernelspec"]["name"],
    }
    on_server = nbformat.from_dict(json.loads(js_stringify(in_browser)))
    saved = nbformat.writes(on_server, version=nbformat.NO_CONVERT)
    return saved if saved.endswith("\n") else saved + "\n"


def test_there_are_chapters():
    assert len(NOTEBOOKS) >= 9


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_jupyterlab_saves_the_chapter_unchanged(path):
    text = path.read_text(encoding="utf-8")
    saved = jupyterlab_save(text)
    if saved != text:
        pairs = zip(text.splitlines(), saved.splitlines(), strict=False)
        changed = [f"line {i}: {a.strip()!r} -> {b.strip()!r}"
                   for i, (a, b) in enumerate(pairs, 1) if a != b]
        pytest.fail(
            f"{path.name} changes when JupyterLab saves it ({len(changed)} lines, e.g. "
            f"{changed[:3]}); run `python book/_ext/notebook_form.py {path.relative_to(ROOT)}`"
        )


def test_the_kernelspec_written_is_the_installed_kernels():
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert notebook_form.KERNELSPEC["display_name"] == spec.display_name
    assert notebook_form.KERNELSPEC["language"] == spec.language


def _numbers(value):
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)


EDGE_NUMBERS = [0.0, -0.0, 1.0, 10.0, -3.0, 0.1, -2.5, 1e-7, 1.5e-7, 1e-6, 123456.789, 1e16,
                1e20, 1e21, 1.5e21, 2.0**53, 5e-324, 1.7976931348623157e308, 7, -12]


def test_the_number_writer_agrees_with_javascript():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: JSON.stringify cannot be asked directly")
    numbers = list(EDGE_NUMBERS)
    for path in NOTEBOOKS:
        numbers += [x for x in _numbers(json.loads(path.read_text(encoding="utf-8"))["metadata"])
                    if isinstance(x, float)]
    script = "const xs = JSON.parse(require('fs').readFileSync(0, 'utf8'));" \
             "console.log(JSON.stringify(xs.map(x => JSON.stringify(x))));"
    result = subprocess.run([node, "-e", script], input=json.dumps(numbers), capture_output=True,
                            text=True, timeout=60, check=True)
    from_node = json.loads(result.stdout)
    assert [js_number(x) for x in numbers] == from_node


def test_js_numbers_turns_integral_floats_into_ints_and_keeps_the_rest():
    got = notebook_form.js_numbers({"a": [10.0, -0.0, 0.5, 1e21, 1e16, 3], "b": True, "c": "10.0"})
    assert got == {"a": [10, 0, 0.5, 1e21, 10**16, 3], "b": True, "c": "10.0"}
    assert [type(x) for x in got["a"]] == [int, int, float, float, int, int]
    for x in EDGE_NUMBERS:
        assert notebook_form.js_numbers(x) == json.loads(js_number(x))


def _drifted(tmp_path: Path) -> Path:
    """A chapter as `jupyter nbconvert --execute` leaves it: floats as 10.0, kernel "Python 3"."""
    nb = json.loads(NOTEBOOKS[2].read_text(encoding="utf-8"))
    nb["metadata"]["kernelspec"]["display_name"] = "Python 3"
    nb["metadata"].setdefault("widgets", {})["x"] = {"min": 10.0, "step": 0.5}
    path = tmp_path / "drifted.ipynb"
    path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def test_the_normaliser_writes_what_jupyterlab_saves(tmp_path):
    path = _drifted(tmp_path)
    before = path.read_text(encoding="utf-8")
    assert jupyterlab_save(before) != before  # the test above would catch this notebook
    script = ROOT / "book" / "_ext" / "notebook_form.py"
    check = subprocess.run([sys.executable, script, "--check", path], capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 1 and "not in JupyterLab's form" in check.stdout
    assert path.read_text(encoding="utf-8") == before  # --check changes nothing
    subprocess.run([sys.executable, script, path], check=True, capture_output=True, timeout=120)
    after = path.read_text(encoding="utf-8")
    assert after == jupyterlab_save(after)
    assert '"min": 10,' in after and '"step": 0.5' in after
    assert '"display_name": "Python 3 (ipykernel)"' in after
    # Only the serialisation changed: the same notebook, read as numbers.
    assert json.loads(after)["cells"] == json.loads(before)["cells"]


def test_the_normaliser_names_a_missing_file(tmp_path):
    result = subprocess.run(
        [sys.executable, ROOT / "book" / "_ext" / "notebook_form.py", tmp_path / "nope.ipynb"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert "no such notebook" in result.stderr and "nope.ipynb" in result.stderr


def test_make_execute_ends_with_the_normaliser():
    recipe = re.search(r"^execute:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "the Makefile has no execute target"
    lines = recipe.group(1).splitlines()
    assert "nbconvert" in recipe.group(1)
    assert "book/_ext/notebook_form.py $(NOTEBOOKS)" in lines[-1]


MACHINE_PATH = re.compile(r"ipykernel_\d+|/tmp/|/home/|/root/|/Users/|site-packages")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stored_output_shows_a_path_of_the_machine_that_ran_it(path):
    # e.g. a warning printed with the kernel's temporary file "/tmp/ipykernel_4062/….py:2:"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")] + list(output.get("data", {}).values())
            for text in texts:
                text = "".join(text) if isinstance(text, list) else str(text)
                if not text.startswith(("iVBOR", "<svg")):  # images are no prose
                    found = MACHINE_PATH.search(text)
                    assert not found, f"{path.name}, cell {number}: output shows {found.group()!r}"
