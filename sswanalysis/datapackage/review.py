"""Data-review rules that code can check: how a figure's unit, count, period, level and basis are read.

These are the checkable part of the review checklist in ``docs/data-review.md``. Each rule
looks at what a row stores against the words of its evidence span (and, for periods, the
paragraph of the source around it) and returns findings ``(file, lines, column, message)``:
one per distinct combination of the cells a rule reads, with the CSV line numbers of all the
rows that hold it (:class:`~sswanalysis.datapackage.distinct.Distinct`);
:mod:`~sswanalysis.datapackage.validation` runs them after its own checks.

* unit as written — a ``unit_zh`` (or measure word) occurs in its own evidence span;
* unspecified counts — a span that says 一批, 一些, 若干 or 多个 is never stored as an exact 1;
* period — a period other than ``not_stated`` is backed by its words (截至目前, 项目启动后,
  今年以来, 一次性 …) in the paragraph of the source that holds the figure;
* level — a document's level is backed by a word of that level in its title, issuer or
  evidence (省, 市, 县, 民政部 …), else it is ``not_stated``;
* basis — a model feature marked ``stated`` has one of the feature's words in its evidence;
  otherwise it is our reading and must be marked ``interpreted``.

>>> unspecified_count("孵化一批社区社会组织")
'一批'
>>> unspecified_count("孵化社区社会组织链3个") is None
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sswanalysis.datapackage.distinct import Distinct
from sswanalysis.datapackage.faults import show
from sswanalysis.datapackage.schemarules import is_number

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: (file, CSV line numbers of the rows, column, message)
Finding = tuple[str, "np.ndarray", str, str]

#: words that stand for "a number of" without a number: never an exact count of one
_UNSPECIFIED = re.compile(r"一[批些]|若干|(?<![0-9〇零一二两三四五六七八九十百千万])多[个家支项批名位]")

#: words that state the period of a figure (indicators.period), looked for in its paragraph
PERIOD_WORDS: dict[str, tuple[str, ...]] = {
    "cumulative_to_date": ("截至目前", "截至", "截止", "共"),
    "since_project_start": ("项目启动后", "实施以来", "启动以来"),
    "year_to_date": ("今年以来", "年初以来"),
    "one_off": ("一次性",),
}

#: words that state a document's level of government (documents.level)
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "national": ("国务院", "中共中央", "民政部", "国家", "全国"),
    "provincial": ("省", "自治区"),
    "prefecture": ("市", "州", "盟"),
    "county": ("县", "区", "旗"),
}

_SENTENCE_END = ("。", "！", "？", "!", "?", ")", "）")


def unspecified_count(evidence: str) -> str | None:
    """The words of ``evidence`` that give a count without a number (一批, 多个 …), if any.

    >>> unspecified_count("建设一支红色社工队伍") is None
    True
    >>> unspecified_count("开展多个小组"), unspecified_count("20多个") is None
    ('多个', True)
    """
    m = _UNSPECIFIED.search(evidence)
    return m.group(0) if m else None


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a source text, whitespace removed, page breaks inside a sentence joined.

    A line that does not end a sentence continues on the next non-empty line (the source
    files break pages mid-sentence); headings (``#``) stand alone.

    >>> paragraphs("# 标题\\n\\n项目启动后,开展\\n\\n培训15场。\\n下一段。")
    ['#标题', '项目启动后,开展培训15场。', '下一段。']
    """
    out: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        s = re.sub(r"\s+", "", line)
        if not s:
            continue
        if s.startswith("#"):
            if current:
                out.append("".join(current))
                current = []
            out.append(s)
            continue
        current.append(s)
        if s.endswith(_SENTENCE_END):
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def _rows(frame: pd.DataFrame, columns: Sequence[str]) -> Iterator[tuple[np.ndarray, dict[str, Any]]]:
    """(CSV line numbers, cells) of each distinct combination of ``columns`` in ``frame``."""
    combos = Distinct(frame, columns)
    for n, row in combos:
        yield combos.lines(n), row


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@functools.cache
def written_forms(word: str) -> frozenset[str]:
    """The ways a simplified measure word may be written (its traditional forms too).

    >>> sorted(written_forms("个")), sorted(written_forms("场次"))
    (['个', '個'], ['场次', '場次'])
    """
    from sswanalysis.quantities import UNITS

    return frozenset({word} | {w for w, simplified in UNITS.items() if simplified == word})


def check_units_in_evidence(path: str, frame: pd.DataFrame, check: Mapping[str, str]) -> list[Finding]:
    """A stored figure's unit as written (``unit_zh`` / measure word) occurs in its evidence,
    in either script (:func:`written_forms`)."""
    unit = check.get("unit_zh")
    out: list[Finding] = []
    if unit is None or unit not in frame.columns:
        return out
    for r, row in _rows(frame, [unit, "evidence", check["value"]]):
        word, evidence = _text(row.get(unit)), _text(row.get("evidence"))
        # unit_zh is simplified; a traditional-script source writes 個, 場, 戶 …
        if _text(row.get(check["value"])) and word and evidence \
                and not any(w in evidence for w in written_forms(word)):
            out.append((path, r, unit, f"{word!r} does not occur in the evidence {show(evidence)}; "
                                       "store the unit the source writes"))
    return out


def check_unspecified_counts(path: str, frame: pd.DataFrame, check: Mapping[str, str]) -> list[Finding]:
    """A span saying 一批/一些/若干/多个 is never stored as the exact count 1."""
    value, qual = check["value"], check["qualifier"]
    out: list[Finding] = []
    for r, row in _rows(frame, ["evidence", value, qual]):
        evidence = _text(row.get("evidence"))
        words = unspecified_count(evidence) if evidence else None
        v = _text(row.get(value))
        # a value that is not a number is the type check's fault
        if words and v is not None and is_number(v) and float(v) == 1 and row.get(qual) == "exact":
            out.append((path, r, value, f"the evidence says {words!r} (a number of, unspecified) "
                                        "but 1 (exact) is stored; leave the count empty"))
    return out


def check_periods(indicators: pd.DataFrame, texts: Mapping[str, str]) -> list[Finding]:
    """A stated period is backed by its words in the source paragraph holding the figure.

    ``texts`` maps source_id to the raw text of the source; rows of other sources are skipped.
    """
    out: list[Finding] = []
    paras = {sid: paragraphs(t) for sid, t in texts.items()}
    for r, row in _rows(indicators, ["period", "evidence", "source_id"]):
        period, evidence = _text(row.get("period")), _text(row.get("evidence"))
        words = PERIOD_WORDS.get(period or "")
        sid = row.get("source_id")
        if words is None or evidence is None or sid not in paras:
            continue
        span = re.sub(r"\s+", "", evidence)
        para = next((p for p in paras[sid] if span in p), None)
        if para is None:
            continue  # check_sources reports a span that is not in the text
        upto = para[: para.index(span) + len(span)]
        if not any(w in upto for w in words):
            out.append(("indicators.csv", r, "period",
                        f"period is {period} but its paragraph of the source says none of "
                        f"{'/'.join(words)} before the figure; use not_stated"))
    return out


def check_document_levels(documents: pd.DataFrame) -> list[Finding]:
    """A document's level is written in its title, issuer or evidence, else it is not_stated."""
    out: list[Finding] = []
    for r, row in _rows(documents, ["level", "title_zh", "issuer_zh", "evidence"]):
        level = _text(row.get("level"))
        words = LEVEL_WORDS.get(level or "")
        if words is None:
            continue
        said = "".join(_text(row.get(c)) or "" for c in ("title_zh", "issuer_zh", "evidence"))
        if not any(w in said for w in words):
            out.append(("documents.csv", r, "level",
                        f"level is {level} but title, issuer and evidence say none of "
                        f"{'/'.join(words)}; use not_stated"))
    return out


def check_feature_basis(model_features: pd.DataFrame, features: pd.DataFrame) -> list[Finding]:
    """A feature marked stated has one of its words (features.words_zh) in the evidence."""
    words = {str(f): str(w).split("|") for f, w in zip(features["feature"], features["words_zh"],
                                                       strict=True) if isinstance(w, str)}
    out: list[Finding] = []
    for r, row in _rows(model_features, ["feature", "evidence", "basis"]):
        feature, evidence = str(row.get("feature")), _text(row.get("evidence")) or ""
        if row.get("basis") == "stated" and feature in words and not any(
                w in evidence for w in words[feature]):
            out.append(("model_features.csv", r, "basis",
                        f"{feature} is marked stated but the evidence {show(evidence)} says none of "
                        f"{'/'.join(words[feature])}; mark it interpreted"))
    return out


def review(
    frames: Mapping[str, pd.DataFrame],
    resources: Mapping[str, dict[str, Any]],
    texts: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Run every review rule over the tables of a Data Package.

    Parameters
    ----------
    frames : mapping of table name to DataFrame
        The tables, read as strings (empty cells as missing).
    resources : mapping of table name to its descriptor
        For the ``evidenceCheck`` of each table.
    texts : mapping of source_id to source text, optional
        Needed for the period rule; without it that rule is skipped.
    """
    out: list[Finding] = []
    for name, frame in frames.items():
        check = resources[name].get("evidenceCheck")
        if check is not None and "evidence" in frame.columns:
            path = resources[name].get("path", f"{name}.csv")
            out += check_units_in_evidence(path, frame, check)
            out += check_unspecified_counts(path, frame, check)
    if texts and "indicators" in frames:
        out += check_periods(frames["indicators"], texts)
    if "documents" in frames:
        out += check_document_levels(frames["documents"])
    if "model_features" in frames and "features" in frames and {
            "basis"} <= set(frames["model_features"].columns) and "words_zh" in frames["features"]:
        out += check_feature_basis(frames["model_features"], frames["features"])
    return out
