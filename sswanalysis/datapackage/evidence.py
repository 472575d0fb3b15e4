"""The rules that tie a figure to its words: vocabularies, value rules, evidence and sources.

* vocabularies -- an indicator is reported only in the units its vocabulary row allows,
  a unit as written (``unit_zh``) is one of the words ``units.csv`` lists for its unit;
  a Chinese spelling of a station operation (``station_operations.label_zh`` or a word of
  its ``words_zh``) belongs to one code only;
* value rules -- ``value_high`` goes with ``range`` (and is not below ``value``), a count's
  qualifier goes with its count;
* evidence -- for tables whose descriptor has an ``evidenceCheck``, the evidence span is
  parsed by :mod:`sswanalysis.quantities` and must hold the stored number (万/亿 folded
  in), with the same qualifier (余 → at_least, 近 → at_most, 约 → approx) and measure word;
* sources -- each evidence span occurs verbatim in the body of the source file it cites
  (:mod:`sswanalysis.datapackage.sourcefiles`); the header's provenance agrees with
  ``sources.csv``.

Like :mod:`~sswanalysis.datapackage.schemarules`, each rule is asked once per distinct
combination of the cells it reads (the parser runs once per distinct evidence span and
figure), and the answer is logged for every row that holds it.

>>> _describe(1.2e4, None, "at_least", "人")
'12000 人 (at_least)'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sswanalysis.datapackage.distinct import FIRST_LINE, Distinct
from sswanalysis.datapackage.faults import FaultLog, show
from sswanalysis.datapackage.schemarules import is_number

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check_evidence", "check_sources", "check_spellings", "check_value_rules", "check_vocabularies",
           "source_texts", "spellings"]

Frames = Mapping[str, "pd.DataFrame"]
Resources = Mapping[str, Mapping[str, Any]]


def check_vocabularies(log: FaultLog, frames: Frames) -> None:
    """Log indicators reported in a unit their code does not allow, and units written in words
    ``units.csv`` does not list."""
    ind, codes, units = frames.get("indicators"), frames.get("indicator_codes"), frames.get("units")
    if ind is not None and codes is not None and {"indicator", "unit"} <= set(ind.columns):
        allowed = {code: set(str(u).split("|")) for code, u in zip(codes["indicator"], codes["units"],
                                                                     strict=True)}
        pairs = Distinct(ind, ["indicator", "unit"])
        for n, row in pairs:
            code, unit = row["indicator"], row["unit"]
            if code in allowed and unit is not None and unit not in allowed[code]:
                ok = ", ".join(sorted(allowed[code]))
                log.add_rows("indicators.csv", pairs.lines(n), "unit", f"{code} is not reported in {unit} "
                             f"(allowed: {ok})", rule="unit of the indicator")
    if ind is not None and units is not None and {"unit", "unit_zh"} <= set(ind.columns):
        words = {u: str(w).split("|") for u, w in zip(units["unit"], units["words_zh"], strict=True)}
        pairs = Distinct(ind, ["unit", "unit_zh"])
        for n, row in pairs:
            unit, word = row["unit"], row["unit_zh"]
            if unit in words and word is not None and word not in words[unit]:
                log.add_rows("indicators.csv", pairs.lines(n), "unit_zh",
                             f"{word} is not a way to write {unit} (units.csv: {'|'.join(words[unit])})",
                             rule="word for the unit")


def spellings(label: object, words: object) -> list[tuple[str, str]]:
    """(column, spelling) of one row of a vocabulary: its ``label_zh`` and each word of its
    ``words_zh`` (``|``-separated); an empty cell gives none.

    >>> spellings("委托专业机构运营", "委托运营|专业机构运营")
    [('label_zh', '委托专业机构运营'), ('words_zh', '委托运营'), ('words_zh', '专业机构运营')]
    >>> spellings("政府购买服务", float("nan"))
    [('label_zh', '政府购买服务')]
    """
    out = [("label_zh", label)] if isinstance(label, str) and label else []
    return out + ([("words_zh", w) for w in words.split("|") if w] if isinstance(words, str) else [])


def check_spellings(log: FaultLog, frames: Frames) -> None:
    """Log a Chinese spelling of ``station_operations`` (its ``label_zh`` or a word of ``words_zh``)
    that a code shares with an earlier one.

    The monthly ingest turns a station's operation as written into its code by these
    spellings (:func:`sswanalysis.monthly.attributes.service_model_spellings`): a spelling of
    two codes would silently become whichever comes last.
    """
    table = frames.get("station_operations")
    if table is None or not {"operation", "label_zh", "words_zh"} <= set(table.columns):
        return
    owner: dict[str, tuple[str, int]] = {}  # spelling -> (code, CSV line) that has it first
    rows = zip(table["operation"], table["label_zh"], table["words_zh"], strict=True)
    for i, (code, label, words) in enumerate(rows):
        line = i + FIRST_LINE
        for column, word in spellings(label, words):
            first = owner.setdefault(word, (code, line))
            if first[0] != code:
                log.add("station_operations.csv", line, column,
                        f"{word!r} is also a spelling of {first[0]} (row {first[1]}); a spelling must "
                        "belong to one code only, or the monthly ingest cannot tell which code it means: "
                        "remove it from one of them", rule="spelling of one code")


def check_value_rules(log: FaultLog, path: str, frame: pd.DataFrame, check: Mapping[str, str]) -> None:
    """Log a qualifier without its figure (or the reverse) and a ``value_high`` out of place."""
    value, high, qual = check["value"], check.get("value_high"), check["qualifier"]
    combos = Distinct(frame, [c for c in (value, high, qual) if c])
    for n, row in combos:
        v, q = row[value], row[qual]
        h = row[high] if high else None
        found = []
        if (v is None) != (q is None):
            found.append((qual, f"{qual} must be filled exactly when {value} is"))
        if high is not None:
            if q == "range" and h is None:
                found.append((high, "a range needs value_high"))
            if q != "range" and h is not None:
                found.append((high, f"value_high is only for ranges (qualifier is {q})"))
            if q == "range" and is_number(str(v)) and is_number(str(h)) and float(h) < float(v):
                found.append((high, f"value_high {h} is below value {v}"))
        for column, message in found:
            log.add_rows(path, combos.lines(n), column, message, rule="value rules")


def check_evidence(log: FaultLog, path: str, frame: pd.DataFrame, check: Mapping[str, str],
                   english: set[str]) -> None:
    """Log figures whose evidence span does not hold them (:mod:`sswanalysis.quantities`).

    ``english`` holds the sources written in English: their spans have no measure word to compare.
    """
    from sswanalysis.quantities import iter_quantities

    if "evidence" not in frame.columns:
        return
    value, high = check["value"], check.get("value_high")
    qual, unit = check["qualifier"], check.get("unit_zh")
    combos = Distinct(frame, [c for c in (value, high, qual, unit, "source_id", "evidence") if c])
    for n, row in combos:
        v, evidence = row[value], row["evidence"]
        if v is None or evidence is None or not is_number(v):
            continue
        want = (float(v), _float_or_none(row[high]) if high else None, row[qual], row[unit] if unit else None)
        found = [(m.quantity.value, m.quantity.value_high, m.quantity.qualifier, m.quantity.unit)
                 for m in iter_quantities(evidence)]
        # English text has no measure word to compare (unit_zh stays empty).
        compare_unit = unit is not None and row.get("source_id") not in english
        if any(_same(want, got, compare_unit=compare_unit) for got in found):
            continue
        shown = "; ".join(_describe(*got) for got in found) or "no quantity"
        log.add_rows(path, combos.lines(n), value,
                     f"stored {_describe(*want)} but the evidence {show(evidence)} says {shown[:300]}",
                     rule="evidence holds the figure")


def source_texts(log: FaultLog, sources: pd.DataFrame | None, sources_dir: Path | None,
                 raw: dict[str, str]) -> dict[str, str]:
    """Body of each source's file, whitespace removed; log missing files and headers that
    disagree with ``sources.csv``. ``raw`` receives each body as stored (for the review rules)."""
    from sswanalysis.datapackage.sourcefiles import header_mismatches, read_source
    from sswanalysis.datapackage.structure import path_problem

    texts: dict[str, str] = {}
    if sources_dir is None or sources is None or "source_file" not in sources.columns:
        return texts
    for i, row in enumerate(sources.astype(object).where(sources.notna(), None).to_dict("records")):
        file, line = row.get("source_file"), i + FIRST_LINE
        if not isinstance(file, str):
            continue
        why = path_problem(file)
        if why:
            log.add("sources.csv", line, "source_file", f"{why}; name a file inside {sources_dir}",
                    rule="source file")
            continue
        p = sources_dir / file
        if not p.is_file():
            log.add("sources.csv", line, "source_file", f"{p} does not exist", rule="source file")
            continue
        try:
            text = read_source(p)
        except (OSError, ValueError) as exc:  # unreadable, or its encoding cannot be established
            log.add("sources.csv", line, "source_file", f"{file} cannot be read: {exc}", rule="source file")
            continue
        for column, have, want in header_mismatches(text.header, row):
            log.add("sources.csv", line, column, f"is {have!r} but the header of {file} says {want!r}",
                    rule="source header")
        raw[row["source_id"]] = text.body
        # Line breaks in the source files are extraction artefacts (page breaks).
        texts[row["source_id"]] = re.sub(r"\s+", "", text.body)
    return texts


def check_sources(log: FaultLog, path: str, frame: pd.DataFrame, texts: Mapping[str, str]) -> None:
    """Log evidence spans of ``frame`` that do not occur in the text of the source they cite."""
    if not texts or not {"source_id", "evidence"} <= set(frame.columns):
        return
    spans = Distinct(frame, ["source_id", "evidence"])
    for n, row in spans:
        sid, evidence = row["source_id"], row["evidence"]
        text = texts.get(sid)
        if text and evidence is not None and re.sub(r"\s+", "", evidence) not in text:
            log.add_rows(path, spans.lines(n), "evidence",
                         f"{show(evidence)} does not occur in the text of source {sid}",
                         rule="evidence occurs in the source")


def _float_or_none(text: Any) -> float | None:
    return float(text) if isinstance(text, str) and is_number(text) else None


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
