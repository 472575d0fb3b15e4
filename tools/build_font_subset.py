"""Build the CJK font subset shipped in ``sswanalysis/fonts/`` (run once by hand; CI does not).

The subset is cut from Noto Sans CJK SC Regular (SIL Open Font License 1.1) as packaged by
Debian (``fonts-noto-cjk``), so that charts render Chinese labels on a pip-only install
without root and without network access at run time.

Characters kept:

* ASCII, Latin-1 Supplement, General Punctuation, CJK Symbols and Punctuation,
  Halfwidth and Fullwidth Forms;
* every character of GB2312 (all 6,763 hanzi plus its symbol rows: Greek, Cyrillic, kana,
  pinyin with tone marks, box drawing, ``≤ ≥ ≈ × ÷ ±`` ...);
* every character that occurs in ``data/*.csv`` and ``data/*.json`` when present;
* :data:`EXTRA`, the characters the chart code itself draws.

Usage::

    python tools/build_font_subset.py                 # fetches the .deb with apt-get download
    python tools/build_font_subset.py --ttc NotoSansCJK-Regular.ttc --copyright copyright

The output is deterministic: the ``head.modified`` timestamp of the source face is kept.
"""

from __future__ import annotations

import argparse
import glob
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "sswanalysis" / "fonts"
OUT_NAME = "NotoSansCJKsc-Regular-subset.otf"
FAMILY = "Noto Sans CJK SC"

#: Unicode blocks kept whole.
BLOCKS: list[tuple[int, int]] = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]

#: Characters the plotting code draws besides data labels (arrows, math signs, bullets).
EXTRA = "≥≤≈±×÷–—‘’“”…·•→←↑↓∞√∑∆−▲▼●○■□◆◇★☆✓"


def gb2312_chars() -> set[str]:
    """Every character encoded by GB2312 (rows 1-9 symbols and rows 16-87 hanzi)."""
    out: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def data_chars(data_dir: Path) -> set[str]:
    """Every non-control character in the CSV and JSON files of ``data_dir``."""
    out: set[str] = set()
    for path in sorted(glob.glob(str(data_dir / "*.csv")) + glob.glob(str(data_dir / "*.json"))):
        out |= set(Path(path).read_text(encoding="utf-8"))
    return {c for c in out if c.isprintable() and c not in "\r\n\t"}


def charset(data_dir: Path) -> set[str]:
    chars: set[str] = set()
    for lo, hi in BLOCKS:
        chars |= {chr(cp) for cp in range(lo, hi + 1)}
    return chars | gb2312_chars() | data_chars(data_dir) | set(EXTRA)


def fetch_deb(workdir: Path) -> tuple[Path, Path]:
    """Download and unpack Debian's ``fonts-noto-cjk``; return (ttc, copyright) paths."""
    subprocess.run(["apt-get", "download", "fonts-noto-cjk"], cwd=workdir, check=True)
    (deb,) = sorted(workdir.glob("fonts-noto-cjk_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), "x"], cwd=workdir, check=True)
    ttc = workdir / "x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    copyright_ = workdir / "x/usr/share/doc/fonts-noto-cjk/copyright"
    return ttc, copyright_


def ofl_text(copyright_file: Path, font_copyright: str) -> str:
    """The OFL 1.1 text from Debian's copyright file, preceded by the font's own notice."""
    text = copyright_file.read_text(encoding="utf-8")
    m = re.search(r"^License: SIL-1\.1\n((?: .*\n?)+)", text, flags=re.M)
    if m is None:
        raise SystemExit("no 'License: SIL-1.1' paragraph in the copyright file")
    body = "\n".join("" if ln.strip() == "." else ln[1:] for ln in m.group(1).splitlines())
    head = (
        f"{font_copyright}\n\n"
        "The file NotoSansCJKsc-Regular-subset.otf is a Modified Version (a glyph subset made\n"
        "with fontTools by tools/build_font_subset.py) of Noto Sans CJK SC Regular,\n"
        "https://github.com/notofonts/noto-cjk , as packaged by Debian (fonts-noto-cjk).\n"
        "It is distributed under the SIL Open Font License, Version 1.1, reproduced below.\n\n"
    )
    return head + body.rstrip() + "\n"


def build(ttc: Path, copyright_file: Path, data_dir: Path, out_dir: Path) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    coll = TTCollection(str(ttc))
    faces = [f for f in coll.fonts if f["name"].getDebugName(1) == FAMILY]
    if len(faces) != 1:
        raise SystemExit(f"expected one {FAMILY!r} face in {ttc}, found {len(faces)}")
    buf = io.BytesIO()
    faces[0].save(buf)
    buf.seek(0)
    font = TTFont(buf, recalcTimestamp=False)

    chars = charset(data_dir)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / OUT_NAME
    font.save(str(out))
    (out_dir / "OFL.txt").write_text(
        ofl_text(copyright_file, font["name"].getDebugName(0)), encoding="utf-8", newline="\n"
    )
    missing = sorted(c for c in chars if ord(c) not in TTFont(str(out)).getBestCmap())
    print(f"{out}: {out.stat().st_size / 1e6:.2f} MB, {len(chars)} characters requested, "
          f"{len(missing)} not in the source font")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ttc", type=Path, help="NotoSansCJK-Regular.ttc (default: apt-get download)")
    p.add_argument("--copyright", type=Path, help="Debian copyright file holding the OFL text")
    p.add_argument("--data", type=Path, default=ROOT / "data")
    p.add_argument("--out", type=Path, default=FONT_DIR)
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if a.ttc is None:
            ttc, copyright_file = fetch_deb(Path(tmp))
        else:
            if a.copyright is None:
                p.error("--copyright is required with --ttc")
            ttc, copyright_file = a.ttc, a.copyright
        build(ttc, copyright_file, a.data, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
