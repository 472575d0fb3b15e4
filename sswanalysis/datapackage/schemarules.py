"""The rules a table's schema states: cells, keys, and columns filled together.

* cells -- required cells are filled, values parse as their type, and meet ``enum``,
  ``pattern`` (matched by RE2, in time linear in the cell: a pattern such as ``(a+)+$``
  cannot hang the validator), ``minimum`` (no negative figures) and ``maxLength``;
* keys -- primary keys are unique, foreign keys point at existing rows;
* filled together -- columns a descriptor lists under ``filledTogether`` (a date and how it
  is known) are both filled or both empty.

Each rule is asked once per distinct value (:class:`~sswanalysis.datapackage.distinct.Distinct`)
and its answer logged for all the rows that hold it, so a large file with few distinct
values costs little more than reading it. Faults go to a
:class:`~sswanalysis.datapackage.faults.FaultLog`; :mod:`~sswanalysis.datapackage.validation`
runs these checks with the others.

>>> _TYPE_CHECKS["yearmonth"][0]("2023-13"), _TYPE_CHECKS["number"][0]("1e400")
(False, False)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sswanalysis.datapackage.descriptor import foreign_keys, primary_key
from sswanalysis.datapackage.distinct import Distinct
from sswanalysis.datapackage.faults import SHOWN_CHARS, FaultLog, show

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FIELD_TYPES", "NUMERIC_TYPES", "check_cells", "check_filled_together", "check_keys", "is_number",
           "pattern_problem"]


def is_number(text: str) -> bool:
    """Whether ``text`` is a finite number.

    >>> is_number("12.5"), is_number("inf"), is_number("12万")
    (True, False, False)
    """
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


_TYPE_CHECKS = {
    "integer": (lambda s: re.fullmatch(r"-?[0-9]+", s) is not None, "a whole number"),
    "number": (is_number, "a number"),
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

#: the field types the cell checks know (a descriptor naming another is a fault)
FIELD_TYPES = ("string", *_TYPE_CHECKS)
#: the field types a ``minimum`` applies to: their cells parse as numbers
NUMERIC_TYPES = frozenset({"integer", "number", "year"})


def pattern_problem(pattern: str) -> str | None:
    """Why RE2 cannot compile ``pattern``, or None.

    >>> pattern_problem("[a-z]+") is None, pattern_problem("([")
    (True, 'missing ]: [')
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # compiled alone and as the cells are matched: RE2's \Q…\E can swallow the closing group
        for form in (pattern, _whole(pattern)):
            pc.match_substring_regex(pa.array([""], type=pa.string()), form)
    except pa.ArrowException as exc:
        return str(exc).removeprefix("Invalid regular expression: ")
    return None


def _whole(pattern: str) -> str:
    """``pattern`` anchored at both ends, as :func:`re.fullmatch` matches it."""
    return f"^(?:{pattern})$"


def _full_matches(cells: Sequence[str | None], pattern: str) -> list[bool]:
    """Whether each cell matches ``pattern`` whole (an empty cell does).

    RE2 (through pyarrow), not :mod:`re`: its time is linear in the cell, where Python's
    backtracking takes forever over ``(a+)+$`` and ``aaaa…ab``.

    >>> _full_matches(["aaa", "ab", None, "a" * 50 + "b"], "(a+)+$")
    [True, False, True, False]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    # the pattern was compiled alone and anchored first (structure.py): a stray ")" cannot
    # close the group, nor a \Q leave it open
    found = pc.match_substring_regex(pa.array(cells, type=pa.string()), _whole(pattern))
    return [True if m is None else m for m in found.to_pylist()]


def _cell_faults(cell: str, spec: Mapping[str, Any], matched: bool) -> list[tuple[str, str]]:
    """``(rule, message)`` of each rule of field ``spec`` that a filled cell breaks
    (``matched``: whether it matches the field's pattern, if it has one)."""
    cons = spec.get("constraints", {})
    type_check = _TYPE_CHECKS.get(spec.get("type", "string"))
    if type_check is not None and not type_check[0](cell):
        return [("type", f"{show(cell)} is not {type_check[1]}")]
    out = []
    if "enum" in cons and cell not in cons["enum"]:
        out.append(("enum", f"{show(cell)} is not one of: {', '.join(cons['enum'])}"))
    if not matched:
        out.append(("pattern", f"{show(cell)} does not match the pattern {cons['pattern']}"))
    if "minimum" in cons and float(cell) < cons["minimum"]:
        out.append(("minimum", f"{cell} is below the minimum {cons['minimum']}"))
    if "maxLength" in cons and len(cell) > cons["maxLength"]:
        out.append(("maxLength", f"is {len(cell)} characters long (at most {cons['maxLength']})"))
    return out


def check_cells(log: FaultLog, res: Mapping[str, Any], frame: pd.DataFrame) -> None:
    """Log the cells of table ``res`` that are empty but required or break their field's rules."""
    path = res["path"]
    for spec in res["schema"]["fields"]:
        col = spec["name"]
        if col not in frame.columns:
            continue
        cons = spec.get("constraints", {})
        values = Distinct(frame, [col])
        cells = [row[col] for _, row in values]
        # one call for all the distinct cells of a column
        matched = _full_matches(cells, cons["pattern"]) if "pattern" in cons else [True] * len(cells)
        for n, cell in enumerate(cells):
            if cell is None:
                if cons.get("required"):
                    log.add_rows(path, values.lines(n), col, "is empty but required", rule="required")
                continue
            for rule, message in _cell_faults(cell, spec, matched[n]):
                log.add_rows(path, values.lines(n), col, message, rule=rule)


def check_keys(log: FaultLog, res: Mapping[str, Any], frame: pd.DataFrame,
               frames: Mapping[str, pd.DataFrame]) -> None:
    """Log repeated primary keys of table ``res`` and foreign keys that point at no row of ``frames``."""
    path = res["path"]
    key = primary_key(res)
    if key and all(k in frame.columns for k in key):
        repeated = Distinct(frame, key, where=frame.duplicated(subset=key, keep="first").to_numpy())
        for n, row in repeated:
            shown = ", ".join(show(str(v)) if len(str(v)) > SHOWN_CHARS else str(v)
                              for v in (row[k] for k in key))
            log.add_rows(path, repeated.lines(n), "+".join(key), f"duplicate key ({shown})",
                         rule="duplicate key")
    for fields, ref_name, ref_fields in foreign_keys(res):
        ref = frames.get(ref_name)
        if ref is None or not all(f in frame.columns for f in fields) \
                or not all(f in ref.columns for f in ref_fields):
            continue
        targets = {tuple(row[f] for f in ref_fields) for _, row in Distinct(ref, ref_fields)}
        pointers = Distinct(frame, fields)
        for n, row in pointers:
            values = tuple(row[f] for f in fields)
            if None in values or values in targets:
                continue  # an empty optional reference points nowhere
            shown = ", ".join(f"{f}={v}" for f, v in zip(fields, values, strict=True))
            log.add_rows(path, pointers.lines(n), "+".join(fields),
                         f"{shown} is not in {ref_name} ({', '.join(ref_fields)})", rule="foreign key")


def check_filled_together(log: FaultLog, res: Mapping[str, Any], frame: pd.DataFrame) -> None:
    """Log rows of table ``res`` where one of the columns of a ``filledTogether`` group is empty."""
    for cols in res.get("filledTogether", []):
        if not set(cols) <= set(frame.columns):
            continue
        filled = frame[cols].notna()
        halves = Distinct(filled, cols, where=(filled.any(axis=1) & ~filled.all(axis=1)).to_numpy())
        for n, row in halves:
            empty = [c for c in cols if not row[c]]
            log.add_rows(res["path"], halves.lines(n), empty[0],
                         f"is empty but {' and '.join(c for c in cols if c not in empty)} "
                         "is filled: fill both or neither", rule="filled together")
