"""Charts of station-month panels: synthetic marking, plain tick labels, alt text from the data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from sswanalysis.analysis.performance import funnel_data
from sswanalysis.analysis.station_panel import PanelError
from sswanalysis.figures import panel_charts
from sswanalysis.figures.style import description


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_funnel_chart_marks_synthetic_data_and_describes_the_flags():
    f = pd.DataFrame({"station_id": [f"s{i}" for i in range(8)],
                      "count": [20.0, 22, 18, 21, 19, 60, 2, 20], "exposure": [2.0] * 8})
    funnel = funnel_data(f, overdispersion="none")
    ax = panel_charts.funnel_chart(funnel, synthetic=True)
    assert ax.get_title(loc="left").startswith("合成数据 · synthetic")
    text = description(ax.figure)
    # one unit above and one below the 99.8 % limits (see test_panel_models), counted from the data
    assert "8 个单位" in text and "1 个高于、1 个低于" in text
    assert "1 above and 1 below" in text
    plain = panel_charts.funnel_chart(funnel)
    assert "synthetic" not in plain.get_title(loc="left")


def test_rate_ratio_chart_lists_every_ratio_and_labels_ticks_plainly():
    table = pd.DataFrame({"key": ["mode[b]", "x"], "term": ["mode", "x"], "level": ["b", ""],
                          "reference": ["a", ""], "rate_ratio": [1.99, 0.5], "ci_low": [1.5, 0.4],
                          "ci_high": [2.6, 0.62]})
    ax = panel_charts.rate_ratio_chart(table)
    text = description(ax.figure)
    assert "mode:b vs a mode: b vs a 1.99 (1.5–2.6)" in text and "x x 0.5 (0.4–0.62)" in text
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all("10^" not in s and "$" not in s and "e" not in s for s in labels)


@pytest.mark.parametrize(("chart", "columns"), [
    (panel_charts.funnel_chart, ["unit", "observed", "exposure", "rate", "target", "lower_99.8",
                                 "upper_99.8", "flag"]),
    (panel_charts.rate_ratio_chart, ["key", "term", "level", "reference", "rate_ratio", "ci_low",
                                     "ci_high"]),
    (panel_charts.event_time_chart, ["months_open", "stations", "rate", "rate_lo", "rate_hi"]),
    (panel_charts.rank_chart, ["unit", "shrunken_rate", "rank", "rank_lo", "rank_hi"]),
], ids=["funnel", "rate-ratios", "event-time", "ranks"])
def test_charts_refuse_an_empty_frame_in_words(chart, columns):
    with pytest.raises(PanelError, match="no .* to draw"):
        chart(pd.DataFrame(columns=columns, dtype=float))
