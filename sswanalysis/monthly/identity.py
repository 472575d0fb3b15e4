"""Station identity in the station-month reports: a station stays in one region, and each
of its months is reported once.

Part of the row checks (:mod:`sswanalysis.monthly.checks`), run on the attribute codes of
:mod:`sswanalysis.monthly.attributes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sswanalysis.monthly.attributes import Coded, close_spelling, month_str, normalised, region_aliases

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from sswanalysis.monthly.checks import Rows


def check_stations(st: Coded, rg: Coded, register: pd.DataFrame | None, rows: Rows) -> None:
    """Fault rows whose station is unknown to ``register``, or filed under another region.

    With a register, a station's region is the register's (read by :func:`register_regions`,
    so its ids and regions may be written as in the reports). Without one it is the region
    of the shipped ``stations`` table, else that of the station's first row.

    Raises
    ------
    ValueError
        If the register is not usable (see :func:`register_regions`).
    """
    valid = (st.codes >= 0) & (rg.codes >= 0)
    if register is not None:
        # the reports' region ids count too: ``read(regions=...)`` may name ids the shipped table lacks
        by_station = register_regions(register, {**region_aliases(), **{r: r for r in rg.uniq}})
        expect = _regions_by_register(st, by_station, valid, rows)
        first_loc, shipped = None, {}
    else:
        expect, first_loc, shipped = _regions_by_first_row(st, rg, valid, rows.n)
    _check_station_regions(st, rg, valid, expect, first_loc, shipped, rows)


#: Register problems listed in one message; the rest are counted.
_REGISTER_PROBLEMS_SHOWN = 5


def _register_cell(value: object) -> str:
    """A register cell as the reports' attributes are compared; a missing cell (None, NaN) is empty."""
    import pandas as pd

    return "" if pd.isna(value) else normalised(str(value))


def register_regions(register: pd.DataFrame, aliases: dict[str, str]) -> dict[str, str]:
    """Station id -> region id of a station register.

    Ids are normalised as the reports' are (``S4 `` and ``Ｓ４`` are ``S4``) and a region may
    be written in any way ``aliases`` accepts (临泽县, 临泽, 620723 for ``linze``), so a
    register and a report that agree are never told apart by their spelling. A station
    listed twice in the same region is one station.

    Parameters
    ----------
    register : DataFrame
        Columns ``station_id`` and ``region_id``; its index labels name the rows in messages
        (:func:`~sswanalysis.monthly.ingest.read_register` gives the file's row numbers).
    aliases : dict
        Every accepted spelling of a region -> its id (:func:`region_aliases`).

    Returns
    -------
    dict
        Station id -> region id.

    Raises
    ------
    ValueError
        Naming the rows (up to five, the rest counted) with an empty station or region, an
        unknown region, or a station listed under two regions, and what to do.

    Examples
    --------
    >>> import pandas as pd
    >>> register_regions(pd.DataFrame({"station_id": ["S4 ", "S5"], "region_id": ["临泽县", "linze"]}),
    ...                  region_aliases())
    {'S4': 'linze', 'S5': 'linze'}
    """
    out: dict[str, str] = {}
    row_of: dict[str, object] = {}
    problems = []
    for label, station_cell, region_cell in zip(register.index, register["station_id"], register["region_id"],
                                                strict=True):
        station, written = _register_cell(station_cell), _register_cell(region_cell)
        region = aliases.get(written, aliases.get(written.lower()))
        if not station:
            problems.append(f"row {label}: no station_id (region {written!r}); fill it in or delete the row")
        elif not written:
            problems.append(f"row {label}: station {station!r} has no region_id; write its region "
                            "(e.g. linze)")
        elif region is None:
            # guessed only for a row the message will show: a guess costs about a millisecond
            shown = len(problems) < _REGISTER_PROBLEMS_SHOWN
            close = close_spelling(written, list(aliases)) if shown else None
            problems.append(f"row {label}: unknown region {written!r}"
                            + (f" (did you mean {close!r}?)" if close else "")
                            + "; write a region id, its Chinese name or its division code (e.g. linze, "
                              "临泽县, 620723; see the regions table)")
        elif out.get(station, region) != region:
            problems.append(f"row {label}: station {station!r} is in region {region!r}, but row "
                            f"{row_of[station]} puts it in {out[station]!r}; a station is in one region: "
                            "delete the wrong row")
        elif station not in out:  # a copy of an earlier row is that row
            out[station], row_of[station] = region, label
    if problems:
        more = len(problems) - _REGISTER_PROBLEMS_SHOWN
        raise ValueError("; ".join(problems[:_REGISTER_PROBLEMS_SHOWN])
                         + (f"; and {more} more such rows" if more > 0 else ""))
    return out


def _regions_by_register(st: Coded, by_station: dict[str, str], valid: np.ndarray, rows: Rows) -> np.ndarray:
    """Region of each station code from the register's ``by_station`` (None: unknown station, faulted)."""
    import numpy as np

    expect = np.array([by_station.get(s) for s in st.uniq] + [None], dtype=object)
    g = np.flatnonzero(valid & np.array([e is None for e in expect])[st.codes])
    rows.fault(g, "station_id", [st.uniq[c] for c in st.codes[g]],
               [f"unknown station {st.uniq[c]!r} (not in the station register)" for c in st.codes[g]])
    return expect


def _regions_by_first_row(st: Coded, rg: Coded, valid: np.ndarray,
                          n: int) -> tuple[np.ndarray, dict[int, int], dict[str, str]]:
    """(region of each station code, station code -> its first row, the shipped station -> region).

    A station of the shipped table is in its region there; any other in that of its first row.
    """
    import numpy as np

    from sswanalysis.datapackage.loading import load

    table = load("stations")
    shipped = dict(zip(table["station_id"].astype(str), table["region_id"].astype(str), strict=True))
    expect = np.array([shipped.get(s) for s in st.uniq] + [None], dtype=object)
    # first row of each station (codes are dense: a scatter-min, no sort or hash)
    first = np.full(len(st.uniq), n, dtype=np.int64)
    valid_g = np.flatnonzero(valid)
    np.minimum.at(first, st.codes[valid_g], valid_g)
    seen = np.flatnonzero(first < n)
    first_loc = dict(zip(seen.tolist(), first[seen].tolist(), strict=True))
    unshipped = seen[np.equal(expect[seen], None)]  # elementwise: stations not in the shipped table
    expect[unshipped] = np.array(rg.uniq, dtype=object)[rg.codes[first[unshipped]]]
    return expect, first_loc, shipped


def _check_station_regions(st: Coded, rg: Coded, valid: np.ndarray, expect: np.ndarray,
                           first_loc: dict[int, int] | None, shipped: dict[str, str], rows: Rows) -> None:
    """Fault rows whose region is not the station's ``expect``-ed one, saying where that comes from."""
    import numpy as np

    rg_index = {r: i for i, r in enumerate(rg.uniq)}
    expect_code = np.array([-1 if e is None else rg_index.get(e, -2) for e in expect], dtype=np.int64)
    exp_row = expect_code[st.codes]
    mismatch = np.flatnonzero(valid & (exp_row != -1) & (exp_row != rg.codes))
    reasons = []
    for gi in mismatch.tolist():
        s = st.codes[gi]
        where = "in the station register"
        if first_loc is not None and s in first_loc and expect[s] == rg.uniq[rg.codes[first_loc[s]]] \
                and st.uniq[s] not in shipped:
            where = f"at {rows.where(first_loc[s])}"
        elif first_loc is not None:
            where = "in the shipped stations table"
        reasons.append(f"station {st.uniq[s]!r} is in region {expect[s]!r} {where}, "
                       f"not {rg.uniq[rg.codes[gi]]!r}")
    rows.fault(mismatch, "region_id", [rg.uniq[rg.codes[gi]] for gi in mismatch.tolist()], reasons)


def find_duplicates(st_codes: np.ndarray, row_month: np.ndarray, n_stations: int) -> pd.DataFrame:
    """Rows (index: global row) whose station-month also appears elsewhere; columns ``s``, ``m``.

    Rows without a station or a month are left out. The pairs are counted with
    ``numpy.bincount`` when stations × months is small, else hashed by pandas.
    """
    import numpy as np
    import pandas as pd

    usable = (st_codes >= 0) & (row_month >= 0)
    if usable.all():  # the usual case: every row, without copies
        g, s, m = np.arange(len(usable)), st_codes, row_month
    else:
        g = np.flatnonzero(usable)
        s, m = st_codes[g], row_month[g]
    if len(g) == 0:
        return pd.DataFrame({"s": s, "m": m}, index=g)
    lo = int(m.min())
    span = int(m.max()) - lo + 1
    if n_stations * span <= 4 * len(g) + (1 << 20):
        key = s * span  # then in place: one temporary, not three
        key += m
        key -= lo
        repeated = np.bincount(key, minlength=n_stations * span)[key] > 1
    else:
        repeated = pd.DataFrame({"s": s, "m": m}).duplicated(keep=False).to_numpy()
    return pd.DataFrame({"s": s[repeated], "m": m[repeated]}, index=g[repeated])


def check_duplicates(st: Coded, mo: Coded, row_month: np.ndarray, rows: Rows) -> None:
    """Fault every copy of a repeated station-month; each names (up to 3 of) the others.

    The reader does not guess which copy is right.
    """
    import numpy as np

    dup = find_duplicates(st.codes, row_month, len(st.uniq))
    if not len(dup):
        return
    reasons = {}
    for (s, m), grp in dup.groupby(["s", "m"], sort=False):
        copies = grp.index.tolist()
        # a reason names the first three other copies: only the first four are ever named, so
        # a station-month pasted thousands of times costs per copy, not per pair of copies
        named = [(gi, rows.where(gi)) for gi in copies[:4]]
        more = f" and {len(copies) - 4} more" if len(copies) > 4 else ""
        for gi in copies:
            others = [loc for gj, loc in named if gj != gi][:3]
            reasons[gi] = (f"duplicate station-month ({st.uniq[s]}, {month_str(m)}): also at "
                           f"{'; '.join(others)}{more}")
    gs = np.fromiter(reasons, dtype=np.int64)
    rows.fault(gs, "station_id+month", [f"{st.uniq[st.codes[gi]]} {mo.uniq[mo.codes[gi]]}" for gi in gs],
               [reasons[gi] for gi in gs.tolist()])
