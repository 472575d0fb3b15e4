"""Every figure the parser finds in the source article is in the Data Package, with its qualifier.

The parser reads the whole article; each quantity must either lie inside the evidence span of
a stored figure with the same value, or be one of the few restatements listed below, whose
claim is checked too.
"""

import pandas as pd
import pytest

import sswanalysis as ssw
from sswanalysis.datapackage.review import unspecified_count
from sswanalysis.quantities import extract

ARTICLE = "000_7164d429fb72df87.txt"

#: Figures written twice in the article: (text around it, the stored row that already holds it).
RESTATED = {
    "全市10个社工站服务总人数": ("indicators", "observation_id", "ulanqab-02"),
}


@pytest.fixture
def article(sources_dir) -> str:
    return (sources_dir / ARTICLE).read_text(encoding="utf-8")


def _figure_rows() -> pd.DataFrame:
    ind = ssw.load("indicators", collection="cases")[["evidence", "value", "value_high", "qualifier"]]
    comp = ssw.load("model_components").rename(
        columns={"count": "value", "count_qualifier": "qualifier"})[["evidence", "value", "qualifier"]]
    comp = comp.dropna(subset=["value"]).assign(value=lambda d: d["value"].astype("Float64"))
    return pd.concat([ind, comp], ignore_index=True)


def _span_rows() -> pd.DataFrame:
    """Rows of tables without a number of their own whose evidence may still hold a count."""
    return pd.concat([ssw.load(t)[["evidence"]] for t in ("stations", "funding_stations")])


def test_every_figure_of_the_article_is_stored(article):
    figures = extract(article)
    assert len(figures) >= 30
    rows = _figure_rows()
    spans = set(_span_rows()["evidence"])
    missing = []
    for q in figures.itertuples():
        if unspecified_count(q.text):
            continue  # 一批, 多个 … "a number of" is not a figure
        stored = rows[[ev in article and article.find(ev) <= q.start < article.find(ev) + len(ev)
                       for ev in rows["evidence"]]]
        same = stored[(stored["value"] == q.value) & (stored["qualifier"] == q.qualifier)]
        if len(same):
            continue
        context = article[q.start - 2:q.end + 6]
        restated = [k for k in RESTATED if q.text in k and k in article and
                    article.find(k) <= q.start < article.find(k) + len(k)]
        in_span = any(ev in article and article.find(ev) <= q.start < article.find(ev) + len(ev)
                      for ev in spans)
        if not restated and not in_span:
            missing.append(f"{q.text} ({q.qualifier}) in …{context}…")
    assert missing == []


def test_restated_figures_are_stored_once():
    for table, key, value in RESTATED.values():
        frame = ssw.load(table)
        assert (frame[key] == value).sum() == 1


def test_every_approximate_figure_keeps_its_qualifier(article):
    approximate = extract(article).query("qualifier != 'exact'")
    stored = ssw.load("indicators", collection="cases").query("qualifier != 'exact'")
    assert sorted(approximate["value"]) == sorted(stored["value"].astype(float))
    assert set(stored["qualifier"]) == {"at_least"}
