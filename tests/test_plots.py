"""Charts: one unit per axis, "not reported" drawn as a hatched band, intervals as whiskers."""

import re
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from sswanalysis import analysis
from sswanalysis.figures import plots


def rows():
    return pd.DataFrame({"label": ["乌兰察布 Ulanqab", "沙河镇 Shahe", "鸭暖镇 Yanuan"],
                         "value": [120.0, 178.0, float("nan")], "low": [120.0, 178.0, float("nan")],
                         "high": [130.0, 178.0, float("nan")], "unit": ["persons"] * 3,
                         "text": ["≥1,200 人 ÷ 10 站", "178 人", ""]})


def test_interval_chart_whisker_dot_and_not_reported():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        ax = plots.interval_chart(rows(), title=("每站服务人数", "People per station"))
        ax.figure.canvas.draw()
    whiskers = [ln for ln in ax.lines if list(ln.get_xdata()) == [120.0, 130.0]]
    assert len(whiskers) == 1
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_y() == pytest.approx(2 - 0.3)
    assert any(t.get_text() == plots.NOT_REPORTED for t in ax.texts)
    assert ax.get_title(loc="left") == "每站服务人数\nPeople per station"
    plt.close(ax.figure)


def test_interval_chart_refuses_two_units():
    f = rows()
    f.loc[1, "unit"] = "person_times"
    with pytest.raises(analysis.UnitMixError):
        plots.interval_chart(f)


def test_plot_on_given_axes():
    fig, ax = plt.subplots()
    assert plots.interval_chart(rows(), ax=ax) is ax
    plt.close(fig)


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []


def test_legend_shows_only_what_is_drawn():
    exact = rows().assign(high=[120.0, 178.0, float("nan")])  # no whiskers at all
    ax = plots.interval_chart(exact)
    assert legend_texts(ax) == [plots.INTERVAL_KINDS["qualifier"][0]]
    plt.close(ax.figure)


def test_expected_output_whiskers_say_95_percent():
    f = rows().assign(expected=[1.0, 2.0, 3.0])
    ax = plots.interval_chart(f)
    texts = legend_texts(ax)
    assert any("95%" in t for t in texts) and not any("余/近/约 所指范围" in t for t in texts)
    plt.close(ax.figure)


def test_repeated_labels_are_told_apart_and_stocks_marked():
    f = pd.DataFrame({"label": ["乌兰察布市 Ulanqab 培训场次"] * 2, "value": [15.0, 47.0],
                      "low": [15.0, 47.0], "high": [15.0, 47.0], "unit": ["sessions"] * 2,
                      "subject_en": ["training for community talent", "training for social workers"],
                      "period": ["since_project_start", "not_stated"]})
    ax = plots.interval_chart(f)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(set(labels)) == 2 and "community talent" in labels[0] and "social workers" in labels[1]
    assert "flow" in labels[0] and "stock" in labels[1]
    plt.close(ax.figure)


def test_log_ticks_are_plain_numbers_and_alt_text_comes_from_the_data():
    from sswanalysis.figures.style import description

    ci = pd.DataFrame({"place": ["ulanqab", "pingchuan"], "unit": ["sessions"] * 2,
                       "rate": [0.07, 0.67], "rate_lo": [0.03, 0.18], "rate_hi": [0.13, 1.7]})
    ax = plots.rate_chart(ci, ["乌兰察布市 Ulanqab", "平川镇 Pingchuan"])
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(re.fullmatch(r"[0-9.,]+", t) for t in ticks), ticks
    alt = description(ax.figure)
    assert "95%" in alt and "0.67 (0.18–1.7)" in alt and "平川镇 Pingchuan" in alt
    plt.close(ax.figure)


def test_budget_chart_says_one_off():
    sens = pd.DataFrame({"observation_id": ["l"] * 2, "region_id": ["linze"] * 2,
                         "basis": ["stated"] * 2, "per_station_wan": [15.0] * 2,
                         "n_townships": [0, 20], "budget_wan": [0.0, 300.0]})
    ax = plots.budget_chart(sens, {"linze": "临泽县 Linze"}, n_mark=20)
    assert "一次性" in ax.get_title(loc="left") and "one-off" in ax.get_title(loc="left")
    from sswanalysis.figures.style import description

    assert "N = 20 时 300 万元" in description(ax.figure)
    plt.close(ax.figure)


def test_reading_table_headers_intervals_and_missing():
    from sswanalysis.figures.display import reading_frame, to_html

    f = pd.DataFrame({"place": ["ulanqab", "shahe"], "text": ["≥1,200 人", "178 人"],
                      "per_station_low": [120.0, 178.0], "per_station_high": [130.0, 178.0],
                      "pm": [0.0666667, float("nan")]})
    heads, cells, _ = reading_frame(f)
    assert [h[0] for h in heads] == ["地点", "数值(原文口径)", "每站(区间)", "每站每月"]
    assert cells == [["乌兰察布市 Ulanqab", "≥1,200 人", "[120, 130]", "0.067"],
                     ["沙河镇 Shahe", "178 人", "178", "—"]]
    html = to_html(f.set_index("place"))  # a meaningful index becomes a column
    assert len(re.findall(r"<th[ >]", html)) == 4 and "NaN" not in html
