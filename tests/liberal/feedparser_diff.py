#!/usr/bin/env python3
"""Differential test of bulletin's parser against Python's feedparser, the reference for
liberal feed parsing.

Generates a corpus of feeds in the shapes real feeds come in (every RSS version with and
without `version`, RSS 1.0 with Dublin Core, Atom 0.3 and 1.0, JSON Feed) and mutates them
the way the web does (HTML entities, bare ampersands, stray `<`, element case, truncation,
junk after the root, UTF-16 without BOM, Latin-1, far-off dates). Each file is read by
`bulletin probe --json` and by feedparser; the fields both report are compared after the
same normalisation (HTML to text, white space collapsed, dates to UTC seconds).

Usage: feedparser_diff.py BULLETIN_BINARY WORK_DIR [COUNT]
       feedparser_diff.py BULLETIN_BINARY --cases DIR
Prints one JSON object: counts, agreement, crashes, hangs and a sample of disagreements.
With --cases, the hand-written files of DIR are compared instead (each named
CATEGORY-....xml), with the agreement of each category.
"""
import html
import json
import os
import random
import re
import subprocess
import sys
import calendar

import feedparser

WORDS = ("passkeys invoice backup ransomware patch phishing update release notes weekly "
         "bulletin harbour lantern café naïve résumé über straße 東京 данные advisory "
         "firmware router cloud audit").split()
ENTITIES = ["&nbsp;", "&eacute;", "&mdash;", "&hellip;", "&rsquo;", "&copy;", "&euro;", "&ndash;"]
ENT_CHARS = {"&nbsp;": "\u00a0", "&eacute;": "é", "&mdash;": "—", "&hellip;": "…",
             "&rsquo;": "’", "&copy;": "©", "&euro;": "€", "&ndash;": "–"}


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rfc822(ts):
    return time_fmt(ts, "%a, %d %b %Y %H:%M:%S GMT")


def iso(ts):
    return time_fmt(ts, "%Y-%m-%dT%H:%M:%SZ")


def time_fmt(ts, fmt):
    import time
    return time.strftime(fmt, time.gmtime(ts))


class Item:
    def __init__(self, rng, i, base):
        self.title = words(rng, rng.randint(2, 7)).capitalize()
        self.link = f"{base}posts/{i}-{rng.randint(100, 999)}"
        self.guid = f"urn:uuid:{rng.getrandbits(64):016x}-{i}" if rng.random() < 0.7 else None
        self.author = rng.choice(["Ann Lee", "Bob", "Chidi Okafor", None])
        self.ts = 1700000000 + rng.randint(0, 60_000_000)
        self.summary = f"<p>{words(rng, rng.randint(5, 25))}</p>"
        self.content = (f"<p>{words(rng, rng.randint(20, 60))}</p><p><b>{words(rng, 3)}</b> "
                        f"{words(rng, 10)}</p>") if rng.random() < 0.5 else None


DATE_FORMATS = [
    "%a, %d %b %Y %H:%M:%S GMT",
    "%a, %d %b %Y %H:%M:%S +0000",
    "%a, %d %b %Y %H:%M:%S -0300",
    "%d %b %Y %H:%M:%S GMT",
    "%a, %d %b %Y %H:%M GMT",
    "%a, %d %b %Y %H:%M:%S EST",
    "%a, %d %b %Y %H:%M:%S PDT",
    "%a, %d %b %y %H:%M:%S GMT",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S+02:00",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
    "%a, %-d %b %Y %H:%M:%S GMT",
]


def rss_date(rng, ts):
    return time_fmt(ts, rng.choice(DATE_FORMATS))


def rss(rng, items, base, version, with_content):
    v = f' version="{version}"' if version else ""
    ns = ' xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    if rng.random() < 0.3:
        ns += ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
    out = [f"<rss{v}{ns}><channel><title>{xml_text(words(rng, 3).title())}</title>"
           f"<link>{base}</link><description>{xml_text(words(rng, 8))}</description>"]
    podcast = "itunes" in ns
    for it in items:
        style = rng.random()
        if style < 0.15:
            parts = [f"<title><![CDATA[{it.title} <b>new</b>]]></title>"]
        elif style < 0.25:
            parts = [f"<title>{xml_text('<em>' + it.title + '</em>')}</title>"]
        else:
            parts = [f"<title>{xml_text(it.title)}</title>"]
        if podcast and rng.random() < 0.5:
            parts.append(f"<itunes:author>{it.author or 'Host'}</itunes:author>")
            # Podcast tools write the episode's description here too.
            parts.append(f"<itunes:summary>{xml_text(text_of(it.summary))}</itunes:summary>")
            parts.append(f'<enclosure url="{it.link}.mp3" length="{rng.randint(1, 10**8)}" type="audio/mpeg"/>')
            it.author = None
        if rng.random() < 0.15:
            # No <link>: the guid is the permalink.
            parts.append(f"<guid>{it.link}</guid>")
        else:
            parts.append(f"<link>{it.link}</link>")
            if it.guid:
                parts.append(f'<guid isPermaLink="false">{it.guid}</guid>')
        if it.author:
            form = rng.random()
            if form < 0.4:
                parts.append(f"<dc:creator>{it.author}</dc:creator>")
            elif form < 0.7:
                parts.append(f"<author>someone@example.org ({it.author})</author>")
            elif form < 0.85:
                parts.append("<author>someone@example.org</author>")
            else:
                parts.append(f"<dc:creator>{it.author} &lt;someone@example.org&gt;</dc:creator>")
        parts.append(f"<pubDate>{rss_date(rng, it.ts)}</pubDate>")
        if podcast and rng.random() < 0.3:
            pass  # only the itunes:summary, if any
        elif rng.random() < 0.5:
            parts.append(f"<description><![CDATA[{it.summary}]]></description>")
        else:
            parts.append(f"<description>{xml_text(it.summary)}</description>")
        if with_content and it.content:
            parts.append(f"<content:encoded><![CDATA[{it.content}]]></content:encoded>")
        out.append("<item>" + "".join(parts) + "</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def rdf(rng, items, base):
    out = ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           f'<channel rdf:about="{base}"><title>{xml_text(words(rng, 2))}</title><link>{base}</link>'
           f"<description>{xml_text(words(rng, 6))}</description></channel>"]
    for it in items:
        title = (f"<title>{xml_text(it.title)}</title>" if rng.random() < 0.7
                 else f"<dc:title>{xml_text(it.title)}</dc:title>")
        desc = (f"<description>{xml_text(it.summary)}</description>" if rng.random() < 0.7
                else f"<dc:description>{xml_text(it.summary)}</dc:description>")
        creator = f"<dc:creator>{it.author}</dc:creator>" if it.author else ""
        out.append(f'<item rdf:about="{it.link}">{title}<link>{it.link}</link>{desc}{creator}'
                   f"<dc:date>{iso(it.ts)}</dc:date></item>")
    out.append("</rdf:RDF>")
    return "\n".join(out)


def atom(rng, items, base):
    use_base = rng.random() < 0.4
    xb = f' xml:base="{base}"' if use_base else ""
    out = [f'<feed xmlns="http://www.w3.org/2005/Atom"{xb}><title>{xml_text(words(rng, 3))}</title>'
           f'<subtitle>{xml_text(words(rng, 6))}</subtitle><link rel="alternate" href="{base}"/>'
           f"<id>{base}</id><updated>{iso(1700000000)}</updated>"]
    for it in items:
        link = it.link[len(base):] if use_base else it.link
        if rng.random() < 0.3:
            title = f'<title type="html">{xml_text("<b>" + it.title + "</b>")}</title>'
        else:
            title = f"<title>{xml_text(it.title)}</title>"
        links = f'<link rel="alternate" href="{link}"/>'
        shape = rng.random()
        if shape < 0.2:
            links = f'<link rel="self" href="{base}self"/>' + f'<link href="{link}"/>'
        elif shape < 0.35:
            links = f'<link rel="alternate" type="text/html" href="{link}"/><link rel="enclosure" href="{base}a.mp3" length="1" type="audio/mpeg"/>'
        parts = [title, links,
                 f"<id>{it.guid or it.link}</id>", f"<updated>{iso(it.ts + 3600)}</updated>"]
        if rng.random() < 0.7:
            parts.append(f"<published>{iso(it.ts)}</published>")
        if it.author:
            parts.append(f"<author><name>{it.author}</name></author>")
        parts.append(f'<summary type="html">{xml_text(it.summary)}</summary>')
        if it.content:
            if rng.random() < 0.3:
                parts.append(f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{it.content}</div></content>')
            else:
                parts.append(f'<content type="html">{xml_text(it.content)}</content>')
        out.append("<entry>" + "".join(parts) + "</entry>")
    out.append("</feed>")
    return "\n".join(out)


def atom03(rng, items, base):
    out = ['<feed version="0.3" xmlns="http://purl.org/atom/ns#">',
           f'<title>{xml_text(words(rng, 3))}</title><tagline>{xml_text(words(rng, 5))}</tagline>'
           f'<link rel="alternate" type="text/html" href="{base}"/><modified>{iso(1700000000)}</modified>']
    for it in items:
        mode = rng.choice(["escaped", "base64", "xml"])
        if mode == "escaped":
            body = xml_text(it.summary)
        elif mode == "base64":
            import base64
            body = base64.b64encode(it.summary.encode()).decode()
        else:
            body = it.summary
        author = f"<author><name>{it.author}</name></author>" if it.author else ""
        out.append(f'<entry><title>{xml_text(it.title)}</title><link rel="alternate" type="text/html" '
                   f'href="{it.link}"/><id>{it.guid or it.link}</id><issued>{iso(it.ts)}</issued>'
                   f'<modified>{iso(it.ts + 60)}</modified>{author}'
                   f'<content type="text/html" mode="{mode}">{body}</content></entry>')
    out.append("</feed>")
    return "\n".join(out)


def jsonfeed(rng, items, base):
    version = rng.choice(["1", "1.1"])
    doc = {"version": f"https://jsonfeed.org/version/{version}", "title": words(rng, 3),
           "home_page_url": base, "description": words(rng, 6), "items": []}
    for it in items:
        entry = {"id": it.guid or it.link, "url": it.link, "title": it.title,
                 "content_html": it.content or it.summary, "date_published": iso(it.ts)}
        if it.author:
            if version == "1":
                entry["author"] = {"name": it.author}
            else:
                entry["authors"] = [{"name": it.author}]
        doc["items"].append(entry)
    return json.dumps(doc, ensure_ascii=False)


def mutate(rng, text, kind):
    """The ways the web breaks feeds, applied to a generated XML document."""
    if kind == "entities":
        # HTML named entities XML does not declare, in titles and descriptions.
        def add(m):
            return m.group(1) + rng.choice(ENTITIES) + " " + m.group(2)
        return re.sub(r"(<title>)([^<]{3,})", add, text, count=3)
    if kind == "ampersand":
        return text.replace("<title>", "<title>AT&T and ", 2).replace("posts/", "posts/?a=1&b=", 1)
    if kind == "lt":
        return text.replace("<title>", "<title>a < b: ", 1)
    if kind == "case":
        for name in ("channel", "item", "title", "link", "description", "pubDate"):
            text = text.replace(f"<{name}>", f"<{name.upper()}>").replace(f"</{name}>", f"</{name.upper()}>")
        return text
    if kind == "truncate":
        cut = text.find("</item>")
        if cut < 0:
            cut = text.find("</entry>")
        if cut < 0:
            return text
        rest = len(text) - cut
        return text[:cut + 7 + rng.randint(0, max(1, rest // 2))]
    if kind == "junk":
        return text + "\n<!-- served by x --><div>junk</div>garbage"
    if kind == "unclosed":
        return text.replace("</channel>", "", 1).replace("</rss>", "", 1)
    if kind == "far_date":
        return re.sub(r"(\d{2} \w{3}) \d{4}", r"\1 99999", text, count=1)
    return text


def write_feed(path, text, encoding):
    decl = f'<?xml version="1.0" encoding="{encoding}"?>\n'
    if encoding == "utf-16-nobom":
        data = ('<?xml version="1.0" encoding="utf-16"?>\n' + text).encode("utf-16-le")
    elif encoding in ("iso-8859-1", "windows-1251"):
        data = (decl + text).encode(encoding, errors="xmlcharrefreplace")
    elif encoding == "none":
        data = text.encode("utf-8")
    else:
        data = (decl + text).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def generate(work, count, seed=20261130):
    rng = random.Random(seed)
    files = []
    shapes = ["rss20", "rss_noversion", "rss091", "rss092", "rdf", "atom", "atom03", "json"]
    mutations = ["none", "none", "entities", "ampersand", "lt", "case", "truncate", "junk",
                 "unclosed", "far_date"]
    encodings = ["utf-8", "utf-8", "utf-8", "none", "iso-8859-1", "utf-16-nobom", "windows-1251"]
    for n in range(count):
        shape = shapes[n % len(shapes)]
        base = f"https://site{n}.example/"
        items = [Item(rng, i, base) for i in range(rng.randint(1, 6))]
        if shape == "json":
            text = jsonfeed(rng, items, base)
            path = os.path.join(work, f"{n:04d}-{shape}.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            files.append(path)
            continue
        if shape == "rss20":
            text = rss(rng, items, base, "2.0", True)
        elif shape == "rss_noversion":
            text = rss(rng, items, base, None, rng.random() < 0.5)
        elif shape == "rss091":
            text = rss(rng, items, base, "0.91", False)
        elif shape == "rss092":
            text = rss(rng, items, base, "0.92", False)
        elif shape == "rdf":
            text = rdf(rng, items, base)
        elif shape == "atom":
            text = atom(rng, items, base)
        else:
            text = atom03(rng, items, base)
        mutation = rng.choice(mutations)
        if shape.startswith("rss") or mutation not in ("case", "unclosed", "far_date"):
            text = mutate(rng, text, mutation)
        encoding = rng.choice(encodings)
        path = os.path.join(work, f"{n:04d}-{shape}-{mutation}-{encoding}.xml")
        write_feed(path, text, encoding)
        files.append(path)
    return files


LEGACY = ["cp437", "cp850", "cp852", "cp866", "cp1125", "koi8_u", "mac_greek", "cp037", "cp500"]
NS_RSS = ["http://backend.userland.com/rss", "http://purl.org/rss/2.0/",
          "http://backend.userland.com/rss2"]


def issue29(rng, items, base, kind):
    """A feed in one of issue 29's shapes (its text, and the encoding to write it in)."""
    ns = ('xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
          'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
          'xmlns:media="http://search.yahoo.com/mrss/"')
    head = (f"<title>{xml_text(words(rng, 3).title())}</title><link>{base}</link>"
            f"<description>{xml_text(words(rng, 6))}</description>")
    out = []
    for it in items:
        if kind == "fallbacks":
            # The feed's own fields left out; other namespaces say them.
            parts = [f"<link>{it.link}</link>"]
            parts.append(rng.choice([f"<dc:title>{xml_text(it.title)}</dc:title>",
                                     f"<media:title>{xml_text(it.title)}</media:title>",
                                     f"<title>{xml_text(it.title)}</title>"]))
            if it.author:
                parts.append(rng.choice([f"<dc:creator>{it.author}</dc:creator>",
                                         f"<dc:author>{it.author}</dc:author>",
                                         f"<itunes:author>{it.author}</itunes:author>"]))
            parts.append(rng.choice([f"<dcterms:issued>{iso(it.ts)}</dcterms:issued>",
                                     f"<pubDate>{rfc822(it.ts)}</pubDate>"]))
            summary = xml_text(text_of(it.summary))
            parts.append(rng.choice([f"<itunes:summary>{summary}</itunes:summary>",
                                     f"<media:description>{summary}</media:description>",
                                     f"<media:group><media:description>{summary}</media:description></media:group>"]))
        else:
            parts = [f"<title>{xml_text(it.title)}</title>", f"<link>{it.link}</link>",
                     f"<pubDate>{rfc822(it.ts)}</pubDate>",
                     f"<description>{xml_text(it.summary)}</description>"]
            if it.guid:
                parts.append(f'<guid isPermaLink="false">{it.guid}</guid>')
        out.append("<item>" + "".join(parts) + "</item>")
    body = "".join(out)
    if kind == "fallbacks":
        return f'<rss version="2.0" {ns}><channel>{head}{body}</channel></rss>', "utf-8"
    if kind == "namespace":
        return (f'<rss version="2.0" xmlns="{rng.choice(NS_RSS)}"><channel>{head}{body}'
                "</channel></rss>"), "utf-8"
    return f'<rss version="2.0"><channel>{head}{body}</channel></rss>', rng.choice(LEGACY)


def generate_issue29(work, count, seed=20261203):
    """Feeds in issue 29's shapes, beside (not instead of) the first corpus."""
    rng = random.Random(seed)
    files = []
    for n in range(count):
        kind = ["codepage", "namespace", "fallbacks"][n % 3]
        base = f"https://shape{n}.example/"
        items = [Item(rng, i, base) for i in range(rng.randint(1, 5))]
        text, encoding = issue29(rng, items, base, kind)
        path = os.path.join(work, f"i29-{n:04d}-{kind}-{encoding}.xml")
        decl = f'<?xml version="1.0" encoding="{encoding.replace("_", "-")}"?>\n'
        with open(path, "wb") as f:
            f.write((decl + text).encode(encoding, errors="xmlcharrefreplace"))
        files.append(path)
    return files


TAG = re.compile(r"<[^>]*>")
# An HTML comment (and what a conditional comment hides) is no text.
COMMENT = re.compile(r"<!--.*?-->", re.S)
# feedparser's loose parser turns a bare ampersand before letters ("AT&T and") into an
# entity reference it cannot resolve ("AT&T; and"); the feed says "AT&T", as browsers
# and bulletin read it. Undone before comparing.
FEEDPARSER_BARE_AMP = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


def text_of(value):
    """HTML or text to comparable words: tags out, entities decoded, white space folded."""
    if value is None:
        return None
    value = COMMENT.sub(" ", value)
    value = TAG.sub(" ", value)
    value = html.unescape(value).replace("\u00a0", " ")
    value = FEEDPARSER_BARE_AMP.sub(r"&\1", value)
    return folded(value)


def folded(value):
    """White space folded, and none before punctuation: `<b>failed</b>.` is `failed .`
    with tags replaced by spaces, `failed.` as a reader shows it."""
    value = " ".join(value.split())
    return re.sub(r" ([.,;:!?])", r"\1", value) or None


def ours_text(value):
    """bulletin's HTML fields (summary) to the same: no link numbers, list, bullets or
    Links block, tags out."""
    if value is None:
        return None
    value = value.split("\n\nLinks\n")[0]
    value = re.sub(r"\[\d+\]", "", value)
    value = re.sub(r"(?m)^\s*•\s", " ", value)
    return text_of(value)


def ours_rendered(value):
    """bulletin's rendered text (content) to the same. It is text already: a `<b>` in it
    is one the author escaped, not a tag to drop."""
    if value is None:
        return None
    value = value.split("\n\nLinks\n")[0]
    value = re.sub(r"\[\d+\]", "", value)
    value = value.replace("\u00a0", " ")
    # Layout, not words: list bullets and numbers at a line's start, table rules,
    # the marks that stand for a picture, a heading's underline.
    value = re.sub(r"(?m)^\s*(•|\d+\.)\s", " ", value)
    value = value.replace("│", " ")
    value = re.sub(r"\[image(: [^\]]*)?\]", " ", value)
    value = re.sub(r"[─═]{2,}", " ", value)
    value = FEEDPARSER_BARE_AMP.sub(r"&\1", value)
    return folded(value)


def ts_of_struct(st):
    return calendar.timegm(st) if st else None


def ts_of_iso(value):
    if not value:
        return None
    import datetime
    return int(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def compare(binary, files):
    stats = {"files": len(files), "fields": 0, "agree": 0, "crashes": [], "hangs": [],
             "by_field": {}, "disagreements": []}

    def check(name, path, fp, ours):
        stats["fields"] += 1
        field = stats["by_field"].setdefault(name, [0, 0])
        field[1] += 1
        if fp == ours:
            stats["agree"] += 1
            field[0] += 1
        elif len(stats["disagreements"]) < int(os.environ.get("SHOW", "40")):
            stats["disagreements"].append({"file": os.path.basename(path), "field": name,
                                           "feedparser": fp, "bulletin": ours})

    for path in files:
        try:
            run = subprocess.run([binary, "probe", path, "--json", "--width", "1000"],
                                 capture_output=True, text=True, timeout=20,
                                 env={**os.environ, "NO_COLOR": "1"})
        except subprocess.TimeoutExpired:
            stats["hangs"].append(os.path.basename(path))
            continue
        if run.returncode not in (0, 1) or "panicked" in run.stderr:
            stats["crashes"].append(os.path.basename(path))
            continue
        if path.endswith(".json"):
            # feedparser 6 does not read JSON Feed: bulletin must, and is checked alone.
            stats["json_feeds"] = stats.get("json_feeds", 0) + 1
            if run.returncode != 0 or not json.loads(run.stdout)["items"]:
                stats["json_failed"] = stats.get("json_failed", 0) + 1
            continue
        # A local file has no Content-Type: tell feedparser what a server would.
        headers = {"content-type": "application/feed+json"} if path.endswith(".json") else None
        d = feedparser.parse(path, response_headers=headers)
        if run.returncode != 0:
            # Both may refuse a document; bulletin refusing one feedparser reads counts
            # against every field feedparser found.
            if d.entries or d.feed.get("title"):
                check("feed", path, "read", "refused: " + run.stderr.strip()[:120])
            continue
        ours = json.loads(run.stdout)
        feed = ours["feed"]
        check("feed.title", path, text_of(d.feed.get("title")), ours_text(feed["title"]))
        check("feed.link", path, d.feed.get("link"), feed["link"])
        check("feed.description", path, text_of(d.feed.get("subtitle")), ours_text(feed["description"]))
        check("items", path, len(d.entries), len(ours["items"]))
        for e, o in zip(d.entries, ours["items"]):
            # feedparser has no id for an item without one; bulletin makes one (the link
            # or a hash), which read marks need. Compared where the feed gave one.
            if e.get("id"):
                check("item.id", path, FEEDPARSER_BARE_AMP.sub(r"&\1", e.get("id")), o["id"])
            check("item.title", path, text_of(e.get("title")), ours_text(o["title"]))
            check("item.link", path, e.get("link"), o["link"])
            author = e.get("author_detail", {}).get("name") or e.get("author")
            check("item.author", path, author and " ".join(author.split()), o["author"])
            fp_date = ts_of_struct(e.get("published_parsed") or e.get("updated_parsed"))
            our_date = ts_of_iso(o["published"] or o["updated"])
            check("item.date", path, fp_date, our_date)
            content = e.get("content")
            fp_content = text_of(content[0].value) if content else None
            fp_summary = text_of(e.get("summary"))
            check("item.summary", path, fp_summary, ours_rendered(o["summary"]) or ours_rendered(o["content"]))
            if fp_content is not None:
                check("item.content", path, fp_content, ours_rendered(o["content"]))
    stats["agreement"] = stats["agree"] / max(1, stats["fields"])
    return stats


def cases(binary, folder):
    """The hand-written edge cases, by category (the file name up to its first '-')."""
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder)
                   if not f.startswith("."))
    report = compare(binary, files)
    categories = {}
    for path in files:
        name = os.path.basename(path).split("-")[0]
        one = compare(binary, [path])
        c = categories.setdefault(name, {"files": 0, "fields": 0, "agree": 0})
        c["files"] += 1
        c["fields"] += one["fields"]
        c["agree"] += one["agree"]
    for c in categories.values():
        c["agreement"] = c["agree"] / max(1, c["fields"])
    report["categories"] = categories
    return report


def main():
    binary, work = sys.argv[1], sys.argv[2]
    if work == "--cases":
        print(json.dumps(cases(binary, sys.argv[3]), ensure_ascii=False, indent=1))
        return
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    os.makedirs(work, exist_ok=True)
    files = generate(work, count) + generate_issue29(work, max(30, count // 4))
    print(json.dumps(compare(binary, files), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
