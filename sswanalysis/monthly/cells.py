"""Indicator cells of the station-month reports: every figure to a number, or a fault naming why.

Part of the row checks (:mod:`sswanalysis.monthly.checks`). Plain numbers are read
column-wise; any other cell goes through :func:`sswanalysis.quantities.parse`. A figure is
kept exactly as written or rejected: it must be finite, not negative, whole where the unit
counts things, and below a plausible upper bound for one station in one month
(:data:`MAX_FIGURE`) — which also keeps every accepted whole number below 2**53, where a
float stops holding integers exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sswanalysis.monthly.template import WAN, fractional_units

if TYPE_CHECKING:
    import numpy as np

    from sswanalysis.monthly.checks import Readable, Rows
    from sswanalysis.monthly.template import Column

_UNIT_IN_CELL = "[万亿元]"  # a cell that writes its own 万/亿/元 is taken as written
_PLAIN_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"  # a cell read column-wise, not by the quantity parser

#: The largest figure one station can report for one month, per unit (default: counts).
#: Generous on purpose: they catch typos, pasted ID numbers and overflow, not outliers. A
#: hundred million persons is more than any province's population; 1,000亿元 more than
#: any province's annual civil-affairs budget.
MAX_FIGURE = {"cny": 1e11, "hours": 1e7}
MAX_COUNT = 1e8
# -- indicator cells ------------------------------------------------------------------------


def qualifiers() -> list[str]:
    """Qualifier categories of the indicators table; ``Figures.qual`` codes index them."""
    from sswanalysis.datapackage.loading import categories

    return list(categories("indicators", "qualifier") or [])


def _plain_numbers(arr: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """(values with NaN where not plain, mask of non-empty non-plain cells, normalised strings)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_floating(arr.type) and arr.type.bit_width < 64:  # float32 (a writer's choice)
        narrow = np.asarray(arr.to_numpy(zero_copy_only=False))
        return as_written(narrow), np.zeros(len(narrow), dtype=bool), None
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        # unsafe: an int64 beyond 2**53 loses digits here, but it is far above MAX_FIGURE and is
        # rejected, shown from ``arr`` as written
        values = pc.cast(arr, pa.float64(), safe=False).to_numpy(zero_copy_only=False)
        return np.array(values, dtype=np.float64), np.zeros(len(values), dtype=bool), None
    if not pa.types.is_string(arr.type):
        arr = pc.cast(arr, pa.string())
    text = pc.utf8_trim_whitespace(pc.utf8_normalize(arr, "NFKC"))
    plain = pc.match_substring_regex(text, _PLAIN_NUMBER)
    values = pc.cast(pc.if_else(plain, text, pa.scalar(None, pa.string())), pa.float64())
    values = np.array(values.to_numpy(zero_copy_only=False), dtype=np.float64)
    filled = pc.fill_null(pc.greater(pc.utf8_length(text), 0), False)
    other = pc.and_(filled, pc.invert(pc.fill_null(plain, False)))
    return values, other.to_numpy(zero_copy_only=False), text


@dataclass
class _BadCells:
    """Faulted cells of one column: positions, cells as shown, reasons."""

    pos: list[int] = field(default_factory=list)
    val: list[str] = field(default_factory=list)
    reason: list[str] = field(default_factory=list)

    def add(self, pos: list[int], val: list[str], reason: list[str]) -> None:
        self.pos += pos
        self.val += val
        self.reason += reason


def _parse_worded_cells(arr: Any, text: Any, idx: np.ndarray, col: Column, words: dict[str, set[str]],
                        quals: list[str], values: np.ndarray, high: np.ndarray, qual: np.ndarray,
                        bad: _BadCells, written_unit: dict[int, str]) -> None:
    """Parse the cells ``idx`` that are not plain numbers into ``values``/``high``/``qual``.

    ``text`` is ``arr`` normalised (NFKC, trimmed) for parsing; faults show ``arr`` as written.
    """
    import numpy as np

    from sswanalysis.quantities import parse

    allowed = words.get(col.unit, set())
    shown = _shown(arr, idx)
    for i, cell, as_written in zip(idx.tolist(), text.take(idx).to_pylist(), shown, strict=True):
        try:
            q = parse(cell)
        except ValueError as exc:
            bad.add([i], [as_written], [f"not a figure: {exc}"])
            continue
        if q.unit is not None and q.unit not in allowed:
            bad.add([i], [as_written], [f"written in {q.unit} but the column counts {col.unit} "
                                  f"({', '.join(sorted(allowed))})"])
            continue
        v, h = q.value, q.value_high
        if col.scale != 1 and not re.search(_UNIT_IN_CELL, cell):
            v = float(scaled(np.array([v]), col.scale)[0])
            h = None if h is None else float(scaled(np.array([h]), col.scale)[0])
        values[i] = v
        high[i] = np.nan if h is None else h
        qual[i] = quals.index(q.qualifier)
        if q.unit is not None:
            written_unit[i] = q.unit


def convert_column(arr: Any, col: Column, words: dict[str, set[str]], quals: list[str]) -> dict[str, Any]:
    """Convert one indicator column of one file; faults as (positions, values, reasons).

    Returns ``value`` (NaN where empty), ``high`` and ``qual`` (``None`` when every cell
    is a plain number), ``bad`` (positions, cells, reasons), ``faulted`` (mask) and
    ``written_unit`` (position -> the unit a cell wrote).
    """
    import numpy as np
    import pyarrow as pa

    values, other, text = _plain_numbers(arr)
    integral = pa.types.is_integer(arr.type)
    n = len(values)
    idx = np.flatnonzero(other)
    # value_high and qualifier exist only when some cell is not a plain number
    high = np.full(n, np.nan) if len(idx) else None
    qual = np.zeros(n, dtype=np.int8) if len(idx) else None  # quals[0] == "exact"
    bad = _BadCells()
    written_unit: dict[int, str] = {}
    if len(idx):
        _parse_worded_cells(arr, text, idx, col, words, quals, values, high, qual, bad, written_unit)
    if col.scale != 1 and n:
        plain_mask = ~other & ~np.isnan(values)
        values[plain_mask] = scaled(values[plain_mask], col.scale)
    faulted = np.zeros(n, dtype=bool)
    faulted[bad.pos] = True
    bound = MAX_FIGURE.get(col.unit, MAX_COUNT)
    top = values if high is None else np.fmax(values, high)
    # each cell is faulted once: a later check skips cells already faulted
    checks = [
        (np.isnan(values) & _filled(arr), "is not a number (NaN)"),
        (values < 0, "is negative; figures are counts or amounts and cannot be below 0"),
        (top > bound, f"is more than {bound:,.0f} {col.unit}, beyond any station-month figure "
                      "(a typo, or an ID number pasted into the cell?)"),
    ]
    if len(idx):
        checks[1] = ((values < 0) | (high < 0), checks[1][1])
        checks.append((~np.isnan(high) & (high < values), "range whose high end is below its low end"))
    if text is not None:  # judged on the text: a float may round it (1e8 for 99999999.9999999999)
        checks += _written_precision(text, None if col.unit in fractional_units() else col.unit)
    for mask, reason in checks:
        if bad.pos:
            mask &= ~faulted
        _fault_cells(arr, np.flatnonzero(mask), reason, bad, faulted)
    # an integer column of plain numbers at scale 1 cannot hold a fraction
    if col.unit not in fractional_units() and not (integral and col.scale == 1 and not len(idx)):
        with np.errstate(invalid="ignore"):  # inf % 1 is NaN: such cells are faulted already
            frac = ~faulted & ~np.isnan(values) & (values % 1 != 0)
            if high is not None:
                frac |= ~faulted & ~np.isnan(high) & (high % 1 != 0)
        _fault_cells(arr, np.flatnonzero(frac), f"is not a whole number of {col.unit}", bad, faulted)
    return {"value": values, "high": high, "qual": qual, "bad": (bad.pos, bad.val, bad.reason),
            "faulted": faulted, "written_unit": written_unit}


#: Significant digits a figure may have: a float64 holds any decimal of 15 digits exactly
#: enough to give it back as written.
MAX_DIGITS = 15


def _written_precision(text: Any, counted: str | None) -> list[tuple[np.ndarray, str]]:
    """Checks of plain numbers as written: no more than :data:`MAX_DIGITS` significant digits,
    and, in a column that counts things (``counted``: its unit), no fraction other than zeros."""
    import numpy as np
    import pyarrow.compute as pc

    plain = pc.fill_null(pc.match_substring_regex(text, _PLAIN_NUMBER), False)
    digits = pc.utf8_trim(pc.replace_substring_regex(text, r"[-.]", ""), "0")
    long = pc.and_(plain, pc.fill_null(pc.greater(pc.utf8_length(digits), MAX_DIGITS), False))
    out = [(np.asarray(long.to_numpy(zero_copy_only=False), dtype=bool),
            f"has more than {MAX_DIGITS} significant digits, more than a figure keeps exactly")]
    if counted is not None:
        fraction = pc.and_(plain, pc.fill_null(pc.match_substring_regex(text, r"\.[0-9]*[1-9]"), False))
        out.append((np.asarray(fraction.to_numpy(zero_copy_only=False), dtype=bool),
                    f"is not a whole number of {counted}"))
    return out


def _fewest_decimals(wide: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """For each value, the fewest decimals (0-15) whose rounding of ``wide`` (float64) gives
    ``stored`` back in its own dtype: the decimals the value was written with."""
    import numpy as np

    decimals = np.full(len(wide), 15)
    for d in range(15, -1, -1):
        decimals[np.round(wide, d).astype(stored.dtype) == stored] = d
    return decimals


def _round_each(values: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """``values`` (changed in place), each rounded to its own number of ``decimals``."""
    import numpy as np

    for d in np.unique(decimals).tolist():
        at = decimals == d
        values[at] = np.round(values[at], d)
    return values


def as_written(stored: np.ndarray) -> np.ndarray:
    """Float32 (or float16) values as float64, each the decimal it was written as.

    Widened as they are, they show the binary error of the narrow type (300000.3 stored as
    float32 is 300000.3125); each is rounded to the fewest decimals that give it back.

    >>> import numpy as np
    >>> as_written(np.array([300000.3, 1234.56, 7.0], dtype=np.float32)).tolist()
    [300000.3, 1234.56, 7.0]
    """
    import numpy as np

    wide = stored.astype(np.float64)
    return _round_each(wide, _fewest_decimals(wide, stored))


def scaled(values: np.ndarray, scale: int) -> np.ndarray:
    """``values`` (numbers as written, e.g. in 万元) times ``scale``, as the decimal product.

    A float product is off in the last bit (0.07 × 10,000 is 700.0000000000001); each
    product is rounded to the decimals it has: those of the value, less the zeros of
    ``scale`` (a value is taken to have the fewest decimals that give it back).

    >>> import numpy as np
    >>> scaled(np.array([0.07, 1.11, 0.123456, 3.0]), 10_000).tolist()
    [700.0, 11100.0, 1234.56, 30000.0]
    """
    import numpy as np

    shift = len(str(scale)) - 1  # 10_000 -> 4
    return _round_each(values * scale, np.maximum(_fewest_decimals(values, values) - shift, 0))


def _filled(arr: Any) -> np.ndarray:
    """Mask of the cells that are not null (a float NaN is filled: it is not how a file writes empty)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_floating(arr.type):
        return np.asarray(pc.is_valid(arr).to_numpy(zero_copy_only=False), dtype=bool)
    return np.zeros(len(arr), dtype=bool)  # text and integer cells: NaN only where empty


def _fault_cells(arr: Any, pos: np.ndarray, reason: str, bad: _BadCells, faulted: np.ndarray) -> None:
    if len(pos):
        bad.add(pos.tolist(), _shown(arr, pos), [reason] * len(pos))
        faulted[pos] = True


def _shown(arr: Any, pos: np.ndarray) -> list[str]:
    """The cells at ``pos`` as written (numbers as text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pc.cast(arr, pa.string()) if not pa.types.is_string(arr.type) else arr
    return [str(v) for v in cells.take(pos).to_pylist()]


@dataclass
class Figures:
    """The indicator cells of all rows as row-major (rows × ``columns``) matrices.

    Row-major, so the long table (row by row, column by column) is a boolean selection of
    them. ``high`` (value_high) and ``qual`` (codes over ``quals``) are made only when
    some cell is not a plain number. Faulted cells are NaN in ``value``.
    """

    columns: list[Column]
    value: np.ndarray
    high: np.ndarray | None
    qual: np.ndarray | None
    quals: list[str]
    wan_cells: dict[tuple[int, int], str]  # (g, j) -> the cell as written, of 万元 columns

    def high_matrix(self) -> np.ndarray:
        import numpy as np

        if self.high is None:
            self.high = np.full(self.value.shape, np.nan)
        return self.high

    def qual_matrix(self) -> np.ndarray:
        import numpy as np

        if self.qual is None:
            self.qual = np.zeros(self.value.shape, dtype=np.int8)
        return self.qual


def read_indicator_cells(ok: list[Readable], rows: Rows, spec: dict[str, Column]) -> Figures:
    """Every indicator cell of every readable file, converted and checked, into :class:`Figures`.

    The matrices have one column per indicator column found in any file; a file without
    that column leaves it empty (NaN).
    """
    import numpy as np

    from sswanalysis.monthly.template import unit_words

    words = unit_words()
    ind_cols = [c for c in spec.values() if c.kind == "indicator"
                and any(c.name in f.positions for f in ok)]
    # every cell is written below: the rows are those of the files in ``ok``
    fig = Figures(ind_cols, np.empty((rows.n, len(ind_cols))), None, None, qualifiers(), {})
    for f in ok:
        for j, c in enumerate(ind_cols):
            _read_column(fig, f, j, c, words, rows)
    return fig


def _read_column(fig: Figures, f: Readable, j: int, c: Column, words: dict[str, set[str]],
                 rows: Rows) -> None:
    """Column ``j`` (template column ``c``) of file ``f`` into the matrices."""
    import numpy as np

    o, m = f.offset, len(f.raw.rows)
    if c.name not in f.positions:
        fig.value[o:o + m, j] = np.nan
        return
    arr = f.raw.table.column(f.positions[c.name])
    counts = _counts_within_bounds(arr, c)
    if counts is not None:  # nothing to parse or fault: the numbers as they are (exact as floats)
        fig.value[o:o + m, j] = counts
        return
    res = convert_column(arr, c, words, fig.quals)
    fig.value[o:o + m, j] = res["value"]
    if res["high"] is not None:
        fig.high_matrix()[o:o + m, j] = res["high"]
    if res["qual"] is not None and res["qual"].any():
        fig.qual_matrix()[o:o + m, j] = res["qual"]
    pos, vals, reasons = res["bad"]
    if pos:
        rows.fault(o + np.asarray(pos), c.name, vals, reasons)
    if c.scale != 1:  # kept as written, for the precision of the 元/万元 comparison
        filled = np.flatnonzero(~np.isnan(res["value"]))
        written = f.raw.table.column(f.positions[c.name]).take(filled).to_pylist()
        fig.wan_cells.update({(o + i, j): str(cell)
                              for i, cell in zip(filled.tolist(), written, strict=True)})
    fig.value[o:o + m, j][res["faulted"]] = np.nan


def _counts_within_bounds(arr: Any, c: Column) -> np.ndarray | None:
    """The cells of an integer column with no empty cell, if it is not scaled and every one is
    from 0 to the column's bound (then :func:`convert_column` would fault and change nothing);
    else None."""
    import pyarrow as pa

    if c.scale != 1 or not pa.types.is_integer(arr.type) or arr.null_count:
        return None
    ints = arr.to_numpy()
    if len(ints) and (ints.min() < 0 or ints.max() > MAX_FIGURE.get(c.unit, MAX_COUNT)):
        return None
    return ints


def reconcile_twin_columns(fig: Figures, rows: Rows) -> None:
    """Keep one of the 元 and 万元 columns of an indicator; fault rows where both disagree.

    A row with only the 万元 figure gets it in the 元 column, which is kept; the 万元
    column is dropped from ``fig``.
    """
    import numpy as np

    k = len(fig.columns)
    keep = list(range(k))
    for j, c in enumerate(fig.columns):
        if c.scale == 1:
            continue
        twin = next((i for i, d in enumerate(fig.columns) if d.scale == 1 and d.indicator == c.indicator
                     and d.unit == c.unit), None)
        if twin is None:
            continue
        _check_twins_agree(fig, j, twin, rows)
        only_wan = ~np.isnan(fig.value[:, j]) & np.isnan(fig.value[:, twin])
        for M in (fig.value, fig.high, fig.qual):
            if M is not None:
                M[only_wan, twin] = M[only_wan, j]
        keep.remove(j)
    if len(keep) < k:
        fig.value, fig.high, fig.qual = (None if M is None else M[:, keep]
                                         for M in (fig.value, fig.high, fig.qual))
        fig.columns = [fig.columns[j] for j in keep]


def _check_twins_agree(fig: Figures, j: int, twin: int, rows: Rows) -> None:
    """Fault rows whose 元 figure (column ``twin``) and 万元 figure (column ``j``) disagree.

    They must agree to the precision the 万元 cell is written in: ``1.5`` 万元 is
    15,000 ± 500 元; a cell that writes its own unit (``1.5万``) to within 0.5 元.
    """
    import numpy as np

    V = fig.value
    both = np.flatnonzero(~np.isnan(V[:, j]) & ~np.isnan(V[:, twin]))
    bad_g, bad_v, bad_r = [], [], []
    for g in both.tolist():
        cell = fig.wan_cells.get((g, j), "")
        decimals = len(cell.split(".")[1]) if "." in cell and not re.search(_UNIT_IN_CELL, cell) else 0
        tolerance = 0.5 * WAN / 10**decimals if not re.search(_UNIT_IN_CELL, cell) else 0.5
        if abs(V[g, twin] - V[g, j]) > tolerance:
            bad_g.append(g)
            bad_v.append(f"{V[g, twin]:g} 元 / {cell} 万元")
            bad_r.append(f"{fig.columns[twin].name} and {fig.columns[j].name} disagree "
                         f"({V[g, twin]:g} 元 vs {V[g, j]:g} 元)")
    rows.fault(np.asarray(bad_g, dtype=np.int64), fig.columns[j].name, bad_v, bad_r)


