"""sswanalysis.quantities on traditional and hostile text: offsets, linear time, files, pipes."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from sswanalysis import cli
from sswanalysis.numerals import T2S
from sswanalysis.quantities import UNITS, iter_quantities

# --- traditional script ---------------------------------------------------------------------


def test_traditional_table_is_one_to_one_and_agrees_with_units():
    assert all(isinstance(k, int) and isinstance(v, int) and k != v for k, v in T2S.items())
    for word, unit in UNITS.items():
        assert UNITS[word.translate(T2S)] == unit, word


def test_offsets_and_nouns_index_the_text_as_written():
    text = "全國已建成鄉(xiāng)鎮(zhèn)(街道)社工站2.9萬個,,入戶走訪2萬余戶,超過80%"
    got = [(m.start, m.end, m.text, m.noun) for m in iter_quantities(text)]
    for start, end, span, _ in got:
        assert text[start:end] == span
    assert [(span, noun) for _, _, span, noun in got] == [
        ("2.9萬個", "社工站"), ("2萬余戶", "入戶走訪"), ("超過80%", None)]


# --- linear time (issue 14, class 5) -------------------------------------------------------


def _cpu_seconds(text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        list(iter_quantities(text))
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("alphabet", ["abcdefghij", "0123456789", "ab1", "1,", "1 ", "[1", "《"])
def test_time_grows_linearly_on_long_runs(alphabet):
    # A backtracking alternative made 4x the letters cost 16x the time (20k letters 4 s,
    # 80k letters 71 s). Sixteen times the text: linear growth costs about 16x, quadratic
    # 256x; the bound of 64x sits far from both, so a busy machine does not make it flaky.
    small = (alphabet * 10_000)[:10_000] + "共服务120人。"
    large = (alphabet * 160_000)[:160_000] + "共服务120人。"
    assert _cpu_seconds(large) < 64 * max(_cpu_seconds(small, repeat=5), 1e-3)
    assert [m.quantity.value for m in iter_quantities(large)][-1] == 120.0


def test_latin_run_before_digits_is_still_one_identifier():
    assert list(iter_quantities("x" * 50_000 + "20 stations")) == []


# --- files and pipes (issues 12 and 14) ----------------------------------------------------


def test_cli_reads_gbk_and_fills_the_label_column(tmp_path, capsys):
    f = tmp_path / "gbk.csv"
    f.write_bytes("共开展个案服务320余宗，投入资金1.25亿元".encode("gbk"))
    assert cli.main(["extract", str(f)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        f"{f},7,12,320余宗,320.0,,宗,at_least,个案服务",
        f"{f},17,23,1.25亿元,125000000.0,,元,exact,资金",
    ]


def test_cli_refuses_an_encoding_it_cannot_establish(tmp_path, capsys):
    f = tmp_path / "big5.txt"
    f.write_bytes("全區設立社工站12個".encode("big5"))
    assert cli.main(["extract", str(f)]) == 2
    err = capsys.readouterr().err
    assert str(f) in err and "byte" in err and "UTF-8" in err and "Traceback" not in err


def test_cli_quiet_when_the_reader_stops_early(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("开展活动15场,服务120人。\n" * 20_000, encoding="utf-8")
    shell = f"{sys.executable} -m sswanalysis extract {f} | head -2"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[1].endswith(",15场,15.0,,场,exact,活动")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


# --- hostile inputs to the command (all files or nothing; encodings; folders) ---------------


def _extract(*args: str, cwd=None) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "sswanalysis.cli", "extract", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=cwd)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("bad_bytes", ["全區設立社工站12個".encode("big5"), bytes(range(256)) * 4],
                         ids=["big5", "random"])
def test_an_unreadable_file_among_good_ones_prints_nothing(tmp_path, fmt, bad_bytes):
    ok, bad = tmp_path / "ok.txt", tmp_path / "bad.txt"
    ok.write_text("开展活动15场,服务120人。", encoding="utf-8")
    bad.write_bytes(bad_bytes)
    done = _extract(ok, bad, "--format", fmt)
    # no half-written JSON array, nor some files' figures passed off as all of them
    assert done.returncode == 2 and done.stdout == ""
    assert str(bad) in done.stderr and "byte offset" in done.stderr and str(ok) not in done.stderr
    assert "nothing was output" in done.stderr
    good = _extract(ok, "--format", fmt)
    assert good.returncode == 0
    if fmt == "json":
        assert [r["text"] for r in json.loads(good.stdout)] == ["15场", "120人"]


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be-bom"])
def test_a_utf32_file_keeps_its_units(tmp_path, codec):
    f = tmp_path / "u32.txt"
    text = "共服务3人,开展活动15场"
    f.write_bytes(b"\x00\x00\xfe\xff" + text.encode("utf-32-be") if codec == "utf-32-be-bom"
                  else text.encode("utf-32"))  # little-endian, ff fe 00 00
    done = _extract(f, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [(r["text"], r["unit"]) for r in json.loads(done.stdout)] == [("3人", "人"), ("15场", "场")]


def test_a_folder_gives_its_txt_files(tmp_path):
    (tmp_path / "b.txt").write_text("服务120人", encoding="utf-8")
    (tmp_path / "a.TXT").write_bytes("开展活动15场".encode("gbk"))
    (tmp_path / "c.csv").write_text("共3个", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.txt").write_text("共4个", encoding="utf-8")
    done = _extract(".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # by name, .txt in any case, not the .csv, not the subfolder's
    assert [line.split(",")[3] for line in done.stdout.splitlines()[1:]] == ["15场", "120人"]
    empty = tmp_path / "empty"
    empty.mkdir()
    none = _extract(empty)
    assert none.returncode == 2 and none.stdout == ""
    assert "no .txt file in folder" in none.stderr and str(empty) in none.stderr
    assert "no such file" not in none.stderr
    blank = _extract("", cwd=tmp_path)  # Path("") is ".": an empty argument must not read the folder
    assert blank.returncode == 2 and blank.stdout == "" and "empty path" in blank.stderr


def test_an_undecodable_text_is_to_be_saved_as_utf8_text(tmp_path):
    f = tmp_path / "big5.txt"
    f.write_bytes("全區設立社工站12個".encode("big5"))
    done = _extract(f)
    assert done.returncode == 2 and str(f) in done.stderr
    assert "Notepad" in done.stderr and "UTF-8" in done.stderr and "CSV" not in done.stderr
