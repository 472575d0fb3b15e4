"""Station ids that look alike but are not the same text (Latin ``S1`` and Cyrillic ``Ѕ1``).

Two such ids are two stations to a computer and one to a reader, so figures would be split
between them without anyone seeing it. Which characters look like which comes from the
Unicode confusables data, as packaged by ``confusable-homoglyphs``. It is a judgement call
(a Greek letter may be meant), so it is a warning, never a rejection.
"""

from __future__ import annotations

_PLAIN_SCRIPTS = {"LATIN", "COMMON", "HAN", "INHERITED"}


def _latin_twin(ch: str) -> str | None:
    """The Latin letter ``ch`` (a letter of another script, not ASCII) looks like, if any."""
    from confusable_homoglyphs import categories, confusables

    if categories.alias(ch) in _PLAIN_SCRIPTS:
        return None
    found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True) or []
    for item in found:
        for h in item["homoglyphs"]:
            if h["c"].isascii() and h["c"].isalpha():
                return h["c"]
    return None


def look_alikes(ids: list[str]) -> dict[int, str]:
    """Index in ``ids`` -> warning, for ids that hold a letter of another script looking Latin.

    Examples
    --------
    >>> print(look_alikes(["S1", "\\u04051", "沙河"])[1])  # doctest: +NORMALIZE_WHITESPACE
    station id 'Ѕ1' holds CYRILLIC 'Ѕ' (U+0405), which looks like Latin 'S';
    it is a different station from 'S1'
    >>> list(look_alikes(["S1", "沙河"]))
    []
    """
    # judged once per distinct character (ids share few), then every id mapped in C; ASCII
    # letters are Latin, so ids in ASCII alone need no look-up (nor the confusables data loaded)
    foreign = [ch for ch in set("".join(ids)) if not ch.isascii()]
    twins = {ch: t for ch in foreign if (t := _latin_twin(ch)) is not None}
    if not twins:
        return {}
    from confusable_homoglyphs import categories

    table = str.maketrans(twins)
    skeletons = [s.translate(table) for s in ids]
    skeleton: dict[str, list[int]] = {}
    for i, sk in enumerate(skeletons):
        skeleton.setdefault(sk, []).append(i)
    out: dict[int, str] = {}
    for i, s in enumerate(ids):
        if skeletons[i] == s:
            continue
        pairs = [(ch, twins[ch]) for ch in s if ch in twins]
        shown = ", ".join(f"{categories.alias(ch)} {ch!r} (U+{ord(ch):04X})" for ch, _ in pairs)
        msg = f"station id {s!r} holds {shown}, which looks like Latin {', '.join(repr(t) for _, t in pairs)}"
        others = [ids[j] for j in skeleton[skeletons[i]] if j != i]
        if others:
            msg += f"; it is a different station from {', '.join(repr(o) for o in others[:3])}"
        out[i] = msg
    return out
