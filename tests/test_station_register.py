"""The ``--stations`` register: read as the reports are (ids normalised, regions by any accepted
spelling, every cell text), and each register that cannot be used gets a message naming the
file, the row and what to do — never a traceback, never a silent choice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sswanalysis.monthly.ingest import read, read_register

HEADER = "station_id,region_id,month,people_served_persons,people_served_person_times"
MAX = "2024-12"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def ingest(tmp_path: Path, register: Path,
           stations: tuple[str, ...] = ("S1", "S4")) -> subprocess.CompletedProcess:
    """Run ``sswanalysis ingest`` on one report (each station in linze) against ``register``."""
    report = write(tmp_path / "report.csv",
                   HEADER + "".join(f"\n{s},linze,2023-01,1,2" for s in stations) + "\n")
    proc = subprocess.run([sys.executable, "-m", "sswanalysis.cli", "ingest", str(report), "--stations",
                           str(register), "--out", str(tmp_path / "out" / "o.parquet"), "--max-month", MAX,
                           "--no-progress"], capture_output=True, text=True, encoding="utf-8", check=False)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


def all_accepted(proc: subprocess.CompletedProcess, n: int = 2) -> None:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"rows_in={n} accepted={n} rejected=0" in proc.stdout, proc.stdout


@pytest.mark.parametrize("text", [
    "station_id,region_id\nS1,linze,\nS4,linze,\n001,linze,\n",  # Excel's trailing empty cell
    "station_id,region_id,\nS1,linze,\n\nS4,linze,,\n001,linze\n",  # ragged, but only by empty cells
])
def test_trailing_empty_cells_do_not_shift_the_columns(tmp_path, text):
    register = write(tmp_path / "reg.csv", text)
    all_accepted(ingest(tmp_path, register, ("S1", "S4", "001")), 3)


@pytest.mark.parametrize(("text", "encoding"), [
    ("station_id,region_id\nS1,临泽县\nS4,临泽\n", "utf-8"),
    ("\ufeffstation_id,region_id\nS1,620723\nS4,临泽县\n", "utf-8"),  # Excel's CSV UTF-8 (BOM)
    ("station_id,region_id\nS1,临泽县\nS4,临泽\n", "gbk"),  # Excel's CSV on a Chinese Windows
    ("站点编号,地区代码\nS1,Linze\nS4,临泽\n", "utf-8"),  # headers and regions spelt as in a report
])
def test_register_regions_may_be_written_as_in_the_reports(tmp_path, text, encoding):
    register = write(tmp_path / "reg.csv", text, encoding)
    all_accepted(ingest(tmp_path, register))


def test_register_ids_are_normalised_as_report_ids(tmp_path):
    register = write(tmp_path / "reg.csv", "station_id,region_id\n S1,linze\nＳ４ ,linze\n")
    all_accepted(ingest(tmp_path, register))


def test_a_station_repeated_in_its_region_is_one_station(tmp_path):
    register = write(tmp_path / "reg.csv", "station_id,region_id\nS1,linze\nS1 ,临泽县\nS1,linze\nS4,linze\n")
    assert read_register(str(register)).values.tolist() == [["S1", "linze"], ["S4", "linze"]]


def test_a_register_frame_given_to_read_is_read_as_a_register_file(tmp_path):
    report = write(tmp_path / "report.csv", f"{HEADER}\nS1,linze,2023-01,1,2\nS4,linze,2023-01,1,2\n")
    register = pd.DataFrame({"station_id": ["S1", "S4 "], "region_id": ["临泽县", "620723"]})
    res = read(report, stations=register, max_month=MAX)
    assert (res.rows_accepted, res.rows_rejected) == (2, 0), res.rejects["reason"].tolist()
    twice = pd.DataFrame({"station_id": ["S1", "S1"], "region_id": ["linze", "shangrao"]}, index=[7, 9])
    with pytest.raises(ValueError, match=r"row 9: station 'S1' is in region 'shangrao', but row 7"):
        read(report, stations=twice, max_month=MAX)


def test_an_xlsx_register_is_told_to_be_saved_as_csv(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["station_id", "region_id"])
    wb.active.append(["S1", "linze"])
    wb.save(tmp_path / "reg.xlsx")
    proc = ingest(tmp_path, tmp_path / "reg.xlsx")
    assert proc.returncode == 2
    assert "reg.xlsx" in proc.stderr and "must be a CSV file" in proc.stderr
    assert "Save As" in proc.stderr and "CSV UTF-8" in proc.stderr


@pytest.mark.parametrize(("text", "words"), [
    ("", ["is empty", "station_id,region_id"]),
    ("\n\n", ["is empty"]),
    ("station_id,region_id\n", ["no stations"]),
    ("station_id,name\nS1,沙河站\n", ["row 1", "missing region_id", "has: station_id, name"]),
    ("region_id\nlinze\n", ["row 1", "missing station_id"]),
    ("station_id,region_id,station_id\nS1,linze,S1\n", ["row 1", "columns 1 and 3 are both station_id"]),
    ("station_id,region_id\nS1,linze\nS4,linze,x\nS5,linze,y\n",
     ["2 of 3 rows have more cells than the header's 2 columns (row 3, 4)", "delete the extra cells"]),
    ("station_id,region_id\nS1,linze\nS4,atlantis\n", ["row 3: unknown region 'atlantis'", "临泽县"]),
    ("station_id,region_id\nS1,linze\nS4,\n", ["row 3: station 'S4' has no region_id"]),
    ("station_id,region_id\nS1,linze\n,linze\nS4,linze\n", ["row 3: no station_id"]),
    ("station_id,region_id\nS1,linze\nS4,linze\nS1,shangrao\n",
     ["row 4: station 'S1' is in region 'shangrao', but row 2 puts it in 'linze'", "delete the wrong row"]),
])
def test_an_unusable_register_gets_a_message_naming_file_and_row(tmp_path, text, words):
    register = write(tmp_path / "reg.csv", text)
    proc = ingest(tmp_path, register)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"--stations {register}:" in proc.stderr
    for w in words:
        assert w in proc.stderr, (w, proc.stderr)
    assert not (tmp_path / "out").exists()  # nothing written


def test_many_register_faults_are_counted_not_all_listed(tmp_path):
    rows = "".join(f"S{i},mars\n" for i in range(8))
    register = write(tmp_path / "reg.csv", f"station_id,region_id\n{rows}")
    proc = ingest(tmp_path, register)
    assert proc.returncode == 2 and proc.stderr.count("unknown region 'mars'") == 5
    assert "and 3 more such rows" in proc.stderr
