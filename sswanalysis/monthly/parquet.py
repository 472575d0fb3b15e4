"""Read a Parquet report file: columns as stored, attributes dictionary-decoded by pyarrow.

Parquet has no header row; its first record is numbered 2 all the same, so a report keeps
its row numbers when converted. NaN in a float column is pandas' missing value and is read
as empty. A column of lists, structs, maps, durations or bytes is a fault of the whole file
(its rows counted), not a crash; a column with no values (type null) is an empty column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sswanalysis.monthly.readers import FIRST_DATA_ROW

if TYPE_CHECKING:
    from sswanalysis.monthly.readers import HeaderSpec, RawFile


def read_parquet(raw: RawFile, spec: HeaderSpec) -> None:
    """Read a Parquet file; attribute columns dictionary-decoded by pyarrow, NaN (pandas' missing
    value) read as empty. A column of lists, structs, maps, durations or bytes is a file fault."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    schema = pq.read_schema(raw.path)
    # a column name given twice cannot be dictionary-read by name (the header check rejects it)
    attrs = [n for n in schema.names if spec.normalise(n) not in spec.indicators
             and schema.names.count(n) == 1 and pa.types.is_string(schema.field(n).type)]
    # ParquetFile, not read_table: the dataset layer behind read_table refuses repeated names
    table = pq.ParquetFile(raw.path, read_dictionary=attrs).read()
    if table.schema.pandas_metadata:
        index_cols = {c for c in table.schema.pandas_metadata.get("index_columns", []) if isinstance(c, str)}
        table = table.drop_columns([c for c in table.column_names if c in index_cols])
    raw.headers = list(table.column_names)
    raw.rows = np.arange(FIRST_DATA_ROW, FIRST_DATA_ROW + table.num_rows, dtype=np.int64)
    cols = {}
    for j, name in enumerate(table.column_names):
        col = table.column(j)
        t = col.type
        if pa.types.is_float16(t):  # half floats widen exactly; numpy and pyarrow sums want float32+
            col, t = pc.cast(col, pa.float32()), pa.float32()
        if pa.types.is_dictionary(t) and pa.types.is_string(t.value_type):
            pass
        elif pa.types.is_floating(t):
            col = pc.if_else(pc.is_nan(col), pa.scalar(None, t), col)
        elif pa.types.is_unsigned_integer(t) and (pc.max(col).as_py() or 0) >= 2**63:
            col = pc.cast(col, pa.string())  # beyond int64: kept as written (and rejected as too big)
        elif pa.types.is_null(t):  # a column with no value at all (pandas writes all-None so)
            col = pa.chunked_array([pa.nulls(len(col), pa.string())])
        elif pa.types.is_boolean(t):  # the text true/false, as a cast writes it, coded: no string per row
            words = pa.array(["false", "true"])
            col = pa.chunked_array([pa.DictionaryArray.from_arrays(pc.cast(c, pa.int32()), words)
                                    for c in col.chunks], pa.dictionary(pa.int32(), pa.string()))
        elif pa.types.is_decimal(t) or (pa.types.is_temporal(t) and not pa.types.is_duration(t)):
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
