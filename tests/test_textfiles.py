"""The one encoding decider (:mod:`sswanalysis.textfiles`), used by ``ingest`` and ``extract``:
evidence or refusal, never a guess; the same answer for both commands."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sswanalysis import cli
from sswanalysis.monthly.ingest import read
from sswanalysis.textfiles import decode, examine, lossy

HEADER = "station_id,region_id,month,people_served_persons,people_served_person_times"
COMMON = "沙河平川临泽县社工站服务中心甘肃省张掖市东西南北镇乡村街道"


def test_decode_by_evidence():
    text = "共开展个案服务320余宗"
    assert decode(text.encode("gbk")) == (text, "gb18030")
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode(text.encode("utf-16")) == (text, "utf-16")
    assert decode(b"\xfe\xff" + text.encode("utf-16-be")) == (text, "utf-16")
    with pytest.raises(ValueError, match="offset 6"):
        decode("服务".encode() + b"\xff\xfe1200")
    with pytest.raises(ValueError, match="cannot be established"):
        decode("全區設立社工站12個".encode("big5"))  # Big5 read as GBK gives rare and private-use text
    with pytest.raises(ValueError, match="byte-order mark"):
        decode(b"\xef\xbb\xbf\xff")
    with pytest.raises(ValueError, match="UTF-16 byte-order mark"):
        decode(b"\xff\xfe" + "沙河".encode("utf-16-le") + b"\x00\xdc")  # a lone low surrogate


def test_a_gbk_reading_with_control_characters_is_refused():
    # GB18030 decodes these bytes, but no Chinese text file holds the control characters it gives
    data = "沙河".encode("gbk") + b"\x01" + "平川".encode("gbk")
    assert data.decode("gb18030") == "沙河\x01平川"
    fault = examine(data).fault
    assert fault is not None and "cannot be established" in fault


def test_a_gbk_file_whose_bytes_hold_a_stray_utf8_hanzi_is_still_gbk():
    # 村北 in GBK is b4 e5 b1 b1: a byte that is not UTF-8, then e5 b1 b1, UTF-8 山. One bad
    # byte against one accidental hanzi is no evidence against a faultless GBK reading
    # (the decider of ingest took it for damaged UTF-8).
    for text in ("村北", "村东"):
        assert decode(text.encode("gbk")) == (text, "gb18030")


def test_gbk_against_many_utf8_hanzi_is_ambiguous():
    # Three common UTF-8 hanzi for one stray byte and a faultless GBK reading: no decision.
    data = "村".encode("gbk")[:1] + "山山山".encode()
    assert data.decode("gb18030") == "村北灞卞北"  # as GBK: common hanzi, no fault
    assert "cannot be established" in examine(data).fault


def test_lossy_counts_lines_of_any_bytes():
    assert lossy(b"\xff\xfe" + "a\nb\n".encode("utf-16-le")) == "a\nb\n"
    assert lossy(b"x\xff\ny\n").count("\n") == 2


@settings(max_examples=30, deadline=None)
@given(text=st.text(alphabet=COMMON + "abc,12\n", min_size=1, max_size=40))
def test_decoding_never_changes_text(text):
    """Any encoding the decider names gives back exactly the text written; else it refuses."""
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "gbk"):
        decoded = examine(text.encode(encoding))
        if decoded.text is not None:
            assert decoded.text == text, (encoding, decoded.encoding)
        else:
            assert encoding == "gbk" and "cannot be established" in decoded.fault
    assert examine(text.encode("utf-16")).text == text  # a BOM is evidence
    assert examine(text.encode("utf-8-sig")).text == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom"])
def test_ingest_reads_utf16_with_bom(tmp_path, encoding):
    body = f"{HEADER}\n沙河站,linze,2023-01,5,9\n"
    data = (b"\xfe\xff" + body.encode("utf-16-be")) if encoding == "utf-16-be-bom" else body.encode("utf-16")
    f = tmp_path / "u16.csv"
    f.write_bytes(data)
    res = read(f, max_month="2024-12")
    assert (res.rows_in, res.rows_accepted) == (1, 1)
    assert res.files["encoding"].tolist() == ["utf-16"]
    assert res.accepted["station_id"].astype(str).unique().tolist() == ["沙河站"]


def test_ingest_and_extract_refuse_a_file_alike(tmp_path, capsys):
    """One decider: the reason ingest gives for a file is the reason extract gives."""
    f = tmp_path / "big5.csv"
    f.write_bytes(f"{HEADER}\n臨澤縣沙河鄉站,linze,2023-01,1,2\n".encode("big5"))
    res = read(f, max_month="2024-12")
    assert res.rows_in == 1 and res.rows_rejected == 1
    fault = res.files["fault"].iloc[0]
    assert cli.main(["extract", str(f)]) == 2
    # the same finding; only the advice differs: Excel for a report, a text editor for a text
    finding, advice = fault.rsplit("; ", 1)
    assert finding + "; " in capsys.readouterr().err and "Excel" in advice
    assert "byte offset" in fault and "cannot be established" in fault


def test_ingest_counts_the_rows_of_a_broken_utf16_file(tmp_path):
    f = tmp_path / "u16.csv"
    f.write_bytes(f"{HEADER}\ns1,linze,2023-01,1,2\n".encode("utf-16") + b"\x00\xdc"  # a lone surrogate
                  + "2,linze,2023-01,1,2\n".encode("utf-16-le"))
    res = read(f, max_month="2024-12")
    assert (res.rows_in, res.rows_rejected) == (2, 2)
    assert "UTF-16 byte-order mark" in res.files["fault"].iloc[0]


@pytest.mark.parametrize("order", ["little", "big"])
def test_utf32_with_bom_is_read_as_utf32(order):
    # the UTF-16 LE mark ff fe begins the UTF-32 LE one: read as UTF-16, 3人 lost its unit
    bom, codec = (0xFEFF).to_bytes(4, order), f"utf-32-{order[0]}e"
    text = "共服务3人,沙河站"
    assert decode(bom + text.encode(codec)) == (text, "utf-32")
    assert lossy(bom + "a\nb\n".encode(codec)) == "a\nb\n"
    fault = examine(bom + text.encode(codec) + (0xD800).to_bytes(4, order)).fault  # a lone surrogate
    assert fault is not None and "UTF-32 byte-order mark" in fault and "byte offset 40" in fault


def test_ingest_reads_a_utf32_report(tmp_path):
    f = tmp_path / "u32.csv"
    f.write_bytes(f"{HEADER}\n沙河站,linze,2023-01,5,9\n".encode("utf-32"))
    res = read(f, max_month="2024-12")
    assert (res.rows_in, res.rows_accepted) == (1, 1)
    assert res.files["encoding"].tolist() == ["utf-32"]
    assert res.accepted["station_id"].astype(str).unique().tolist() == ["沙河站"]


def test_the_advice_fits_the_kind_of_file():
    """A report is re-saved from Excel, a text from a text editor; the finding is the same."""
    for data in ("全區設立社工站12個".encode("big5"), "沙,1".encode("gbk"), b"\xef\xbb\xbf\xff",
                 "沙河".encode() + b"\xff" + "平川".encode()):
        report, text = examine(data).fault, examine(data, kind="text").fault
        assert report.rsplit("; ", 1)[0] == text.rsplit("; ", 1)[0], data
        assert "Excel" in report and "Excel" not in text and "CSV" not in text
        assert "Notepad" in text and "UTF-8" in text
    with pytest.raises(ValueError, match="Notepad"):
        decode(b"\xff", kind="text")
