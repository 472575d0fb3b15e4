"""Figures that disagree: find them, keep them, and let a reader choose by source grade.

Two rows of ``indicators`` conflict when they describe the same thing -- the same
indicator, place (region and station), unit and method -- at the same time, but say
different things (value, high end or qualifier). Only indicators marked ``single_valued``
in ``indicator_codes`` can conflict: a place has one number of stations at a time, but may
have several funding items in one year.

"The same time" is read generously, because sources date figures to different
precisions: ``2023-01`` and ``2023-01-17`` are the same time, and a figure the source does
not date (empty ``as_of``) may be the same time as any other. Such pairs are reported, not
resolved: both rows stay in the data (Hunan's 1,940 and 1,938 stations), the validator
lists them as warnings, and :func:`prefer_by_grade` drops the less reliable side when the
sources' grades differ.

Works on the raw string tables (:func:`sswanalysis.datapackage.loading.read_raw`) and on loaded ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GRADES", "conflicts", "count_conflicts", "prefer_by_grade", "same_time", "source_rank"]

#: Reliability grades of a source's original publisher, most reliable first.
GRADES = ("official_statistics", "official_press", "state_media", "academic", "other_media",
          "low_quality")

_KEY = ("indicator", "region_id", "station_id", "unit", "method")
_SAYS = ("value", "value_high", "qualifier")


def _text(x: Any) -> str:
    """A cell as text; missing cells (None, NaN, pd.NA) as ''."""
    text = "" if x is None else str(x)
    return "" if text in ("<NA>", "nan", "None") else text


def same_time(a: str, b: str) -> bool:
    """Whether two ``as_of`` dates may be the same time (one is a prefix of the other, or missing).

    >>> same_time("2023-01", "2023-01-17"), same_time("2019-12", ""), same_time("2021", "2022")
    (True, True, False)
    """
    return not a or not b or a.startswith(b) or b.startswith(a)


def conflicts(indicators: pd.DataFrame, indicator_codes: pd.DataFrame) -> list[tuple[int, int]]:
    """Pairs of row positions of ``indicators`` that describe the same thing differently.

    Parameters
    ----------
    indicators : pandas.DataFrame
        The ``indicators`` table (raw strings or loaded).
    indicator_codes : pandas.DataFrame
        The ``indicator_codes`` table, for its ``single_valued`` column.

    Returns
    -------
    list of (int, int)
        Positions ``(i, j)``, ``i < j``, in ``indicators``' row order.

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.DataFrame({"indicator": ["stations_count", "funding_cny"],
    ...                       "single_valued": ["true", "false"]})
    >>> ind = pd.DataFrame({"indicator": ["stations_count"] * 3 + ["funding_cny"] * 2,
    ...     "region_id": ["hunan"] * 5, "unit": ["stations"] * 3 + ["cny"] * 2,
    ...     "value": ["1940", "1938", "1938", "1", "2"], "qualifier": ["exact"] * 5,
    ...     "as_of": ["2019-12", "", "2019-12", "2020", "2020"]})
    >>> conflicts(ind, codes)
    [(0, 1), (0, 2)]
    """
    return list(count_conflicts(indicators, indicator_codes)[1])


def count_conflicts(indicators: pd.DataFrame,
                    indicator_codes: pd.DataFrame) -> tuple[int, Iterator[tuple[int, int]]]:
    """How many pairs :func:`conflicts` finds, and the pairs one by one, in the same order.

    Rows are compared once per distinct combination of what they describe and say (a large
    file repeats them), so counting costs no more than the distinct combinations, and the
    pairs are made only as far as they are read.

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.DataFrame({"indicator": ["stations_count"], "single_valued": ["true"]})
    >>> ind = pd.DataFrame({"indicator": ["stations_count"] * 4, "region_id": ["hunan"] * 4,
    ...                     "value": ["1940", "1938"] * 2, "as_of": ["2019-12"] * 4})
    >>> n, pairs = count_conflicts(ind, codes)
    >>> n, next(pairs)
    (4, (0, 1))
    """
    import numpy as np

    from sswanalysis.datapackage.distinct import FIRST_LINE, Distinct

    single = {str(c) for c, s in zip(indicator_codes["indicator"], indicator_codes["single_valued"],
                                     strict=True) if _text(s).lower() == "true"}
    kinds = Distinct(indicators, ["indicator"])
    chosen = np.array([_text(r["indicator"]) in single for r in kinds.records], dtype=bool)
    combos = Distinct(indicators, [*_KEY, *_SAYS, "as_of"], where=chosen[kinds.codes])
    groups: dict[tuple[str, ...], list[int]] = {}
    for n, row in combos:
        groups.setdefault(tuple(_text(row[k]) for k in _KEY), []).append(n)
    partners: dict[int, list[int]] = {}
    total = 0
    for members in groups.values():
        for n, a in enumerate(members):
            for b in members[n + 1:]:
                ra, rb = combos.records[a], combos.records[b]
                says_a = tuple(_number_or_text(ra[k]) for k in _SAYS)
                says_b = tuple(_number_or_text(rb[k]) for k in _SAYS)
                if says_a != says_b and same_time(_text(ra["as_of"]), _text(rb["as_of"])):
                    partners.setdefault(a, []).append(b)
                    partners.setdefault(b, []).append(a)
                    total += len(combos.lines(a)) * len(combos.lines(b))

    def pairs() -> Iterator[tuple[int, int]]:
        if not partners:
            return
        # each row of a combination in some conflict, in order, against the later rows of its partners
        later = {a: np.sort(np.concatenate([combos.lines(b) for b in bs])) - FIRST_LINE
                 for a, bs in partners.items()}
        rows = np.concatenate([combos.lines(a) for a in partners]) - FIRST_LINE
        combo_of = combos.codes[np.searchsorted(np.flatnonzero(chosen[kinds.codes]), rows)]
        for k in np.argsort(rows, kind="stable").tolist():
            i, js = int(rows[k]), later[int(combo_of[k])]
            for j in js[np.searchsorted(js, i, side="right"):].tolist():
                yield i, int(j)

    return total, pairs()


def _number_or_text(x: Any) -> float | str:
    t = _text(x)
    try:
        return float(t)
    except ValueError:
        return t


def source_rank(sources: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Sort key of each source: (grade position, 1 if the stored copy is a mirror); lower is better.

    An ungraded source ranks after every grade.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"source_id": ["a", "b", "c"], "grade": ["state_media", "state_media", None],
    ...                   "mirror": ["false", "true", None]})
    >>> source_rank(s)
    {'a': (2, 0), 'b': (2, 1), 'c': (6, 0)}
    """
    out = {}
    for sid, grade, mirror in zip(sources["source_id"], sources["grade"], sources["mirror"],
                                  strict=True):
        g = _text(grade)
        out[str(sid)] = (GRADES.index(g) if g in GRADES else len(GRADES),
                         int(_text(mirror).lower() == "true"))
    return out


def prefer_by_grade(indicators: pd.DataFrame, sources: pd.DataFrame,
                    indicator_codes: pd.DataFrame) -> pd.DataFrame:
    """``indicators`` without the less reliable side of each conflict.

    Of two conflicting rows, the one whose source ranks lower (:func:`source_rank`: grade,
    then original before mirror) is dropped; when both rank the same, both stay -- the
    conflict is left for the reader. Rows in no conflict are kept unchanged, in order.

    Examples
    --------
    >>> import sswanalysis as ssw
    >>> ind = ssw.load("indicators")
    >>> hunan = ind[(ind.region_id == "hunan") & (ind.indicator == "stations_count")]
    >>> hunan["value"].tolist()
    [1940.0, 1938.0]
    >>> kept = prefer_by_grade(hunan, ssw.load("sources"), ssw.load("indicator_codes"))
    >>> kept["value"].tolist()  # both sources are mirrored other media: nothing to choose
    [1940.0, 1938.0]
    """
    rank = source_rank(sources)
    worst = (len(GRADES) + 1, 1)
    ids = [str(s) for s in indicators["source_id"]]
    drop = set()
    for i, j in conflicts(indicators, indicator_codes):
        ri, rj = rank.get(ids[i], worst), rank.get(ids[j], worst)
        if ri != rj:
            drop.add(j if ri < rj else i)
    keep = [n not in drop for n in range(len(indicators))]
    return indicators[keep]
