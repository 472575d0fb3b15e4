"""Count models of station-month panels: rate ratios with honest intervals (statsmodels).

:func:`fit` estimates what output is associated with -- service model, operating mode,
funding, months since opening, season -- as incidence-rate ratios from a log-link count
model with a log-exposure offset:

* ``method="collapsed"`` (default): Poisson GLM on the panel collapsed to one row per
  cluster × covariate cell (the counts and exposures are sufficient statistics). Point
  estimates *and* cluster-robust standard errors equal those of the row-level fit, because
  within a cell every row has the same covariates, so each cluster's score and the
  Hessian are sums over cells; the small-sample correction uses the row-level number of
  observations. The dispersion statistic is computed on the rows.
* ``method="rows"``: the same Poisson GLM on every row (the reference; slower).
* ``method="negbin"``: a negative-binomial (NB2) GLM on the rows, with its dispersion
  ``alpha`` estimated from the Poisson fit by the moment regression of Cameron & Trivedi.
* ``method="gee"``: Poisson GEE with exchangeable correlation within clusters.

Poisson with cluster-robust errors stays valid under overdispersion (it is a
quasi-likelihood); naive Poisson errors do not, and :func:`fit` says so in plain words
when the Pearson dispersion is well above 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sswanalysis.analysis.station_panel import PanelError, check_panel

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["METHODS", "PanelFit", "design", "fit"]

METHODS = ("collapsed", "rows", "negbin", "gee")

#: Pearson dispersion above which naive Poisson errors are called too small.
OVERDISPERSION_WARNING = 1.5


@dataclass
class PanelFit:
    """What :func:`fit` returns."""

    table: pd.DataFrame
    """One row per coefficient: ``key`` (its name in :attr:`params`, e.g. ``mode[b]``), ``term,
    level, reference, rate_ratio, ci_low, ci_high, p_value``."""
    dispersion: float
    """Pearson chi-square / residual df of the Poisson fit on the rows (1 under Poisson)."""
    method: str
    cov_type: str
    n_rows: int
    n_cells: int
    n_clusters: int
    rows_excluded: int
    warnings: list[str] = field(default_factory=list)
    params: pd.Series | None = None
    """Coefficients on the log scale, intercept first."""
    bse: pd.Series | None = None
    """Their standard errors."""

    def summary(self) -> str:
        """Plain-language summary, Chinese first."""
        lines = [f"{self.method} · {self.cov_type} · 行 rows {self.n_rows:,} · 单元 cells "
                 f"{self.n_cells:,} · 聚类 clusters {self.n_clusters:,} · 离散度 dispersion "
                 f"{self.dispersion:.2f}"]
        if self.rows_excluded:
            lines.append(f"缺协变量而未用的行 rows left out for missing covariates: {self.rows_excluded:,}")
        return "\n".join(lines + self.warnings)


def design(frame: pd.DataFrame, terms: Sequence[str],
           reference: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Design matrix of ``terms``: intercept, treatment dummies for text terms, numbers as they are.

    Returns the matrix (float64 columns) and, per column after the intercept,
    ``(term, level, reference level)`` (``level`` and ``reference`` empty for numbers).
    The reference level of a text term is ``reference[term]`` or its most frequent level.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"mode": ["a", "b", "a", "c"], "x": [1.0, 2.0, 3.0, 4.0]})
    >>> X, cols = design(f, ["mode", "x"])
    >>> X.columns.tolist(), cols
    (['const', 'mode[b]', 'mode[c]', 'x'], [('mode', 'b', 'a'), ('mode', 'c', 'a'), ('x', '', '')])
    """
    import numpy as np
    import pandas as pd

    reference = reference or {}
    columns = {"const": np.ones(len(frame))}
    meta = []
    for term in terms:
        values = frame[term]
        if _is_text(values):
            codes, levels = _levels(values)
            counts = np.bincount(codes[codes >= 0], minlength=len(levels))
            ref = reference.get(term, levels[int(np.argmax(counts))])
            for i, level in sorted(enumerate(levels), key=lambda x: x[1]):
                if level != ref:
                    columns[f"{term}[{level}]"] = (codes == i).astype("float64")
                    meta.append((term, level, ref))
        else:
            columns[term] = values.to_numpy(dtype="float64")
            meta.append((term, "", ""))
    return pd.DataFrame(columns, index=frame.index), meta


def _is_text(values: pd.Series) -> bool:
    import pandas as pd

    return pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values)


def _levels(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the levels as text, without turning every row into a string."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, sort=False)
    return np.asarray(codes), [str(u) for u in uniques]


def _collapse(cluster_codes: np.ndarray, term_codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Number each row's cluster × covariate cell; return (cell of each row, first row of each cell).

    The integer codes are combined in mixed radix (``key * levels + code``), which is far
    cheaper than a multi-column groupby; the key is re-factorised only when the next
    term could overflow int64, and once at the end so that cells are numbered 0, 1, ...
    in order of their first row.
    """
    import numpy as np
    import pandas as pd

    key = cluster_codes.astype("int64")
    bound = int(key.max()) + 1  # key < bound
    for code in term_codes:
        levels = int(code.max()) + 2  # codes run from -1 (missing) to max
        if bound * levels >= 2**62:
            key, uniques = pd.factorize(key)
            key, bound = key.astype("int64"), len(uniques)
        key = key * levels + (code.astype("int64") + 1)
        bound *= levels
    key = pd.factorize(key)[0].astype("int64")
    # factorize numbers values in order of appearance, so a cell's first row is where the
    # running maximum of the codes steps up
    steps = np.flatnonzero(np.diff(np.maximum.accumulate(key), prepend=-1) > 0)
    return key, steps


def fit(
    frame: pd.DataFrame,
    terms: Sequence[str],
    *,
    outcome: str = "count",
    exposure: str = "exposure",
    cluster: str = "station_id",
    method: str = "collapsed",
    reference: dict[str, str] | None = None,
    level: float = 0.95,
    robust: bool = True,
) -> PanelFit:
    """Fit a log-link count model of ``outcome`` per ``exposure`` on ``terms``; return rate ratios.

    Parameters
    ----------
    frame : DataFrame
        A panel from :func:`sswanalysis.analysis.station_panel.panel_frame` (any frame with
        the columns named here and ``station_id``, ``month_ordinal``).
    terms : sequence of str
        Covariate columns. Text or boolean columns get treatment dummies; numeric ones
        enter as they are (take logs first where a ratio per e-fold is meant).
    outcome, exposure : str
        Count column and exposure column (station-months, or ``worker_months``).
    cluster : str
        Column whose groups the robust standard errors allow to be correlated (stations,
        or a coarser unit such as ``region_id``).
    method : {"collapsed", "rows", "negbin", "gee"}
        See the module docstring.
    reference : dict, optional
        Reference level per text term (default: its most frequent level).
    level : float
        Confidence level of the intervals.
    robust : bool
        Cluster-robust standard errors (default). ``False`` gives the naive model-based
        ones, which are too narrow when counts are overdispersed -- kept to show that.

    Returns
    -------
    PanelFit

    Examples
    --------
    Forty stations, half of them of mode ``b`` with twice the rate of mode ``a``:

    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> f = pd.DataFrame({"station_id": np.repeat(np.arange(40), 6),
    ...                   "month_ordinal": np.tile(np.arange(6), 40), "exposure": 1.0,
    ...                   "mode": np.repeat(np.where(np.arange(40) % 2, "b", "a"), 6)})
    >>> f["count"] = rng.poisson(np.where(f["mode"] == "b", 20.0, 10.0)).astype(float)
    >>> res = fit(f, ["mode"], reference={"mode": "a"})
    >>> row = res.table.iloc[0]
    >>> row["level"], round(float(row["rate_ratio"]), 2), bool(row["ci_low"] < 2 < row["ci_high"])
    ('b', 1.99, True)
    >>> fit(f, ["mode"], method="rows").table["rate_ratio"].round(6).equals(res.table["rate_ratio"].round(6))
    True
    """
    import numpy as np
    import pandas as pd

    # the modules themselves, not statsmodels.api, which also loads graphics and time series (~0.6 s)
    from statsmodels.genmod import cov_struct, families
    from statsmodels.genmod.generalized_estimating_equations import GEE
    from statsmodels.genmod.generalized_linear_model import GLM

    if method not in METHODS:
        raise PanelError(f"method must be one of {METHODS}, not {method!r}")
    terms = list(terms)
    missing = [t for t in terms if t not in frame]
    if missing:
        raise PanelError(f"no column(s) {missing} in the panel; available: {sorted(frame.columns)}")
    complete = np.ones(len(frame), dtype=bool)
    for term in terms:
        complete &= frame[term].notna().to_numpy()
    used = frame if complete.all() else frame[complete]
    excluded = len(frame) - len(used)
    check_panel(used, outcome=outcome, exposure=exposure)
    groups_rows = pd.factorize(used[cluster])[0]
    if groups_rows.max() < 1:
        raise PanelError(f"the robust errors need two or more {cluster} groups")
    reference = dict(reference or {})
    factorised = {t: pd.factorize(used[t]) for t in terms}  # once per term: checks, references, cells
    for term, (_, uniques) in factorised.items():
        if len(uniques) < 2:
            raise PanelError(f"{term} has one value in the rows used; it cannot be estimated -- "
                             "drop it from the model")
    levels = {t: (np.asarray(c), [str(u) for u in u_])
              for t, (c, u_) in factorised.items() if _is_text(used[t])}
    for term, ref in reference.items():
        if term in levels and ref not in levels[term][1]:
            raise PanelError(f"reference level {ref!r} of {term} is not in the data")
    # the reference of every text term is fixed on the rows, so that the collapsed and
    # row-level designs have the same columns
    for term, (codes, names) in levels.items():
        if term not in reference:
            reference[term] = names[int(np.argmax(np.bincount(codes[codes >= 0])))]
    y_rows = used[outcome].to_numpy(dtype="float64")
    e_rows = used[exposure].to_numpy(dtype="float64")
    n_rows, n_clusters = len(used), int(groups_rows.max()) + 1

    if method == "collapsed":
        cell_of_row, first = _collapse(groups_rows, [np.asarray(factorised[t][0]) for t in terms])
        X, meta = design(used[terms].iloc[first], terms, reference)
        groups = groups_rows[first]
        y_cells = np.bincount(cell_of_row, weights=y_rows)
        model = GLM(y_cells, X, family=families.Poisson(),
                       offset=np.log(np.bincount(cell_of_row, weights=e_rows)))
        res = model.fit()
        if robust:
            cov = _cluster_cov(X.to_numpy(), y_cells, np.asarray(res.fittedvalues), groups, n_rows)
            cov = pd.DataFrame(cov, index=X.columns, columns=X.columns)
        else:  # the Fisher information is a sum over rows, so collapsing leaves it unchanged
            cov = res.cov_params()
        params = res.params
        rate_cells = np.exp(X.to_numpy() @ params.to_numpy())  # per unit of exposure
        mu_rows = e_rows * rate_cells[cell_of_row]
        cov_type, n_cells = "cluster-robust" if robust else "naive", len(first)
    else:
        X, meta = design(used, terms, reference)
        offset = np.log(e_rows)
        if method == "gee":
            model = GEE(y_rows, X, groups=groups_rows, family=families.Poisson(),
                        offset=offset, cov_struct=cov_struct.Exchangeable())
            res = model.fit()
            cov_type = "GEE robust (exchangeable)"
        else:
            family = families.Poisson()
            if method == "negbin":
                family = families.NegativeBinomial(alpha=_nb_alpha(y_rows, X, offset))
            model = GLM(y_rows, X, family=family, offset=offset)
            res = (model.fit(cov_type="cluster", cov_kwds={"groups": groups_rows}) if robust
                   else model.fit())
            cov_type = "cluster-robust" if robust else "naive"
        params, cov = res.params, res.cov_params()
        mu_rows = e_rows * np.exp(X.to_numpy() @ params.to_numpy())
        n_cells = n_rows
    dispersion = float(((y_rows - mu_rows) ** 2 / mu_rows).sum() / (n_rows - len(params)))
    table = _rate_ratio_table(params, cov, meta, level)
    warnings = []
    if dispersion > OVERDISPERSION_WARNING and method in ("collapsed", "rows"):
        if cov_type == "naive":
            warnings.append(
                f"计数过度离散(离散度 {dispersion:.1f}):这些朴素泊松区间过窄,请用聚类稳健标准误。"
                f" Counts are overdispersed (dispersion {dispersion:.1f}): these naive Poisson "
                "intervals are too narrow; use the cluster-robust ones.")
        else:
            warnings.append(
                f"计数过度离散(离散度 {dispersion:.1f}):朴素泊松标准误会偏小,此处用聚类稳健标准误。"
                f" Counts are overdispersed (dispersion {dispersion:.1f}): naive Poisson standard "
                "errors would be too small; the intervals shown are cluster-robust.")
    if excluded:
        warnings.append(f"{excluded:,} 行缺协变量,未用于拟合 · {excluded:,} row(s) lacked a covariate "
                        "and were left out.")
    bse = pd.Series(np.sqrt(np.diag(np.asarray(cov))), index=params.index)
    return PanelFit(table, dispersion, method, cov_type, n_rows, n_cells, n_clusters, excluded,
                    warnings, params, bse)


def _cluster_cov(X: np.ndarray, y: np.ndarray, mu: np.ndarray, groups: np.ndarray,
                 n_rows: int) -> np.ndarray:
    """Cluster-robust (sandwich) covariance of a Poisson GLM, as statsmodels computes it.

    Bread: the inverse Fisher information ``(X' diag(mu) X)^-1``; meat: the outer product
    of the per-cluster score sums ``X'(y - mu)``; small-sample factor
    ``G/(G-1) · (N-1)/(N-K)`` with N the number of *rows* (not cells), so that the
    collapsed fit reports the row-level fit's errors.
    """
    import numpy as np

    k = X.shape[1]
    bread = np.linalg.inv(X.T @ (X * mu[:, None]))
    n_groups = int(groups.max()) + 1
    scores = np.column_stack([np.bincount(groups, weights=X[:, j] * (y - mu), minlength=n_groups)
                              for j in range(k)])
    meat = scores.T @ scores
    factor = n_groups / (n_groups - 1) * (n_rows - 1) / (n_rows - k)
    return factor * bread @ meat @ bread


def _nb_alpha(y: np.ndarray, X: pd.DataFrame, offset: np.ndarray) -> float:
    """NB2 dispersion from a Poisson fit: regress ((y-mu)^2 - y)/mu on mu (Cameron & Trivedi)."""
    from statsmodels.genmod.families import Poisson
    from statsmodels.genmod.generalized_linear_model import GLM

    mu = GLM(y, X, family=Poisson(), offset=offset).fit().fittedvalues
    aux = ((y - mu) ** 2 - y) / mu
    alpha = float((aux * mu).sum() / (mu**2).sum())
    return max(alpha, 1e-8)


def _rate_ratio_table(params: pd.Series, cov: pd.DataFrame, meta: list[tuple[str, str, str]],
                      level: float) -> pd.DataFrame:
    import numpy as np
    import pandas as pd
    from scipy.stats import norm

    se = np.sqrt(np.diag(np.asarray(cov)))[1:]
    b = params.to_numpy()[1:]
    z = norm.ppf(0.5 + level / 2)
    return pd.DataFrame({
        "key": params.index[1:],
        "term": [m[0] for m in meta],
        "level": [m[1] for m in meta],
        "reference": [m[2] for m in meta],
        "rate_ratio": np.exp(b),
        "ci_low": np.exp(b - z * se),
        "ci_high": np.exp(b + z * se),
        "p_value": 2 * norm.sf(np.abs(b / se)),
    })
