"""Benchmark of sswanalysis.quantities.iter_quantities on report-style text (one core).

Generates at least 1 MB of report-style sentences deterministically (seeded) from
templates, then times ``iter_quantities`` over them sentence by sentence and prints
sentences per second and MB per second (UTF-8). The last line is machine-readable::

    sentences_per_s=<n> mb_per_s=<m>

Goal: at least 20,000 sentences/s on one core. Run: ``python benchmarks/quantities.py``.
"""

from __future__ import annotations

import argparse
import random
import time

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; the best counts")
    args = parser.parse_args()
    sentences = make_corpus()
    nbytes = sum(len(s.encode("utf-8")) for s in sentences)
    found = sum(1 for s in sentences for _ in iter_quantities(s))  # warm-up and count
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for s in sentences:
            for _m in iter_quantities(s):
                pass
        best = min(best, time.perf_counter() - t0)
    sps = len(sentences) / best
    mbps = nbytes / best / 1e6
    print(f"corpus: {len(sentences):,} sentences, {nbytes / 1e6:.2f} MB, {found:,} quantities")
    print(f"best of {args.repeat}: {best:.3f} s -> {sps:,.0f} sentences/s, {mbps:.2f} MB/s")
    print(f"sentences_per_s={sps:.0f} mb_per_s={mbps:.2f}")


if __name__ == "__main__":
    main()
