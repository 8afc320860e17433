"""A small CJK font for the live book: the characters of nn's Chinese catalog, nothing else.

The browser has no system fonts, so the Chinese figures that ``nn`` draws in the live book
(``nn.set_language("zh_CN")``) need a font shipped with the site. Noto Sans CJK SC holds some
65,000 glyphs (about 16 MB); the figures use a few hundred: every character of
``nn.locales.zh_CN`` (translations and English keys, so that Latin text, digits and symbols
such as − × ² ∇ come from the same font), plus printable ASCII. fontTools' subsetter (a
matplotlib dependency) cuts those glyphs out of the system's Noto Sans CJK (Debian's
``fonts-noto-cjk``) into one OpenType file, made at build time and never committed.

The site places the file at ``nn.live.BROWSER_FONT`` (``/drive/fonts/NotoSansCJKsc-nn.otf``
in the browser's file system), where ``nn`` registers it with matplotlib. As a script::

    python book/_ext/cjk_font.py OUTPUT_DIR     # writes OUTPUT_DIR/NotoSansCJKsc-nn.otf
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from nn import live
from nn.i18n import CJK_FAMILY

ROOT = Path(__file__).resolve().parents[2]

#: The file name the live site serves: where ``nn.live.BROWSER_FONT`` looks for it.
FONT_FILE = live.BROWSER_FONT.name
#: The family the subset keeps (its name table is kept): what ``nn.i18n`` asks matplotlib for.
FAMILY = CJK_FAMILY


def catalog_characters() -> str:
    """Every character nn's Chinese figures and widgets can show: the zh_CN catalog's keys and
    translations, printable ASCII (numbers, formulas and names drawn around them) and the
    symbols matplotlib itself writes (the tick labels' minus sign)."""
    sys.path.insert(0, str(ROOT / "src"))
    try:
        from nn.locales import zh_CN
    finally:
        sys.path.remove(str(ROOT / "src"))
    texts = [*zh_CN.MESSAGES, *zh_CN.MESSAGES.values(), *zh_CN.FIGURE_TEXTS,
             *zh_CN.FIGURE_TEXTS.values(), string.printable, "−×·°±…"]
    return "".join(sorted({c for text in texts for c in text if c.isprintable()}))


def system_cjk_font() -> tuple[Path, int]:
    """(file, index in a collection) of the system's regular Noto Sans CJK SC, found through
    matplotlib's font manager; ``FileNotFoundError`` naming the package when there is none."""
    from fontTools.ttLib import TTCollection
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if entry.name == FAMILY and entry.weight in (400, "normal", "regular"):
            path = Path(entry.fname)
            if path.suffix.lower() not in (".ttc", ".otc"):
                return path, 0
            for index, font in enumerate(TTCollection(str(path), lazy=True).fonts):
                if font["name"].getBestFamilyName() == FAMILY:
                    return path, index
    raise FileNotFoundError(
        f"no {FAMILY} font on this machine: install it (Debian/Ubuntu: "
        "apt-get install fonts-noto-cjk) to build the live book's Chinese figures")


def make_subset_font(output_dir: Path | str, characters: str | None = None,
                     source: tuple[Path, int] | None = None) -> Path:
    """Write ``output_dir/NotoSansCJKsc-nn.otf``: ``source`` (default: the system's Noto Sans
    CJK SC) cut down to ``characters`` (default: :func:`catalog_characters`). Returns the path.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path, index = source or system_cjk_font()
    chars = catalog_characters() if characters is None else characters
    if not chars:
        raise ValueError("make_subset_font needs at least one character")
    font = TTFont(str(path), fontNumber=index, lazy=False)
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the family name matplotlib looks for
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    target = Path(output_dir) / FONT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    font.save(str(partial))
    partial.replace(target)
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    target = make_subset_font(argv[0])
    print(f"{target}: {len(catalog_characters())} characters, {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
