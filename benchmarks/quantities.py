"""Benchmark of sswanalysis.quantities on report-style text (one core), beside its peers.

Generates at least 1 MB of report-style sentences deterministically (seeded) from
templates, then times :func:`~sswanalysis.quantities.iter_quantities` over them sentence
by sentence, and prints sentences per second and MB per second (UTF-8). Times are the
CPU time of this process (``time.process_time``; the code is single-threaded, so this is
one core, and other jobs on a shared machine do not count); the best of ``--repeat``
passes counts.

It also checks linear time: 1 MB made of 100,000-letter Latin runs, and 1 MB made of
100,000-digit runs, are each read as one text; their time is printed as a multiple of
the time for 1 MB of the report-style corpus (goal: at most 2).

Side by side (issue 15): when ``jionlp`` and ``cn2an`` can be imported, the same
sentences go, in the same run and in alternating passes, through
``jionlp.ner.extract_money(s, with_parsing=True)`` (money only) and
``cn2an.transform(s, "cn2an")`` (numeral rewriting, no extraction). Neither is a
dependency of this project (jionlp is about 250 MB and pulls a GPL dependency): install
them into a throwaway environment and run this file with that environment's Python,
the project on ``PYTHONPATH`` (see ``benchmarks/README.md``). The last line is then::

    ratio_vs_jionlp=<ours / jionlp sentences per second>

and without them::

    sentences_per_s=<n> mb_per_s=<m>   (after a line saying the peers are missing)

Goals: ``ratio_vs_jionlp`` at least 1.5, and at least 5 MB/s on one core.
Run: ``python benchmarks/quantities.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import importlib
import random
import time
from collections.abc import Callable

from sswanalysis.quantities import iter_quantities

PLACES = ["全市", "全县", "该区", "全镇", "街道", "各乡镇", "该站", "全省"]
NOUNS = ["困难群众", "低保对象", "留守儿童", "空巢老人", "残疾人", "重点服务对象", "居民"]
ACTS = ["个案服务", "小组活动", "社区活动", "入户走访", "政策宣讲", "志愿服务", "培训"]

TEMPLATES = [
    "截至目前,{place}{n}个社工站服务总人数{n4}余人。",
    "{place}共开展{act}{n}场次,服务{noun}{n3}人次。",
    "{year}年{month}月,{place}投入资金{d}万元,新建社工站{n}个。",
    "项目惠及{noun}{d}万人次,覆盖{n}个村(社区)。",
    "{place}已建成乡镇(街道)社工站{d}万余个,覆盖率达{pct}%。",
    "按照要求,每站配备{a}至{b}名专职社工,年度运营经费不低于{n}万元。",
    "{place}近{n3}名社工扎根基层,服务满意度较上年提高近{a}个百分点。",
    "通过“五社联动”机制,{place}孵化社区社会组织{cn}个,链接资源约{d}万元。",
    "“十四五”期间,{place}将实现乡镇(街道)社工站全覆盖,构建三级服务体系。",
    "{place}印发《社会工作服务站建设实施方案({year}年—{year2}年)》,统筹推进站点建设。",
    "各社工站充分整合辖区阵地资源,打造养老服务站、儿童活动室等功能场所。",
    "共入户走访{noun}{n3}户,建立服务档案{n3}份,开展{act}超{n}场。",
    "{place}社工站为{n}名困境儿童链接助学金共计{d}万元,受益家庭{cn}户。",
    "全年开展“我为群众办实事”{act}{n}次,参与居民{n4}人左右。",
    "社工站以“1+{a}”服务模式为依托,力争进入全国“第一方阵”。",
]
CN = ["两", "三", "五", "八", "十二", "二十五", "一百零八", "三十余", "百余", "近百"]
RUN = 100_000  # letters or digits in one run of the linear-time texts


def make_corpus(min_bytes: int = 1_100_000, seed: int = 20240501) -> list[str]:
    """Deterministic report-style sentences totalling at least ``min_bytes`` of UTF-8."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < min_bytes:
        a = rng.randint(1, 5)
        s = rng.choice(TEMPLATES).format(
            place=rng.choice(PLACES), noun=rng.choice(NOUNS), act=rng.choice(ACTS),
            n=rng.randint(2, 99), n3=rng.randint(100, 999), n4=rng.randint(1000, 9999),
            d=f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}", pct=rng.randint(60, 100),
            year=rng.randint(2015, 2024), year2=rng.randint(2025, 2030),
            month=rng.randint(1, 12), a=a, b=a + rng.randint(1, 4), cn=rng.choice(CN),
        )
        out.append(s)
        size += len(s.encode("utf-8"))
    return out


def runs_text(alphabet: str, size: int = 1_000_000, seed: int = 7) -> str:
    """About ``size`` bytes of runs of :data:`RUN` characters from ``alphabet`` (ASCII),
    each run closed by a short Chinese clause with a figure."""
    rng = random.Random(seed)
    parts = []
    while sum(map(len, parts)) < size:
        parts.append("".join(rng.choice(alphabet) for _ in range(RUN)))
        parts.append(",共服务120人。")
    return "".join(parts)


def best_of(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def ours(sentences: list[str]) -> None:
    for s in sentences:
        for _m in iter_quantities(s):
            pass


def peers() -> dict[str, Callable[[list[str]], None]]:
    """The peer tools that can be imported here, as functions over the sentences."""
    found: dict[str, Callable[[list[str]], None]] = {}
    try:
        jio = importlib.import_module("jionlp")

        def jionlp_money(sentences: list[str]) -> None:
            for s in sentences:
                jio.ner.extract_money(s, with_parsing=True)

        found["jionlp"] = jionlp_money
    except ImportError:
        pass
    try:
        cn2an = importlib.import_module("cn2an")

        def cn2an_transform(sentences: list[str]) -> None:
            for s in sentences:
                cn2an.transform(s, "cn2an")

        found["cn2an"] = cn2an_transform
    except ImportError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; the best counts")
    args = parser.parse_args()
    sentences = make_corpus()
    nbytes = sum(len(s.encode("utf-8")) for s in sentences)
    found = sum(1 for s in sentences for _ in iter_quantities(s))  # warm-up and count
    tools = {"sswanalysis": ours, **peers()}
    best = dict.fromkeys(tools, float("inf"))
    for _ in range(args.repeat):  # alternate the tools, so that load on the machine is shared
        for name, fn in tools.items():
            best[name] = min(best[name], best_of(lambda fn=fn: fn(sentences), 1))
    print(f"corpus: {len(sentences):,} sentences, {nbytes / 1e6:.2f} MB, {found:,} quantities "
          f"found by sswanalysis; best of {args.repeat} passes, CPU seconds")
    rates = {name: len(sentences) / seconds for name, seconds in best.items()}
    for name, seconds in best.items():
        print(f"  {name:<12} {seconds:7.3f} s  {rates[name]:>9,.0f} sentences/s  "
              f"{nbytes / seconds / 1e6:5.2f} MB/s")

    normal_per_mb = best["sswanalysis"] / (nbytes / 1e6)
    for label, alphabet in (("latin", "abcdefghijklmnopqrstuvwxyz"), ("digits", "0123456789")):
        text = runs_text(alphabet)
        seconds = best_of(lambda text=text: list(iter_quantities(text)), args.repeat)
        ratio = seconds / (len(text.encode("utf-8")) / 1e6) / normal_per_mb
        print(f"  linear time: 1 MB of {RUN:,}-character {label} runs in {seconds:.3f} s, "
              f"{ratio:.2f}x the report corpus per MB (goal <= 2)")

    sps, mbps = rates["sswanalysis"], nbytes / best["sswanalysis"] / 1e6
    print(f"sentences_per_s={sps:.0f} mb_per_s={mbps:.2f}")
    if "jionlp" not in rates:
        missing = [p for p in ("jionlp", "cn2an") if p not in rates]
        print(f"peers missing: {', '.join(missing)} cannot be imported here; "
              "see benchmarks/README.md to run the side-by-side comparison")
        print(f"sentences_per_s={sps:.0f} mb_per_s={mbps:.2f}")
        return
    print(f"ratio_vs_jionlp={sps / rates['jionlp']:.2f}")


if __name__ == "__main__":
    main()
