"""Every command a reader copies from the README or the setup page is real.

The commands are read from the pages themselves: every line of their ``bash`` blocks, and every
inline code span that starts like a command (``make …``, ``python …``, ``.venv/bin/…``,
``pytest …``). Each is checked without the slow part (no install, no build): a make target must
be one ``make help`` lists, a variable set on make's command line one the Makefile reads, a
program in ``.venv/bin`` must be installed there and accept the subcommand and options used, a
script must exist and answer ``--help``, and every file or folder named must exist (apart from
what an earlier step creates: ``_build/``, a new virtual environment, the output of a build).
"""

from __future__ import annotations

import functools
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from paths import ROOT

PAGES = [ROOT / "README.md", ROOT / "book" / "setup.md", ROOT / "book" / "intro.md"]
VENV_BIN = ROOT / ".venv" / "bin"

# Placeholders the pages ask the reader to replace, and paths earlier steps create.
PLACEHOLDER = re.compile(r"/path/to/|C:\\path\\to\\")
CREATED = ("_build/", "_build", "lab/", "lab")  # made by make book / the reader copies step
INLINE_COMMAND = re.compile(r"^(make |python3? |pytest |pip |\.venv/bin/|jupyter )")


@dataclass(frozen=True)
class Command:
    page: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.text}"


def _strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (a # outside quotes, after a space)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def commands_of(page: Path) -> list[Command]:
    """The shell commands of ``page``: its bash blocks' lines, then its command-like code spans."""
    name = page.relative_to(ROOT).as_posix()
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Command] = []
    in_bash = False
    pending = ""  # a command continued on the next line with a trailing backslash
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if stripped.startswith("```"):
            in_bash = not in_bash and stripped in ("```bash", "```sh", "```console")
            continue
        if in_bash:
            text = _strip_comment(stripped)
            if text.endswith("\\"):
                pending += text[:-1] + " "
                continue
            text, pending = pending + text, ""
            if text:
                found += [Command(name, number, part.strip()) for part in text.split("&&")]
        else:
            # A span ending in "/" is a path prefix the prose talks about, not a command.
            found += [Command(name, number, span) for span in re.findall(r"`([^`\n]+)`", raw)
                      if INLINE_COMMAND.match(span) and not span.endswith("/")]
    return found


ALL = [command for page in PAGES for command in commands_of(page)]


@functools.cache
def make_targets() -> set[str]:
    out = subprocess.run(["make", "--no-print-directory", "-s", "help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    # `make help` itself prints the list, so it need not list itself.
    return {"help"} | {line.split()[1] for line in out.splitlines() if line.startswith("make ")}


@functools.cache
def help_text(*argv: str) -> str:
    """What ``argv --help`` prints (stdout and stderr); fails on a crash."""
    result = subprocess.run([*argv, "--help"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    output = result.stdout + result.stderr
    crashed = "Traceback (most recent call last)" in output
    assert not crashed, f"{' '.join(argv)} --help crashed:\n{output[-2000:]}"
    assert result.returncode in (0, 2) and output.strip(), f"{' '.join(argv)} --help: {output}"
    return output


def _is_created(path: str, venvs: set[str]) -> bool:
    return path.startswith(CREATED) or any(path == v or path.startswith(v + "/") for v in venvs)


def _check_paths(args: list[str], venvs: set[str], command: Command) -> None:
    for arg in args:
        if arg.startswith("-") or "/" not in arg and not arg.endswith((".txt", ".py", ".ipynb")):
            continue
        if PLACEHOLDER.search(arg) or arg.startswith(("http://", "https://")):
            continue
        path = arg.split("=", 1)[-1]
        if _is_created(path, venvs):
            continue
        if any(ch in path for ch in "*?["):
            assert glob.glob(str(ROOT / path)), f"{command}: {path} matches no file"
        else:
            assert (ROOT / path).exists(), f"{command}: {path} does not exist"


def _venvs_created_before(command: Command) -> set[str]:
    """The virtual environments the page creates (``python3 -m venv X``) up to this command."""
    venvs = {".venv"}
    for other in ALL:
        if other.page == command.page and other.line <= command.line:
            match = re.match(r"python3? -m venv (\S+)", other.text)
            if match:
                venvs.add(match.group(1).rstrip("/"))
    return venvs


def check(command: Command) -> None:
    words = shlex.split(command.text)
    assignments = []
    while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
        assignments.append(words.pop(0).split("=", 1)[0])
    assert words, f"{command}: no command"
    program, args = words[0], words[1:]
    venvs = _venvs_created_before(command)

    if program == "export":
        for assignment in args:
            name = assignment.split("=", 1)[0]
            assert re.search(rf"\b{name}\b", (ROOT / "src").joinpath("nn", "data.py")
                             .read_text(encoding="utf-8")) or name in _makefile(), \
                f"{command}: nothing reads {name}"
        return
    if program == "make":
        targets = [a for a in args if "=" not in a and not a.startswith("-")]
        assert targets, f"{command}: name the target"
        for target in targets:
            assert target in make_targets(), f"{command}: `make help` lists no target {target}"
        for name in assignments + [a.split("=", 1)[0] for a in args if "=" in a]:
            assert re.search(rf"^\s*{name}\s*[?:]?=", _makefile(), re.M), \
                f"{command}: the Makefile has no variable {name}"
        return

    _check_paths(args, venvs, command)
    if program in ("python3", "python") or program.endswith("/python"):
        if args[:2] == ["-m", "venv"]:
            help_text(sys.executable, "-m", "venv")
            return
        if "/" in program:
            venv = program.rsplit("/bin/", 1)[0]
            assert venv in venvs, f"{command}: {venv} is not created by the steps before"
        script = args[0]
        assert script.endswith(".py") and (ROOT / script).is_file(), f"{command}: no {script}"
        help_text(sys.executable, str(ROOT / script))
        return

    # A program of a virtual environment, or one on PATH (pytest, cp, pip, jupyter …).
    name = Path(program).name
    if "/" in program:
        venv = program.rsplit("/bin/", 1)[0]
        assert venv in venvs, f"{command}: {venv} is not created by the steps before"
        if venv != ".venv":
            return  # another environment (the benchmark's PyTorch one): only its creation counts
        assert (VENV_BIN / name).exists(), f"{command}: .venv has no {name}"
        exe = str(VENV_BIN / name)
    elif name in ("cp", "git", "cd", "mkdir"):
        assert shutil.which(name), f"{command}: {name} is not installed"
        return
    else:
        exe = str(VENV_BIN / name)
        assert Path(exe).exists(), f"{command}: .venv has no {name}"

    if name == "pip":
        assert args[0] == "install", f"{command}: only pip install is expected"
        if "-r" in args:
            assert (ROOT / args[args.index("-r") + 1]).is_file()
        return
    subcommand = [a for a in args[:1] if not a.startswith("-") and "/" not in a and a != "."]
    if name == "jupyter":
        assert subcommand, f"{command}: which jupyter command?"
    if name == "pytest":
        subcommand = []
    text = help_text(exe, *subcommand)
    for option in args:
        if option.startswith("-"):
            flag = option.split("=", 1)[0]
            if re.match(r"--[A-Z]\w*\.\w+$", flag):
                # A traitlets setting (--Class.trait): Jupyter lists those under --help-all.
                setting = flag[2:]
                assert setting in help_text(exe, *subcommand, "--help-all"), \
                    f"{command}: {' '.join([name, *subcommand])} has no setting {setting}"
                continue
            assert re.search(rf"(^|[\s,\[]){re.escape(flag)}\b", text, re.M), \
                f"{command}: {' '.join([name, *subcommand])} has no option {flag}"


@functools.cache
def _makefile() -> str:
    return (ROOT / "Makefile").read_text(encoding="utf-8")


def test_the_pages_have_commands():
    pages = {command.page for command in ALL}
    assert {"README.md", "book/setup.md"} <= pages
    assert any(c.text.startswith("make book") for c in ALL)


@pytest.mark.parametrize("command", ALL, ids=str)
def test_command_is_real(command):
    check(command)


def test_no_placeholder_is_left_for_the_reader_to_guess():
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for word in ("REPOSITORY-URL", "YOUR-", "<your", "TODO"):
            assert word not in text, f"{page.name} still says {word}"


def test_every_make_target_in_the_prose_exists():
    for page in PAGES:
        for target in re.findall(r"`make ([a-z][\w-]*)", page.read_text(encoding="utf-8")):
            assert target in make_targets(), f"{page.name} names `make {target}`"


@pytest.mark.parametrize("bad", [
    "make bake", "PORTS=1 make serve", ".venv/bin/jupyter lob notebooks/",
    ".venv/bin/pytest --no-such-flag", ".venv/bin/python book/_ext/missing.py",
    ".venv/bin/jupyter lab chapters/", "../other/bin/python x.py",
])
def test_a_wrong_command_is_caught(bad):
    with pytest.raises((AssertionError, pytest.fail.Exception)):
        check(Command("README.md", 10**6, bad))


def test_the_lab_settings_shipped_with_make_lab_are_real_settings():
    import json

    overrides = json.loads((ROOT / "book" / "_lab" / "labconfig" /
                            "default_setting_overrides.json").read_text(encoding="utf-8"))
    schemas = ROOT / ".venv" / "share" / "jupyter" / "lab" / "schemas"
    for plugin, settings in overrides.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text(encoding="utf-8"))
        for key in settings:
            assert key in schema["properties"], f"{plugin} has no setting {key}"
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert 'JUPYTER_CONFIG_PATH="$(abspath book/_lab)' in _makefile()


def test_the_pages_name_the_live_button_as_the_chapter_pages_show_it():
    # The label is read from the editions' table the button takes it from, not copied here.
    source = (ROOT / "book" / "_ext" / "editions.py").read_text(encoding="utf-8")
    label = re.search(r'language="en",.*?launch=\("([^"]+)"', source, re.S).group(1)
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    readme = re.sub(r" # ", " ", readme)  # the README's label wraps across two comment lines
    for text in (readme, (ROOT / "book" / "setup.md").read_text(encoding="utf-8")):
        assert label in text
    assert "Run live" not in readme
