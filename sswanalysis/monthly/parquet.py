"""Read a Parquet report file: columns as stored, attributes dictionary-decoded by pyarrow.

Parquet has no header row; its first record is numbered 2 all the same, so a report keeps
its row numbers when converted. NaN in a float column is pandas' missing value and is read
as empty. A column of lists, structs, maps or bytes is a fault of the whole file (its rows
counted), not a crash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sswanalysis.monthly.readers import FIRST_DATA_ROW

if TYPE_CHECKING:
    from sswanalysis.monthly.readers import HeaderSpec, RawFile


def read_parquet(raw: RawFile, spec: HeaderSpec) -> None:
    """Read a Parquet file; attribute columns dictionary-decoded by pyarrow, NaN (pandas' missing
    value) read as empty. A column of lists, structs or bytes is a file fault."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    schema = pq.read_schema(raw.path)
    attrs = [n for n in schema.names if spec.normalise(n) not in spec.indicators
             and pa.types.is_string(schema.field(n).type)]
    table = pq.read_table(raw.path, read_dictionary=attrs)
    if table.schema.pandas_metadata:
        index_cols = {c for c in table.schema.pandas_metadata.get("index_columns", []) if isinstance(c, str)}
        table = table.drop_columns([c for c in table.column_names if c in index_cols])
    raw.headers = list(table.column_names)
    raw.rows = np.arange(FIRST_DATA_ROW, FIRST_DATA_ROW + table.num_rows, dtype=np.int64)
    cols = {}
    for j, name in enumerate(table.column_names):
        col = table.column(name)
        t = col.type
        if pa.types.is_dictionary(t) and pa.types.is_string(t.value_type):
            pass
        elif pa.types.is_floating(t):
            col = pc.if_else(pc.is_nan(col), pa.scalar(None, t), col)
        elif pa.types.is_boolean(t) or pa.types.is_temporal(t) or pa.types.is_decimal(t):
            col = pc.cast(col, pa.string())
        elif not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t)):
            raw.fault = (f"column {name!r} holds {t} values, not one number or text per cell; "
                         "write it as a plain column")
            raw.fault_rows, raw.rows = raw.rows, np.zeros(0, dtype=np.int64)
            return
        cols[f"c{j}"] = col
    raw.table = pa.table(cols) if cols else None
    if table.num_rows == 0:
        raw.fault = "file has a header but no rows" if cols else "file is empty (no columns, no rows)"
