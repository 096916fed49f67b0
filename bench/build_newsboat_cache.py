#!/usr/bin/env python3
"""Writes a newsboat cache.db holding every item of a corpus, without newsboat's slow
reload: newsboat itself makes a small cache first (the template: its schema and
metadata), and this fills a copy of it the way a reload would.

  build_newsboat_cache.py --corpus DIR --template SMALL.db --out BIG.db
"""
import argparse, datetime, email.utils, json, os, shutil, sqlite3
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"


def items_of(path):
    """(feed title, site link, [(guid, title, link, unix time, html)])"""
    if path.endswith(".json"):
        d = json.load(open(path, encoding="utf-8"))
        items = [(i["id"], i["title"], i["url"],
                  int(datetime.datetime.fromisoformat(i["date_published"].replace("Z", "+00:00")).timestamp()),
                  i.get("content_html", "")) for i in d["items"]]
        return d["title"], d.get("home_page_url", ""), items
    root = ET.parse(path).getroot()
    if root.tag == ATOM + "feed":
        items = []
        for e in root.findall(ATOM + "entry"):
            when = datetime.datetime.fromisoformat(e.findtext(ATOM + "updated").replace("Z", "+00:00"))
            items.append((e.findtext(ATOM + "id"), e.findtext(ATOM + "title"), e.find(ATOM + "link").get("href"),
                          int(when.timestamp()), e.findtext(ATOM + "content") or ""))
        return root.findtext(ATOM + "title"), root.find(ATOM + "link").get("href"), items
    ch = root.find("channel")
    items = [(i.findtext("guid"), i.findtext("title"), i.findtext("link"),
              int(email.utils.parsedate_to_datetime(i.findtext("pubDate")).timestamp()), i.findtext("description") or "")
             for i in ch.findall("item")]
    return ch.findtext("title"), ch.findtext("link"), items


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--template", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    tmp = a.out + ".tmp"
    shutil.copyfile(a.template, tmp)
    db = sqlite3.connect(tmp)
    db.execute("DELETE FROM rss_item")
    db.execute("DELETE FROM rss_feed")
    urls = [u.strip() for u in open(os.path.join(a.corpus, "urls")) if u.strip()]
    for url in urls:
        path = os.path.join(a.corpus, "feeds", url.rsplit("/", 1)[1])
        title, link, items = items_of(path)
        db.execute("INSERT INTO rss_feed (rssurl, url, title) VALUES (?, ?, ?)", (url, link, title))
        db.executemany(
            "INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, base) "
            "VALUES (?, ?, '', ?, ?, ?, ?, 1, '')",
            [(g, t, l, url, when, html) for g, t, l, when, html in items])
    db.commit()
    db.close()
    os.replace(tmp, a.out)
    print(f"wrote {a.out}: {len(urls)} feeds")


if __name__ == "__main__":
    main()
