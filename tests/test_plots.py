"""Charts: one unit per axis, "not reported" drawn as a hatched band, intervals as whiskers."""

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
