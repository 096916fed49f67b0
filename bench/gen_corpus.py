#!/usr/bin/env python3
"""Writes a deterministic corpus of feeds for the benchmarks.

  gen_corpus.py -n FEEDS -m ITEMS -p PORT -o DIR [-s SEED]

DIR/feeds/fNNNNN.{xml,json} (about 60% RSS 2.0, 35% Atom, 5% JSON Feed) with gzipped
siblings for nginx's gzip_static, DIR/urls (newsboat), DIR/bulletin.toml, DIR/titles.txt
(feed number and title) and DIR/manifest.json. Item bodies are HTML of 1-8 KB with
paragraphs, lists, links, a table, entities and some non-Latin text. Feed i depends only
on (seed, i, items), so the first K feeds of a big corpus are the K-feed corpus.
"""
import argparse, datetime, gzip, json, os, random, sys
from xml.sax.saxutils import escape

WORDS = ("patch advisory release bulletin weekly update kernel browser network phishing backup "
         "password ransomware cloud server firmware vendor exploit privacy report incident "
         "team office budget harbour ferry library river garden market festival").split()
EXTRA = ["Grüße", "smørrebrød", "日本語", "한국어", "🔒", "—", "naïve", "€"]


# Loopback addresses the corpus's feeds are spread over (127.0.0.1 to 127.0.0.HOSTS).
HOSTS = 16

def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(EXTRA))
    return " ".join(words).capitalize() + "."


def body(rng, i):
    parts = []
    target = rng.randint(1000, 8000)
    size = 0
    while size < target:
        kind = rng.random()
        if kind < 0.6:
            p = " ".join(sentence(rng, rng.randint(6, 18)) for _ in range(rng.randint(2, 5)))
            if rng.random() < 0.5:
                p += f' See <a href="/posts/{i}/{size}">the details</a> &amp; more.'
            parts.append(f"<p>{p}</p>")
        elif kind < 0.8:
            items = "".join(f"<li>{sentence(rng, rng.randint(3, 8))}</li>" for _ in range(rng.randint(2, 6)))
            parts.append(f"<ul>{items}</ul>")
        elif kind < 0.9:
            rows = "".join(f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randint(1, 999)}</td></tr>" for _ in range(4))
            parts.append(f"<table><tr><th>Name</th><th>Count</th></tr>{rows}</table>")
        else:
            parts.append(f"<blockquote><p>{sentence(rng, 12)}</p></blockquote>")
        size = sum(len(p) for p in parts)
    return "\n".join(parts)


def feed(seed, i, m, port):
    rng = random.Random(f"{seed}-{i}-{m}")
    title = " ".join(w.capitalize() for w in rng.sample(WORDS, 3)) + f" Weekly #{i}"
    kind = "json" if i % 20 == 0 else ("atom" if rng.random() < 0.37 else "rss")
    base = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
    items = []
    for j in range(m):
        when = base - datetime.timedelta(minutes=rng.randint(0, 90 * 24 * 60))
        items.append((f"{title} item {j}: {sentence(rng, 5)}", f"https://bench.example/{i}/{j}", when, body(rng, j)))
    items.sort(key=lambda it: it[2], reverse=True)
    if kind == "rss":
        out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
               f"<link>https://bench.example/{i}/</link><description>Feed {i}</description>"]
        for t, link, when, html in items:
            out.append(f"<item><title>{escape(t)}</title><link>{link}</link><guid>{link}</guid>"
                       f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                       f"<description>{escape(html)}</description></item>")
        out.append("</channel></rss>\n")
        return title, "xml", "".join(out)
    if kind == "atom":
        out = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title>'
               f'<id>urn:bench:{i}</id><link href="https://bench.example/{i}/"/><updated>2026-11-01T00:00:00Z</updated>']
        for t, link, when, html in items:
            out.append(f'<entry><title>{escape(t)}</title><id>{link}</id><link href="{link}"/>'
                       f"<updated>{when.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>"
                       f'<content type="html">{escape(html)}</content></entry>')
        out.append("</feed>\n")
        return title, "xml", "".join(out)
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": title, "home_page_url": f"https://bench.example/{i}/",
           "items": [{"id": link, "url": link, "title": t, "date_published": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                      "content_html": html} for t, link, when, html in items]}
    return title, "json", json.dumps(doc, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, required=True)
    ap.add_argument("-m", type=int, required=True)
    ap.add_argument("-p", "--port", type=int, required=True)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("-s", "--seed", default="42")
    a = ap.parse_args()
    os.makedirs(os.path.join(a.out, "feeds"), exist_ok=True)
    urls, toml, titles = [], ["# generated by gen_corpus.py\n[general]\nrefresh_on_startup = false\n"], []
    for i in range(1, a.n + 1):
        title, ext, text = feed(a.seed, i, a.m, a.port)
        name = f"f{i:05d}.{ext}"
        data = text.encode("utf-8")
        path = os.path.join(a.out, "feeds", name)
        with open(path, "wb") as f:
            f.write(data)
        with gzip.open(path + ".gz", "wb", compresslevel=6) as f:
            f.write(data)
        # Spread over HOSTS loopback addresses (serve.sh listens on each): bulletin sends
        # at most max_per_host requests to one host at once, as a real reader of many
        # sites would, and one host for the whole corpus would measure that limit only.
        url = f"http://127.0.0.{1 + (i - 1) % HOSTS}:{a.port}/feeds/{name}"
        urls.append(url)
        toml.append(f'\n[[feed]]\nurl = "{url}"\nname = {json.dumps(title)}\n')
        titles.append(f"{i}\t{title}")
    with open(os.path.join(a.out, "urls"), "w") as f:
        f.write("\n".join(urls) + "\n")
    with open(os.path.join(a.out, "bulletin.toml"), "w") as f:
        f.write("".join(toml))
    with open(os.path.join(a.out, "titles.txt"), "w") as f:
        f.write("\n".join(titles) + "\n")
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump({"seed": a.seed, "feeds": a.n, "items": a.m, "port": a.port, "hosts": HOSTS}, f)
    print(f"wrote {a.n} feeds x {a.m} items to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
