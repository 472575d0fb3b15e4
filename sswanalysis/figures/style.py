"""One look for every table and chart: display options, the bundled CJK font, colours.

Call :func:`notebook_setup` once at the top of a notebook, or :func:`use_style` in a script.
Both register the Noto Sans CJK SC subset shipped in ``sswanalysis/fonts/`` with matplotlib
at run time (nothing is written to matplotlib's cache or site-packages), so Chinese labels
render on a plain pip install without warnings.

matplotlib and pandas are imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FONT_FAMILY",
    "NOT_REPORTED_COLOR",
    "REGION_COLORS",
    "SEED",
    "STATION_COLORS",
    "color_for",
    "describe",
    "description",
    "font_css",
    "font_path",
    "notebook_setup",
    "register_font",
    "use_style",
]

#: Seed of the random generator returned by :func:`notebook_setup`.
SEED = 20220420

#: Family name of the bundled font (as stored in its ``name`` table).
FONT_FAMILY = "Noto Sans CJK SC"

#: A fixed colour per region (Okabe-Ito palette, safe for the common colour-vision deficiencies).
REGION_COLORS: dict[str, str] = {
    "ulanqab": "#0072B2",  # blue
    "linze": "#E69F00",  # orange
    "shangrao": "#009E73",  # bluish green
}

#: A fixed colour per named station (the three Linze stations), from the same palette.
STATION_COLORS: dict[str, str] = {
    "shahe": "#D55E00",  # vermillion
    "pingchuan": "#CC79A7",  # reddish purple
    "yanuan": "#56B4E9",  # sky blue
}

#: Colour for "not reported" hatching and for anything without its own colour.
NOT_REPORTED_COLOR = "#9E9E9E"
_FALLBACK = ["#000000", "#F0E442", "#7F7F7F"]

#: matplotlib settings shared by notebooks, scripts and the report.
RC: dict[str, Any] = {
    "figure.dpi": 100,
    "figure.figsize": (7.2, 4.2),
    "figure.facecolor": "white",
    "figure.constrained_layout.use": True,
    "savefig.dpi": 100,
    "savefig.facecolor": "white",
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "normal",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.unicode_minus": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "axes.axisbelow": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "hatch.color": NOT_REPORTED_COLOR,
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "sswanalysis",
    "image.cmap": "cividis",
}


def font_path() -> Path:
    """Path of the bundled CJK font file.

    >>> font_path().name
    'NotoSansCJKsc-Regular-subset.otf'
    >>> font_path().is_file()
    True
    """
    return Path(str(files("sswanalysis") / "fonts" / "NotoSansCJKsc-Regular-subset.otf"))


def font_css(url: str) -> str:
    """CSS that draws a JupyterLab-styled page (the lab, nbconvert's pages) in the bundled font.

    Parameters
    ----------
    url : str
        Where the page finds :func:`font_path`'s file, relative to the stylesheet.

    Returns
    -------
    str
        An ``@font-face`` rule and the ``--jp-*-font-family`` variables JupyterLab's
        stylesheets read, for a ``<style>`` element or a ``custom.css`` file.

    Examples
    --------
    >>> css = font_css("fonts/NotoSansCJKsc-Regular-subset.otf")
    >>> 'src: url("fonts/NotoSansCJKsc-Regular-subset.otf")' in css
    True
    >>> '--jp-content-font-family: "Noto Sans CJK SC"' in css
    True
    """
    cjk = f'"{FONT_FAMILY}", "PingFang SC", "Microsoft YaHei"'
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; '
        f'src: url("{url}") format("opentype"); font-display: block; }}\n'
        # The CJK font, which has Latin letters too, comes first: Chrome's per-character
        # fallback from a Latin font to a web font was seen to leave the first Chinese string
        # of a table as tofu. ":root:root" outranks the lab theme's ":root" rules, which are
        # loaded after this stylesheet, and still yields to a user's inline theme overrides.
        f":root:root {{ --jp-content-font-family: {cjk}, sans-serif;"
        f" --jp-ui-font-family: {cjk}, sans-serif;"
        f" --jp-code-font-family: Menlo, Consolas, 'DejaVu Sans Mono', {cjk}, monospace; }}\n"
        f"body {{ font-family: var(--jp-content-font-family); }}"
    )


def color_for(key: str) -> str:
    """Fixed colour of a region or station id; grey for unknown ids.

    >>> color_for("linze")
    '#E69F00'
    >>> color_for("shahe")
    '#D55E00'
    >>> color_for("somewhere-else")
    '#9E9E9E'
    """
    return REGION_COLORS.get(key) or STATION_COLORS.get(key) or NOT_REPORTED_COLOR


_ALT = "_sswanalysis_description"


def describe(target: Axes | Figure, text: str) -> None:
    """Attach a description of a chart, written from its data, to its figure.

    The notebooks' PNG output carries it as ``alt`` metadata (see :func:`notebook_setup`)
    and the report writes it as the image's ``alt`` text. A figure with several charts
    collects one description per chart.

    >>> import matplotlib.pyplot as plt
    >>> fig, (a, b) = plt.subplots(1, 2)
    >>> describe(a, "left: 3 bars"); describe(b, "right: 2 lines")
    >>> description(fig)
    'left: 3 bars / right: 2 lines'
    >>> plt.close(fig)
    """
    fig = getattr(target, "figure", None) or target
    setattr(fig, _ALT, [*getattr(fig, _ALT, []), text])


def description(fig: Figure) -> str:
    """The description of a figure: what :func:`describe` attached, else its titles and axis labels.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("每站资金 Funding"); _ = ax.set_xlabel("万元")
    >>> description(fig)
    '图 Chart:每站资金 Funding;横轴 x: 万元'
    >>> plt.close(fig)
    """
    given = getattr(fig, _ALT, None)
    if given:
        return " / ".join(given)
    parts = []
    for ax in fig.axes:
        title = " ".join(t for t in (ax.get_title("left"), ax.get_title()) if t)
        parts += [title.replace("\n", " ")] if title else []
        parts += [f"横轴 x: {ax.get_xlabel()}"] if ax.get_xlabel() else []
        parts += [f"纵轴 y: {ax.get_ylabel()}"] if ax.get_ylabel() else []
    return "图 Chart:" + ";".join(parts)


def _png_with_alt(fig: Figure) -> tuple[bytes, dict[str, str]]:
    """The inline backend's PNG of a figure, with its description as ``alt`` metadata."""
    from IPython.core.pylabtools import print_figure

    data = print_figure(fig, "png", bbox_inches="tight", metadata={"Software": None})
    return data, {"alt": description(fig)}


def register_font() -> str:
    """Register the bundled font with matplotlib (idempotent) and return its family name.

    >>> register_font()
    'Noto Sans CJK SC'
    """
    from matplotlib import font_manager

    path = str(font_path())
    fm = font_manager.fontManager
    if not any(f.fname == path for f in fm.ttflist):
        fm.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def use_style() -> str:
    """Apply the project's matplotlib style (font, colours, sizes); return the font family.

    For scripts and the report; :func:`notebook_setup` calls it too.

    >>> use_style()
    'Noto Sans CJK SC'
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][:2]
    ['Noto Sans CJK SC', 'DejaVu Sans']
    >>> matplotlib.rcParams["axes.unicode_minus"]
    False
    """
    import matplotlib
    from cycler import cycler

    family = register_font()
    matplotlib.rcParams.update(RC)
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.prop_cycle"] = cycler(
        color=[*REGION_COLORS.values(), *STATION_COLORS.values(), *_FALLBACK]
    )
    return family


def _pandas_options() -> None:
    import pandas as pd

    pd.set_option("display.width", 110)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_rows", 80)
    pd.set_option("display.max_colwidth", 60)
    pd.set_option("display.precision", 3)
    pd.set_option("display.unicode.east_asian_width", True)
    pd.set_option("display.unicode.ambiguous_as_wide", False)


def _register_formatters(ip: Any) -> None:
    """HTML tables for reading (:func:`sswanalysis.figures.display.to_html`) and PNGs with alt text.

    Only the ``text/html`` and ``image/png`` views change; ``text/plain`` (what nbval
    compares) stays pandas' and matplotlib's own.
    """
    import pandas as pd
    from matplotlib.figure import Figure

    from sswanalysis.figures.display import to_html

    formatters = ip.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, to_html)
    formatters["text/html"].for_type(pd.Series, to_html)
    formatters["image/png"].for_type(Figure, _png_with_alt)


def notebook_setup(seed: int = SEED) -> np.random.Generator:
    """Fix display and plotting options for a notebook; return a seeded random generator.

    Sets the pandas display options (width, columns, precision, East Asian width), applies
    :func:`use_style`, and -- inside IPython -- makes the inline backend emit PNG figures
    without the ``Software`` metadata and with a tight bounding box, so that re-running a
    notebook gives the same outputs. It also shows every DataFrame and Series as a table
    for reading (bilingual headers, formatted numbers, "—" for missing values, no index:
    :mod:`sswanalysis.figures.display`) and gives every figure's PNG its description
    (:func:`description`) as alt text; the ``text/plain`` views are left alone.

    Parameters
    ----------
    seed : int
        Seed of the returned :class:`numpy.random.Generator`.

    Returns
    -------
    numpy.random.Generator

    Examples
    --------
    >>> rng = notebook_setup()
    >>> int(rng.integers(0, 1000)) == int(notebook_setup().integers(0, 1000))
    True
    >>> import pandas as pd
    >>> pd.get_option("display.unicode.east_asian_width")
    True
    """
    import numpy as np

    _pandas_options()
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is part of the notebooks extra
        ip = None
    else:
        ip = get_ipython()
    if ip is not None and getattr(ip, "kernel", None) is not None:
        import matplotlib.pyplot as plt

        # inline even when MPLBACKEND=Agg is exported (the Makefile and CI do), so figures show
        ip.run_line_magic("matplotlib", "inline")
        ip.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
        ip.run_line_magic(
            "config",
            "InlineBackend.print_figure_kwargs = "
            "{'bbox_inches': 'tight', 'metadata': {'Software': None}}",
        )
        _register_formatters(ip)
        plt.close("all")
    use_style()
    return np.random.default_rng(seed)
