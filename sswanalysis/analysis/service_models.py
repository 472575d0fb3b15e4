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
) -> pd.DataFrame:
    """Model x feature table: True where the source reports the feature, False where it does not.

    False means "not reported", not "absent": the sources describe each model briefly.

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
    have = {(str(a), str(b)) for a, b in zip(model_features["model_id"], model_features["feature"],
                                             strict=True)}
    data = {f: [(m, f) in have for m in ids] for f in features}
    return pd.DataFrame(data, index=pd.Index(ids, name="model_id")).rename_axis(columns="feature")


def model_components_table(model_components: pd.DataFrame) -> pd.DataFrame:
    """One row per model: its components as written, counts with measure words kept.

    >>> import pandas as pd
    >>> mc = pd.DataFrame({"model_id": ["m", "m"], "component_no": [1, 2],
    ...     "label_zh": ["服务品牌", "党建引领"], "label_en": ["service brands", "party lead"],
    ...     "count": [3, None], "count_qualifier": ["exact", None], "measure_word": ["个", None]})
    >>> model_components_table(mc).to_numpy().tolist()[0]
    ['m', 2, '3个服务品牌 · 党建引领', '3 service brands · party lead']
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
            else:
                zh.append(str(r.label_zh))
                en.append(str(r.label_en))
        rows.append({"model_id": str(model_id), "n_components": len(g),
                     "components_zh": " · ".join(zh), "components_en": " · ".join(en)})
    return pd.DataFrame(rows)
