"""Reader notebooks: the chapters as plain Markdown that JupyterLab renders like the web page.

The chapters are written in MyST Markdown for the web book: numbers pasted with
``{glue:text}``, citations with ``{cite}``, exercise solutions in ``{dropdown}`` directives.
JupyterLab (and JupyterLite) render CommonMark, so in a notebook opened there that markup shows
raw. This module makes *reader copies* of the executed chapters in which every markdown cell is
plain Markdown: glued values become the numbers the page shows (read from the notebook's own
stored glue outputs and formatted with their format spec), citations become "(Saitoh, 2016)"
linked to a references notebook, dropdowns become folded ``<details>`` blocks, admonitions become
quoted blocks under their bold title, and every other role or directive gets a plain equivalent.

It also makes the Chinese reader copies: each markdown block is replaced by its translation from
the page's gettext catalog (``locales/zh_CN/LC_MESSAGES/notebooks/NN_x.po``, the catalog the
Chinese web page is built from), then converted the same way, and a first hidden code cell
switches ``nn`` to Chinese.

Cell tags mean what they mean on the page, as far as a running notebook allows:

* ``remove-cell``: dropped from reader copies (the page never shows them). The live site keeps
  such code cells, folded (``keep_removed=True``), so that a chapter may hide a cell the browser
  must run; today no chapter has one (the kernel preloads its packages, no install cell).
* ``remove-input`` / ``hide-input``: kept, because later cells need what they compute (glued
  values, checks), with the source folded (``jupyter.source_hidden``): JupyterLab shows a thin
  bar the reader can click to see the code, and Run All still runs it.
* ``remove-output`` / ``hide-output``: outputs folded (``jupyter.outputs_hidden``);
  ``hide-cell``: both folded; ``remove-stderr`` / ``remove-stdout``: those stream outputs dropped.

Used by the live site (``lite_site.py``) and by ``make lab``, which runs this file::

    python book/_ext/reader_notebooks.py lab _build/lab

The core functions import nothing from Sphinx.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import html
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from chapters import chapter_notebooks
from editions import EDITIONS, SOURCE, TRANSLATIONS

ROOT = Path(__file__).resolve().parents[2]
BIBFILE = ROOT / "book" / "references.bib"
LOCALES = ROOT / "locales"
REFERENCES = "references.ipynb"  # the references notebook beside the reader copies

GLUE_PREFIX = "application/papermill.record/"
LANGUAGE_CELL = 'import nn\n\nnn.set_language("{language}")'


def _words(language: str) -> dict[str, str]:
    """The words the conversion writes itself, in ``language``'s edition (``editions.py``)."""
    return EDITIONS.get(language, EDITIONS[SOURCE]).reader


ADMONITIONS = frozenset(
    ("note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
     "seealso", "admonition"))
#: Directives whose body is code or data, never prose.
LITERAL_DIRECTIVES = frozenset(
    ("code", "code-block", "sourcecode", "code-cell", "literalinclude", "math", "raw",
     "glue", "glue:", "glue:any", "glue:figure", "glue:math", "glue:md", "bibliography",
     "toctree", "tableofcontents", "list-table", "csv-table"))
#: Roles that name code: shown as inline code.
CODE_ROLES = frozenset(
    ("code", "literal", "samp", "file", "command", "program", "envvar", "option", "kbd-code"))

ROLE_NAME = re.compile(r"\{([A-Za-z][\w:+.-]*)\}$")
FENCE_INFO = re.compile(r"^\{([^}\s]+)\}\s*(.*)$")
OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")
EXPLICIT_TARGET = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)


class ReaderNotebookError(ValueError):
    """A chapter cannot be converted as promised (unknown glue key, citation or translation)."""


# --------------------------------------------------------------------------- markdown parsing


def markdown_parser():
    """markdown-it configured as MyST parses the chapters (same extensions as ``_config.yml``)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions={
        "amsmath", "colon_fence", "deflist", "dollarmath", "substitution"})
    return create_md_parser(config, RendererHTML)


_PARSER = None


def _parse(text: str) -> list:
    global _PARSER
    if _PARSER is None:
        _PARSER = markdown_parser()
    return _PARSER.parse(text)


def _is_directive(token) -> bool:
    return token.type in ("fence", "colon_fence") and token.info.strip().startswith("{")


@dataclass
class Directive:
    """A MyST directive: ``name``, its argument line, options and body (all source text)."""

    name: str
    argument: str
    options: dict[str, str]
    body: str


def parse_directive(token) -> Directive:
    """Split a directive fence token into name, argument, options and body."""
    match = FENCE_INFO.match(token.info.strip())
    if match is None:
        raise ReaderNotebookError(f"not a directive: {token.info!r}")
    name, argument = match.group(1), match.group(2).strip()
    lines = token.content.split("\n")
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":  # options as a YAML block
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for line in lines[1:end]:
                key, _, value = line.partition(":")
                options[key.strip()] = value.strip()
            lines = lines[end + 1:]
    else:
        while lines and OPTION.match(lines[0].strip()):
            key, value = OPTION.match(lines[0].strip()).groups()
            options[key] = value
            lines = lines[1:]
    return Directive(name, argument, options, "\n".join(lines).strip("\n"))


# --------------------------------------------------------------------------- glue


def glue_store(nb: dict) -> dict[str, dict]:
    """Glue key -> stored MIME bundle (prefix removed), from the notebook's own outputs.

    myst-nb's ``glue`` stores each value as a ``display_data`` output whose metadata names it
    (``scrapbook.name``); ``display=False`` values carry their MIME types behind a prefix.
    """
    store: dict[str, dict] = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            store[meta["name"]] = {
                mime[len(prefix):]: "".join(v) if isinstance(v, list) else v
                for mime, v in out.get("data", {}).items() if mime.startswith(prefix)}
    return store


def format_glue(text: str, spec: str) -> str:
    """A glued ``text/plain`` value formatted as myst-nb's ``{glue:text}`` formats it."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not spec:
        return str(value)
    kind = spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, spec)


def _glue_bundle(key: str, glue: dict[str, dict]) -> dict:
    key = key.strip()
    if "::" in key:  # "page::key" pastes another page's value, which this notebook lacks
        raise ReaderNotebookError(f"{key!r}: pasting from another page is not supported")
    if key not in glue:
        raise ReaderNotebookError(f"no glued value named {key!r} in this notebook's outputs")
    return glue[key]


def glue_text(content: str, glue: dict[str, dict]) -> str:
    """The text of ``{glue:text}`content```: ``key`` or ``key:format_spec``."""
    key, spec = content, ""
    if ":" in content:
        key, spec = content.rsplit(":", 1)
    bundle = _glue_bundle(key, glue)
    if "text/plain" not in bundle:
        raise ReaderNotebookError(f"glued value {key!r} has no text/plain")
    return format_glue(bundle["text/plain"], spec)


def glue_block(key: str, glue: dict[str, dict], kind: str = "") -> str:
    """A glued value as a Markdown block: image, Markdown, math or its text."""
    bundle = _glue_bundle(key, glue)
    if kind == "math" or (not kind and "text/latex" in bundle and len(bundle) <= 2):
        latex = bundle.get("text/latex", bundle.get("text/plain", "")).strip().strip("$")
        return f"$$\n{latex}\n$$"
    if kind == "md" or (not kind and "text/markdown" in bundle):
        return bundle.get("text/markdown", "")
    for mime in ("image/png", "image/jpeg"):
        if mime in bundle:
            return f"![]({'data:' + mime + ';base64,' + bundle[mime].strip()})"
    if "image/svg+xml" in bundle:
        return bundle["image/svg+xml"]
    if "text/html" in bundle:
        return bundle["text/html"]
    return format_glue(bundle.get("text/plain", ""), "")


# --------------------------------------------------------------------------- citations


@dataclass(frozen=True)
class Reference:
    """One bibliography entry: its author-year label parts and its formatted Markdown text."""

    key: str
    authors: str  # "Saitoh", "Glorot and Bengio", "He *et al.*"
    year: str
    text: str


def load_bibliography(path: Path = BIBFILE) -> dict[str, Reference]:
    """Key -> ``Reference`` of every entry in a BibTeX file (pybtex, the page's own reader)."""
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    data = parse_file(str(path))
    style = find_plugin("pybtex.style.formatting", "unsrt")()
    backend = find_plugin("pybtex.backends", "markdown")()
    texts = {e.key: e.text.render(backend).replace("\n", " ")
             for e in style.format_bibliography(data)}
    refs = {}
    for key, entry in data.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [re.sub(r"[{}]", "", " ".join(p.prelast_names + p.last_names)) for p in people]
        if not names:
            authors = re.sub(r"[{}]", "", entry.fields.get("title", key))
        elif len(names) == 1:
            authors = names[0]
        elif len(names) == 2:
            authors = f"{names[0]} and {names[1]}"
        else:
            authors = f"{names[0]} *et al.*"
        refs[key] = Reference(key, authors, entry.fields.get("year", "n.d."), texts[key])
    return refs


def cite(role: str, content: str, bibliography: dict[str, Reference],
         references: str = REFERENCES) -> str:
    """A ``{cite}`` role (``cite``, ``cite:p``, ``cite:t``, …) as linked author-year text."""
    keys = [k.strip() for k in content.split(",") if k.strip()]
    unknown = [k for k in keys if k not in bibliography]
    if unknown or not keys:
        raise ReaderNotebookError(f"{{{role}}}`{content}`: no reference {unknown or content!r} "
                                  "in the bibliography")
    refs = [bibliography[k] for k in keys]
    link = f"{references}#{{}}"
    if role in ("cite:t", "cite:ts"):
        return "; ".join(f"[{r.authors} ({r.year})]({link.format(r.key)})" for r in refs)
    if role == "cite:author":
        return "; ".join(f"[{r.authors}]({link.format(r.key)})" for r in refs)
    if role == "cite:year":
        return "; ".join(f"[{r.year}]({link.format(r.key)})" for r in refs)
    return "(" + "; ".join(f"[{r.authors}, {r.year}]({link.format(r.key)})" for r in refs) + ")"


# --------------------------------------------------------------------------- roles


@dataclass
class Context:
    """What the conversion of one notebook needs besides its markdown."""

    glue: dict[str, dict]
    bibliography: dict[str, Reference] | None = None
    language: str = SOURCE
    references: str = REFERENCES

    def bib(self) -> dict[str, Reference]:
        if self.bibliography is None:
            self.bibliography = load_bibliography()
        return self.bibliography


def _split_target(content: str) -> tuple[str | None, str]:
    match = EXPLICIT_TARGET.match(content)
    if match and match.group(1):
        return match.group(1), match.group(2)
    return None, content


def render_role(name: str, content: str, ctx: Context) -> str:
    """Plain Markdown for one MyST role ``{name}`content```."""
    if name in ("glue:text", "glue", "glue:", "glue:any"):
        # {glue:text} takes "key:format_spec"; {glue} and {glue:any} paste the value as is.
        return glue_text(content if name == "glue:text" else content.strip() + ":", ctx.glue)
    if name == "glue:md":
        return glue_block(content, ctx.glue, "md").strip()
    if name == "glue:math":
        return "$" + glue_block(content, ctx.glue, "math").strip("$\n") + "$"
    if name.startswith("cite"):
        return cite(name, content, ctx.bib(), ctx.references)
    if name in ("math", "m"):
        return f"${content}$"
    if name == "eq":
        text, target = _split_target(content)
        return text or f"({target})"
    if name in ("doc", "download"):
        text, target = _split_target(content)
        stem = target.split("/")[-1].removesuffix(".ipynb").removesuffix(".md")
        if re.fullmatch(r"\d\d_\w+", stem):  # a chapter: its notebook sits beside this one
            return f"[{text or stem}]({stem}.ipynb)"
        return text or stem
    if name in ("ref", "numref", "term", "any", "external", "index", "abbr"):
        text, target = _split_target(content)
        if name == "abbr":
            return re.sub(r"\s*\([^)]*\)\s*$", "", content)
        return text or target
    if name in ("sub", "subscript"):
        return f"<sub>{content}</sub>"
    if name in ("sup", "superscript"):
        return f"<sup>{content}</sup>"
    if name == "kbd":
        return f"<kbd>{html.escape(content)}</kbd>"
    if name in ("emphasis", "strong"):
        return f"*{content}*" if name == "emphasis" else f"**{content}**"
    if name in CODE_ROLES or ":" in name:  # py:func, py:class, …: code names
        text, target = _split_target(content)
        return f"`{(text or target).lstrip('~!')}`"
    return content


def convert_roles(text: str, ctx: Context) -> str:
    """Replace every role in ``text`` (not inside code spans) by its plain Markdown."""
    out: list[str] = []
    i = 0
    while True:
        j = text.find("`", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        run = len(text[j:]) - len(text[j:].lstrip("`"))
        close = text.find("`" * run, j + run)
        while close >= 0 and text[close + run: close + run + 1] == "`":
            close = text.find("`" * run, close + run + 1)
        if close < 0:  # an unmatched backtick run is literal text
            out.append(text[i: j + run])
            i = j + run
            continue
        before = text[i:j]
        role = ROLE_NAME.search(before)
        if role and not before[: role.start()].endswith("\\"):
            out.append(before[: role.start()])
            content = text[j + run: close]
            if run > 1 and content.startswith(" ") and content.endswith(" "):
                content = content[1:-1]
            out.append(render_role(role.group(1), content, ctx))
        else:
            out.append(text[i: close + run])
        i = close + run


# --------------------------------------------------------------------------- blocks


def _prefixes(line: str, content: str) -> tuple[str, str]:
    """The first line's prefix before ``content`` and the prefix of continuation lines."""
    pos = line.find(content) if content else len(line) - len(line.lstrip())
    prefix = line[: max(pos, 0)]
    return prefix, re.sub(r"[^>\s]", " ", prefix)


def _with_prefix(text: str, first: str, rest: str) -> list[str]:
    lines = text.split("\n")
    return [first + lines[0]] + [(rest + line) if line else rest.rstrip() for line in lines[1:]]


def render_directive(d: Directive, ctx: Context) -> str:
    """Plain Markdown for one MyST directive."""
    words = _words(ctx.language)
    name = d.name
    if name == "dropdown" or (name in ADMONITIONS and "dropdown" in d.options.get("class", "")):
        title = d.argument if name in ("dropdown", "admonition") else words.get(name, name)
        title = convert_roles(title, ctx) or words["show"]
        state = " open" if "open" in d.options else ""
        # Some JupyterLab versions hide the disclosure triangle: the title says what to do.
        return (f"<details{state}>\n<summary><b>{title}</b> {words['click']}</summary>\n\n"
                f"{plain_markdown(d.body, ctx)}\n\n</details>")
    if name in ADMONITIONS:
        if name == "admonition":
            title, body = d.argument or words["admonition"], d.body
        else:  # these take no argument: text on the first line starts the body
            title, body = words[name], (d.argument + "\n" + d.body).strip("\n")
        inner = plain_markdown(body, ctx)
        lines = [f"**{convert_roles(title, ctx)}**", ""] + inner.split("\n")
        return "\n".join(f"> {line}" if line else ">" for line in lines)
    if name == "math":
        return f"$$\n{d.body}\n$$"
    if name in ("code", "code-block", "sourcecode", "code-cell"):
        fence = "````" if "```" in d.body else "```"
        return f"{fence}{d.argument.split()[0] if d.argument else ''}\n{d.body}\n{fence}"
    if name in ("figure", "image"):
        alt = d.options.get("alt", "")
        caption = plain_markdown(d.body, ctx) if name == "figure" else ""
        image = f"![{alt or caption.split(chr(10))[0]}]({d.argument})"
        return image + (f"\n\n*{caption}*" if caption else "")
    if name.startswith("glue"):
        kind = name.split(":")[1] if ":" in name else ""
        block = glue_block(d.argument, ctx.glue, "" if kind in ("", "any", "figure") else kind)
        caption = plain_markdown(d.body, ctx) if kind == "figure" and d.body else ""
        return block + (f"\n\n*{caption}*" if caption else "")
    if name in ("bibliography",):
        return f"[{words['references']}]({ctx.references})"
    if name in ("toctree", "tableofcontents"):
        return ""
    if name == "raw":
        return d.body if d.argument.strip() == "html" else ""
    # Any other directive (epigraph, margin, sidebar, topic, …): its title, then its body.
    body = plain_markdown(d.body, ctx)
    return f"**{convert_roles(d.argument, ctx)}**\n\n{body}" if d.argument else body


def _is_drop(token) -> bool:
    return token.type in ("myst_target", "myst_line_comment", "myst_block_break",
                          "front_matter")


def plain_markdown(text: str, ctx: Context) -> str:
    """A MyST markdown text as plain Markdown (CommonMark, HTML, ``$`` math) JupyterLab renders."""
    lines = text.split("\n")
    tokens = _parse(text)
    keep = [True] * len(lines)  # lines whose roles are converted as prose
    edits: list[tuple[int, int, list[str]]] = []
    for token in tokens:
        if token.map is None:
            continue
        start, end = token.map
        if _is_directive(token):
            first, rest = _prefixes(lines[start], token.markup)
            rendered = render_directive(parse_directive(token), ctx)
            edits.append((start, end, _with_prefix(rendered, first, rest)))
        elif token.type in ("fence", "code_block", "html_block", "math_block", "amsmath",
                            "math_block_label"):
            for k in range(start, end):
                keep[k] = False
            if token.type == "math_block_label":  # "$$ … $$ (label)": the label goes
                first, rest = _prefixes(lines[start], "$$")
                edits.append((start, end, _with_prefix(f"$${token.content}$$", first, rest)))
        elif _is_drop(token):
            edits.append((start, end, []))
    covered = set()
    for start, end, _ in edits:
        covered.update(range(start, end))
    # Prose: runs of lines outside code, math and directives, converted as one text each so
    # that a code span may cross a line break. Each source line maps to its output text, or
    # None when an earlier line's output already holds it.
    out_lines: list[str | None] = list(lines)
    k = 0
    while k < len(lines):
        if not keep[k] or k in covered:
            k += 1
            continue
        j = k
        while j < len(lines) and keep[j] and j not in covered:
            j += 1
        out_lines[k:j] = [convert_roles("\n".join(lines[k:j]), ctx)] + [None] * (j - k - 1)
        k = j
    for start, end, new in edits:
        out_lines[start:end] = ["\n".join(new) if new else None] + [None] * (end - start - 1)
    return "\n".join(line for line in out_lines if line is not None)


# --------------------------------------------------------------------------- translation


def load_catalog(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a gettext catalog: translated, non-fuzzy messages only (as Sphinx)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def chapter_catalog(name: str, language: str = "zh_CN", locales: Path = LOCALES) -> dict[str, str]:
    """The catalog of the page ``notebooks/<name>`` (``name`` without ``.ipynb``)."""
    return load_catalog(locales / language / "LC_MESSAGES" / "notebooks" / f"{name}.po")


def _normal(text: str) -> str:
    return " ".join(text.split())


class Translator:
    """Looks up messages as Sphinx extracts them: exact, then with whitespace normalised."""

    def __init__(self, catalog: dict[str, str]):
        self.catalog = catalog
        self.normal = {_normal(k): v for k, v in catalog.items()}
        self.missing: list[str] = []

    def __call__(self, msgid: str, literal: bool = False) -> str:
        key = msgid if literal else msgid.replace("\n", " ").strip()
        found = self.catalog.get(key)
        if found is None:
            found = self.normal.get(_normal(key))
        if found is None:
            self.missing.append(key)
            return msgid
        return found


def translate_markdown(text: str, tr: Translator) -> str:
    """``text`` with each prose block (heading, paragraph, list item, table cell, math block,
    directive title and body) replaced by its catalog translation; code stays.

    Blocks are found with markdown-it configured as MyST (its ``token.map`` gives each block's
    source lines), and looked up by the message Sphinx's gettext builder extracts for them.
    """
    lines = text.split("\n")
    tokens = _parse(text)
    edits: list[tuple[int, int, list[str]]] = []
    row_line: int | None = None
    cells_done: dict[int, int] = {}
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            row_line = token.map[0]
        elif token.type in ("th_open", "td_open") and row_line is not None:
            content = tokens[i + 1].content
            line = lines[row_line]
            at = line.find(content, cells_done.get(row_line, 0)) if content else -1
            if at >= 0:
                new = tr(content)
                lines[row_line] = line[:at] + new + line[at + len(content):]
                cells_done[row_line] = at + len(new)
        elif token.type in ("paragraph_open", "heading_open", "dt_open") and token.map:
            inline = tokens[i + 1]
            start, end = token.map
            first_line = inline.content.split("\n")[0]
            first, rest = _prefixes(lines[start], first_line)
            new = _with_prefix(tr(inline.content), first, rest)
            if token.type == "heading_open" and token.markup in ("=", "-"):
                new.append(lines[end - 1])  # setext underline
            edits.append((start, end, new))
        elif token.type in ("math_block", "math_block_label") and token.map:
            start, end = token.map
            first, rest = _prefixes(lines[start], "$$")
            label = f" ({token.info})" if token.type == "math_block_label" else ""
            new = "$$" + tr(token.content, literal=True) + "$$" + label
            edits.append((start, end, _with_prefix(new, first, rest)))
        elif token.type == "amsmath" and token.map:
            start, end = token.map
            first, rest = _prefixes(lines[start], token.content.split("\n")[0])
            edits.append((start, end, _with_prefix(tr(token.content, literal=True).strip("\n"),
                                                   first, rest)))
        elif _is_directive(token) and token.map:
            start, end = token.map
            d = parse_directive(token)
            first, rest = _prefixes(lines[start], token.markup)
            edits.append((start, end, _with_prefix(_translate_directive(token, d, tr),
                                                   first, rest)))
    for start, end, new in sorted(edits, reverse=True):
        lines[start:end] = new
    return "\n".join(lines)


def _translate_directive(token, d: Directive, tr: Translator) -> str:
    fence = token.markup
    argument = d.argument
    if argument and d.name in ("dropdown", "admonition", "figure", "topic", "sidebar"):
        if d.name != "figure":
            argument = tr(argument)
    options = "".join(f":{k}: {v}\n" for k, v in d.options.items())
    if d.name == "math":
        body = tr(d.body, literal=True)
    elif d.name in LITERAL_DIRECTIVES:
        body = d.body
    else:
        body = translate_markdown(d.body, tr)
    head = f"{fence}{{{d.name}}}" + (f" {argument}" if argument else "")
    return f"{head}\n{options}{body}\n{fence}"


# --------------------------------------------------------------------------- notebooks


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _set_source(cell: dict, text: str) -> None:
    lines = text.split("\n")
    cell["source"] = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _fold(cell: dict, what: str) -> None:
    cell.setdefault("metadata", {}).setdefault("jupyter", {})[what] = True


def _reader_cells(nb: dict, ctx: Context, keep_removed: bool,
                  markdown: Callable[[str], str]) -> list[dict]:
    cells = []
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags and not (keep_removed and cell.get("cell_type") == "code"):
            continue
        cell = copy.deepcopy(cell)
        if cell.get("cell_type") == "markdown":
            _set_source(cell, plain_markdown(markdown(_source(cell)), ctx))
            cell.get("metadata", {}).pop("jupyter", None)
        elif cell.get("cell_type") == "code":
            if tags & {"remove-input", "hide-input", "hide-cell", "remove-cell"}:
                _fold(cell, "source_hidden")
            if tags & {"remove-output", "hide-output", "hide-cell", "remove-cell"}:
                _fold(cell, "outputs_hidden")
            cell["outputs"] = [
                out for out in cell.get("outputs", [])
                if not (out.get("output_type") == "stream"
                        and f"remove-{out.get('name')}" in tags)
                # glue(..., display=False) values: pasted into the prose, nothing to show here
                and not out.get("metadata", {}).get("scrapbook", {}).get("mime_prefix")]
        cells.append(cell)
    return cells


def reader_notebook(nb: dict, *, bibliography: dict[str, Reference] | None = None,
                    keep_removed: bool = False, references: str = REFERENCES) -> dict:
    """An executed chapter as plain Markdown JupyterLab renders (see the module docstring).

    ``nb`` is not changed. Raises ``ReaderNotebookError`` on a glued key the notebook does not
    store or a citation the bibliography lacks: the page's build would fail on those too.
    """
    ctx = Context(glue_store(nb), bibliography, SOURCE, references)
    out = copy.deepcopy({k: v for k, v in nb.items() if k != "cells"})
    out["cells"] = _reader_cells(nb, ctx, keep_removed, lambda text: text)
    return out


def chinese_notebook(nb: dict, catalog: dict[str, str], *,
                     bibliography: dict[str, Reference] | None = None,
                     keep_removed: bool = False, references: str = REFERENCES,
                     language: str = "zh_CN") -> tuple[dict, list[str]]:
    """The chapter's reader copy in ``language``: markdown from ``catalog``, ``nn`` switched.

    Returns the notebook and the messages the catalog lacks (left in English there). A hidden
    code cell ``nn.set_language(...)`` comes before the chapter's first shown code cell, after
    the cells that prepare the kernel (``remove-cell``), so ``nn`` is importable by then.
    """
    tr = Translator(catalog)
    ctx = Context(glue_store(nb), bibliography, language, references)
    out = copy.deepcopy({k: v for k, v in nb.items() if k != "cells"})
    cells = _reader_cells(nb, ctx, keep_removed, lambda text: translate_markdown(text, tr))
    switch = {"cell_type": "code", "execution_count": None, "outputs": [], "id": "nn-language",
              "metadata": {"jupyter": {"source_hidden": True}, "tags": ["hide-input"]},
              "source": []}
    _set_source(switch, LANGUAGE_CELL.format(language=language))
    at = next((k for k, c in enumerate(cells) if c.get("cell_type") == "code"
               and "remove-cell" not in c.get("metadata", {}).get("tags", [])), len(cells))
    cells.insert(at, switch)
    out["cells"] = cells
    return out, tr.missing


#: The chapters' kernel, so that opening the references asks no question (which kernel?).
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def references_notebook(bibliography: dict[str, Reference] | None = None,
                        language: str = SOURCE) -> dict:
    """The notebook the citations link to: every reference with an anchor named by its key."""
    refs = bibliography if bibliography is not None else load_bibliography()
    words = _words(language)
    ordered = sorted(refs.values(), key=lambda r: (r.authors.lower(), r.year))
    lines = [f"# {words['references']}", "", words["references_intro"], ""]
    lines += [f'- <a id="{r.key}"></a>**{r.authors.replace("*", "")}, {r.year}.** {r.text}'
              for r in ordered]
    cell = {"cell_type": "markdown", "id": "references", "metadata": {}, "source": []}
    _set_source(cell, "\n".join(lines))
    # The language too: JupyterLite's kernel is named "python", and found by its language.
    return {"cells": [cell], "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}}


# --------------------------------------------------------------------------- make lab


def dumps(nb: dict) -> str:
    """The project's notebook file format."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _sources_digest(nb: dict) -> str:
    """What a reader may change: the cells' types and sources (not outputs or metadata)."""
    parts = [(c.get("cell_type"), _source(c)) for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def write_reader_copies(notebooks: Iterable[Path], target: Path,
                        languages: Iterable[str] = (SOURCE, *TRANSLATIONS),
                        locales: Path = LOCALES) -> dict[str, list[str]]:
    """Write the reader copies of ``notebooks`` into ``target`` (a translation's under its
    language's folder, ``zh_CN/``).

    A copy whose cells the reader has edited since it was written (its sources differ from what
    was written, recorded in ``target/.reader-copies.json``) is kept, never overwritten: delete
    it to get the book's current version. Returns {"written": […], "kept": […], "missing": […]}
    (missing: Chinese messages the catalogs lack).
    """
    manifest_path = target / ".reader-copies.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    bib = load_bibliography()
    report: dict[str, list[str]] = {"written": [], "kept": [], "missing": []}
    planned: dict[str, dict] = {}
    for language in languages:
        folder = "" if language == SOURCE else f"{language}/"
        planned[f"{folder}{REFERENCES}"] = references_notebook(bib, language)
        for path in notebooks:
            nb = json.loads(Path(path).read_text(encoding="utf-8"))
            if language == SOURCE:
                planned[f"{folder}{Path(path).name}"] = reader_notebook(nb, bibliography=bib)
            else:
                catalog = chapter_catalog(Path(path).stem, language, locales)
                copy_nb, missing = chinese_notebook(nb, catalog, bibliography=bib,
                                                    language=language)
                report["missing"] += [f"{Path(path).stem}: {m}" for m in missing]
                planned[f"{folder}{Path(path).name}"] = copy_nb
    for name, nb in planned.items():
        path = target / name
        if path.is_file() and name in manifest:
            try:
                current = _sources_digest(json.loads(path.read_text(encoding="utf-8")))
            except ValueError:
                current = None
            if current != manifest[name]:
                report["kept"].append(name)
                continue
        elif path.is_file():  # there before any manifest: the reader's own file
            report["kept"].append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(nb), encoding="utf-8")
        manifest[name] = _sources_digest(nb)
        report["written"].append(name)
    target.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return report


def main(argv: list[str]) -> int:
    """``lab TARGET``: write the reader copies of ``notebooks/`` for ``make lab``."""
    if len(argv) != 2 or argv[0] != "lab":
        print("usage: python book/_ext/reader_notebooks.py lab TARGET_FOLDER", file=sys.stderr)
        return 2
    target = Path(argv[1])
    report = write_reader_copies(chapter_notebooks(), target)
    print(f"reader copies in {target}/ (中文: {target}/zh_CN/): "
          f"{len(report['written'])} written from notebooks/, {len(report['kept'])} kept")
    for name in report["kept"]:
        print(f"  kept your edited {target / name} (delete it to get the book's version)")
    if report["missing"]:
        print(f"  {len(report['missing'])} Chinese messages are not translated yet "
              "(make catalogs, then translate them); those blocks stay English")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
