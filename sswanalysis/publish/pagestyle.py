"""The report's stylesheet: reading layout, tables, navigation, phone widths and A4 print.

Kept apart from :mod:`sswanalysis.publish.html` so the page code stays short; the CSS is
inlined into every page (the report opens offline, as files).
"""

from __future__ import annotations

__all__ = ["page_css"]

_CSS = """
:root { --ssw-ink: #1f2328; --ssw-muted: #59636e; --ssw-rule: #d0d7de; --ssw-band: #f6f8fa;
        --ssw-link: #0b5cad; }
html { -webkit-text-size-adjust: 100%; }
body.ssw-page, body.ssw-index { margin: 0; color: var(--ssw-ink); background: #fff;
  line-height: 1.65; }
body.ssw-page main, body.ssw-index main { max-width: 60rem; margin: 0 auto;
  padding: 0.5rem 1.25rem 2rem; }
body.ssw-page .jp-Cell { padding: 0; }
body.ssw-page .jp-OutputArea-output, body.ssw-page .jp-RenderedHTMLCommon { padding-left: 0; }
body.ssw-page .jp-RenderedHTMLCommon { font-size: 1rem; max-width: 100%; }
body.ssw-page .jp-RenderedHTMLCommon h1 { font-size: 1.6rem; line-height: 1.35; }
body.ssw-page .jp-RenderedHTMLCommon h2 { font-size: 1.25rem; margin-top: 2rem;
  border-bottom: 1px solid var(--ssw-rule); padding-bottom: .2rem; }
a { color: var(--ssw-link); }

/* navigation: contents, previous, next */
nav.ssw-nav { max-width: 60rem; margin: 0 auto; padding: .6rem 1.25rem; display: flex;
  flex-wrap: wrap; gap: .4rem 1.2rem; align-items: baseline; font-size: .92rem;
  border-bottom: 1px solid var(--ssw-rule); }
nav.ssw-nav.bottom { border-bottom: 0; border-top: 1px solid var(--ssw-rule);
  margin-top: 1.5rem; }
nav.ssw-nav .next { margin-left: auto; text-align: right; }
nav.ssw-nav .muted { color: var(--ssw-muted); }

/* tables for reading (sswanalysis.figures.display) */
div.ssw-table { overflow-x: auto; margin: .6rem 0 1.2rem; max-width: 100%; }
table.ssw-table { border-collapse: collapse; font-size: .88rem; line-height: 1.4;
  font-variant-numeric: tabular-nums; }
table.ssw-table caption { caption-side: top; text-align: left; color: var(--ssw-muted);
  font-size: .82rem; padding-bottom: .2rem; }
table.ssw-table th { text-align: left; vertical-align: bottom; font-weight: 600;
  border-bottom: 2px solid var(--ssw-ink); padding: .35rem .6rem; background: #fff; }
table.ssw-table th .en { font-weight: 400; color: var(--ssw-muted); font-size: .78rem; }
.jp-RenderedHTMLCommon table.ssw-table th, .jp-RenderedHTMLCommon table.ssw-table td,
table.ssw-table th, table.ssw-table td { text-align: left; }
.jp-RenderedHTMLCommon table.ssw-table .num, table.ssw-table .num { text-align: right; }
table.ssw-table td { padding: .3rem .6rem; border-bottom: 1px solid var(--ssw-rule);
  vertical-align: top; }
table.ssw-table tbody tr:nth-child(even) td { background: var(--ssw-band); }
table.ssw-table .num { text-align: right; white-space: nowrap; }
body.ssw-page .jp-RenderedHTMLCommon table.ssw-table td,
body.ssw-page .jp-RenderedHTMLCommon table.ssw-table th { max-width: 28rem; }
.ssw-note { color: var(--ssw-muted); font-size: .82rem; }

/* printed lines a notebook meant for readers */
div.ssw-printed { border-left: 3px solid var(--ssw-rule); padding: .2rem .8rem; margin: .6rem 0;
  white-space: pre-wrap; color: var(--ssw-ink); font-size: .92rem; }

/* charts: full width of the text column; on phones scroll sideways at a readable size */
body.ssw-page .jp-RenderedImage { overflow-x: auto; }
body.ssw-page .jp-RenderedImage img { max-width: 100%; height: auto; }
.ssw-scroll-hint { display: none; color: var(--ssw-muted); font-size: .8rem; }
@media (max-width: 640px) {
  body.ssw-page main, body.ssw-index main { padding: 0.25rem .8rem 1.5rem; }
  body.ssw-page .jp-RenderedHTMLCommon h1 { font-size: 1.3rem; }
  body.ssw-page .jp-RenderedImage img { max-width: none; width: 560px; }
  body.ssw-page .jp-RenderedImage + .ssw-scroll-hint,
  body.ssw-page .ssw-scroll-hint { display: block; }
  table.ssw-table { font-size: .8rem; }
  /* a narrow table scrolls sideways rather than wrapping every cell to a few characters */
  table.ssw-table th, table.ssw-table td { min-width: 5.5em; }
  nav.ssw-nav { padding: .5rem .8rem; }
  nav.ssw-nav .next { margin-left: 0; text-align: left; }
}

/* index page */
ol.ssw-pages { padding-left: 1.4rem; } ol.ssw-pages li { margin: .55rem 0; }
ol.ssw-pages .en, .ssw-index .en { color: var(--ssw-muted); }

/* print: clean A4 pages */
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  nav.ssw-nav, .ssw-scroll-hint { display: none !important; }
  body.ssw-page main, body.ssw-index main { max-width: none; padding: 0; }
  body.ssw-page .jp-RenderedHTMLCommon { font-size: 10.5pt; }
  body.ssw-page .jp-RenderedImage { overflow: visible; }
  body.ssw-page .jp-RenderedImage img { max-width: 100% !important; width: auto !important;
    page-break-inside: avoid; break-inside: avoid; }
  div.ssw-table { overflow: visible; }
  table.ssw-table { font-size: 8.5pt; }
  table.ssw-table tr, .jp-OutputArea-output { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def page_css() -> str:
    """The report's stylesheet (without the font rules, which come from the figures style).

    >>> "@media print" in page_css() and "size: A4" in page_css()
    True
    """
    return _CSS
