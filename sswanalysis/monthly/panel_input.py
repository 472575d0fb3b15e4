"""Ingested station-month reports as panel input: the figures and the station attributes.

:func:`load_reports` takes what a user has -- the Parquet written by ``sswanalysis ingest``
(with its ``.stations.parquet`` beside it), or report files and folders, which it ingests
-- and returns the accepted figures and the stations table for
:func:`sswanalysis.analysis.station_panel.panel_frame`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["load_register", "load_reports"]


def load_reports(data: str | Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(accepted figures, stations) from an ingest Parquet or from report files.

    Parameters
    ----------
    data : path
        ``FILE.parquet`` written by ``sswanalysis ingest --out FILE.parquet`` (its stations
        are read from ``FILE.stations.parquet`` when that exists, else ``None``), or a report
        file or folder, which is ingested with :func:`sswanalysis.monthly.ingest.read`
        (rejected rows are left out, as ``ingest`` leaves them out).

    Examples
    --------
    >>> import tempfile
    >>> from sswanalysis.monthly.synthetic import national_panel, write_report_files
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_report_files(national_panel(20, 2, seed=1), folder)
    >>> accepted, stations = load_reports(folder)
    >>> len(stations), accepted["month"].nunique()
    (20, 2)
    """
    import pandas as pd

    from sswanalysis.monthly.inputs import is_own_output

    path = Path(data)
    if not str(data) or not path.exists():
        raise FileNotFoundError(f"no such file or folder: {str(data)!r}; give an ingest Parquet or "
                                "report files")
    if path.suffix.lower() == ".parquet" and is_own_output(path):  # else a report file: ingested
        accepted = pd.read_parquet(path)
        beside = path.with_name(path.stem + ".stations.parquet")
        return accepted, pd.read_parquet(beside) if beside.exists() else None
    from sswanalysis.monthly.ingest import read

    result = read(path, progress=False)
    return result.accepted, result.stations


def load_register(path: str | Path | None) -> pd.DataFrame | None:
    """A station register (CSV or Parquet: ``station_id`` plus covariates), ids kept as text.

    A CSV's encoding is decided as a report's is (:func:`sswanalysis.textfiles.examine`).

    Raises
    ------
    ValueError
        The file is missing, is not a CSV or Parquet table, or its encoding cannot be
        established; the message names the file.
    """
    import io

    import pandas as pd

    from sswanalysis.textfiles import examine

    if path is None:
        return None
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"register {str(path)!r}: no such file")
    try:
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path)
        decoded = examine(path.read_bytes())
        if decoded.text is None:
            raise ValueError(decoded.fault)
        return pd.read_csv(io.StringIO(decoded.text), dtype={"station_id": "str"})
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise ValueError(f"register {path}: cannot be read as a table ({str(exc).strip()[:200]}); "
                         "give a CSV or Parquet file with a station_id column") from None
