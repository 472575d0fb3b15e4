"""`sswanalysis report`: pages that open offline, with figures inline and the CJK font beside them."""

import re
from pathlib import Path

import openpyxl

from sswanalysis.figures.style import font_path
from sswanalysis.publish.html import write_report
from sswanalysis.publish.workbook import WORKBOOK_NAME

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "03-funding.ipynb"


def test_report_pages_index_font_and_workbook(tmp_path):
    index = write_report(tmp_path, [NOTEBOOK], progress=False)
    assert index == tmp_path / "index.html"
    page = (tmp_path / "03-funding.html").read_text(encoding="utf-8")
    home = index.read_text(encoding="utf-8")

    assert 'href="03-funding.html"' in home
    assert "资金 Funding" in home  # the notebook's first heading is its link text
    # Nothing is fetched from the network: no external scripts or stylesheets.
    assert not re.search(r'(src|href)="https?://', page)
    # Figures are embedded, and the Chinese text has its font next to the page.
    assert page.count("data:image/png;base64,") >= 1
    assert '@font-face { font-family: "Noto Sans CJK SC"' in page
    copied = tmp_path / "fonts" / font_path().name
    assert copied.read_bytes() == font_path().read_bytes()
    # Code is hidden by default; the narrative is there.
    assert "notebook_setup" not in page
    assert "Caveats" in page or "注意" in page

    book = openpyxl.load_workbook(tmp_path / WORKBOOK_NAME)
    assert "sources" in book.sheetnames and len(book.sheetnames) > 1
