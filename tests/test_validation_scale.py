"""The validator on large files: every fault counted, few shown, the same faults as row by row.

Speed and memory are measured by ``benchmarks/validate_big.py``, not here; these tests use
files of a few thousand rows and check what is counted and shown.
"""

import csv
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sswanalysis.datapackage.conflicts import conflicts, count_conflicts, same_time
from sswanalysis.datapackage.faults import FAULTS_PER_KIND, Kind
from sswanalysis.datapackage.validation import check

ALL = 10**9  # keep every fault


def _read(folder: Path) -> tuple[list[str], list[list[str]]]:
    with (folder / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    return header, rows


def _write(folder: Path, header: list[str], rows: list[list[str]]) -> None:
    with (folder / "indicators.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])


def _inflate(folder: Path, n: int, every: int, column: str, value: str) -> int:
    """Rewrite indicators.csv as ``n`` rows, its own rows over and over (the copies with ids of
    their own), ``column`` set to ``value`` in every ``every``-th row; return how many were changed."""
    header, rows = _read(folder)
    col, oid = header.index(column), header.index("observation_id")
    out = []
    for i in range(n):
        row = list(rows[i % len(rows)])
        if i >= len(rows):  # the first keep their ids: other tables point at them
            row[oid] = f"{row[oid]}-{i}"
        if i % every == 0:
            row[col] = value
        out.append(row)
    _write(folder, header, out)
    return len(range(0, n, every))


def test_cli_shows_each_kind_capped_with_a_true_count_of_the_rest(data_copy):
    misspelt = _inflate(data_copy, 3000, 7, "unit", "persns")
    proc = subprocess.run([sys.executable, "-m", "sswanalysis.cli", "validate", str(data_copy)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1
    # every misspelt unit is two faults: not a unit of units.csv, and not one its indicator allows
    for rule, words in [("foreign key", "unit=persns is not in units"),
                        ("unit of the indicator", "is not reported in persns")]:
        shown = [x for x in lines if x.startswith("indicators.csv, row ") and words in x]
        assert len(shown) == FAULTS_PER_KIND
        rows = [int(re.search(r"row ([0-9]+)", x).group(1)) for x in shown]
        assert rows == [2 + 7 * k for k in range(FAULTS_PER_KIND)]  # the first ones, in row order
        more = lines[lines.index(shown[-1]) + 1]
        assert more == (f"indicators.csv, column unit: … and {misspelt - FAULTS_PER_KIND} more faults "
                        f"like the {FAULTS_PER_KIND} above")
        assert f"  indicators.csv, column unit ({rule}): {misspelt:,}" in lines
    assert lines[-1].startswith(f"{2 * misspelt} fault(s) and ")
    assert len(lines) < 100


def test_no_line_echoes_a_whole_long_cell(data_copy):
    _inflate(data_copy, 500, 5, "evidence", "\0" * 5000)
    proc = subprocess.run([sys.executable, "-m", "sswanalysis.cli", "validate", str(data_copy)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert proc.returncode == 1
    # the rules of data review quote the evidence too (a unit as written occurs in it)
    assert "column unit_zh: '人' does not occur in the evidence '\\x00" in proc.stderr
    assert max(map(len, proc.stderr.splitlines())) < 400


def test_totals_equal_the_number_of_faulty_cells(data_copy):
    bad = _inflate(data_copy, 2000, 3, "value", "12x")
    log = check(data_copy)
    assert log.totals[Kind("error", "indicators.csv", "value", "type")] == bad
    errors = [f for f in log.faults() if f.severity == "error"]
    assert len(errors) == FAULTS_PER_KIND + 1  # 20 shown and one counting the rest
    assert log.count("error") == bad
    # the warnings (the copies of Hunan's two figures conflict) are counted, not listed
    assert log.count("warning") == len(conflicts(*_tables(data_copy)))


def _tables(folder: Path):
    from sswanalysis.datapackage.descriptor import read_strings

    return read_strings(folder / "indicators.csv"), read_strings(folder / "indicator_codes.csv")


#: (column, value) written into a copy of a shipped row: each makes one or more faults
MUTATIONS = [
    ("unit", "persns"), ("evidence", "\0" * 300), ("value", "12x"), ("value", "-5"),
    ("qualifier", ""), ("subject_en", "call 138 1234 5678 to book"), ("as_of_basis", ""),
    ("region_id", "nowhere"), ("unit_zh", "人人"), ("value_high", "3"), ("period", "sometime"),
]


def _templates(header: list[str], rows: list[list[str]]) -> list[list[str]]:
    # some shipped rows as they are, and mutated copies of others (so that no two templates
    # are one figure said two ways: such copies would conflict, pair by pair, by the thousand)
    out = [list(r) for r in rows[::12]]
    for k, (column, value) in enumerate(MUTATIONS):
        row = list(rows[(12 * k + 6) % len(rows)])
        row[header.index(column)] = value
        out.append(row)
    return out


def _indicator_faults(folder: Path) -> set[tuple[int, str | None, str]]:
    return {(f.row, f.column, f.message) for f in check(folder, per_kind=ALL).faults()
            if f.file == "indicators.csv" and f.severity == "error"}


def test_a_large_file_has_the_faults_of_its_rows_checked_one_by_one(data_copy, tmp_path):
    header, rows = _read(data_copy)
    templates = _templates(header, rows)
    oid = header.index("observation_id")
    alone: list[set[tuple[str | None, str]]] = []
    single = tmp_path / "single"
    shutil.copytree(data_copy, single)
    for t in templates:  # each kind of row in a package of its own
        _write(single, header, [t])
        alone.append({(column, message) for row, column, message in _indicator_faults(single)})
    assert sum(map(bool, alone)) >= len(MUTATIONS) - 1  # nearly every mutation is a fault

    rng = random.Random(14)
    big, expected = [], set()
    for i in range(10_000):  # about 2.5 MB
        k = rng.randrange(len(templates))
        row = list(templates[k])
        row[oid] = f"{row[oid]}-{i}"
        big.append(row)
        expected |= {(i + 2, column, message) for column, message in alone[k]}
    _write(data_copy, header, big)
    found = _indicator_faults(data_copy)
    assert found == expected
    assert len(found) > 2000


@pytest.mark.parametrize("seed", range(5))
def test_counted_conflicts_are_the_pairs_of_rows_that_conflict(seed):
    pd = pytest.importorskip("pandas")
    rng = random.Random(seed)
    n = 150
    ind = pd.DataFrame({
        "indicator": [rng.choice(["stations_count", "funding_cny"]) for _ in range(n)],
        "region_id": [rng.choice(["hunan", "gansu"]) for _ in range(n)],
        "unit": ["stations"] * n,
        "value": [rng.choice(["1940", "1938", "1940.0", None]) for _ in range(n)],
        "qualifier": [rng.choice(["exact", "at_least"]) for _ in range(n)],
        "as_of": [rng.choice(["2019", "2019-12", "2019-12-31", "2020", None]) for _ in range(n)],
    })
    codes = pd.DataFrame({"indicator": ["stations_count", "funding_cny"], "single_valued": ["true", "false"]})
    rows = ind.astype(object).where(ind.notna(), "").to_dict("records")

    def says(r):
        v = r["value"]
        return (float(v) if v else "", r["qualifier"])

    naive = [(i, j) for i in range(n) for j in range(i + 1, n)
             if rows[i]["indicator"] == rows[j]["indicator"] == "stations_count"
             and rows[i]["region_id"] == rows[j]["region_id"]
             and says(rows[i]) != says(rows[j]) and same_time(rows[i]["as_of"], rows[j]["as_of"])]
    total, pairs = count_conflicts(ind, codes)
    assert total == len(naive)
    assert list(pairs) == naive


def test_a_bad_value_beside_an_unspecified_count_is_a_fault_not_a_traceback(data_copy):
    header, rows = _read(data_copy)
    rows[0][header.index("value")] = "12x"
    rows[0][header.index("evidence")] = "孵化一批社区社会组织"
    _write(data_copy, header, rows)
    proc = subprocess.run([sys.executable, "-m", "sswanalysis.cli", "validate", str(data_copy)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "indicators.csv, row 2, column value: '12x' is not a number" in proc.stderr
