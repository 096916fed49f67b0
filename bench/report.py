#!/usr/bin/env python3
"""Markdown table of medians [min-max] from measure.py's JSON lines, with the
bulletin/newsboat ratio (below 1 means bulletin is faster or smaller)."""
import json, statistics, sys

TITLES = {
    "cold": "cold refresh, {n} feeds x {m} items",
    "warm": "warm refresh, all 304",
    "load": "`feeds --json` vs `-x print-unread`, big cache",
    "ff": "TUI first frame, big cache",
    "search-cli": "`bulletin search`, big cache",
    "search-tui": "`/` and a phrase in the TUI, keys to results, big cache",
}


def fmt(xs, unit):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-", None
    med = statistics.median(xs)
    if unit == "s":
        return f"{med:.3f} s [{min(xs):.3f}-{max(xs):.3f}]", med
    return f"{med / 1024:.0f} MiB", med


def sync_table(rows):
    """Syncs at each account size: wall, CPU and requests (medians), and the CPU ratio of
    the largest size to the smallest."""
    sizes = sorted({int(r["name"]) for r in rows})
    head = " | ".join(f"{s:,} articles: wall / CPU / requests" for s in sizes)
    print(f"| sync | {head} | CPU {sizes[-1]:,} / {sizes[0]:,} |")
    print("|---|" + "---|" * len(sizes) + "---|")
    for tag in dict.fromkeys(r["tag"] for r in rows):
        cells, cpus = [], []
        for size in sizes:
            xs = [r for r in rows if r["tag"] == tag and int(r["name"]) == size and r["ok"]]
            if not xs:
                cells.append("-")
                cpus.append(None)
                continue
            wall = statistics.median(r["wall"] for r in xs)
            cpu = statistics.median(r["cpu"] for r in xs)
            reqs = statistics.median(r["requests"] for r in xs)
            cells.append(f"{wall:.3f} s / {cpu:.3f} s / {reqs:.0f}")
            cpus.append(cpu)
        ratio = f"{cpus[-1] / cpus[0]:.2f}" if cpus[0] and cpus[-1] else "-"
        print(f"| {tag[len('sync-'):]} | " + " | ".join(cells) + f" | {ratio} |")


def jank_table(rows):
    """Key to frame in the TUI: percentiles of the samples while busy and idle."""
    print("| key to frame | keys | median | p90 | p99 | max |")
    print("|---|---|---|---|---|---|")
    for tag in dict.fromkeys(r["tag"] for r in rows):
        xs = sorted(r["wall"] * 1000 for r in rows if r["tag"] == tag)
        p = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))]
        print(f"| {tag[len('jank-'):]} | {len(xs)} | {statistics.median(xs):.1f} ms | {p(0.9):.1f} ms "
              f"| {p(0.99):.1f} ms | {xs[-1]:.1f} ms |")


def main():
    rows = [json.loads(l) for l in open(sys.argv[1])]
    sync_rows = [r for r in rows if r["tag"].startswith("sync-")]
    jank_rows = [r for r in rows if r["tag"].startswith("jank-")]
    rows = [r for r in rows if not r["tag"].startswith(("sync-", "jank-"))]
    if sync_rows:
        sync_table(sync_rows)
        print()
    if jank_rows:
        jank_table(jank_rows)
        print()
    if not rows:
        return
    tags = list(dict.fromkeys(r["tag"] for r in rows))
    print("| measure | newsboat | bulletin | bulletin / newsboat |")
    print("|---|---|---|---|")
    for tag in tags:
        names = list(dict.fromkeys(r["name"] for r in rows if r["tag"] == tag))
        if set(names) - {"newsboat", "bulletin"} and len(names) == 2:
            # bulletin against itself (stories on and off, max_per_host 2 and unlimited).
            a, b = names
            xa = [r["wall"] for r in rows if r["tag"] == tag and r["name"] == a and r["ok"]]
            xb = [r["wall"] for r in rows if r["tag"] == tag and r["name"] == b and r["ok"]]
            (ca, ma), (cb, mb) = fmt(xa, "s"), fmt(xb, "s")
            ratio = f"{ma / mb:.2f}" if ma and mb else "-"
            print(f"| {tag}: {a} / {b} | {a} {ca} | {b} {cb} | {ratio} |")
            continue
        for key, unit, label in (("wall", "s", ""), ("rss_kib", "KiB", " peak RSS")):
            if key == "rss_kib" and not tag.startswith(("ff", "cold", "huge-ff")):
                continue
            cells, meds = [], {}
            for name in ("newsboat", "bulletin"):
                xs = [r[key] for r in rows if r["tag"] == tag and r["name"] == name and r["ok"]]
                cell, med = fmt(xs, unit)
                cells.append(cell)
                meds[name] = med
            ratio = "-"
            if meds["newsboat"] and meds["bulletin"]:
                ratio = f"{meds['bulletin'] / meds['newsboat']:.4f} (1/{meds['newsboat'] / meds['bulletin']:.0f})"
            print(f"| {tag}{label} | {cells[0]} | {cells[1]} | {ratio} |")


if __name__ == "__main__":
    main()
