"""Faults of a Data Package, and how they are shown: cells cut short, repeats counted.

Kept apart from :mod:`sswanalysis.datapackage.validation` (which finds them) so that the
shape of a fault is in one small place.

A large file can hold hundreds of thousands of faults of one kind (a misspelt unit in
every seventh row). :class:`FaultLog` counts every one of them but keeps only the first
:data:`FAULTS_PER_KIND` of each kind -- a kind being the file, column and rule that found
it -- and checks hand it whole groups of rows that share one message, so a fault that is
not shown is never built.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["FAULTS_PER_KIND", "SHOWN_CHARS", "Fault", "FaultLog", "Kind", "show"]

#: At most this many faults of one kind (file, column, message shape) are kept; the rest are counted.
FAULTS_PER_KIND = 20
#: Cells are echoed in messages up to this many characters.
SHOWN_CHARS = 60


def show(cell: str) -> str:
    """A cell as echoed in a message: quoted (escapes shown), cut to :data:`SHOWN_CHARS` characters.

    >>> show("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (100 characters)"
    >>> show("ok")
    "'ok'"
    """
    shown = repr(cell)
    if len(shown) <= SHOWN_CHARS + 2:
        return shown
    return shown[:SHOWN_CHARS] + f"…' ({len(cell)} characters)"


@dataclass(frozen=True, slots=True)
class Fault:
    """One thing wrong with a Data Package."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file if self.severity == "error" else f"{self.severity}: {self.file}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class Kind(NamedTuple):
    """What makes faults "of one kind": severity, file, column and the rule that found them."""

    severity: str
    file: str
    column: str | None
    rule: str

    def __str__(self) -> str:
        where = self.file if self.column is None else f"{self.file}, column {self.column}"
        shown = f"{where} ({self.rule})"
        return shown if self.severity == "error" else f"{self.severity}: {shown}"


class FaultLog:
    """The faults of one check run: each counted by :class:`Kind`, the first of each kind kept.

    Checks run in sections (:meth:`section`); the faults kept are shown section by section,
    in row order within a section, and a kind with more faults than are kept is followed by
    one line counting the rest. :attr:`totals` holds the true number of each kind.

    Examples
    --------
    >>> log = FaultLog(per_kind=2)
    >>> log.add_rows("a.csv", [3, 5, 9], "x", "'?' is not a number", rule="type")
    >>> log.add("a.csv", 4, "x", "'!' is not a number", rule="type")
    >>> for f in log.faults():
    ...     print(f)
    a.csv, row 3, column x: '?' is not a number
    a.csv, row 4, column x: '!' is not a number
    a.csv, column x: … and 2 more faults like the 2 above
    >>> log.totals
    {Kind(severity='error', file='a.csv', column='x', rule='type'): 4}
    """

    def __init__(self, per_kind: int = FAULTS_PER_KIND) -> None:
        self.per_kind = per_kind
        self.totals: dict[Kind, int] = {}
        # kind -> kept faults as (sort key, fault), a max-heap on the key (keys negated)
        self._kept: dict[Kind, list[tuple[tuple[int, int, int], Fault]]] = {}
        self._section = 0
        self._added = itertools.count()

    def section(self) -> None:
        """Start the next group of checks: its faults are shown after those of the last."""
        self._section += 1

    def add(self, file: str, row: int | None, column: str | None, message: str, *, rule: str,
            severity: str = "error") -> None:
        """Count one fault; keep it if it is among the first :attr:`per_kind` of its kind."""
        self.add_rows(file, [row], column, message, rule=rule, severity=severity)

    def add_rows(self, file: str, rows: Sequence[int | None] | Any, column: str | None, message: str,
                 *, rule: str, severity: str = "error") -> None:
        """Count one fault in each of ``rows`` (ascending CSV line numbers), all with ``message``.

        Only as many as can still be shown are built; personal data in the message or the
        column name is masked (:func:`sswanalysis.personal_data.mask`).
        """
        n = len(rows)
        if n == 0:
            return
        kind = Kind(severity, file, column, rule)
        self.totals[kind] = self.totals.get(kind, 0) + n
        kept = self._kept.setdefault(kind, [])
        shown: Fault | None = None
        for row in rows[: self.per_kind]:
            row = None if row is None else int(row)
            key = (self._section, -1 if row is None else row, next(self._added))
            if len(kept) == self.per_kind and key > _neg(kept[0][0]):
                break  # rows ascend: none of the rest comes before what is kept
            if shown is None:
                from sswanalysis.personal_data import mask

                shown = Fault(file, None, column if column is None else mask(column), mask(message),
                              severity)
            item = (_neg(key), Fault(shown.file, row, shown.column, shown.message, severity))
            if len(kept) < self.per_kind:
                heapq.heappush(kept, item)
            else:
                heapq.heapreplace(kept, item)

    def add_uncounted(self, file: str, column: str | None, n: int, *, rule: str,
                      severity: str = "error") -> None:
        """Count ``n`` more faults of a kind whose first :attr:`per_kind` are added already
        (:meth:`add`): they would not be shown, so they are never built."""
        if n > 0:
            kind = Kind(severity, file, column, rule)
            self.totals[kind] = self.totals.get(kind, 0) + n

    def faults(self) -> list[Fault]:
        """The faults kept, in order, each kind cut short followed by one fault counting the rest."""
        last = {kind: max(_neg(k) for k, _ in kept) for kind, kept in self._kept.items()}
        ordered = sorted(((_neg(k), kind, f) for kind, kept in self._kept.items() for k, f in kept),
                         key=lambda t: t[0])
        out: list[Fault] = []
        for key, kind, f in ordered:
            out.append(f)
            rest = self.totals[kind] - len(self._kept[kind])
            if key == last[kind] and rest > 0:
                shown = len(self._kept[kind])
                out.append(Fault(f.file, None, f.column, f"… and {rest} more faults like the {shown} above",
                                 f.severity))
        return out

    def count(self, severity: str) -> int:
        """How many faults of ``severity`` were found, shown or not."""
        return sum(n for kind, n in self.totals.items() if kind.severity == severity)


def _neg(key: tuple[int, int, int]) -> tuple[int, int, int]:
    return (-key[0], -key[1], -key[2])


