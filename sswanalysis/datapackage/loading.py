"""Load the tables of a Data Package as typed pandas DataFrames, list them, show their codebook."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from sswanalysis.datapackage.descriptor import (
    PathLike,
    code_reference,
    descriptor,
    read_strings,
    resource,
    resource_names,
    shipped_data_dir,
)

if TYPE_CHECKING:

    import pandas as pd

#: Frictionless field type -> pandas dtype (strings may become categoricals, see ``load``).
PANDAS_DTYPES = {
    "string": "str",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "year": "Int64",
    "yearmonth": "period[M]",
    "date": "datetime64[s]",
}


def _folder(data_dir: PathLike | None):
    from pathlib import Path

    return shipped_data_dir() if data_dir is None else Path(data_dir)


def read_raw(name: str, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Read table ``name`` as written (see :func:`read_strings`).

    This is what the validator checks; :func:`load` converts it to real dtypes.
    """
    return read_strings(_folder(data_dir).joinpath(resource(name, data_dir)["path"]))


def categories(name: str, field: str, data_dir: PathLike | None = None) -> list[str] | None:
    """The categories of a code column: its enum, or the keys of the table it points into.

    Returns None for columns that are not codes, and for a link into the column's own table
    (``regions.parent_id``): a hierarchy link is text, not a category of the table it is in.

    Examples
    --------
    >>> categories("indicators", "qualifier")
    ['exact', 'at_least', 'at_most', 'approx', 'range']
    >>> categories("stations", "region_id")[:4]
    ['ulanqab', 'linze', 'shangrao', 'china']
    """
    res = resource(name, data_dir)
    spec = next(f for f in res["schema"]["fields"] if f["name"] == field)
    enum = spec.get("constraints", {}).get("enum")
    if enum is not None:
        return list(enum)
    ref = code_reference(res, field)
    if ref is None or ref[0] == name:
        return None
    ref_name, ref_field = ref
    if data_dir is None:  # the shipped files don't change while we run: read each once
        return list(_shipped_keys(ref_name, ref_field))
    return list(read_raw(ref_name, data_dir)[ref_field].dropna().drop_duplicates())


@functools.cache
def _shipped_keys(name: str, field: str) -> tuple[str, ...]:
    return tuple(read_raw(name)[field].dropna().drop_duplicates())


def _convert(column: pd.Series, spec: dict[str, Any], cats: list[str] | None) -> pd.Series:
    import pandas as pd

    type_ = spec.get("type", "string")
    if cats is not None:
        return column.astype(pd.CategoricalDtype(cats))
    if type_ in ("integer", "number", "year"):
        return pd.to_numeric(column).astype(PANDAS_DTYPES[type_])
    if type_ == "boolean":
        return column.map({"true": True, "false": False}).astype("boolean")
    if type_ == "yearmonth":
        return pd.PeriodIndex(column, freq="M").to_series(index=column.index)
    if type_ == "date":
        return pd.to_datetime(column, format="%Y-%m-%d").astype("datetime64[s]")
    return column.astype("str")


def load(name: str, data_dir: PathLike | None = None, *, collection: str | None = None) -> pd.DataFrame:
    """Load one table as a DataFrame with real dtypes.

    Codes are categoricals (their categories are the column's allowed values, or the keys
    of the table they point into), counts are nullable ``Int64``, figures nullable
    ``Float64``, months ``period[M]``, text ``str``. The column order and types come from
    ``datapackage.json``.

    Parameters
    ----------
    name : str
        A table name; see :func:`tables`.
    data_dir : path, optional
        A folder holding a Data Package of the same layout. Default: the shipped data.
    collection : str, optional
        Keep only the rows whose source belongs to this collection (``sources.collection``:
        ``"cases"`` for the three local case studies, ``"context"`` for the national,
        provincial and further local figures). Code columns that point into a table with
        sources (regions, stations) then list only that collection's keys as categories.
        Tables without a ``source_id`` column (vocabularies) are returned whole.

    Returns
    -------
    pandas.DataFrame
        One row per row of the CSV file (of the collection, when one is given). A shipped
        table is read and converted once per process; each call returns its own copy.

    Raises
    ------
    KeyError
        If there is no table ``name``; the message lists the valid names.
    ValueError
        If the table's cells don't fit its schema; the message lists each fault with its
        file, row and column (see :func:`sswanalysis.validate`).

    Examples
    --------
    >>> ind = load("indicators")
    >>> ind.loc[ind.observation_id == "ulanqab-08", ["value", "qualifier", "unit"]].to_dict("records")
    [{'value': 1200.0, 'qualifier': 'at_least', 'unit': 'persons'}]
    >>> str(ind["value"].dtype), str(ind["unit"].dtype)
    ('Float64', 'category')
    >>> load("regions", collection="cases")["region_id"].tolist()
    ['ulanqab', 'linze', 'shangrao']
    """
    if data_dir is None:  # the shipped files don't change while we run: convert each once
        return _load_shipped(name, collection).copy()
    return _load(name, data_dir, collection)


@functools.cache
def _load_shipped(name: str, collection: str | None) -> pd.DataFrame:
    return _load(name, None, collection)


def _load(name: str, data_dir: PathLike | None, collection: str | None) -> pd.DataFrame:
    import pandas as pd

    res = resource(name, data_dir)
    raw = read_raw(name, data_dir)
    if collection is not None:
        raw = _of_collection(name, raw, collection, data_dir)
    try:
        columns = {
            spec["name"]: _convert(raw[spec["name"]], spec,
                                   _categories(name, spec["name"], collection, data_dir))
            for spec in res["schema"]["fields"]
        }
    except (KeyError, ValueError, TypeError) as exc:
        # Say where: the validator names the file, row and column of every fault.
        from sswanalysis.datapackage.validation import validate

        faults = [str(f) for f in validate(data_dir) if f.file == res["path"]] or [repr(exc)]
        where = "the shipped data" if data_dir is None else str(data_dir)
        raise ValueError(f"cannot load table {name!r} from {where}:\n  " + "\n  ".join(faults)) from exc
    return pd.DataFrame(columns, index=pd.RangeIndex(len(raw)))


def _collection_sources(collection: str, data_dir: PathLike | None) -> set[str]:
    allowed = categories("sources", "collection", data_dir) or []
    if collection not in allowed:
        raise ValueError(f"no collection {collection!r}; the collections are: {', '.join(allowed)}")
    sources = read_raw("sources", data_dir)
    return set(sources.loc[sources["collection"] == collection, "source_id"])


def _of_collection(name: str, raw: pd.DataFrame, collection: str,
                   data_dir: PathLike | None) -> pd.DataFrame:
    """The rows of ``raw`` whose source is in ``collection`` (all rows of a vocabulary)."""
    if "source_id" not in raw.columns:
        return raw
    keep = raw["source_id"].isin(_collection_sources(collection, data_dir))
    return raw[keep].reset_index(drop=True)


def _categories(name: str, field: str, collection: str | None,
                data_dir: PathLike | None) -> list[str] | None:
    """:func:`categories`, restricted to ``collection``'s keys for codes of tables with sources."""
    cats = categories(name, field, data_dir)
    ref = code_reference(resource(name, data_dir), field)
    if collection is None or cats is None or ref is None:
        return cats
    target = read_raw(ref[0], data_dir)
    if "source_id" not in target.columns:
        return cats
    kept = set(_of_collection(ref[0], target, collection, data_dir)[ref[1]])
    return [c for c in cats if c in kept]


def tables(data_dir: PathLike | None = None) -> pd.DataFrame:
    """The tables of the Data Package: Chinese and English title, and what each holds.

    One row per table (index ``table``), in the descriptor's order. ``title_en`` is the
    resource's ``title`` and ``title_zh`` its ``title_zh`` (empty for a Data Package of
    your own that gives none).

    Examples
    --------
    >>> t = tables()
    >>> t.loc["indicators", ["title_zh", "title_en"]].tolist()
    ['指标', 'Indicators']
    >>> t.loc["units", "description"]
    'The harmonised units of indicators.unit.'
    """
    import pandas as pd

    rows = [(res["name"], res.get("title_zh", ""), res["title"], res["description"])
            for res in descriptor(data_dir)["resources"]]
    return pd.DataFrame(rows, columns=["table", "title_zh", "title_en", "description"],
                        dtype="str").set_index("table")


def codebook(name: str, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Each column of table ``name``: type, pandas dtype, unit, whether required, allowed values, meaning.

    Read from ``datapackage.json``, the one place columns are described.

    Examples
    --------
    >>> cb = codebook("indicators")
    >>> cb.loc["value", ["type", "dtype", "unit"]].tolist()
    ['number', 'Float64', 'given by the unit column']
    >>> cb.loc["indicator", "values"]
    'indicator_codes.indicator'
    """
    import pandas as pd

    res = resource(name, data_dir)
    rows = []
    for spec in res["schema"]["fields"]:
        cons = spec.get("constraints", {})
        ref = code_reference(res, spec["name"])
        if "enum" in cons:
            values = ", ".join(cons["enum"])
        elif ref is not None:
            values = ".".join(ref)
        else:
            values = ""
        is_code = "enum" in cons or (ref is not None and ref[0] != name)  # a self-link is text
        rows.append({
            "column": spec["name"],
            "type": spec.get("type", "string"),
            "dtype": "category" if is_code else PANDAS_DTYPES[spec.get("type", "string")],
            "unit": spec.get("unit", ""),
            "required": bool(cons.get("required", False)),
            "values": values,
            "description": spec.get("description", ""),
        })
    return pd.DataFrame(rows).set_index("column")


__all__ = ["categories", "codebook", "load", "read_raw", "resource_names", "tables"]
