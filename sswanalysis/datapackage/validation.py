"""Validate a Data Package: schema, keys, vocabularies, values and the evidence of every figure.

Every fault names the file, the row (the line number in the CSV file, the header being
line 1) and the column, so it can be found and fixed. Nothing stops at the first fault:
all of them are reported.

The checks, in order:

* structure — the descriptor parses, each table's file exists, its header holds exactly
  the schema's columns;
* cells — required cells are filled, values parse as their type, and meet ``enum``,
  ``pattern``, ``minimum`` (no negative figures) and ``maxLength``;
* keys — primary keys are unique, foreign keys point at existing rows;
* vocabularies — an indicator is reported only in the units its vocabulary row allows,
  a unit as written (``unit_zh``) is one of the words ``units.csv`` lists for its unit,
  ``value_high`` goes with ``range`` (and is not below ``value``), a count's qualifier goes
  with its count;
* evidence — for tables whose descriptor has an ``evidenceCheck``, the evidence span is
  parsed by :mod:`sswanalysis.quantities` and must hold the stored number (万/亿 folded
  in), with the same qualifier (余 → at_least, 近 → at_most, 约 → approx) and measure word;
* sources (optional) — each evidence span occurs verbatim in the source text it cites;
* review — the checkable rules of ``docs/data-review.md`` (:mod:`~sswanalysis.datapackage.review`):
  a unit as written occurs in its evidence, 一批 is never an exact 1, a period is backed by
  its words in the source (when sources are given), a document's level and a feature's
  ``stated`` basis are backed by words.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sswanalysis.datapackage.descriptor import (
    PathLike,
    foreign_keys,
    primary_key,
    read_strings,
    shipped_data_dir,
)

if TYPE_CHECKING:
    import pandas as pd

HEADER_ROW = 1  # the header is line 1 of a CSV file; data rows start at line 2


@dataclass(frozen=True, slots=True)
class Fault:
    """One thing wrong with a Data Package."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


_TYPE_CHECKS = {
    "integer": (lambda s: re.fullmatch(r"-?[0-9]+", s) is not None, "a whole number"),
    "number": (_is_number, "a number"),
    "boolean": (lambda s: s in ("true", "false"), "true or false"),
    "year": (lambda s: re.fullmatch(r"[0-9]{4}", s) is not None, "a year (YYYY)"),
    "yearmonth": (
        lambda s: re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", s) is not None,
        "a month (YYYY-MM)",
    ),
    "date": (
        lambda s: re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", s) is not None,
        "a date (YYYY-MM-DD)",
    ),
}


class _Checker:
    """Collects the faults of one Data Package folder."""

    def __init__(self, folder: Path | Any, sources_dir: Path | None) -> None:
        self.folder = folder
        self.sources_dir = sources_dir
        self.faults: list[Fault] = []
        self.frames: dict[str, pd.DataFrame] = {}
        self.texts: dict[str, str] = {}  # source_id -> raw source text, when sources are given

    def fault(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.faults.append(Fault(file, row, column, message))

    # -- structure ---------------------------------------------------------------------
    def read_tables(self, desc: dict[str, Any]) -> None:
        import pandas as pd

        for res in desc.get("resources", []):
            path = res.get("path", f"{res.get('name')}.csv")
            file = self.folder.joinpath(path)
            if not file.is_file():
                self.fault(path, None, None, "file is missing (named by datapackage.json)")
                continue
            try:
                frame = read_strings(file)
            except UnicodeDecodeError as exc:
                self.fault(path, None, None, f"is not UTF-8 ({exc.reason} at byte {exc.start})")
                continue
            except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
                self.fault(path, None, None, f"cannot be read as CSV: {exc}")
                continue
            expected = [f["name"] for f in res["schema"]["fields"]]
            for col in expected:
                if col not in frame.columns:
                    self.fault(path, HEADER_ROW, col, "column is missing")
            for col in frame.columns:
                if col not in expected:
                    self.fault(path, HEADER_ROW, col, "column is not in the schema")
            self.frames[res["name"]] = frame

    # -- cells -------------------------------------------------------------------------
    def check_cells(self, res: dict[str, Any], frame: pd.DataFrame) -> None:
        path = res["path"]
        for spec in res["schema"]["fields"]:
            col = spec["name"]
            if col not in frame.columns:
                continue
            cons = spec.get("constraints", {})
            type_check = _TYPE_CHECKS.get(spec.get("type", "string"))
            pattern = cons.get("pattern")
            for i, cell in enumerate(frame[col].tolist()):
                row = i + HEADER_ROW + 1
                if not isinstance(cell, str):
                    if cons.get("required"):
                        self.fault(path, row, col, "is empty but required")
                    continue
                if type_check is not None and not type_check[0](cell):
                    self.fault(path, row, col, f"{cell!r} is not {type_check[1]}")
                    continue
                if "enum" in cons and cell not in cons["enum"]:
                    allowed = ", ".join(cons["enum"])
                    self.fault(path, row, col, f"{cell!r} is not one of: {allowed}")
                if pattern is not None and re.fullmatch(pattern, cell) is None:
                    self.fault(path, row, col, f"{cell!r} does not match the pattern {pattern}")
                if "minimum" in cons and float(cell) < cons["minimum"]:
                    self.fault(path, row, col, f"{cell} is below the minimum {cons['minimum']}")
                if "maxLength" in cons and len(cell) > cons["maxLength"]:
                    self.fault(
                        path, row, col, f"is {len(cell)} characters long (at most {cons['maxLength']})"
                    )

    # -- keys --------------------------------------------------------------------------
    def check_keys(self, res: dict[str, Any], frame: pd.DataFrame) -> None:
        path = res["path"]
        key = primary_key(res)
        if key and all(k in frame.columns for k in key):
            dup = frame.duplicated(subset=key, keep="first")
            for i in dup[dup].index:
                values = ", ".join(str(frame.at[i, k]) for k in key)
                self.fault(path, i + HEADER_ROW + 1, "+".join(key), f"duplicate key ({values})")
        for fields, ref_name, ref_fields in foreign_keys(res):
            ref = self.frames.get(ref_name)
            if ref is None or not all(f in frame.columns for f in fields):
                continue
            if not all(f in ref.columns for f in ref_fields):
                continue
            targets = set(ref[ref_fields].itertuples(index=False, name=None))
            for i, values in enumerate(frame[fields].itertuples(index=False, name=None)):
                if any(not isinstance(v, str) for v in values):
                    continue  # an empty optional reference points nowhere
                if values not in targets:
                    shown = ", ".join(f"{f}={v}" for f, v in zip(fields, values, strict=True))
                    self.fault(
                        path, i + HEADER_ROW + 1, "+".join(fields),
                        f"{shown} is not in {ref_name} ({', '.join(ref_fields)})",
                    )

    # -- vocabularies and value rules --------------------------------------------------
    def check_vocabularies(self) -> None:
        ind, codes = self.frames.get("indicators"), self.frames.get("indicator_codes")
        if ind is not None and codes is not None and {"indicator", "unit"} <= set(ind.columns):
            allowed = {
                row.indicator: set(str(row.units).split("|"))
                for row in codes.itertuples(index=False)
            }
            for i, (code, unit) in enumerate(zip(ind["indicator"], ind["unit"], strict=True)):
                if code in allowed and isinstance(unit, str) and unit not in allowed[code]:
                    self.fault(
                        "indicators.csv", i + HEADER_ROW + 1, "unit",
                        f"{code} is not reported in {unit} (allowed: {', '.join(sorted(allowed[code]))})",
                    )
        units = self.frames.get("units")
        if ind is not None and units is not None and {"unit", "unit_zh"} <= set(ind.columns):
            words = {row.unit: str(row.words_zh).split("|") for row in units.itertuples(index=False)}
            for i, (unit, word) in enumerate(zip(ind["unit"], ind["unit_zh"], strict=True)):
                if unit in words and isinstance(word, str) and word not in words[unit]:
                    self.fault(
                        "indicators.csv", i + HEADER_ROW + 1, "unit_zh",
                        f"{word} is not a way to write {unit} (units.csv: {'|'.join(words[unit])})",
                    )
        for name, frame in self.frames.items():
            check = self.evidence_spec(name)
            if check is None:
                continue
            self.check_value_rules(name, frame, check)

    def evidence_spec(self, name: str) -> dict[str, str] | None:
        return self.resources[name].get("evidenceCheck")

    def check_value_rules(self, name: str, frame: pd.DataFrame, check: dict[str, str]) -> None:
        path = self.resources[name]["path"]
        value, high, qual = check["value"], check.get("value_high"), check["qualifier"]
        for i, row in enumerate(frame.to_dict("records")):
            r = i + HEADER_ROW + 1
            v, q = row.get(value), row.get(qual)
            h = row.get(high) if high else None
            if isinstance(v, str) != isinstance(q, str):
                self.fault(path, r, qual, f"{qual} must be filled exactly when {value} is")
            if high is None:
                continue
            if q == "range" and not isinstance(h, str):
                self.fault(path, r, high, "a range needs value_high")
            if q != "range" and isinstance(h, str):
                self.fault(path, r, high, f"value_high is only for ranges (qualifier is {q})")
            if q == "range" and _is_number(str(v)) and _is_number(str(h)) and float(h) < float(v):
                self.fault(path, r, high, f"value_high {h} is below value {v}")

    # -- evidence ----------------------------------------------------------------------
    def check_evidence(self) -> None:
        from sswanalysis.quantities import iter_quantities

        for name, frame in self.frames.items():
            check = self.evidence_spec(name)
            if check is None or "evidence" not in frame.columns:
                continue
            path = self.resources[name]["path"]
            value, high = check["value"], check.get("value_high")
            qual, unit = check["qualifier"], check.get("unit_zh")
            for i, row in enumerate(frame.to_dict("records")):
                v, evidence = row.get(value), row.get("evidence")
                if not isinstance(v, str) or not isinstance(evidence, str) or not _is_number(v):
                    continue
                want = (float(v), _float_or_none(row.get(high)) if high else None,
                        row.get(qual), row.get(unit) if unit else None)
                found = [
                    (m.quantity.value, m.quantity.value_high, m.quantity.qualifier, m.quantity.unit)
                    for m in iter_quantities(evidence)
                ]
                if any(_same(want, got, compare_unit=unit is not None) for got in found):
                    continue
                shown = "; ".join(_describe(*got) for got in found) or "no quantity"
                self.fault(
                    path, i + HEADER_ROW + 1, value,
                    f"stored {_describe(*want)} but the evidence {evidence!r} says {shown}",
                )

    def check_sources(self) -> None:
        sources = self.frames.get("sources")
        if self.sources_dir is None or sources is None or "source_file" not in sources.columns:
            return
        texts: dict[str, str | None] = {}
        for sid, file in zip(sources["source_id"], sources["source_file"], strict=True):
            if isinstance(file, str):
                p = self.sources_dir / file
                # Line breaks in the source files are extraction artefacts (page breaks).
                if p.is_file():
                    self.texts[sid] = p.read_text(encoding="utf-8")
                    texts[sid] = re.sub(r"\s+", "", self.texts[sid])
                else:
                    self.fault("sources.csv", None, "source_file", f"{p} does not exist")
        for name, frame in self.frames.items():
            if not {"source_id", "evidence"} <= set(frame.columns):
                continue
            path = self.resources[name]["path"]
            pairs = zip(frame["source_id"], frame["evidence"], strict=True)
            for i, (sid, evidence) in enumerate(pairs):
                text = texts.get(sid)
                if text and isinstance(evidence, str) and re.sub(r"\s+", "", evidence) not in text:
                    self.fault(path, i + HEADER_ROW + 1, "evidence",
                               f"{evidence!r} does not occur in the text of source {sid}")

    # -- all ---------------------------------------------------------------------------
    def run(self) -> list[Fault]:
        import json

        try:
            desc = json.loads(self.folder.joinpath("datapackage.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return [Fault("datapackage.json", None, None, "file is missing")]
        except json.JSONDecodeError as exc:
            return [Fault("datapackage.json", exc.lineno, None, f"is not valid JSON: {exc.msg}")]
        self.resources = {r["name"]: r for r in desc.get("resources", [])}
        self.read_tables(desc)
        for name, frame in self.frames.items():
            self.check_cells(self.resources[name], frame)
        for name, frame in self.frames.items():
            self.check_keys(self.resources[name], frame)
        self.check_vocabularies()
        self.check_evidence()
        self.check_sources()
        self.check_review()
        return self.faults

    def check_review(self) -> None:
        from sswanalysis.datapackage.review import review

        for file, row, column, message in review(self.frames, self.resources, self.texts):
            self.fault(file, row, column, message)


def _float_or_none(text: Any) -> float | None:
    return float(text) if isinstance(text, str) and _is_number(text) else None


def _same(want: tuple, got: tuple, *, compare_unit: bool) -> bool:
    (wv, wh, wq, wu), (gv, gh, gq, gu) = want, got
    close = math.isclose(wv, gv, rel_tol=1e-9)
    high = (wh is None and gh is None) or (
        wh is not None and gh is not None and math.isclose(wh, gh, rel_tol=1e-9)
    )
    return close and high and wq == gq and (not compare_unit or wu == gu)


def _describe(value: float, high: float | None, qualifier: str | None, unit: str | None) -> str:
    number = f"{value:g}" if high is None else f"{value:g}-{high:g}"
    return f"{number} {unit or ''} ({qualifier})".replace("  ", " ")


def validate(data_dir: PathLike | None = None, *, sources_dir: PathLike | None = None) -> list[Fault]:
    """Check a Data Package folder and return its faults (an empty list when it is valid).

    Parameters
    ----------
    data_dir : path, optional
        Folder holding ``datapackage.json`` and its CSV files. Default: the shipped data.
    sources_dir : path, optional
        Folder of source texts named by ``sources.source_file``; when given, every evidence
        span must occur in the text of the source it cites.

    Returns
    -------
    list of Fault
        Each with ``file``, ``row`` (CSV line number, header = 1), ``column`` and ``message``.

    Examples
    --------
    >>> validate()
    []
    """
    folder = shipped_data_dir() if data_dir is None else Path(data_dir)
    return _Checker(folder, None if sources_dir is None else Path(sources_dir)).run()


def validate_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sswanalysis validate``."""
    parser.add_argument("data_dir", nargs="?", metavar="DIR",
                        help="含 datapackage.json 的文件夹 (默认: 随附的数据) / "
                             "folder with datapackage.json (default: the shipped data)")
    parser.add_argument("--sources", metavar="DIR",
                        help="来源原文的文件夹: 检查每条证据都出自原文 / "
                             "folder of source texts; check each evidence span occurs in its source")


def validate_main(args: argparse.Namespace) -> int:
    """Run ``sswanalysis validate``: print one line per fault; exit 1 if there are any."""
    faults = validate(args.data_dir, sources_dir=args.sources)
    where = args.data_dir or "the shipped data"
    for f in faults:
        print(f, file=sys.stderr)
    if faults:
        print(f"{len(faults)} fault(s) in {where}", file=sys.stderr)
        return 1
    print(f"{where}: valid")
    return 0
