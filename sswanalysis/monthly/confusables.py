"""Station ids that look alike but are not the same text (Latin ``S1`` and Cyrillic ``Ѕ1``).

Two such ids are two stations to a computer and one to a reader, so figures would be split
between them without anyone seeing it. Which characters look like which comes from the
Unicode confusables data, as packaged by ``confusable-homoglyphs``. It is a judgement call
(a Greek letter may be meant), so it is a warning, never a rejection.
"""

from __future__ import annotations

_PLAIN_SCRIPTS = {"LATIN", "COMMON", "HAN", "INHERITED"}


def _latin_twin(ch: str) -> str | None:
    """The Latin letter ``ch`` (a letter of another script) looks like, if any."""
    from confusable_homoglyphs import categories, confusables

    if ch.isascii() or categories.alias(ch) in _PLAIN_SCRIPTS:
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
    from confusable_homoglyphs import categories

    skeleton: dict[str, list[int]] = {}
    found: dict[int, list[tuple[str, str]]] = {}
    for i, s in enumerate(ids):
        chars = []
        for ch in s:
            twin = _latin_twin(ch)
            if twin is not None:
                found.setdefault(i, []).append((ch, twin))
            chars.append(twin or ch)
        skeleton.setdefault("".join(chars), []).append(i)
    out: dict[int, str] = {}
    for i, pairs in found.items():
        shown = ", ".join(f"{categories.alias(ch)} {ch!r} (U+{ord(ch):04X})" for ch, _ in pairs)
        twins = ", ".join(repr(t) for _, t in pairs)
        msg = f"station id {ids[i]!r} holds {shown}, which looks like Latin {twins}"
        others = [ids[j] for j in skeleton["".join(_latin_twin(ch) or ch for ch in ids[i])] if j != i]
        if others:
            msg += f"; it is a different station from {', '.join(repr(o) for o in others[:3])}"
        out[i] = msg
    return out
