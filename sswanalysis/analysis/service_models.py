"""Service models side by side: reported features and building blocks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sswanalysis.analysis.labelling import QUALIFIER_LABELS, vocabulary

if TYPE_CHECKING:
    import pandas as pd


def feature_matrix(
    model_features: pd.DataFrame,
    models: pd.DataFrame,
    features: Iterable[str] | None = None,
    basis: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Model x feature table: True where the source reports the feature, False where it does not.

    False means "not reported", not "absent": the sources describe each model briefly.
    ``basis`` keeps only rows of that basis (``("stated",)`` drops our interpretations);
    :func:`feature_basis` shows which is which.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"model_id": ["a", "b"]})
    >>> mf = pd.DataFrame({"model_id": ["a", "b", "b"],
    ...                    "feature": ["training", "training", "volunteers"]})
    >>> feature_matrix(mf, m, ["training", "volunteers"]).to_dict("index")
    {'a': {'training': True, 'volunteers': False}, 'b': {'training': True, 'volunteers': True}}
    """
    import pandas as pd

    features = list(vocabulary("features") if features is None else features)
    ids = [str(x) for x in models["model_id"]]
    if basis is not None and "basis" in model_features.columns:
        model_features = model_features[model_features["basis"].isin(list(basis))]
    have = {(str(a), str(b)) for a, b in zip(model_features["model_id"], model_features["feature"],
                                             strict=True)}
    data = {f: [(m, f) in have for m in ids] for f in features}
    return pd.DataFrame(data, index=pd.Index(ids, name="model_id")).rename_axis(columns="feature")


def feature_basis(model_features: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """Model x feature table of how each feature is known: 'stated', 'interpreted' or ''.

    'stated': the evidence says it in so many words; 'interpreted': our reading of the
    evidence (see ``docs/data-review.md``); '': not reported.

    >>> import pandas as pd
    >>> m = pd.DataFrame({"model_id": ["a"]})
    >>> mf = pd.DataFrame({"model_id": ["a", "a"], "feature": ["training", "volunteers"],
    ...                    "basis": ["stated", "interpreted"]})
    >>> feature_basis(mf, m).loc["a", ["training", "volunteers", "leading_group"]].tolist()
    ['stated', 'interpreted', '']
    """
    import pandas as pd

    features = list(vocabulary("features"))
    ids = [str(x) for x in models["model_id"]]
    how = {(str(m), str(f)): str(b) for m, f, b in
           zip(model_features["model_id"], model_features["feature"], model_features["basis"],
               strict=True)}
    data = {f: [how.get((m, f), "") for m in ids] for f in features}
    return pd.DataFrame(data, index=pd.Index(ids, name="model_id")).rename_axis(columns="feature")


def model_components_table(model_components: pd.DataFrame) -> pd.DataFrame:
    """One row per model: its components as written, counts with measure words kept.

    A measure word without a count (一批: "a number of") is shown as written, 一批…, and in
    English as "an unstated number of"; it is never a count of one.

    >>> import pandas as pd
    >>> mc = pd.DataFrame({"model_id": ["m", "m"], "component_no": [1, 2],
    ...     "label_zh": ["服务品牌", "党建引领"], "label_en": ["service brands", "party lead"],
    ...     "count": [3, None], "count_qualifier": ["exact", None], "measure_word": ["个", None]})
    >>> model_components_table(mc).to_numpy().tolist()[0]
    ['m', 2, '3个服务品牌 · 党建引领', '3 service brands · party lead']
    >>> batch = pd.DataFrame({"model_id": ["m"], "component_no": [1], "label_zh": ["社区社会组织"],
    ...     "label_en": ["community organisations"], "count": [None], "count_qualifier": [None],
    ...     "measure_word": ["批"]})
    >>> model_components_table(batch).to_numpy().tolist()[0][2:]
    ['一批社区社会组织', 'an unstated number (一批) of community organisations']
    """
    import pandas as pd

    mc = model_components.sort_values(["model_id", "component_no"], kind="stable")
    rows = []
    for model_id, g in mc.groupby("model_id", sort=False, observed=True):
        zh, en = [], []
        for r in g.itertuples(index=False):
            if pd.notna(r.count):
                sym = QUALIFIER_LABELS.get(str(r.count_qualifier), ("",))[0]
                word = r.measure_word if pd.notna(r.measure_word) else ""
                zh.append(f"{sym}{int(r.count)}{word}{r.label_zh}")
                en.append(f"{sym}{int(r.count)} {r.label_en}")
            elif pd.notna(r.measure_word):
                zh.append(f"一{r.measure_word}{r.label_zh}")
                en.append(f"an unstated number (一{r.measure_word}) of {r.label_en}")
            else:
                zh.append(str(r.label_zh))
                en.append(str(r.label_en))
        rows.append({"model_id": str(model_id), "n_components": len(g),
                     "components_zh": " · ".join(zh), "components_en": " · ".join(en)})
    return pd.DataFrame(rows)
