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


def main():
    rows = [json.loads(l) for l in open(sys.argv[1])]
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
