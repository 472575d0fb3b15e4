"""The report: readable pages (no raw frames, alt text, navigation) built from the notebooks.

The pages are rendered from the committed notebooks' outputs (what ``make notebooks``
stored), so every page is checked without re-running the notebooks; one test runs the full
``write_report`` on one notebook to check that execution and page writing work together.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from sswanalysis.figures.style import font_path
from sswanalysis.publish.html import write_pages, write_report
from sswanalysis.publish.sheets import WORKBOOK_NAME

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9]*.ipynb"))


class Page(HTMLParser):
    """Headers, images and links of a page, outside the embedded image data."""

    def __init__(self, text):
        super().__init__()
        self.headers, self.imgs, self.links, self.cells, self._in = [], [], [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a)
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag in ("th", "td"):
            self._in = tag
            (self.headers if tag == "th" else self.cells).append("")

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._in = None

    def handle_data(self, data):
        if self._in == "th":
            self.headers[-1] += data
        elif self._in == "td":
            self.cells[-1] += data


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    nbs = [(p, nbformat.read(p, as_version=4)) for p in NOTEBOOKS]
    write_pages(out, nbs)
    return out


def pages(report):
    return [report / p.with_suffix(".html").name for p in NOTEBOOKS]


def test_every_page_is_written_and_indexed(report):
    home = Page((report / "index.html").read_text(encoding="utf-8"))
    linked = list(dict.fromkeys(h for h in home.links if h.endswith(".html") and h != "index.html"))
    assert [p.name for p in pages(report)] == linked
    assert WORKBOOK_NAME in home.links


@pytest.mark.parametrize("i", range(len(NOTEBOOKS)), ids=[p.stem for p in NOTEBOOKS])
def test_page_reads_as_a_publication(report, i):
    path = pages(report)[i]
    text = path.read_text(encoding="utf-8")
    page = Page(text)
    # navigation: the contents page and both neighbours
    assert "index.html" in page.links
    if i > 0:
        assert pages(report)[i - 1].name in page.links
    if i + 1 < len(NOTEBOOKS):
        assert pages(report)[i + 1].name in page.links
    # tables: no snake_case header, no bare 0-based index column, no NaN/<NA> anywhere
    snake = [h for h in page.headers if re.search(r"[a-z0-9]_[a-z0-9]", h)]
    assert not snake, snake
    assert all(h.strip() for h in page.headers), "an empty header is a bare index column"
    # Chinese first: every header has a Chinese label (or is a number, e.g. months 6/12/24)
    latin = [h for h in page.headers if not re.search(r"[\u3400-\u9fff]|^[0-9.,]+$", h)]
    assert not latin, f"headers without a Chinese label (add them to figures/columns.py): {latin}"
    visible = re.sub(r'src="data:image/png;base64,[^"]*"', "", text)
    assert not re.search(r"\bNaN\b|<NA>|&lt;NA&gt;", visible)
    assert not re.search(r"\d\.\d{9,}", re.sub(r"<style>.*?</style>", "", visible, flags=re.S)), \
        "a float printed at full precision"
    # charts: alt text written from the data, never nbconvert's default
    assert page.imgs, "every page has at least one chart"
    for img in page.imgs:
        alt = img.get("alt", "")
        assert len(alt) > 40 and "No description" not in alt, alt
    # code hidden, nothing fetched from the network, the font beside the page
    assert "notebook_setup" not in text
    assert not re.search(r'(src|href)="https?://', text)
    assert '@font-face { font-family: "Noto Sans CJK SC"' in text
    assert "@media print" in text


def test_no_bare_repr_reaches_a_page(report):
    # notebook 04 shows a tuple of the assumptions as a code cell's last expression
    text = (report / "04-service-output.html").read_text(encoding="utf-8")
    assert "{&#x27;ulanqab&#x27;" not in text and "{'ulanqab'" not in text


def test_write_report_executes_and_copies_the_font(tmp_path):
    index = write_report(tmp_path, [NOTEBOOKS[2]], progress=False)
    assert index == tmp_path / "index.html"
    page = (tmp_path / NOTEBOOKS[2].with_suffix(".html").name).read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 1
    assert (tmp_path / "fonts" / font_path().name).read_bytes() == font_path().read_bytes()
    assert (tmp_path / WORKBOOK_NAME).is_file()
