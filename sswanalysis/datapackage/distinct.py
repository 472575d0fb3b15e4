"""The distinct combinations of a few columns of a table, and the rows that hold each.

A check that looks at a row through a few of its cells (a value, its qualifier and its
evidence span) gives the same answer for every row that holds the same cells. A large
file repeats them a great deal -- copied rows, one unit in every row -- so the checks of
:mod:`~sswanalysis.datapackage.validation` ask each question once per distinct combination
(:class:`Distinct`) and hand the answer, with all the rows it applies to, to
:class:`~sswanalysis.datapackage.faults.FaultLog`.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"unit": ["人", "人", None, "人"], "value": ["3", "4", "3", "3"]})
>>> d = Distinct(frame, ["unit", "value"])
>>> d.records
[{'unit': '人', 'value': '3'}, {'unit': '人', 'value': '4'}, {'unit': None, 'value': '3'}]
>>> d.lines(0).tolist()  # CSV line numbers (the header is line 1)
[2, 5]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["FIRST_LINE", "Distinct"]

#: CSV line number of a table's first data row (the header is line 1)
FIRST_LINE = 2


class Distinct:
    """The distinct combinations of ``columns`` in ``frame``, in order of first appearance.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table read as strings, empty cells missing.
    columns : sequence of str
        The columns a check looks at; a column ``frame`` lacks reads as empty.
    where : numpy boolean array, optional
        Only the rows where it is true.

    Attributes
    ----------
    records : list of dict
        One dict per combination, column -> cell (``None`` where empty).
    codes : numpy array
        Each row's combination: its position in ``records``.
    """

    def __init__(self, frame: pd.DataFrame, columns: Sequence[str], where: np.ndarray | None = None) -> None:
        import numpy as np
        import pandas as pd

        positions = np.arange(len(frame)) if where is None else np.flatnonzero(where)
        codes = np.zeros(len(positions), dtype=np.int64)
        present = [c for c in columns if c in frame.columns]
        for col in present:
            values = frame[col].iloc[positions] if where is not None else frame[col]
            cell_codes, uniques = pd.factorize(values, use_na_sentinel=True)
            # fold the column in: (combination so far, this cell) -> a new dense code
            codes = pd.factorize(codes * (len(uniques) + 1) + (cell_codes + 1))[0].astype(np.int64)
        # pd.factorize numbers codes in order of first appearance
        order = np.argsort(codes, kind="stable")
        self._bounds = np.searchsorted(codes[order], np.arange(int(codes.max(initial=-1)) + 2))
        self._lines = positions[order] + FIRST_LINE
        first = order[self._bounds[:-1]]
        cells = {c: frame[c].iloc[positions[first]].tolist() if c in present else [None] * len(first)
                 for c in columns}
        self.records: list[dict[str, Any]] = [
            # a string is never missing: ask pandas only about the rest (NaN, None, pd.NA)
            {c: v if isinstance(v, str) else None if pd.isna(v) else v
             for c, v in zip(columns, vals, strict=True)}
            for vals in zip(*(cells[c] for c in columns), strict=True)
        ] if columns else [{} for _ in first]
        self.codes = codes

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(number, record)`` of each combination."""
        return iter(enumerate(self.records))

    def lines(self, number: int) -> np.ndarray:
        """CSV line numbers of the rows that hold combination ``number``, ascending."""
        return self._lines[self._bounds[number]:self._bounds[number + 1]]
