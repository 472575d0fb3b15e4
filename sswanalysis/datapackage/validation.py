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
* filled together — columns a descriptor lists under ``filledTogether`` (a date and how it is
  known) are both filled or both empty;
* regions — the hierarchy (``parent_id``) runs strictly upwards (country > province >
  prefecture > county > township), without cycles, and a child's division code starts with
  its parent's;
* sources (optional) — each evidence span occurs verbatim in the body of the source file it
  cites (after a ``key: value`` header ended by ``---``, see :mod:`sswanalysis.datapackage.sourcefiles`),
  in the script it is stored in; the header's provenance agrees with ``sources.csv``;
* conflicts (warnings) — two figures of a ``single_valued`` indicator for the same place,
  unit and time that differ (:mod:`sswanalysis.datapackage.conflicts`). Warnings do not make a package
  invalid; ``validate(..., warnings=True)`` returns them too.
* review — the checkable rules of ``docs/data-review.md`` (:mod:`~sswanalysis.datapackage.review`):
  a unit as written occurs in its evidence, 一批 is never an exact 1, a period is backed by
  its words in the source (when sources are given), a document's level and a feature's
  ``stated`` basis are backed by words;
* personal data — no text cell holds an identity, phone or bank card number or an e-mail
  address (:mod:`sswanalysis.personal_data`), except the evidence spans of published
  sources (:data:`PUBLISHED_SOURCE_KINDS`), which quote public text. Every fault message
  shows such numbers masked, whichever check quotes them.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sswanalysis.datapackage.descriptor import (
    PathLike,
    foreign_keys,
    primary_key,
    read_strings,
    shipped_data_dir,
)
from sswanalysis.datapackage.faults import (
    FAULTS_PER_KIND,
    SHOWN_CHARS,
    Fault,
    fault_kind,
    resource_problem,
    show,
)

if TYPE_CHECKING:
    import pandas as pd

HEADER_ROW = 1  # the header is line 1 of a CSV file; data rows start at line 2
#: kinds of ``sources`` whose text is public: their evidence spans may quote anything in it
PUBLISHED_SOURCE_KINDS = frozenset({"article_section", "reference"})


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
        self.resources: dict[str, dict[str, Any]] = {}
        self.per_kind: dict[tuple[str, str | None, str], int] = {}
        self.texts: dict[str, str] = {}  # source_id -> raw source text, when sources are given

    def fault(self, file: str, row: int | None, column: str | None, message: str,
              severity: str = "error") -> None:
        """Keep the fault, unless :data:`FAULTS_PER_KIND` of its kind are kept already (then count it)."""
        kind = fault_kind(file, column, message)
        seen = self.per_kind.get(kind, 0)
        self.per_kind[kind] = seen + 1
        if seen < FAULTS_PER_KIND:
            from sswanalysis.personal_data import mask

            self.faults.append(Fault(file, row, column if column is None else mask(column), mask(message),
                                     severity))

    def capped(self) -> list[Fault]:
        """The faults kept, each capped kind followed by one fault counting the rest."""
        out: list[Fault] = []
        kept: dict[tuple[str, str | None, str], int] = {}
        for f in self.faults:
            out.append(f)
            kind = fault_kind(f.file, f.column, f.message)
            kept[kind] = kept.get(kind, 0) + 1
            if kept[kind] == FAULTS_PER_KIND and self.per_kind[kind] > FAULTS_PER_KIND:
                out.append(Fault(f.file, None, f.column, f"… and {self.per_kind[kind] - FAULTS_PER_KIND} "
                                                         f"more faults like the {FAULTS_PER_KIND} above",
                                 f.severity))
        return out

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
            # plain Python strings (None where empty): the checks below go cell by cell, and
            # iterating Arrow-backed columns element-wise is many times slower
            self.frames[res["name"]] = frame.astype(object).where(frame.notna(), None)

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
                    self.fault(path, row, col, f"{show(cell)} is not {type_check[1]}")
                    continue
                if "enum" in cons and cell not in cons["enum"]:
                    allowed = ", ".join(cons["enum"])
                    self.fault(path, row, col, f"{show(cell)} is not one of: {allowed}")
                if pattern is not None and re.fullmatch(pattern, cell) is None:
                    self.fault(path, row, col, f"{show(cell)} does not match the pattern {pattern}")
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
            dup = frame.duplicated(subset=key, keep="first").to_numpy()
            rows = dup.nonzero()[0]
            keys = frame[key].to_numpy(dtype=object)[rows]
            for i, values in zip(rows.tolist(), keys.tolist(), strict=True):
                shown = ", ".join(show(str(v)) if len(str(v)) > SHOWN_CHARS else str(v) for v in values)
                self.fault(path, i + HEADER_ROW + 1, "+".join(key), f"duplicate key ({shown})")
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

        english = self.english_sources()
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
                written = row.get(unit) if unit else None
                want = (float(v), _float_or_none(row.get(high)) if high else None,
                        row.get(qual), written if isinstance(written, str) else None)
                found = [
                    (m.quantity.value, m.quantity.value_high, m.quantity.qualifier, m.quantity.unit)
                    for m in iter_quantities(evidence)
                ]
                # English text has no measure word to compare (unit_zh stays empty).
                compare_unit = unit is not None and row.get("source_id") not in english
                if any(_same(want, got, compare_unit=compare_unit) for got in found):
                    continue
                shown = "; ".join(_describe(*got) for got in found) or "no quantity"
                self.fault(
                    path, i + HEADER_ROW + 1, value,
                    f"stored {_describe(*want)} but the evidence {show(evidence)} says {shown[:300]}",
                )

    def english_sources(self) -> set[str]:
        sources = self.frames.get("sources")
        if sources is None or "script" not in sources.columns:
            return set()
        return set(sources.loc[sources["script"] == "english", "source_id"])

    def source_texts(self) -> dict[str, str]:
        """Body of each source's file, whitespace removed; faults for missing files and headers
        that disagree with ``sources.csv``."""
        from sswanalysis.datapackage.sourcefiles import header_mismatches, read_source

        sources = self.frames.get("sources")
        texts: dict[str, str] = {}
        if self.sources_dir is None or sources is None or "source_file" not in sources.columns:
            return texts
        for i, row in enumerate(sources.to_dict("records")):
            file = row.get("source_file")
            if not isinstance(file, str):
                continue
            p = self.sources_dir / file
            if not p.is_file():
                self.fault("sources.csv", i + HEADER_ROW + 1, "source_file", f"{p} does not exist")
                continue
            text = read_source(p)
            for column, have, want in header_mismatches(text.header, row):
                self.fault("sources.csv", i + HEADER_ROW + 1, column,
                           f"is {have!r} but the header of {file} says {want!r}")
            self.texts[row["source_id"]] = text.body  # as stored, for the review rules
            # Line breaks in the source files are extraction artefacts (page breaks).
            texts[row["source_id"]] = re.sub(r"\s+", "", text.body)
        return texts

    def check_sources(self) -> None:
        texts = self.source_texts()
        for name, frame in self.frames.items():
            if not {"source_id", "evidence"} <= set(frame.columns):
                continue
            path = self.resources[name]["path"]
            pairs = zip(frame["source_id"], frame["evidence"], strict=True)
            for i, (sid, evidence) in enumerate(pairs):
                text = texts.get(sid)
                if text and isinstance(evidence, str) and re.sub(r"\s+", "", evidence) not in text:
                    self.fault(path, i + HEADER_ROW + 1, "evidence",
                               f"{show(evidence)} does not occur in the text of source {sid}")

    # -- columns filled together, region hierarchy, conflicts ---------------------------
    def check_filled_together(self) -> None:
        for name, frame in self.frames.items():
            path = self.resources[name]["path"]
            for cols in self.resources[name].get("filledTogether", []):
                if not set(cols) <= set(frame.columns):
                    continue
                filled = frame[cols].notna()
                for i in filled.index[filled.any(axis=1) & ~filled.all(axis=1)]:
                    empty = [c for c in cols if not filled.at[i, c]]
                    self.fault(path, i + HEADER_ROW + 1, empty[0],
                               f"is empty but {' and '.join(c for c in cols if c not in empty)} "
                               "is filled: fill both or neither")

    def check_regions(self) -> None:
        regions = self.frames.get("regions")
        if regions is None or not {"region_id", "parent_id", "admin_level"} <= set(regions.columns):
            return
        rows = {r["region_id"]: (i + HEADER_ROW + 1, r) for i, r in
                enumerate(regions.to_dict("records"))}
        for rid, (line, r) in rows.items():
            parent = r.get("parent_id")
            if not isinstance(parent, str) or parent not in rows:
                continue  # a missing parent is the foreign-key check's fault
            p = rows[parent][1]
            if _LEVELS.get(p["admin_level"], -1) >= _LEVELS.get(r["admin_level"], -1):
                self.fault("regions.csv", line, "parent_id",
                           f"{parent} ({p['admin_level']}) is not above {rid} ({r['admin_level']})")
            code, pcode = r.get("division_code"), p.get("division_code")
            digits = _CODE_DIGITS.get(p["admin_level"])
            if isinstance(code, str) and isinstance(pcode, str) and digits \
                    and code[:digits] != pcode[:digits]:
                self.fault("regions.csv", line, "division_code",
                           f"{code} does not start with {pcode[:digits]}, the code of its parent {parent}")

    def check_conflicts(self) -> None:
        from sswanalysis.datapackage.conflicts import conflicts

        ind, codes = self.frames.get("indicators"), self.frames.get("indicator_codes")
        if ind is None or codes is None or "single_valued" not in codes.columns:
            return
        for i, j in conflicts(ind, codes):
            a, b = ind.iloc[i], ind.iloc[j]
            self.fault(
                "indicators.csv", j + HEADER_ROW + 1, "value",
                f"{b['observation_id']} ({b['source_id']}) says {b['value']} {b['qualifier']} but "
                f"{a['observation_id']} (row {i + HEADER_ROW + 1}, {a['source_id']}) says "
                f"{a['value']} {a['qualifier']} for {b['indicator']} of {b['region_id']} at the same "
                f"time ({_when(a)} / {_when(b)}); both are kept, see sswanalysis.datapackage.conflicts",
                severity="warning",
            )

    # -- personal data -----------------------------------------------------------------
    def check_personal_data(self, res: dict[str, Any], frame: pd.DataFrame) -> None:
        """Fault the text cells of a table that hold personal data.

        An ``evidence`` cell is exempt when the row's source is published: its text is public.
        """
        import pyarrow as pa

        from sswanalysis.personal_data import find_in_column, kind_labels

        sources = self.frames.get("sources")
        published = set() if sources is None or "kind" not in sources.columns else set(
            sources.loc[sources["kind"].isin(PUBLISHED_SOURCE_KINDS), "source_id"])
        for spec in res["schema"]["fields"]:
            col = spec["name"]
            if spec.get("type", "string") != "string" or col not in frame.columns:
                continue
            hits = find_in_column(pa.array(frame[col], type=pa.string(), from_pandas=True))
            exempt = col == "evidence" and "source_id" in frame.columns
            for i, found in hits.items():
                if exempt and frame["source_id"].iat[i] in published:
                    continue
                zh, en = kind_labels(f.kind for f in found)
                self.fault(res["path"], i + HEADER_ROW + 1, col,
                           f"含个人信息({zh}),数据包不得收录,请删除 · personal data ({en}) must not be in a "
                           f"Data Package — remove it: {' '.join(f.masked for f in found)}")

    # -- all ---------------------------------------------------------------------------
    def descriptor(self) -> dict[str, Any] | None:
        """``datapackage.json`` parsed, its unusable resources faulted and left out; None if unusable."""
        import json

        name = "datapackage.json"
        try:
            desc = json.loads(self.folder.joinpath(name).read_bytes().decode("utf-8"))
        except FileNotFoundError:
            self.fault(name, None, None, "file is missing")
            return None
        except UnicodeDecodeError as exc:
            self.fault(name, None, None, f"is not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8")
            return None
        except json.JSONDecodeError as exc:
            self.fault(name, exc.lineno, None, f"is not valid JSON: {exc.msg}")
            return None
        if not isinstance(desc, dict) or not isinstance(desc.get("resources", []), list):
            self.fault(name, None, None, "must be a JSON object whose 'resources' is a list")
            return None
        good = []
        for i, res in enumerate(desc.get("resources", [])):
            problem = resource_problem(res)
            if problem:
                self.fault(name, None, f"resources[{i}]", problem)
            else:
                res.setdefault("path", f"{res['name']}.csv")
                good.append(res)
        desc["resources"] = good
        return desc

    def run(self) -> list[Fault]:
        desc = self.descriptor()
        if desc is None:
            return self.faults
        self.resources = {r["name"]: r for r in desc["resources"]}
        self.read_tables(desc)
        for name, frame in self.frames.items():
            self.check_cells(self.resources[name], frame)
        for name, frame in self.frames.items():
            self.check_keys(self.resources[name], frame)
        self.check_vocabularies()
        self.check_evidence()
        self.check_filled_together()
        self.check_regions()
        self.check_sources()
        self.check_review()
        for name, frame in self.frames.items():
            self.check_personal_data(self.resources[name], frame)
        self.check_conflicts()
        return self.capped()

    def check_review(self) -> None:
        from sswanalysis.datapackage.review import review

        for file, row, column, message in review(self.frames, self.resources, self.texts):
            self.fault(file, row, column, message)


#: admin_level -> depth in the hierarchy (a parent's depth is smaller than its child's)
_LEVELS = {"country": 0, "province": 1, "prefecture_city": 2, "county": 3, "township": 4}
#: admin_level of a parent -> leading digits of its GB/T 2260 code its children share
_CODE_DIGITS = {"province": 2, "prefecture_city": 4}


def _when(row: Any) -> str:
    return row["as_of"] if isinstance(row["as_of"], str) else "not dated"


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


def validate(data_dir: PathLike | None = None, *, sources_dir: PathLike | None = None,
             warnings: bool = False) -> list[Fault]:
    """Check a Data Package folder and return its faults (an empty list when it is valid).

    Parameters
    ----------
    data_dir : path, optional
        Folder holding ``datapackage.json`` and its CSV files. Default: the shipped data.
    sources_dir : path, optional
        Folder of source texts named by ``sources.source_file``; when given, every evidence
        span must occur in the text of the source it cites.
    warnings : bool, default False
        Also return warnings (``severity == "warning"``): conflicting figures, which are
        kept in the data and do not make it invalid.

    Returns
    -------
    list of Fault
        Each with ``file``, ``row`` (CSV line number, header = 1), ``column`` and ``message``.

    Examples
    --------
    >>> validate()
    []
    >>> [f.row for f in validate(warnings=True) if f.severity == "warning"]  # Hunan: 1,940 vs 1,938
    [55]
    """
    folder = shipped_data_dir() if data_dir is None else Path(data_dir)
    faults = _Checker(folder, None if sources_dir is None else Path(sources_dir)).run()
    return faults if warnings else [f for f in faults if f.severity == "error"]


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
    faults = validate(args.data_dir, sources_dir=args.sources, warnings=True)
    where = args.data_dir or "the shipped data"
    for f in faults:
        print(f, file=sys.stderr)
    errors = sum(f.severity == "error" for f in faults)
    warned = len(faults) - errors
    if errors:
        print(f"{errors} fault(s) and {warned} warning(s) in {where}", file=sys.stderr)
        return 1
    print(f"{where}: valid" + (f", with {warned} warning(s)" if warned else ""))
    return 0
