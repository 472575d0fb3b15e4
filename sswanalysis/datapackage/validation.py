"""Validate a Data Package: schema, keys, vocabularies, values and the evidence of every figure.

Every fault names the file, the row (the line number in the CSV file, the header being
line 1) and the column, so it can be found and fixed. Nothing stops at the first fault:
all of them are counted, and the first :data:`~sswanalysis.datapackage.faults.FAULTS_PER_KIND`
of each kind (file, column and rule) are shown (:class:`~sswanalysis.datapackage.faults.FaultLog`);
``sswanalysis validate`` ends with the true number of each kind. Each rule is asked once per
distinct combination of the cells it reads (:class:`~sswanalysis.datapackage.distinct.Distinct`),
so a large file that repeats its values costs little more than reading it.

The checks, in order:

* structure — the descriptor parses, and every property the checks rely on has the type
  they expect (:mod:`~sswanalysis.datapackage.structure`): a known field type, a list of
  strings as ``enum``, a ``pattern`` that compiles, keys that name existing fields and
  resources, a ``path`` inside the package folder; each table's file exists, its header
  holds exactly the schema's columns;
* cells and keys (:mod:`~sswanalysis.datapackage.schemarules`) — required cells are filled,
  values parse as their type, and meet ``enum``, ``pattern``, ``minimum`` (no negative
  figures) and ``maxLength``; primary keys are unique, foreign keys point at existing rows;
* vocabularies and evidence (:mod:`~sswanalysis.datapackage.evidence`) — an indicator is
  reported only in the units its vocabulary row allows, a unit as written (``unit_zh``) is
  one of the words ``units.csv`` lists for its unit, ``value_high`` goes with ``range`` (and
  is not below ``value``), a count's qualifier goes with its count, a Chinese spelling of
  a station operation belongs to one code only; for tables whose
  descriptor has an ``evidenceCheck``, the evidence span is parsed by
  :mod:`sswanalysis.quantities` and must hold the stored number (万/亿 folded in), with the
  same qualifier (余 → at_least, 近 → at_most, 约 → approx) and measure word;
* filled together — columns a descriptor lists under ``filledTogether`` (a date and how it is
  known) are both filled or both empty;
* regions — the hierarchy (``parent_id``) runs strictly upwards (country > province >
  prefecture > county > township), without cycles, and a child's division code starts with
  its parent's;
* sources (optional) — each evidence span occurs verbatim in the body of the source file it
  cites (after a ``key: value`` header ended by ``---``, see :mod:`sswanalysis.datapackage.sourcefiles`),
  in the script it is stored in; the header's provenance agrees with ``sources.csv``;
* review — the checkable rules of ``docs/data-review.md`` (:mod:`~sswanalysis.datapackage.review`):
  a unit as written occurs in its evidence, 一批 is never an exact 1, a period is backed by
  its words in the source (when sources are given), a document's level and a feature's
  ``stated`` basis are backed by words;
* personal data — no text cell holds an identity, phone or bank card number or an e-mail
  address (:mod:`sswanalysis.personal_data`), except the evidence spans of published
  sources (:data:`PUBLISHED_SOURCE_KINDS`), which quote public text. Every fault message
  shows such numbers masked, whichever check quotes them;
* conflicts (warnings) — two figures of a ``single_valued`` indicator for the same place,
  unit and time that differ (:mod:`sswanalysis.datapackage.conflicts`). Warnings do not make a package
  invalid; ``validate(..., warnings=True)`` returns them too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sswanalysis.datapackage import evidence, schemarules
from sswanalysis.datapackage.descriptor import PathLike, read_strings, shipped_data_dir
from sswanalysis.datapackage.distinct import FIRST_LINE
from sswanalysis.datapackage.faults import FAULTS_PER_KIND, Fault, FaultLog
from sswanalysis.datapackage.structure import resource_problems

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FAULTS_PER_KIND", "PUBLISHED_SOURCE_KINDS", "Fault", "check", "validate", "validate_arguments",
           "validate_main"]

HEADER_ROW = 1  # the header is line 1 of a CSV file; data rows start at line 2
#: kinds of ``sources`` whose text is public: their evidence spans may quote anything in it
PUBLISHED_SOURCE_KINDS = frozenset({"article_section", "reference"})


class _Checker:
    """Runs every check over one Data Package folder into a :class:`FaultLog`."""

    def __init__(self, folder: Path | Any, sources_dir: Path | None, per_kind: int) -> None:
        self.folder = folder
        self.sources_dir = sources_dir
        self.log = FaultLog(per_kind)
        self.frames: dict[str, pd.DataFrame] = {}
        self.resources: dict[str, dict[str, Any]] = {}
        self.texts: dict[str, str] = {}  # source_id -> raw source text, when sources are given

    def fault(self, file: str, row: int | None, column: str | None, message: str, rule: str) -> None:
        self.log.add(file, row, column, message, rule=rule)

    # -- structure ---------------------------------------------------------------------
    def descriptor(self) -> dict[str, Any] | None:
        """``datapackage.json`` parsed, its unusable resources faulted and left out; None if unusable."""
        import json

        name = "datapackage.json"
        try:
            desc = json.loads(self.folder.joinpath(name).read_bytes().decode("utf-8"))
        except FileNotFoundError:
            self.fault(name, None, None, "file is missing", "descriptor")
            return None
        except UnicodeDecodeError as exc:
            self.fault(name, None, None, f"is not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8",
                       "descriptor")
            return None
        except json.JSONDecodeError as exc:
            self.fault(name, exc.lineno, None, f"is not valid JSON: {exc.msg}", "descriptor")
            return None
        except RecursionError:
            self.fault(name, None, None, "is nested too deeply to read; a descriptor needs only a few levels",
                       "descriptor")
            return None
        if not isinstance(desc, dict) or not isinstance(desc.get("resources", []), list):
            self.fault(name, None, None, "must be a JSON object whose 'resources' is a list", "descriptor")
            return None
        good, problems = resource_problems(desc.get("resources", []))
        for i, problem in problems:
            self.fault(name, None, f"resources[{i}]", problem, "descriptor")
        desc["resources"] = good
        return desc

    def read_tables(self, desc: dict[str, Any]) -> None:
        import pandas as pd

        for res in desc.get("resources", []):
            path = res["path"]
            file = self.folder.joinpath(path)
            if not file.is_file():
                self.fault(path, None, None, "file is missing (named by datapackage.json)", "file")
                continue
            try:
                frame = read_strings(file)
            except UnicodeDecodeError as exc:
                self.fault(path, None, None, f"is not UTF-8 ({exc.reason} at byte {exc.start})", "file")
                continue
            except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
                self.fault(path, None, None, f"cannot be read as CSV: {exc}", "file")
                continue
            expected = [f["name"] for f in res["schema"]["fields"]]
            for col in expected:
                if col not in frame.columns:
                    self.fault(path, HEADER_ROW, col, "column is missing", "header")
            for col in frame.columns:
                if col not in expected:
                    self.fault(path, HEADER_ROW, col, "column is not in the schema", "header")
            self.frames[res["name"]] = frame

    # -- regions, review, personal data, conflicts --------------------------------------
    def check_regions(self) -> None:
        regions = self.frames.get("regions")
        if regions is None or not {"region_id", "parent_id", "admin_level"} <= set(regions.columns):
            return
        records = regions.astype(object).where(regions.notna(), None).to_dict("records")
        rows = {r["region_id"]: (i + FIRST_LINE, r) for i, r in enumerate(records)}
        for rid, (line, r) in rows.items():
            parent = r.get("parent_id")
            if not isinstance(parent, str) or parent not in rows:
                continue  # a missing parent is the foreign-key check's fault
            p = rows[parent][1]
            if _LEVELS.get(p["admin_level"], -1) >= _LEVELS.get(r["admin_level"], -1):
                self.fault("regions.csv", line, "parent_id",
                           f"{parent} ({p['admin_level']}) is not above {rid} ({r['admin_level']})",
                           "hierarchy")
            code, pcode = r.get("division_code"), p.get("division_code")
            digits = _CODE_DIGITS.get(p["admin_level"])
            if isinstance(code, str) and isinstance(pcode, str) and digits \
                    and code[:digits] != pcode[:digits]:
                self.fault("regions.csv", line, "division_code",
                           f"{code} does not start with {pcode[:digits]}, the code of its parent {parent}",
                           "hierarchy")

    def check_review(self) -> None:
        from sswanalysis.datapackage.review import review

        for file, lines, column, message in review(self.frames, self.resources, self.texts):
            self.log.add_rows(file, lines, column, message, rule="data review")

    def check_personal_data(self, res: dict[str, Any], frame: pd.DataFrame) -> None:
        """Fault the text cells of a table that hold personal data.

        An ``evidence`` cell is exempt when the row's source is published: its text is public.
        """
        import numpy as np
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
            exempt = frame["source_id"].isin(published).to_numpy() \
                if col == "evidence" and "source_id" in frame.columns else None
            by_message: dict[str, list[int]] = {}
            for i, found in hits.items():
                if exempt is not None and exempt[i]:
                    continue
                zh, en = kind_labels(f.kind for f in found)
                message = (f"含个人信息({zh}),数据包不得收录,请删除 · personal data ({en}) must not be in a "
                           f"Data Package — remove it: {' '.join(f.masked for f in found)}")
                by_message.setdefault(message, []).append(i + FIRST_LINE)
            for message, lines in by_message.items():
                self.log.add_rows(res["path"], np.array(lines), col, message, rule="personal data")

    def check_conflicts(self) -> None:
        import itertools

        from sswanalysis.datapackage.conflicts import count_conflicts

        ind, codes = self.frames.get("indicators"), self.frames.get("indicator_codes")
        if ind is None or codes is None or "single_valued" not in codes.columns:
            return
        total, pairs = count_conflicts(ind, codes)
        shown = 0
        for i, j in itertools.islice(pairs, self.log.per_kind):
            a, b = ind.iloc[i], ind.iloc[j]
            self.log.add(
                "indicators.csv", j + FIRST_LINE, "value",
                f"{b['observation_id']} ({b['source_id']}) says {b['value']} {b['qualifier']} but "
                f"{a['observation_id']} (row {i + FIRST_LINE}, {a['source_id']}) says "
                f"{a['value']} {a['qualifier']} for {b['indicator']} of {b['region_id']} at the same "
                f"time ({_when(a)} / {_when(b)}); both are kept, see sswanalysis.datapackage.conflicts",
                rule="conflicting figures", severity="warning")
            shown += 1
        self.log.add_uncounted("indicators.csv", "value", total - shown, rule="conflicting figures",
                               severity="warning")

    # -- all ---------------------------------------------------------------------------
    def run(self) -> FaultLog:
        desc = self.descriptor()
        if desc is None:
            return self.log
        self.resources = {r["name"]: r for r in desc["resources"]}
        self.read_tables(desc)
        tables = [(self.resources[name], frame) for name, frame in self.frames.items()]
        checked = [(res, frame, res["evidenceCheck"]) for res, frame in tables if "evidenceCheck" in res]
        sources = self.frames.get("sources")
        english = set() if sources is None or "script" not in sources.columns else set(
            sources.loc[sources["script"] == "english", "source_id"])
        steps = [
            *[(schemarules.check_cells, (self.log, res, frame)) for res, frame in tables],
            *[(schemarules.check_keys, (self.log, res, frame, self.frames)) for res, frame in tables],
            (evidence.check_vocabularies, (self.log, self.frames)),
            (evidence.check_spellings, (self.log, self.frames)),
            *[(evidence.check_value_rules, (self.log, res["path"], frame, ev)) for res, frame, ev in checked],
            *[(evidence.check_evidence, (self.log, res["path"], frame, ev, english))
              for res, frame, ev in checked],
            *[(schemarules.check_filled_together, (self.log, res, frame)) for res, frame in tables],
            (self.check_regions, ()),
        ]
        for step, args in steps:
            self.log.section()
            step(*args)
        self.log.section()
        texts = evidence.source_texts(self.log, sources, self.sources_dir, self.texts)
        for res, frame in tables:
            evidence.check_sources(self.log, res["path"], frame, texts)
        for step, args in [(self.check_review, ()),
                           *[(self.check_personal_data, (res, frame)) for res, frame in tables],
                           (self.check_conflicts, ())]:
            self.log.section()
            step(*args)
        return self.log


#: admin_level -> depth in the hierarchy (a parent's depth is smaller than its child's)
_LEVELS = {"country": 0, "province": 1, "prefecture_city": 2, "county": 3, "township": 4}
#: admin_level of a parent -> leading digits of its GB/T 2260 code its children share
_CODE_DIGITS = {"province": 2, "prefecture_city": 4}


def _when(row: Any) -> str:
    return row["as_of"] if isinstance(row["as_of"], str) else "not dated"


def check(data_dir: PathLike | None = None, *, sources_dir: PathLike | None = None,
          per_kind: int = FAULTS_PER_KIND) -> FaultLog:
    """Run every check over a Data Package folder; the log counts every fault (:func:`validate`).

    Parameters
    ----------
    data_dir, sources_dir : path, optional
        As for :func:`validate`.
    per_kind : int, default :data:`FAULTS_PER_KIND`
        How many faults of each kind the log keeps (all of them are counted).

    Returns
    -------
    FaultLog
        ``totals`` counts each kind of fault; ``faults()`` lists those kept.

    Examples
    --------
    >>> log = check()
    >>> log.count("error"), log.count("warning")
    (0, 1)
    """
    folder = shipped_data_dir() if data_dir is None else Path(data_dir)
    return _Checker(folder, None if sources_dir is None else Path(sources_dir), per_kind).run()


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
        Of each kind of fault, the first :data:`FAULTS_PER_KIND` are listed, then one fault
        counting the rest (:func:`check` gives the counts).

    Examples
    --------
    >>> validate()
    []
    >>> [f.row for f in validate(warnings=True) if f.severity == "warning"]  # Hunan: 1,940 vs 1,938
    [55]
    """
    faults = check(data_dir, sources_dir=sources_dir).faults()
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
    """Run ``sswanalysis validate``: print the faults shown, the count of each kind cut short,
    and a summary line; exit 1 if there are faults."""
    log = check(args.data_dir, sources_dir=args.sources)
    where = args.data_dir or "the shipped data"
    for f in log.faults():
        print(f, file=sys.stderr)
    cut = {kind: n for kind, n in log.totals.items() if n > log.per_kind}
    if cut:
        print("各类问题总数 / how many of each kind were found:", file=sys.stderr)
        for kind, n in cut.items():
            print(f"  {kind}: {n:,}", file=sys.stderr)
    errors, warned = log.count("error"), log.count("warning")
    if errors:
        print(f"{errors} fault(s) and {warned} warning(s) in {where}", file=sys.stderr)
        return 1
    print(f"{where}: valid" + (f", with {warned} warning(s)" if warned else ""))
    return 0
