"""Faults of a Data Package, and how they are shown: cells cut short, repeats counted.

Kept apart from :mod:`sswanalysis.datapackage.validation` (which finds them) so that the
shape of a fault -- and the checks that a descriptor can be read at all -- are in one
small place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["FAULTS_PER_KIND", "SHOWN_CHARS", "Fault", "fault_kind", "resource_problem", "show"]

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


_KIND = re.compile(r"'[^']*'(?: \([0-9]+ characters\))?|\"[^\"]*\"|[0-9]+")


def fault_kind(file: str, column: str | None, message: str) -> tuple[str, str | None, str]:
    """What makes two faults "of one kind": file, column and the message without its values.

    >>> fault_kind("a.csv", "x", "'1x' is not a number")
    ('a.csv', 'x', '… is not a number')
    """
    return (file, column, _KIND.sub("…", message)[:80])


def resource_problem(res: Any) -> str | None:
    """Why a descriptor resource cannot be checked, or None."""
    if not isinstance(res, dict) or not isinstance(res.get("name"), str):
        return "a resource must be an object with a 'name'"
    schema = res.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in schema["fields"]):
        return f"resource {res['name']!r} needs a 'schema' object with a list of 'fields', each with a 'name'"
    if not isinstance(res.get("path", ""), str):
        return f"resource {res['name']!r}: 'path' must be a string"
    for fk in schema.get("foreignKeys", []) if isinstance(schema.get("foreignKeys", []), list) else [None]:
        ref = fk.get("reference") if isinstance(fk, dict) else None
        if not (isinstance(ref, dict) and "fields" in fk and "resource" in ref and "fields" in ref):
            return f"resource {res['name']!r}: each foreign key needs 'fields' and a 'reference' " \
                   "with 'resource' and 'fields'"
    return None
