"""Tables built by the station-month report reader: accepted figures, stations, rejects, totals.

This is the output half of :func:`sswanalysis.monthly.ingest.read`: once every row has been
checked (:mod:`sswanalysis.monthly.checks`), the accepted cells are gathered into the long
table, the accepted stations into one row each, and the faults into the rejects table.
:func:`totals` sums the long table. Everything works on integer codes (of distinct
values, files, columns) and whole columns: there is no per-row Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sswanalysis.monthly.attributes import attribute, month_str
from sswanalysis.personal_data import mask_texts

if TYPE_CHECKING:

    import numpy as np
    import pandas as pd

    from sswanalysis.monthly.cells import Figures
    from sswanalysis.monthly.checks import Faults, Readable, RowAttributes, Rows

SYNTHETIC_SOURCE_ID = "synthetic"
REJECT_COLUMNS = ["file", "row", "column", "value", "reason"]
NOTE_COLUMNS = ["file", "row", "column", "value", "note"]
#: Columns of the station-month table (one row per accepted input row, figures or not).
ROW_COLUMNS = ["file", "row", "station_id", "region_id", "month", "figures"]
_TOTALS_BLOCK = 1 << 16  # rows per block of :func:`totals`: its key buffer (512 KB) stays in cache


# -- rejects ----------------------------------------------------------------------------


def rejects_frame(faults: Faults, order: list[str], columns: list[str] = REJECT_COLUMNS) -> pd.DataFrame:
    """The rejects (or notes) table: one row per fault, in file order (``order``: file names),
    then row order (file faults first). Faults of one row keep the order in which they were found.
    """
    import pandas as pd

    if not faults.parts:
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
        frame["row"] = frame["row"].astype("Int32")
        return frame
    frame = pd.concat(faults.parts, ignore_index=True)
    position = {name: i for i, name in enumerate(order)}
    frame["_f"] = frame["file"].map(position).fillna(len(order))
    frame = frame.sort_values(["_f", "row"], kind="stable")
    frame["row"] = frame["row"].astype("Int32").where(frame["row"] >= 0)
    frame = frame.rename(columns={"reason": columns[-1]})
    out = frame[columns].reset_index(drop=True)
    for c in columns:
        if c != "row":
            out[c] = out[c].astype("str").where(out[c].notna(), "")
    for c in columns[2:]:  # a cell echoed by any fault or note shows personal data masked
        out[c] = pd.array(mask_texts(out[c]), dtype="str")
    return out


def row_table(attrs: RowAttributes, rows: Rows, cells: AcceptedCells) -> pd.DataFrame:
    """One row per accepted input row: where it is, its station-month and how many figures it
    holds, so a row with no figure (a month with nothing to report) is in an output too."""
    import numpy as np
    import pandas as pd

    # every row accepted (the usual case): views of the per-row arrays, not copies
    g = np.flatnonzero(~rows.bad) if rows.bad.any() else slice(None)
    st, rg = attrs.station, attrs.region
    return pd.DataFrame({
        "file": _categorical(rows.file_idx[g], [str(n) for n in rows.names]),
        "row": rows.row_no[g],
        "station_id": _categorical(st.codes[g], st.uniq),
        "region_id": _categorical(rg.codes[g], rg.uniq),
        "month": pd.arrays.PeriodArray(attrs.row_month[g] - 1970 * 12, dtype=pd.PeriodDtype("M")),
        "figures": cells.per_row[g],
    }, columns=ROW_COLUMNS, copy=False)  # the arrays are this table's alone once read() returns


def files_table(file_rows: list[dict[str, Any]], rows: Rows) -> pd.DataFrame:
    """Per-file counts: rows in, accepted, rejected (a file rejected whole has its count already)."""
    import numpy as np
    import pandas as pd

    per_file_rejected = np.bincount(rows.file_idx[rows.bad], minlength=len(file_rows))
    for fi, info in enumerate(file_rows):
        if "rejected" not in info:
            info["rejected"] = int(per_file_rejected[fi])
        info["accepted"] = info["rows_in"] - info["rejected"]
    frame = pd.DataFrame(file_rows, columns=["file", "format", "encoding", "rows_in", "accepted",
                                             "rejected", "examples", "fault"])
    frame["fault"] = mask_texts(frame["fault"])  # a file fault may quote a header cell
    return frame


# -- the long table of accepted figures ----------------------------------------------------


def _small(n_cats: int) -> type:
    """The smallest signed integer type of codes over ``n_cats`` categories (and -1)."""
    import numpy as np

    return np.int8 if n_cats < 127 else np.int16 if n_cats < 32767 else np.int32


def _categorical(codes: np.ndarray, cats: list[str]) -> pd.Categorical:
    """A categorical over ``cats`` (string categories) from codes, without re-checking them."""
    import pandas as pd

    dtype = pd.CategoricalDtype(pd.Index(cats, dtype="str"))
    return pd.Categorical.from_codes(codes.astype(_small(len(cats)), copy=False), dtype=dtype,
                                     validate=False)


class AcceptedCells:
    """Where the accepted cells are, and how per-row and per-column arrays spread over them.

    The accepted cells are the filled indicator cells (``value`` not NaN; input rows ×
    kept indicator columns, row-major) of rows without a fault (``bad`` false); the long
    table lists them row by row, column by column. When every cell is accepted the
    selection is a plain reshape (``full``) and no mask is kept. Built once, for the long
    table and the station-month table (``per_row``: accepted cells of each input row).
    """

    def __init__(self, value: np.ndarray, bad: np.ndarray) -> None:
        import numpy as np

        self.n, self.k = value.shape
        filled = np.isnan(value)
        np.logical_not(filled, out=filled)  # in place: one (rows × columns) mask, no temporary
        if bad.any():
            filled[bad] = False
        self.full = bool(filled.all())
        self.filled = None if self.full else filled
        self.per_row = (np.full(self.n, self.k, dtype=np.int64) if self.full
                        else np.count_nonzero(filled, axis=1).astype(np.int64, copy=False))
        self.count = self.n * self.k if self.full else int(self.per_row.sum())
        self.used_rows = self.per_row > 0

    def by_row(self, values: np.ndarray) -> np.ndarray:
        """Per input row -> per accepted cell."""
        import numpy as np

        return np.repeat(values, self.k if self.full else self.per_row)

    def by_column(self, values: list[int], n_cats: int) -> np.ndarray:
        """Per kept column -> per accepted cell."""
        import numpy as np

        per_col = np.asarray(values, dtype=_small(n_cats))
        if self.full:
            return np.tile(per_col, self.n)
        return np.broadcast_to(per_col, (self.n, self.k))[self.filled]

    def select(self, M: np.ndarray) -> np.ndarray:
        """A (rows × columns) matrix -> per accepted cell."""
        return M.reshape(-1) if self.full else M[self.filled]

    def recode(self, codes: np.ndarray, uniq: list[str]) -> pd.Categorical:
        """Codes over ``uniq`` (per input row) -> a categorical of the used values, sorted."""
        import numpy as np

        present = np.zeros(len(uniq) + 1, dtype=bool)
        present[codes[self.used_rows]] = True
        used = np.flatnonzero(present[:-1]) if len(uniq) else np.zeros(0, dtype=np.int64)
        names = [uniq[i] for i in used.tolist()]
        order = sorted(range(len(names)), key=names.__getitem__)
        lookup = np.full(len(uniq) + 1, -1, dtype=_small(len(used)))
        lookup[used[order]] = np.arange(len(used))
        return _categorical(self.by_row(lookup[codes]), [names[i] for i in order])


def _figure_columns(cells: AcceptedCells, V: np.ndarray, H: np.ndarray | None, Q: np.ndarray | None,
                    quals: list[str]) -> dict[str, Any]:
    """``value``, ``value_high`` and ``qualifier`` of the accepted cells."""
    import numpy as np
    import pandas as pd

    rows = cells.count
    value = cells.select(V)
    if H is not None and not np.isnan(H).all():
        high = cells.select(H)
        missing = np.isnan(high)
        value_high = pd.arrays.FloatingArray(np.where(missing, 0.0, high), missing)
    else:
        value_high = pd.arrays.FloatingArray(np.zeros(rows), np.ones(rows, dtype=bool))
    qual = cells.select(Q) if Q is not None else np.zeros(rows, dtype=np.int8)
    return {
        "value": pd.arrays.FloatingArray(value, np.zeros(rows, dtype=bool)),
        "value_high": value_high,
        "qualifier": _categorical(qual, quals),
    }


def _indicator_columns(cells: AcceptedCells, kept: list) -> dict[str, pd.Categorical]:
    """``indicator``, ``method``, ``unit``, ``unit_zh`` and ``period``: attributes of the columns.

    Categories are those of the shipped ``indicators`` table (``unit_zh``: the units of
    the kept columns, sorted), so tables read from different files concatenate cleanly.
    """
    import numpy as np

    from sswanalysis.datapackage.loading import categories

    ind_codes = list(categories("indicators", "indicator") or [])
    method_cats = list(categories("indicators", "method") or [])
    unit_cats = list(categories("indicators", "unit") or [])
    period_cats = list(categories("indicators", "period") or [])
    unit_zh = sorted({c.unit_zh for c in kept})
    return {
        "indicator": _categorical(cells.by_column([ind_codes.index(c.indicator) for c in kept],
                                                  len(ind_codes)), ind_codes),
        "method": _categorical(cells.by_column([method_cats.index(c.method) if c.method else -1
                                                for c in kept], len(method_cats)), method_cats),
        "unit": _categorical(cells.by_column([unit_cats.index(c.unit) for c in kept], len(unit_cats)),
                             unit_cats),
        "unit_zh": _categorical(cells.by_column([unit_zh.index(c.unit_zh) for c in kept], len(unit_zh)),
                                unit_zh),
        "period": _categorical(np.full(cells.count, period_cats.index("month"),
                                       dtype=_small(len(period_cats))), period_cats),
    }


def _row_columns(cells: AcceptedCells, attrs: RowAttributes, rows: Rows, source_id: str) -> dict[str, Any]:
    """Attributes of the input rows, repeated once per accepted cell of the row.

    ``region_id``, ``station_id`` and ``file`` list only the values that occur among the
    accepted rows; ``source_id`` is ``"synthetic"`` for rows marked synthetic.
    """
    import numpy as np
    import pandas as pd

    n_cells = cells.count
    sources = sorted({source_id, SYNTHETIC_SOURCE_ID})
    source_code = np.where(attrs.synthetic, sources.index(SYNTHETIC_SOURCE_ID), sources.index(source_id))
    used_files = np.flatnonzero(np.bincount(rows.file_idx[cells.used_rows], minlength=len(rows.names)))
    file_lookup = np.full(len(rows.names), -1, dtype=_small(len(used_files)))
    file_lookup[used_files] = np.arange(len(used_files))
    province = attrs.province
    return {
        "region_id": cells.recode(*attrs.region),
        "station_id": cells.recode(*attrs.station),
        "province": pd.Categorical.from_codes(cells.by_row(np.asarray(province.codes)),
                                              dtype=province.dtype, validate=False),
        "month": pd.arrays.PeriodArray(cells.by_row(attrs.row_month - 1970 * 12), dtype=pd.PeriodDtype("M")),
        "source_id": _categorical(cells.by_row(source_code.astype(_small(len(sources)))), sources),
        "synthetic": pd.arrays.BooleanArray(cells.by_row(attrs.synthetic), np.zeros(n_cells, dtype=bool)),
        "file": _categorical(cells.by_row(file_lookup[rows.file_idx]),
                             [str(n) for n in rows.names[used_files]]),
        "row": pd.arrays.IntegerArray(cells.by_row(rows.row_no), np.zeros(n_cells, dtype=bool)),
    }


#: Columns of the accepted long table, in order.
ACCEPTED_COLUMNS = ["region_id", "station_id", "province", "indicator", "method", "value", "value_high",
                    "qualifier", "unit", "unit_zh", "period", "month", "source_id", "synthetic", "file",
                    "row"]


def long_table(figures: Figures, cells: AcceptedCells, attrs: RowAttributes, rows: Rows,
               source_id: str) -> pd.DataFrame:
    """Gather the accepted cells (``cells``: filled cells of rows without a fault) into the long table.

    The table lists them row by row, column by column. Values are selected with a mask
    of the accepted cells, an input row's attributes are repeated once per accepted cell
    of the row and a column's attributes are laid over the rows: each column is built in
    its final dtype, with codes only, no per-cell index arrays and no per-row Python.
    """
    import pandas as pd

    columns = {
        **_row_columns(cells, attrs, rows, source_id),
        **_indicator_columns(cells, figures.columns),
        **_figure_columns(cells, figures.value, figures.high, figures.qual, figures.quals),
    }
    return pd.DataFrame({c: columns[c] for c in ACCEPTED_COLUMNS}, copy=False)


# -- stations -------------------------------------------------------------------------------


def station_table(ok: list[Readable], attrs: RowAttributes, rows: Rows) -> pd.DataFrame:
    """One row per accepted station: its attributes as last reported, and ``months_reported``.

    "Last" is the latest (month, then position) accepted row of each station; accepted
    rows have a station and a month. An attribute that row leaves empty (township, service
    model, opening month, funding source) is taken from the latest row that fills it: a
    month written without them does not erase them. Sorted by station.
    """
    import numpy as np
    import pandas as pd

    n = rows.n
    st, rg, province = attrs.station, attrs.region, attrs.province
    good_g = np.flatnonzero(~rows.bad)
    good_s = st.codes[good_g]
    months_reported = np.bincount(good_s, minlength=len(st.uniq))
    # (month, row) of each station's latest row in one integer: a scatter-max, no sort
    latest = np.full(len(st.uniq), -1, dtype=np.int64)
    np.maximum.at(latest, good_s, attrs.row_month[good_g] * max(n, 1) + good_g)
    reported = np.flatnonzero(latest >= 0)

    def pick(uniq: list[Any], codes: np.ndarray) -> list[Any]:
        # code -1 (empty) picks the None appended last; a plain list, not numpy scalars, per station
        values = [*uniq, None]
        return [values[c] for c in codes.tolist()]

    gs = latest[reported] % max(n, 1)

    def filled_at(filled: np.ndarray) -> np.ndarray:
        """``gs``, but for a station whose latest row leaves the attribute empty (``filled``
        false) its latest row that fills it, if any: only those stations are looked at again."""
        again = ~filled[gs]
        if not again.any():  # the usual case: every latest row is filled
            return gs
        redo = np.zeros(len(st.uniq), dtype=bool)
        redo[st.codes[gs[again]]] = True
        g = good_g[filled[good_g] & redo[good_s]]
        best = np.full(len(st.uniq), -1, dtype=np.int64)
        np.maximum.at(best, st.codes[g], attrs.row_month[g] * max(n, 1) + g)
        found = best[st.codes[gs]]
        return np.where(again & (found >= 0), found % max(n, 1), gs)

    g_opened = filled_at(attrs.opened >= 0)
    opened = attrs.opened[g_opened]
    opened_at = np.unique(opened[opened >= 0])  # each distinct month written once
    return pd.DataFrame({
        "station_id": pick(st.uniq, st.codes[gs]),
        "region_id": pick(rg.uniq, rg.codes[gs]),
        "province": pd.Categorical.from_codes(province.codes[gs], categories=province.categories),
        "township": _attribute_at(ok, "township", filled_at),
        "service_model": pick(attrs.service_model_values,
                              attrs.service_model[filled_at(attrs.service_model >= 0)]),
        "opened": pick([month_str(o) for o in opened_at.tolist()],
                       np.where(opened >= 0, np.searchsorted(opened_at, opened), -1)),
        "funding_source": _attribute_at(ok, "funding_source", filled_at),
        "synthetic": attrs.synthetic[gs],
        "months_reported": months_reported[reported].astype(np.int64),
    }).sort_values("station_id", ignore_index=True)


def _attribute_at(ok: list[Readable], name: str,
                  filled_at: Callable[[np.ndarray], np.ndarray]) -> list[str | None]:
    """Attribute ``name`` of each station (None where empty), normalised as codes are, at the
    row ``filled_at`` picks given which cells are filled (empty: blank after normalising)."""
    col = attribute(ok, name)
    values = [*col.uniq, None]  # code -1 (empty) picks the None appended last
    return [values[c] for c in col.codes[filled_at(col.codes >= 0)].tolist()]


# -- totals -------------------------------------------------------------------------------


def totals(accepted: pd.DataFrame, by: Iterable[str] = ("province", "month")) -> pd.DataFrame:
    """Sum and count of the accepted figures per ``by`` × indicator × unit (units never mixed).

    ``n_inexact`` counts figures that are not exact (余, 约, ranges: the low end is summed),
    so a total built on them can be read as a lower bound or an approximation. The groups
    are counted and summed in place (``numpy.add.at``) over the combined key codes, block
    by block of rows: no per-group Python and no per-row key array.

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame({"province": ["甘肃省"] * 3, "month": pd.PeriodIndex(["2023-01"] * 3, freq="M"),
    ...     "indicator": ["people_served"] * 3, "unit": ["persons", "persons", "person_times"],
    ...     "value": [10.0, 5.0, 7.0], "qualifier": ["exact", "at_least", "exact"]})
    >>> totals(acc)[["unit", "value_sum", "n", "n_inexact"]].values.tolist()
    [['person_times', 7.0, 1, 0], ['persons', 15.0, 2, 1]]
    """
    import numpy as np
    import pandas as pd

    keys = [*by, "indicator", "unit"]
    codes, offsets, levels = [], [], []
    for k in keys:
        c, o, u = _key_codes(accepted[k])
        if len(c) and c.min() < o:
            raise ValueError(f"invalid entry in coordinates array: {k} has missing values")
        codes.append(c)
        offsets.append(o)
        levels.append(u)
    shape = tuple(max(len(u), 1) for u in levels)
    offset = 0
    for o, dim in zip(offsets, shape, strict=True):
        offset = offset * dim + o
    # a view with numpy's own float64 dtype: a frame read back from a pickle holds an equal
    # but distinct dtype object, and numpy.add.at then takes a path about 30 times slower
    value = accepted["value"].to_numpy(dtype=np.float64, na_value=np.nan).view(np.float64)
    n, value_sum, n_inexact = _sum_by_key(codes, shape, offset, value, _inexact(accepted["qualifier"]))
    hit = np.flatnonzero(n)
    parts = np.unravel_index(hit, shape)
    out = {k: u.take(p) for k, u, p in zip(keys, levels, parts, strict=True)}
    out["value_sum"] = value_sum[hit]
    out["n"] = n[hit]
    out["n_inexact"] = n_inexact[hit]
    return pd.DataFrame(out)


def _inexact(qual: pd.Series) -> np.ndarray:
    """Mask of the figures whose qualifier is not ``exact``."""
    import pandas as pd

    if isinstance(qual.dtype, pd.CategoricalDtype):
        exact_code = list(qual.cat.categories).index("exact") if "exact" in qual.cat.categories else -2
        return qual.array.codes != exact_code  # the codes themselves (``.cat.codes`` copies them)
    return (qual.astype("str") != "exact").to_numpy()


def _sum_by_key(codes: list[np.ndarray], shape: tuple[int, ...], offset: int, value: np.ndarray,
                inexact: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(count, sum of ``value``, count of inexact) per combined key, a flat array over ``shape``.

    The combined key (row-major over ``shape``, less ``offset``) is built a block of rows
    at a time in one reused buffer small enough to stay in cache, and every count and sum
    is added in place (``numpy.add.at``): no per-block array over all groups. Sums are
    added in row order, as one ``bincount`` over all rows would.
    """
    import numpy as np

    size = int(np.prod(shape))
    rows = len(value)
    any_inexact = bool(inexact.any())
    n = np.zeros(size, dtype=np.int64)
    value_sum = np.zeros(size, dtype=np.float64)
    n_inexact = np.zeros(size, dtype=np.int64)
    buffer = np.empty(min(_TOTALS_BLOCK, rows), dtype=np.int64)
    for start in range(0, rows, _TOTALS_BLOCK):
        stop = min(start + _TOTALS_BLOCK, rows)
        flat = buffer[:stop - start]
        flat[:] = codes[0][start:stop]
        for c, dim in zip(codes[1:], shape[1:], strict=True):
            flat *= dim
            flat += c[start:stop]
        if offset:
            flat -= offset
        np.add.at(n, flat, 1)
        np.add.at(value_sum, flat, value[start:stop])
        if any_inexact:
            np.add.at(n_inexact, flat[inexact[start:stop]], 1)
    if not rows:  # numpy's bincount of no rows (the dtype of an empty result, as before)
        value_sum = np.bincount(np.zeros(0, dtype=np.int64), weights=value, minlength=size)
    return n, value_sum, n_inexact


def _key_codes(col: pd.Series) -> tuple[np.ndarray, int, pd.Index]:
    """(codes + offset, offset, sorted distinct values) of a grouping column.

    The codes (``codes + offset`` less ``offset``) index the distinct values, as those of
    ``pandas.factorize(sort=True)``. Categorical columns give their codes over their
    categories (unused ones too: empty groups are dropped later); months give their
    ordinals, offset by the first month, over the whole span of months, without hashing.
    Other columns are factorized.
    """
    import numpy as np
    import pandas as pd

    if isinstance(col.dtype, pd.CategoricalDtype):  # the codes themselves (``.cat.codes`` copies them)
        return col.array.codes, 0, col.cat.categories
    if isinstance(col.dtype, pd.PeriodDtype) and len(col):
        ordinals = col.array.asi8
        lo, hi = int(ordinals.min()), int(ordinals.max())
        # NaT is stored as the smallest int64: a larger minimum means no NaT (no mask built)
        if lo > np.iinfo(np.int64).min and hi - lo < max(len(col), 1 << 16):
            span = pd.arrays.PeriodArray(np.arange(lo, hi + 1, dtype=np.int64), dtype=col.dtype)
            return ordinals, lo, pd.PeriodIndex(span)
    c, u = pd.factorize(col, sort=True)
    return c.astype(np.int64), 0, u
