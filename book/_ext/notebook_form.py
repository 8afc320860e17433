"""The chapters are committed in the form JupyterLab saves them: opening one changes nothing.

JupyterLab parses a notebook in the browser and, when it saves, sends it back as JavaScript's
``JSON.stringify`` writes it; the server parses that and writes the file with nbformat. Two things
differ then from what ``jupyter nbconvert --execute`` leaves behind, and nothing else (found by
opening and saving every chapter in a headless JupyterLab 4 and diffing):

- **Numbers.** JavaScript has one number type: ``JSON.stringify`` writes the float ``10.0`` as
  ``10``, which Python reads back as an integer. The stored widget state is full of such floats
  (a slider's ``min``, ``max``, ``step``, ``value``). Every other float survives the round trip:
  both languages write the shortest text that reads back as the same double.
- **The kernelspec.** When the kernel starts, JupyterLab copies the kernel's own description into
  the notebook; ipykernel names its ``python3`` kernel "Python 3 (ipykernel)".

This module applies both, and writes the notebook the way nbformat does (keys sorted, one-space
indent, text as a list of lines). ``make execute`` runs it after nbconvert; as a script::

    python book/_ext/notebook_form.py notebooks/*.ipynb           # rewrite in place
    python book/_ext/notebook_form.py --check notebooks/*.ipynb   # exit 1 if one is not in form

Only the serialisation changes: cells, outputs and the widget state's meaning stay as they are.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import nbformat

# What JupyterLab writes into a notebook whose kernel is ipykernel's ``python3`` kernel.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

# JSON.stringify writes an integral double below 1e21 without a fraction or exponent.
_JS_PLAIN_INTEGER_LIMIT = 1e21


def js_numbers(value):
    """``value`` as read back after JavaScript's ``JSON.stringify``: integral floats become ints."""
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < _JS_PLAIN_INTEGER_LIMIT:
            return int(value)
        return value
    if isinstance(value, dict):
        return {key: js_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [js_numbers(item) for item in value]
    return value


def lab_form(text: str) -> str:
    """The notebook ``text`` as JupyterLab would save it, unchanged otherwise."""
    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    nb = nbformat.from_dict(js_numbers(nb))
    if nb.metadata.get("kernelspec", {}).get("name") == KERNELSPEC["name"]:
        nb.metadata["kernelspec"] = dict(KERNELSPEC)
    out = nbformat.writes(nb, version=nbformat.NO_CONVERT)
    return out if out.endswith("\n") else out + "\n"


def normalise(path: Path, check: bool = False) -> bool:
    """Put ``path`` in JupyterLab's form; True if it was not in it (``check``: only say so)."""
    text = path.read_text(encoding="utf-8")
    wanted = lab_form(text)
    if wanted == text:
        return False
    if not check:
        path.write_text(wanted, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write notebooks in the form JupyterLab saves them (see the module docstring)."
    )
    parser.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a notebook is not in form"
    )
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error("no such notebook: " + ", ".join(missing))
    changed = [p for p in args.notebooks if normalise(p, check=args.check)]
    for path in changed:
        verb = "not in JupyterLab's form" if args.check else "rewritten in JupyterLab's form"
        print(f"{path}: {verb}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
