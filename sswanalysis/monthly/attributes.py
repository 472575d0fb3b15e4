"""Attribute columns of the station-month reports (station, region, month, province, …).

Part of the row checks (:mod:`sswanalysis.monthly.checks`). Each distinct value of an
attribute is judged once, then its verdict is spread over the rows by code.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from sswanalysis.monthly.checks import Readable, Rows
    from sswanalysis.monthly.template import Column

_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否"}

# -- attribute values (each distinct value judged once) ------------------------------------------

_MONTH_RES = [
    re.compile(r"(\d{4})\s*(?P<sep>[-/.])\s*(\d{1,2})(?:\s*[-/.]\s*(?P<day>\d{1,2})(?:[ T].*)?)?"),
    re.compile(r"(\d{4})年\s*(\d{1,2})\s*月(?:份|(?P<day>\d{1,2})日)?"),
    re.compile(r"(\d{4})(\d{2})"),
]


def normalised(text: str) -> str:
    """A cell's text as attributes are compared: NFKC (``ＳＴ０１`` is ``ST01``), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


#: Text that :func:`normalised` leaves as it is: printable ASCII and the main block of CJK
#: ideographs (neither decomposes nor composes under NFKC), with no space at either end.
_PLAIN_CHARS = r"\x21-\x7e\x{4e00}-\x{9fff}"
_PLAIN_TEXT = rf"^[{_PLAIN_CHARS}](?:[ {_PLAIN_CHARS}]*[{_PLAIN_CHARS}])?$"


def normalised_all(texts: Any) -> list[str]:
    """:func:`normalised` of each string of an Arrow array (no nulls), as a list.

    Most attribute text (ids, Chinese names) is plain and already normal; Arrow finds it
    in one pass, and only the rest is normalised one by one.
    """
    import numpy as np
    import pyarrow.compute as pc

    out = texts.to_pylist()
    plain = pc.match_substring_regex(texts, _PLAIN_TEXT).to_numpy(zero_copy_only=False)
    for i in np.flatnonzero(~plain).tolist():
        out[i] = normalised(out[i])
    return out


def parse_month(text: str) -> tuple[int | None, str | None]:
    """``(year * 12 + month - 1, None)`` or ``(None, reason)``.

    A date is accepted as its month only if it is a real date. ``2023.1`` is refused: it
    is what Excel shows (and writes) for ``2023.10`` typed as a number, so it may be
    October as well as January.

    Examples
    --------
    >>> parse_month("2023-01"), parse_month("2023年1月"), parse_month("202301")[0] == parse_month("2023/1")[0]
    ((24276, None), (24276, None), True)
    >>> parse_month("2023-13")
    (None, "'2023-13' has month 13; months run 1 to 12")
    >>> parse_month("2023-02-30")[1]
    "'2023-02-30' is not a date (2023-02 has no day 30)"
    >>> parse_month("2023.1")[1][:58]
    "'2023.1' may be 2023-10 with its last zero dropped (a mont"
    >>> parse_month("Jan 2023")[1]
    "'Jan 2023' is not a month (write YYYY-MM)"
    """
    import calendar

    t = normalised(text)
    for rx in _MONTH_RES:
        m = rx.fullmatch(t)
        if m:
            year, month = int(m.group(1)), int(m.group(3 if "sep" in rx.groupindex else 2))
            if not 1 <= month <= 12:
                return None, f"{text!r} has month {month}; months run 1 to 12"
            day = m.groupdict().get("day")
            if day is not None and not 1 <= int(day) <= calendar.monthrange(year, month)[1]:
                return None, f"{text!r} is not a date ({year:04d}-{month:02d} has no day {int(day)})"
            if m.groupdict().get("sep") == "." and day is None and month == 1 and t.endswith(".1"):
                return None, (f"{text!r} may be {year}-10 with its last zero dropped (a month typed as "
                              f"a number in Excel); write {year}-01 or {year}-10 as text")
            return year * 12 + month - 1, None
    return None, f"{text!r} is not a month (write YYYY-MM)"


def month_str(ordinal: int) -> str:
    """``YYYY-MM`` of a month ordinal of :func:`parse_month`."""
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


class Coded(NamedTuple):
    """An attribute column as codes (per row, -1 where empty) over its distinct values."""

    codes: np.ndarray
    uniq: list[str]


def uniques(arr: Any) -> Coded:
    """(codes with -1 for empty, distinct normalised values) of a string column.

    The column is dictionary-encoded first (if it is not already: chunks of a dictionary
    column get one dictionary) and only its distinct values are normalised (NFKC,
    trimmed), so the cost is per distinct value, not per row.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(arr.type):
        enc = arr.unify_dictionaries().combine_chunks() if arr.num_chunks else \
            pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
    else:
        if not pa.types.is_string(arr.type):
            arr = pc.cast(arr, pa.string())
        enc = pc.dictionary_encode(arr).combine_chunks()
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False)
    normalised_values = normalised_all(enc.dictionary)
    index: dict[str, int] = {}  # distinct normalised value -> its code, in order of first sight
    remap = [index.setdefault(t, len(index)) if t else -1 for t in normalised_values]
    remap.append(-1)  # code -1 (null) stays -1
    return Coded(np.array(remap, dtype=np.int64)[codes], list(index))


def concat_column(ok: list[Readable], name: str) -> Any:
    """One attribute column over all readable files (null where absent), dictionary-encoded.

    CSV files are read with their attribute columns already dictionary-encoded; other
    chunks are encoded here, chunk by chunk. The chunks keep their own dictionaries
    (:func:`uniques` unifies them).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    dict_type = pa.dictionary(pa.int32(), pa.string())
    chunks = []
    for f in ok:
        if name in f.positions:
            col = f.raw.table.column(f.positions[name])
            if col.type != dict_type:
                if pa.types.is_dictionary(col.type):
                    col = col.cast(pa.string())
                elif not pa.types.is_string(col.type):
                    col = col.cast(pa.string())
                col = pa.chunked_array([pc.dictionary_encode(c) for c in col.chunks], dict_type)
            chunks += col.chunks
        else:
            chunks.append(pa.DictionaryArray.from_arrays(pa.nulls(len(f.raw.rows), pa.int32()),
                                                         pa.array([], pa.string())))
    return pa.chunked_array(chunks, type=dict_type)


def attribute(ok: list[Readable], name: str) -> Coded:
    """Attribute column ``name`` of all readable files as :class:`Coded`."""
    return uniques(concat_column(ok, name))


@functools.cache
def province_lookup() -> tuple[dict[str, str], dict[str, str]]:
    """(spelling -> province name_zh, region_id -> province name_zh)."""
    from sswanalysis.datapackage.hierarchy import ancestor_at
    from sswanalysis.datapackage.loading import load
    from sswanalysis.monthly.template import provinces

    spell: dict[str, str] = {}
    of_region: dict[str, str] = {}
    for p in provinces().itertuples(index=False):
        for s in (p.name_zh, p.short_zh, p.name_en.lower(), f"{p.name_en.lower()} province",
                  p.division_code, p.region_id):
            spell[s] = p.name_zh
        of_region[p.region_id] = p.name_zh
    regions = load("regions")
    name_zh = dict(zip(regions["region_id"], regions["name_zh"], strict=True))
    name_en = dict(zip(regions["region_id"], regions["name_en"], strict=True))
    for region, province in ancestor_at(regions, "province").items():
        if province is not None:
            of_region[region] = name_zh[province]
            spell.setdefault(str(name_en[province]).lower(), name_zh[province])
    return spell, of_region


# -- attribute checks -----------------------------------------------------------------------------


def required_column(ok: list[Readable], name: str, spec: dict[str, Column], rows: Rows) -> Coded:
    """Attribute ``name``; rows where it is empty are faulted."""
    import numpy as np

    col = attribute(ok, name)
    g = np.flatnonzero(col.codes < 0)
    rows.fault(g, name, [""] * len(g), f"{name} ({spec[name].header_zh}) is empty but required")
    return col


def region_aliases(regions: Any = None) -> dict[str, str]:
    """Every accepted way to write a region -> its region id.

    A region of the shipped ``regions`` table by its id, Chinese name (临泽县), that name
    without its 县/市/区 suffix (临泽) or division code (620723); a province of
    ``templates/provinces.csv`` likewise (gansu, 甘肃省, 甘肃, 620000). With ``regions``
    (a list of ids), only those ids, each written as itself.

    >>> a = region_aliases()
    >>> a["临泽县"], a["临泽"], a["620723"], a["linze"], a["甘肃"]
    ('linze', 'linze', 'linze', 'linze', 'gansu')
    """
    if regions is not None:
        return {str(r): str(r) for r in regions}
    return dict(_shipped_region_aliases())


@functools.cache
def _shipped_region_aliases() -> dict[str, str]:
    from sswanalysis.datapackage.loading import load
    from sswanalysis.monthly.template import provinces

    out: dict[str, str] = {}
    for p in provinces().itertuples(index=False):
        for s in (p.region_id, p.name_zh, p.short_zh, p.division_code):
            out.setdefault(str(s), p.region_id)
    for r in load("regions").itertuples(index=False):
        short = re.sub(r"(自治县|自治州|县|市|区|盟|州)$", "", str(r.name_zh))
        for s in (r.region_id, r.name_zh, str(r.division_code), short):
            if s and s != "nan":
                out[str(s)] = r.region_id
    return out


def _accepted_regions(aliases: dict[str, str]) -> str:
    """What a region may be written as: each region of the table with its other spellings,
    the provinces summed up."""
    from sswanalysis.monthly.template import provinces

    by_id: dict[str, list[str]] = {}
    for a, i in aliases.items():
        by_id.setdefault(i, []).append(a)
    province_ids = set(provinces()["region_id"])
    local = [i for i in sorted(by_id) if i not in province_ids]
    listed = "; ".join(f"{i} ({', '.join(a for a in by_id[i] if a != i)})" for i in local[:20])
    if len(local) > 20:
        listed += f"; … {len(local) - 20} more in regions.csv"
    text = f"Write a region id, its Chinese name or its division code: {listed}" if local else ""
    if province_ids & set(by_id):
        text += ("; or a province by id, name or code (e.g. gansu, 甘肃省, 620000; see "
                 "templates/provinces.csv)")
    return text.removeprefix("; ")


#: Distinct unknown values (regions, provinces) that get a "Did you mean …?" guess.
_GUESSES = 200


def _unknown_reasons(uniq: list[str], codes: np.ndarray, spellings: list[str], what: str,
                     accepted: str) -> dict[int, str]:
    """The fault message of each distinct unknown value (code -> message): what it is, a
    close spelling if there is one, and what is accepted."""
    # a guess costs about a millisecond: made for the first distinct unknown values only, so a
    # column of garbage (every value different) is judged in seconds, not hours
    reasons = {}
    for i, c in enumerate(dict.fromkeys(codes.tolist())):
        close = close_spelling(uniq[c], spellings) if i < _GUESSES else None
        hint = f" Did you mean {close!r}?" if close else ""
        reasons[c] = f"unknown {what} {uniq[c]!r}.{hint} {accepted}"
    return reasons


def close_spelling(value: str, spellings: list[str]) -> str | None:
    """The accepted spelling closest to an unknown ``value``, if one is close (about 1 ms each).

    >>> close_spelling("甘肅省", ["甘肃省", "linze"]), close_spelling("Narnia", ["甘肃省"])
    ('甘肃省', None)
    """
    import difflib

    close = difflib.get_close_matches(value, spellings, n=1)
    return close[0] if close else None


def check_regions(rg: Coded, aliases: dict[str, str], rows: Rows) -> Coded:
    """The region column as region ids (written by id, name or code); unknown regions faulted,
    the message listing what is accepted."""
    import numpy as np

    canon = [aliases.get(r, aliases.get(r.lower())) for r in rg.uniq]
    known = np.array([c is not None for c in canon] + [True], dtype=bool)
    g = np.flatnonzero(~known[rg.codes])
    if len(g):
        reasons = _unknown_reasons(rg.uniq, rg.codes[g], list(aliases), "region", _accepted_regions(aliases))
        rows.fault(g, "region_id", [rg.uniq[c] for c in rg.codes[g]], [reasons[c] for c in rg.codes[g]])
    # recode over the distinct region ids; an unknown region (faulted above) becomes empty, so
    # that it teaches nothing about where its station is (no cascade onto the station's other rows)
    uniq = sorted({c for c in canon if c is not None})
    index = {r: i for i, r in enumerate(uniq)}
    remap = np.array([index[c] if c is not None else -1 for c in canon] + [-1], dtype=np.int64)
    return Coded(remap[rg.codes], uniq)


def check_months(mo: Coded, min_ord: int, max_ord: int, rows: Rows) -> np.ndarray:
    """Month ordinal of each row (-1 where missing or bad); bad months and months out of range faulted."""
    import numpy as np

    month_ord = np.full(len(mo.uniq) + 1, -1, dtype=np.int64)
    month_reason: list[str | None] = []
    for i, t in enumerate(mo.uniq):
        o, reason = parse_month(t)
        if reason is None and o < min_ord:
            reason = f"{t!r} is before {month_str(min_ord)}, the earliest month accepted"
        elif reason is None and o > max_ord:
            reason = f"{t!r} is after {month_str(max_ord)}, the latest month accepted (max_month)"
        month_reason.append(reason)
        if reason is None:
            month_ord[i] = o
    g = np.flatnonzero((mo.codes >= 0) & (month_ord[mo.codes] < 0))
    rows.fault(g, "month", [mo.uniq[c] for c in mo.codes[g]], [month_reason[c] for c in mo.codes[g]])
    return month_ord[mo.codes]


def check_provinces(ok: list[Readable], rg: Coded, spell: dict[str, str], of_region: dict[str, str],
                    rows: Rows) -> pd.Categorical:
    """Province of each row: as written if known, else that of its region; faults when they differ.

    A written province must be known and match the province of the row's region. Each
    (region, written province) pair is judged once: the pairs are found by counting
    their combined code, or, when there could be many more pairs than rows (a column of
    distinct unknown provinces beside a long ``regions`` list), by sorting the codes.
    """
    import numpy as np
    import pandas as pd

    pv = attribute(ok, "province")
    pv_name = [spell.get(p.lower(), spell.get(p)) for p in pv.uniq]
    g = np.flatnonzero((pv.codes >= 0) & np.array([x is None for x in pv_name] + [False])[pv.codes])
    if len(g):
        reasons = _unknown_reasons(pv.uniq, pv.codes[g], list(spell), "province", (
            "Write a province's Chinese name (甘肃省 or 甘肃), its English name or its 6-digit division "
            "code (see templates/provinces.csv)"))
        rows.fault(g, "province", [pv.uniq[c] for c in pv.codes[g]], [reasons[c] for c in pv.codes[g]])
    region_prov = [of_region.get(r) for r in rg.uniq] + [None]
    written_prov = pv_name + [None]
    width = len(pv.uniq) + 1
    pair_key = rg.codes + 1  # then in place: one per-row temporary, not three
    pair_key *= width
    pair_key += pv.codes
    pair_key += 1
    possible = (len(rg.uniq) + 1) * width
    if possible <= 4 * len(pair_key) + (1 << 16):  # a table over every possible pair is small
        pair_keys = np.flatnonzero(np.bincount(pair_key, minlength=possible))
        slot, slots, at = pair_key, possible, pair_keys  # a row's pair sits at its key
    else:
        pair_keys, slot = np.unique(pair_key, return_inverse=True)
        slots, at = len(pair_keys), np.arange(len(pair_keys))  # a row's pair by its rank
    pairs = list(zip((pair_keys // width - 1).tolist(), (pair_keys % width - 1).tolist(), strict=True))
    mismatch = np.array([r >= 0 and p >= 0 and bool(written_prov[p]) and bool(region_prov[r])
                         and written_prov[p] != region_prov[r] for r, p in pairs], dtype=bool)
    if mismatch.any():
        bad = np.zeros(slots, dtype=bool)
        bad[at] = mismatch
        g = np.flatnonzero(bad[slot])
        of_row = np.searchsorted(pair_keys, pair_key[g]).tolist()
        rows.fault(g, "province", [pv.uniq[pairs[i][1]] for i in of_row],
                   [f"province {pv.uniq[pairs[i][1]]!r} does not match region {rg.uniq[pairs[i][0]]!r} "
                    f"({region_prov[pairs[i][0]]})" for i in of_row])
    prov_of_pair = pd.Categorical([
        written_prov[p] if p >= 0 and written_prov[p] else region_prov[r] if r >= 0 else None
        for r, p in pairs
    ])
    pair_province = np.full(slots, -1, dtype=prov_of_pair.codes.dtype)
    pair_province[at] = prov_of_pair.codes
    return pd.Categorical.from_codes(pair_province[slot], categories=prov_of_pair.categories)


@functools.cache
def service_model_spellings() -> dict[str, str]:
    """Each Chinese spelling of a station operation type -> its code.

    The spellings are the labels and other words of the Data Package's ``station_operations``
    (the codes of ``stations.operation``).

    >>> spellings = service_model_spellings()
    >>> spellings["政府购买服务"], spellings["委托运营"]
    ('government_purchase', 'contracted_organisation')
    """
    from sswanalysis.datapackage.evidence import spellings
    from sswanalysis.datapackage.loading import read_raw

    table = read_raw("station_operations")
    rows = zip(table["operation"], table["label_zh"], table["words_zh"], strict=True)
    return {word: str(code) for code, label, words in rows for _, word in spellings(label, words)}


def check_service_models(ok: list[Readable], rows: Rows) -> tuple[np.ndarray, list[str | None]]:
    """(codes, operation type of each code): Chinese names mapped, unknown models faulted."""
    import numpy as np

    from sswanalysis.datapackage.loading import categories

    sm = attribute(ok, "service_model")
    models = list(categories("stations", "operation") or [])
    spellings = service_model_spellings()
    sm_value = [u if u in models else spellings.get(u) for u in sm.uniq]
    g = np.flatnonzero((sm.codes >= 0) & np.array([v is None for v in sm_value] + [False])[sm.codes])
    rows.fault(g, "service_model", [sm.uniq[c] for c in sm.codes[g]],
               [f"unknown service model {sm.uniq[c]!r} (allowed: {', '.join(models)}, "
                f"{', '.join(spellings)})" for c in sm.codes[g]])
    return sm.codes, sm_value


def check_opened(ok: list[Readable], mo: Coded, row_month: np.ndarray, rows: Rows) -> np.ndarray:
    """Opening month ordinal of each row (-1 where empty or bad).

    Faults an opening month that is not a month, and a report month before the station opened.
    """
    import numpy as np

    op = attribute(ok, "opened")
    op_ord = np.array([parse_month(u)[0] if parse_month(u)[0] is not None else -2 for u in op.uniq] + [-1])
    opened_row = op_ord[op.codes]
    g = np.flatnonzero(opened_row == -2)
    rows.fault(g, "opened", [op.uniq[c] for c in op.codes[g]],
               [f"opening month {op.uniq[c]!r} is not a month (write YYYY-MM)" for c in op.codes[g]])
    g = np.flatnonzero((opened_row >= 0) & (row_month >= 0) & (row_month < opened_row))
    rows.fault(g, "month", [mo.uniq[c] for c in mo.codes[g]],
               [f"report month {month_str(row_month[i])} is before the station opened "
                f"({month_str(opened_row[i])})" for i in g])
    return opened_row


def check_synthetic(ok: list[Readable], rows: Rows) -> np.ndarray:
    """Mask of the rows marked synthetic (empty: not synthetic); values not true/false faulted."""
    import numpy as np

    sy = attribute(ok, "synthetic")
    sy_val = np.array([1 if u.lower() in _TRUE else 0 if u.lower() in _FALSE else -2 for u in sy.uniq] + [0])
    row_val = sy_val[sy.codes]
    g = np.flatnonzero(row_val == -2)
    rows.fault(g, "synthetic", [sy.uniq[c] for c in sy.codes[g]],
               [f"{sy.uniq[c]!r} is not true or false" for c in sy.codes[g]])
    return row_val == 1
