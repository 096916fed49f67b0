#!/usr/bin/env python3
"""Feeds whose items are summaries linking to article pages, for the full-text step.

  gen_pages.py -n FEEDS -m ITEMS -p PORT -o DIR

Writes DIR/f/N.xml (RSS, two-line descriptions), DIR/p/N/I.html (a page of about 60 KB
in a news site's shape: inline script and style, navigation, the article, a sidebar,
comments, a footer) and two configs: DIR/plain.toml and DIR/fulltext.toml (full_text =
true), both on http://127.0.0.1:PORT.
"""
import argparse, os, random

WORDS = ("patch window advisory gateway appliance firmware token session rotate key "
         "signing inventory vendor exploit quarter printer network guest debug port "
         "maintenance weekend header parser filter invoice message update").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def page(rng, f, i):
    out = ["<!DOCTYPE html><html><head><meta charset='utf-8'>",
           f"<title>Story {f}-{i} | Bench Weekly</title><script>var cfg = {{"]
    out += [f'"k{k}": "value {k}",' for k in range(600)]
    out.append("};</script><style>")
    out += [f".c{k} {{ margin: {k}px }}" for k in range(300)]
    out.append("</style></head><body><nav><ul>")
    out += [f'<li><a href="/s/{k}">Section {k}</a></li>' for k in range(120)]
    out.append(f"</ul></nav><main><article><h1>Story {f}-{i}</h1>")
    out += [f"<p>{' '.join(sentence(rng, 14) for _ in range(4))}</p>" for _ in range(25)]
    out.append("</article><section class='comments'>")
    out += [f"<div class='comment'><b>reader{k}</b><p>{sentence(rng, 8)}</p></div>" for k in range(120)]
    out.append("</section></main><aside class='sidebar'><ul>")
    out += [f'<li><a href="/p/{k}">Popular {k}</a></li>' for k in range(80)]
    out.append("</ul></aside><footer>Copyright</footer></body></html>")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("-m", type=int, default=10)
    ap.add_argument("-p", type=int, default=8784)
    ap.add_argument("-o", required=True)
    a = ap.parse_args()
    base = f"http://127.0.0.1:{a.p}"
    os.makedirs(f"{a.o}/f", exist_ok=True)
    plain, full = ["[general]\nrefresh_on_startup = false\n"], ["[general]\nrefresh_on_startup = false\n"]
    for f in range(a.n):
        rng = random.Random(f)
        os.makedirs(f"{a.o}/p/{f}", exist_ok=True)
        items = []
        for i in range(a.m):
            with open(f"{a.o}/p/{f}/{i}.html", "w") as fh:
                fh.write(page(rng, f, i))
            items.append(f"<item><title>Story {f}-{i}</title><link>{base}/p/{f}/{i}.html</link>"
                         f"<guid>{base}/p/{f}/{i}.html</guid><description>{sentence(rng, 12)} Read more</description></item>")
        with open(f"{a.o}/f/{f}.xml", "w") as fh:
            fh.write(f"<?xml version='1.0'?><rss version='2.0'><channel><title>Brief {f}</title>"
                     f"<link>{base}/</link>{''.join(items)}</channel></rss>")
        plain.append(f'[[feed]]\nurl = "{base}/f/{f}.xml"\n')
        full.append(f'[[feed]]\nurl = "{base}/f/{f}.xml"\nfull_text = true\n')
    open(f"{a.o}/plain.toml", "w").write("\n".join(plain))
    open(f"{a.o}/fulltext.toml", "w").write("\n".join(full))


if __name__ == "__main__":
    main()
